import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (`DataConverter.failureConverterPath`), also inside the workflow sandbox: with payload
 * encryption on, an error's message and stack trace move into an encoded attribute, so the codec
 * encrypts them too (an error message can quote an employee). Deterministic: imports only the SDK.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
