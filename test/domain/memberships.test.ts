import assert from 'node:assert/strict';
import { membershipBatches, withPendingMemberships, type PendingMembership } from '../../src/domain/memberships';
import type { User } from '../../src/scim/model/resources/user';

describe('domain: group memberships batched across the run', () => {
  const m = (groupId: string, userId: string, op: 'add' | 'remove' = 'add'): PendingMembership => ({ groupId, op, userId, hrId: `hr-${userId}`, was: 'applied' });
  const table: [string, PendingMembership[], number, { groupId: string; add: string[]; remove: string[] }[]][] = [
    ['nothing to send', [], 100, []],
    ['one PATCH per group, groups in id order', [m('g2', 'a'), m('g1', 'b'), m('g2', 'c', 'remove')], 100, [
      { groupId: 'g1', add: ['b'], remove: [] },
      { groupId: 'g2', add: ['a'], remove: ['c'] },
    ]],
    ['batches of the given size', [m('g1', 'a'), m('g1', 'b'), m('g1', 'c')], 2, [
      { groupId: 'g1', add: ['a', 'b'], remove: [] },
      { groupId: 'g1', add: ['c'], remove: [] },
    ]],
    ['a user recorded twice counts once, by the last record', [m('g1', 'a'), m('g1', 'b'), m('g1', 'a', 'remove')], 100, [
      { groupId: 'g1', add: ['b'], remove: ['a'] },
    ]],
  ];
  for (const [what, entries, size, expected] of table) {
    it(what, () => {
      const got = membershipBatches(entries, size).map((b) => ({ groupId: b.groupId, add: b.add.map((e) => e.userId), remove: b.remove.map((e) => e.userId) }));
      assert.deepEqual(got, expected);
    });
  }
});

describe('domain: a user\'s groups as the run will leave them', () => {
  const names: Record<string, string> = { g1: 'Sales Team', g2: 'Legal Team' };
  const nameOf = (id: string) => names[id];
  const table: [string, User['groups'], Pick<PendingMembership, 'groupId' | 'op'>[], User['groups']][] = [
    ['nothing recorded: as read (groups absent stay absent)', undefined, [], undefined],
    ['an add recorded: a member, named as the group is', [], [{ groupId: 'g1', op: 'add' }], [{ value: 'g1', display: 'Sales Team' }]],
    ['a remove recorded: no longer a member', [{ value: 'g1', display: 'Sales Team' }], [{ groupId: 'g1', op: 'remove' }], []],
    ['an add to a group already held: unchanged', [{ value: 'g1', display: 'Sales Team' }], [{ groupId: 'g1', op: 'add' }], [{ value: 'g1', display: 'Sales Team' }]],
    ['the last record has the last word', [], [{ groupId: 'g2', op: 'add' }, { groupId: 'g2', op: 'remove' }, { groupId: 'g1', op: 'add' }], [{ value: 'g1', display: 'Sales Team' }]],
    ['a group the run does not know by name: by id alone', undefined, [{ groupId: 'g9', op: 'add' }], [{ value: 'g9' }]],
    ['memberships in other groups are kept', [{ value: 'hand-made' }], [{ groupId: 'g2', op: 'add' }], [{ value: 'hand-made' }, { value: 'g2', display: 'Legal Team' }]],
  ];
  for (const [what, groups, pending, expected] of table) it(what, () => assert.deepEqual(withPendingMemberships(groups, pending, nameOf), expected));
});
