import type { MemberChanges, ScimClient, VersionedUser } from '../scim/client';
import { isPatchUnavailable } from '../scim/errors';
import type { PatchOperation } from '../scim/model/messages/patchop';
import type { TargetLearning } from './learning';

/**
 * The one place that decides how a user is updated: PATCH, or, on a target without it (declared in discovery, or
 * a PATCH answered 501 or 405 earlier in the run), a replace (PUT) of the user with the operations applied. A
 * PATCH answered so teaches the run, and that write is done again as a PUT. `current` is the user as read at
 * `ifMatch`, when the caller holds it: a replace needs no GET then.
 */
export async function updateUser(
  scim: ScimClient,
  learning: TargetLearning,
  userId: string,
  operations: PatchOperation[],
  opts: { ifMatch?: string; current?: VersionedUser } = {},
): Promise<VersionedUser> {
  if (learning.patchUnavailable()) return scim.replaceUser(userId, operations, opts);
  try {
    return await scim.patchUser(userId, operations, { ifMatch: opts.ifMatch });
  } catch (err) {
    if (!isPatchUnavailable(err)) throw err;
    learning.learnPatchUnavailable(err.status, err.detail);
    return scim.replaceUser(userId, operations, opts);
  }
}

/** A group's members added and removed: PATCH, or the group replaced with its members changed, decided as for users. */
export async function changeMembers(scim: ScimClient, learning: TargetLearning, groupId: string, changes: MemberChanges): Promise<void> {
  if (learning.patchUnavailable()) {
    await scim.replaceGroupMembers(groupId, changes);
    return;
  }
  try {
    await scim.patchGroupMembers(groupId, changes);
  } catch (err) {
    if (!isPatchUnavailable(err)) throw err;
    learning.learnPatchUnavailable(err.status, err.detail);
    await scim.replaceGroupMembers(groupId, changes);
  }
}
