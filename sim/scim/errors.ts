import { URN } from '../../src/scim/model/schemas/urns';

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

/** RFC 7644 §3.12 Table 9's descriptions: what a terse server says, naming no attribute or path. */
const TERSE: Partial<Record<ScimType, string>> = {
  invalidFilter: 'The specified filter syntax was invalid, or the specified attribute and filter comparison combination is not supported.',
  invalidPath: 'The "path" attribute was invalid or malformed.',
  invalidValue: 'A required value was missing, or the value specified was not compatible with the operation or attribute type.',
  mutability: "The attempted modification is not compatible with the target attribute's mutability or current state.",
  noTarget: 'The specified "path" did not yield an attribute or attribute value that could be operated on.',
  tooMany: 'The specified filter yields many more results than the server is willing to calculate or process.',
};

/** The body of a thrown error; `terse` (the `terseErrors` switch) replaces a 400's detail by its type's generic text. */
export function errorBodyOf(e: ScimHttpError, terse: boolean): Record<string, unknown> {
  const generic = terse && e.status === 400 && e.scimType ? TERSE[e.scimType] : undefined;
  return scimErrorBody(e.status, generic ?? e.detail, e.scimType);
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
