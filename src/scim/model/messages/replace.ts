import { scimPatch, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import type { Group } from '../resources/group';
import type { User } from '../resources/user';
import { URN } from '../schemas/urns';
import type { PatchOperation } from './patchop';

/**
 * What a PUT (RFC 7644 §3.5.1) must not carry: `meta` is the service's, and `groups` is readOnly on a User
 * (RFC 7643 §4.1.2), so sending it would at best be ignored. `id` may be sent, and matches the path.
 */
const NOT_SENT = ['meta', 'groups'] as const;

/** A remove whose target is already gone leaves the resource as it is, as a PATCH that finds nothing to remove would. */
const ALREADY_ABSENT = new Set(['FilterOnEmptyArray', 'NoTarget']);

/**
 * The body of a PUT that does what `operations` would do as a PATCH: the user as the target returned it, the
 * operations applied (by scim-patch, RFC 7644 §3.5.2's rules), read-only and service attributes left out, and
 * `schemas` naming every extension the body carries (an operation may add the first attribute of one).
 */
export function userReplacement(user: User, operations: readonly PatchOperation[]): Record<string, unknown> {
  let body = structuredClone(user) as unknown as ScimResource;
  for (const op of operations) {
    try {
      body = scimPatch(body, [op as ScimPatchOperation], { mutateDocument: false, treatMissingAsAdd: true });
    } catch (err) {
      if (op.op === 'remove' && ALREADY_ABSENT.has((err as Error).constructor.name)) continue;
      throw new Error(`the operation ${op.op} ${op.path ?? '(no path)'} does not apply to the user as the target returned it: ${(err as Error).message}`);
    }
  }
  const out = body as unknown as Record<string, unknown>;
  for (const key of NOT_SENT) delete out[key];
  const schemas = new Set<string>([URN.user, ...(user.schemas ?? [])]);
  for (const [key, value] of Object.entries(out)) if (key.startsWith('urn:') && value && typeof value === 'object') schemas.add(key);
  out.schemas = [...schemas];
  return out;
}

export interface MemberChanges {
  add?: readonly string[];
  remove?: readonly string[];
}

/**
 * The body of a PUT that changes a group's members as a PATCH of adds and removes would: the group as the target
 * returned it, each member kept by its value alone (display and $ref are the service's), removals dropped, adds
 * appended once. Adding a member already there, or removing one already gone, changes nothing.
 */
export function groupReplacement(group: Group, changes: MemberChanges): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(group);
  for (const key of NOT_SENT) delete out[key];
  const removed = new Set(changes.remove ?? []);
  const values = new Set<string>();
  for (const v of [...(group.members ?? []).map((m) => m.value), ...(changes.add ?? [])]) if (!removed.has(v)) values.add(v);
  out.members = [...values].map((value) => ({ value }));
  out.schemas = [...new Set([URN.group, ...(group.schemas ?? [])])];
  return out;
}
