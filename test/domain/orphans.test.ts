import assert from 'node:assert/strict';
import { DEACTIVATE } from '../../src/domain/attributes';
import { orphanChange, planOrphanSlice, type SeenByHr } from '../../src/domain/orphans';
import type { User } from '../../src/scim/model/resources/user';
import { config, user } from './fixtures';

const managed = config();
const activeNotManaged = config({ managedAttributes: managed.managedAttributes.filter((a) => a !== 'active') });

/** A user hrsync made for HR id `hrId` (none: made by hand). */
const u = (id: string, hrId?: string, overrides: Partial<User> = {}): User => user({ id, userName: `${id}@example.com`, ...(hrId !== undefined ? { externalId: hrId } : {}), ...overrides });
const seen = (hrIds: string[] = [], userIds: string[] = []): SeenByHr => ({ hrIds: new Set(hrIds), userIds: new Set(userIds) });

describe('domain: orphans (users HR no longer sends)', () => {
  const cases: [string, User[], SeenByHr, { offset: number; size: number }, string[], number | null, typeof managed?][] = [
    ['an active user with an HR id HR did not send is an orphan', [u('u1', 'E1')], seen(), { offset: 0, size: 10 }, ['u1'], null],
    ['a user without externalId (made by hand) is never one', [u('u1'), u('u2', '')], seen(), { offset: 0, size: 10 }, [], null],
    ['an inactive user is not one', [u('u1', 'E1', { active: false })], seen(), { offset: 0, size: 10 }, [], null],
    ['a user without `active` is active (RFC 7643), so it is one', [u('u1', 'E1', { active: undefined })], seen(), { offset: 0, size: 10 }, ['u1'], null],
    ['one whose HR id HR sent is not one', [u('u1', 'E1'), u('u2', 'E2')], seen(['E1']), { offset: 0, size: 10 }, ['u2'], null],
    ['one an employee resolved to (by another key) is not one, whatever its externalId', [u('u1', 'okta-1'), u('u2', 'E2')], seen(['E7'], ['u1']), { offset: 0, size: 10 }, ['u2'], null],
    ['in user id order', [u('u3', 'E3'), u('u1', 'E1'), u('u2', 'E2')], seen(), { offset: 0, size: 10 }, ['u1', 'u2', 'u3'], null],
    ['a full first slice says where the next one starts', [u('u1', 'E1'), u('u2', 'E2'), u('u3', 'E3')], seen(), { offset: 0, size: 2 }, ['u1', 'u2'], 2],
    ['the last slice, shorter, is the end', [u('u1', 'E1'), u('u2', 'E2'), u('u3', 'E3')], seen(), { offset: 2, size: 2 }, ['u3'], null],
    ['a slice that ends exactly at the last orphan is the end', [u('u1', 'E1'), u('u2', 'E2')], seen(), { offset: 0, size: 2 }, ['u1', 'u2'], null],
    ['an empty last page (fewer orphans than the offset): nothing, and the end', [u('u1', 'E1')], seen(), { offset: 2, size: 2 }, [], null],
    ['no users at all', [], seen(), { offset: 0, size: 2 }, [], null],
    ['`active` not managed: no orphans', [u('u1', 'E1'), u('u2', 'E2'), u('u3', 'E3')], seen(), { offset: 0, size: 2 }, [], null, activeNotManaged],
  ];
  for (const [what, users, seenByHr, page, expected, nextOffset, mapping] of cases) {
    it(what, () => {
      const got = planOrphanSlice(users, seenByHr, mapping ?? managed, page, (ids) => ids.map((id) => users.find((x) => x.id === id) as User));
      assert.deepEqual({ users: got.users.map((x) => x.id), changes: got.changes.map((c) => c.userId), nextOffset: got.nextOffset }, { users: expected, changes: expected, nextOffset });
    });
  }

  it('each orphan gets the one deactivation, guarded by the version read', () => {
    assert.deepEqual(orphanChange(u('u1', 'E1', { meta: { version: '"7"' } })), {
      hrId: 'E1',
      userId: 'u1',
      version: '"7"',
      action: 'deactivate',
      lifecycle: 'leaver',
      operations: [DEACTIVATE],
      groupChanges: { add: [], remove: [] },
      changedFields: ['active'],
      warnings: [],
      reason: 'HR no longer has this employee',
    });
    assert.equal('version' in orphanChange(u('u1', 'E1', { meta: undefined })), false, 'no version read, no If-Match');
  });
});
