import { DEACTIVATE } from '../../src/domain/attributes';
import type { IterateQuery, ScimClient, VersionedUser } from '../../src/scim';
import type { User } from '../../src/scim/model/resources/user';

/**
 * What tests ask of a target that hrsync itself never does in one call, built on the client's own
 * requests: the product deactivates through its plan's PatchOps and reads users page by page.
 */
export function deactivate(client: ScimClient, id: string, opts: { ifMatch?: string } = {}): Promise<VersionedUser> {
  return client.patchUser(id, [DEACTIVATE], opts);
}

/** Every user a (filtered) list holds, read page by page. */
export async function allUsers(client: ScimClient, query: IterateQuery = {}): Promise<User[]> {
  const users: User[] = [];
  for await (const page of client.iterateUserPages(query)) users.push(...page.users);
  return users;
}
