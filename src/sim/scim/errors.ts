import { URN } from '../../scim/schemas/urns';

export type ScimType =
  | 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath'
  | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

/** Thrown anywhere inside a handler; the server turns it into an RFC 7644 §3.12 error body. */
export class ScimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export function scimErrorBody(status: number, detail: string, scimType?: ScimType): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [URN.error], status: String(status) };
  if (scimType) body.scimType = scimType;
  body.detail = detail;
  return body;
}

export const notFound = (what: string, id: string) =>
  new ScimHttpError(404, `${what} with id '${id}' was not found`);

export const forbidden = (permission: string) =>
  new ScimHttpError(403, `Unable to perform the requested action. Missing permission: ${permission}`);

/** The body Genesys sends with a 429 (its platform error shape, not a SCIM one). */
export function rateLimitBody(retryAfterSeconds: number, contextId: string): Record<string, unknown> {
  return {
    message: `Rate limit exceeded the maximum. Retry the request in [${retryAfterSeconds}] seconds`,
    code: 'too.many.requests.retry.after',
    status: 429,
    messageParams: {},
    contextId,
    details: [],
    errors: [],
  };
}
