import type { DataConverter } from '@temporalio/common';
import type { TemporalConfig } from '../config';
import { AesGcmPayloadCodec, decodeKeyMaterial, type EncryptionKey } from './codec';

/**
 * The failure converter that encodes error messages and stack traces as payloads, by path: the SDK
 * loads it in the client, the worker and (bundled) the workflow sandbox. A pre-built workflow bundle
 * must be built with it (`bundleWorkflowCode({ failureConverterPath })`).
 */
export const ENCODING_FAILURE_CONVERTER_PATH = require.resolve('./failureconverter');

type EncryptionConfig = NonNullable<TemporalConfig['encryption']>;

/** The configured keys, active first; config validation has already checked each one. */
export function encryptionKeys(cfg: EncryptionConfig): EncryptionKey[] {
  return [{ id: cfg.keyId, key: cfg.key }, ...cfg.previousKeys].map(({ id, key }) => {
    const decoded = decodeKeyMaterial(key.reveal());
    if ('problem' in decoded) throw new Error(`encryption key "${id}" ${decoded.problem}`);
    return { id, key: decoded.key };
  });
}

/**
 * The data converter every Client and Worker of hrsync uses: with `temporal.encryption` configured,
 * payloads and failure messages are encrypted; without, undefined (the SDK's default). Client and
 * worker must agree, so build both from the same config.
 */
export function dataConverter(cfg: TemporalConfig): DataConverter | undefined {
  if (!cfg.encryption) return undefined;
  return {
    payloadCodecs: [new AesGcmPayloadCodec(encryptionKeys(cfg.encryption))],
    failureConverterPath: ENCODING_FAILURE_CONVERTER_PATH,
  };
}
