import assert from 'node:assert/strict';
import { membershipBatches, withdrawnMemberships, withPendingMemberships, type PendingMembership } from '../../src/domain/memberships';
import type { PlannedChange } from '../../src/domain/plan';
import type { User } from '../../src/scim/model/resources/user';

describe('domain: group memberships batched across the run', () => {
  const m = (groupId: string, userId: string, op: PendingMembership['op'] = 'add'): PendingMembership => ({ groupId, op, userId, hrId: `hr-${userId}`, was: 'applied' });
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
    ['a withdrawn user is not sent; a group left with nobody gets no PATCH', [m('g1', 'a'), m('g1', 'b'), m('g2', 'a', 'remove'), m('g1', 'a', 'withdrawn'), m('g2', 'a', 'withdrawn')], 100, [
      { groupId: 'g1', add: ['b'], remove: [] },
    ]],
    ['recorded again after a withdrawal: sent', [m('g1', 'a'), m('g1', 'a', 'withdrawn'), m('g1', 'a', 'remove')], 100, [
      { groupId: 'g1', add: [], remove: ['a'] },
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
    ['an add withdrawn: as read', [], [{ groupId: 'g1', op: 'add' }, { groupId: 'g1', op: 'withdrawn' }], []],
    ['a remove withdrawn: as read', [{ value: 'g1', display: 'Sales Team' }], [{ groupId: 'g1', op: 'remove' }, { groupId: 'g1', op: 'withdrawn' }], [{ value: 'g1', display: 'Sales Team' }]],
  ];
  for (const [what, groups, pending, expected] of table) it(what, () => assert.deepEqual(withPendingMemberships(groups, pending, nameOf), expected));
});

describe('domain: the memberships withdrawn for a user met again as a leaver', () => {
  type Change = Pick<PlannedChange, 'hrId' | 'userId' | 'desired' | 'updatedAt'>;
  const change = (active: boolean, userId: string | null = 'u1'): Change =>
    ({ hrId: 'e1', ...(userId ? { userId } : {}), desired: { active } as PlannedChange['desired'], updatedAt: '2026-01-02T00:00:00Z' }) as Change;
  const rec = (groupId: string, op: PendingMembership['op']): PendingMembership => ({ groupId, op, userId: 'u1', hrId: 'e1', was: 'applied' });
  const table: [string, Change[], [string, PendingMembership[]][], [string, PendingMembership['op']][]][] = [
    ['a leaver: each group the run recorded for it, once', [change(false)], [['u1', [rec('g1', 'add'), rec('g2', 'remove'), rec('g1', 'add')]]], [['g1', 'withdrawn'], ['g2', 'withdrawn']]],
    ['still active: its latest plan records its own', [change(true)], [['u1', [rec('g1', 'add')]]], []],
    ['nothing recorded for it: nothing to withdraw', [change(false)], [], []],
    ['already withdrawn: not again', [change(false)], [['u1', [rec('g1', 'add'), rec('g1', 'withdrawn')]]], []],
    ['no user: nothing to withdraw', [change(false, null)], [['u1', [rec('g1', 'add')]]], []],
  ];
  for (const [what, changes, pending, expected] of table) {
    it(what, () => {
      const got = withdrawnMemberships(changes, new Map(pending));
      assert.deepEqual(got.map((e) => [e.groupId, e.op]), expected);
      for (const e of got) assert.deepEqual([e.userId, e.hrId, e.updatedAt], ['u1', 'e1', '2026-01-02T00:00:00Z']);
    });
  }
});
