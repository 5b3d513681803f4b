import { URN } from '../../src/scim/model/schemas/urns';
import { ScimHttpError } from './errors';
import type { ScimStrictness } from './options';
import { PatchOperation, splitExtension, stripCorePrefix, topAttribute } from './patch';
import { unlistedExtensions } from './schema';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const firstName = (rest: string) => rest.split(/[[.]/)[0].toLowerCase();

/** The client's own spelling of a `dateHire` an op names (by path, or as a key of its value), if it names one. */
function dateHireNamed(op: PatchOperation): string | undefined {
  const inValue = (container: string, value: unknown): string | undefined => {
    if (!isObject(value)) return undefined;
    const key = Object.keys(value).find((k) => k.toLowerCase() === 'datehire');
    return key === undefined ? undefined : `${container}:${key}`;
  };
  const named = (spelled: string, value: unknown): string | undefined => {
    const ext = splitExtension(stripCorePrefix(spelled));
    if (!ext) return firstName(stripCorePrefix(spelled)) === 'datehire' ? spelled : undefined;
    if (ext.urn !== URN.enterpriseUser) return undefined;
    if (ext.rest === '') return inValue(spelled, value);
    return firstName(ext.rest) === 'datehire' ? spelled : undefined;
  };
  if (op.path !== undefined) return named(op.path, op.value);
  if (!isObject(op.value)) return undefined;
  for (const [k, v] of Object.entries(op.value)) {
    const n = named(k, v);
    if (n) return n;
  }
  return undefined;
}

/** The client's spelling of an extension an op names (by path, or as a key of a no-path value) that is among `unlisted`. */
function unlistedNamed(op: PatchOperation, unlisted: string[]): string | undefined {
  const hit = (spelled: string) => {
    const ext = splitExtension(stripCorePrefix(spelled));
    return ext && unlisted.includes(ext.urn) ? spelled : undefined;
  };
  if (op.path !== undefined) return hit(op.path);
  return isObject(op.value) ? Object.keys(op.value).map(hit).find((k) => k !== undefined) : undefined;
}

/** Whether `remove` on this path is refused: the attribute it targets is listed, short or URN-qualified. */
function removeRefused(path: string, refused: string[]): boolean {
  const p = stripCorePrefix(path);
  const ext = splitExtension(p);
  if (ext && ext.rest === '') return false;
  const name = ext ? firstName(ext.rest) : firstName(p);
  const qualified = ext ? `${ext.urn.toLowerCase()}:${name}` : `${URN.user.toLowerCase()}:${name}`;
  return refused.some((r) => r.toLowerCase() === name || r.toLowerCase() === qualified);
}

/**
 * A user PATCH's operations checked against the switches before anything is applied, so a refusal
 * leaves the whole PATCH unapplied (RFC 7644 §3.5.2). The detail names the path as the client sent it.
 */
export function checkUserPatch(strict: ScimStrictness, ops: PatchOperation[]): void {
  for (const op of ops) {
    const dateHire = strict.noDateHire ? dateHireNamed(op) : undefined;
    if (dateHire) throw new ScimHttpError(400, `attribute "${dateHire}" is not supported`, 'invalidPath');
    const extension = unlistedNamed(op, unlistedExtensions(strict));
    if (extension) throw new ScimHttpError(400, `attribute "${extension}" is not supported: the User resource type does not extend with its schema`, 'invalidPath');
    if (op.op === 'remove' && op.path && removeRefused(op.path, strict.refuseRemove)) {
      throw new ScimHttpError(400, `attribute "${op.path}" cannot be removed`, strict.refuseRemoveScimType);
    }
  }
}

/** `members` values a group PATCH carries: each listed value, and one per value-filtered path. */
export function memberValueCount(ops: PatchOperation[]): number {
  let n = 0;
  for (const op of ops) {
    if (op.path === undefined) {
      const members = isObject(op.value) ? op.value.members : undefined;
      n += Array.isArray(members) ? members.length : 0;
    } else if (topAttribute(op.path).toLowerCase() === 'members') {
      if (op.path.includes('[')) n += 1;
      else if (Array.isArray(op.value)) n += op.value.length;
      else if (op.value !== undefined) n += 1;
    }
  }
  return n;
}

/** A PATCH on a user or group, as the `patch` switch plays it: served, or answered 501 or 405 (no state changes). */
export function checkPatchServed(strict: ScimStrictness, route: string): void {
  if (strict.patch === 'supported') return;
  if (strict.patch === 'undeclared-405') throw new ScimHttpError(405, `PATCH is not supported on ${route}`, undefined, { Allow: 'GET, PUT, DELETE' });
  throw new ScimHttpError(501, `PATCH is not implemented on ${route}`);
}
