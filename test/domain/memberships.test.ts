import assert from 'node:assert/strict';
import { membershipBatches, type PendingMembership } from '../../src/domain/memberships';

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
