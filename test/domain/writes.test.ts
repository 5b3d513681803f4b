import assert from 'node:assert/strict';
import { DEACTIVATE } from '../../src/domain/diff';
import type { PlannedChange } from '../../src/domain/plan';
import { afterRetriesSpent, replanAfterConflict, type SpentChunkVerdict } from '../../src/domain/writes';
import type { PatchOperation } from '../../src/scim/model/messages/patchop';
import type { User } from '../../src/scim/model/resources/user';
import { config, desired, matchingUser } from './fixtures';

describe('domain: a change planned again after a version conflict', () => {
  const ctx = { config: config(), profile: 'genesys' as const };
  const cases: [string, Pick<PlannedChange, 'desired'>, User, PatchOperation[]][] = [
    ['someone changed what HR says: it is written back', { desired: desired() }, matchingUser({ title: 'Changed by hand' }), [{ op: 'replace', path: 'title', value: 'Analyst' }]],
    ['someone made it as HR says: nothing left', { desired: desired({ title: 'Lead' }) }, matchingUser({ title: 'Lead' }), []],
    ['an edit to what HR does not speak of is left alone', { desired: desired() }, matchingUser({ nickName: 'Ada' } as Partial<User>), []],
    ['a deactivation without a desired user (an orphan), still active', {}, matchingUser(), [DEACTIVATE]],
    ['a deactivation without a desired user, deactivated meanwhile', {}, matchingUser({ active: false }), []],
    ['a deactivation without a desired user, `active` absent (RFC 7643: active)', {}, matchingUser({ active: undefined }), [DEACTIVATE]],
  ];
  for (const [what, change, current, expected] of cases) it(what, () => assert.deepEqual(replanAfterConflict(change, current, ctx), expected));
});

describe('domain: what a chunk whose retries are spent reports of each user', () => {
  const plain = { groupChanges: { add: [], remove: [] } };
  const joining = { groupChanges: { add: ['g1'], remove: [] } };
  const leaving = { groupChanges: { add: [], remove: ['g1'] } };
  const cases: [string, Pick<PlannedChange, 'groupChanges'>, { outcome: string } | undefined, SpentChunkVerdict][] = [
    ['never written: failed', plain, undefined, { kind: 'failed', why: 'not written' }],
    ['never written, with groups: failed, as not written', joining, undefined, { kind: 'failed', why: 'not written' }],
    ['met a conflict: still owed its refetch', joining, { outcome: 'conflict' }, { kind: 'conflict' }],
    ['written, with a group to join: the membership never landed', joining, { outcome: 'applied' }, { kind: 'failed', why: 'group membership not confirmed' }],
    ['written, with a group to leave: likewise', leaving, { outcome: 'applied' }, { kind: 'failed', why: 'group membership not confirmed' }],
    ['written, no groups: stands', plain, { outcome: 'applied' }, { kind: 'as-recorded', outcome: 'applied' }],
    ['already failed: still failed', joining, { outcome: 'failed' }, { kind: 'as-recorded', outcome: 'failed' }],
    ['unchanged (all it had to change refused), with groups: stands as recorded', joining, { outcome: 'unchanged' }, { kind: 'as-recorded', outcome: 'unchanged' }],
  ];
  for (const [what, change, prior, expected] of cases) it(what, () => assert.deepEqual(afterRetriesSpent(change, prior), expected));
});
