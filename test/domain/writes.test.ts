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
  const cases: [string, { outcome: string } | undefined, SpentChunkVerdict][] = [
    ['never written: failed', undefined, { kind: 'failed', why: 'not written' }],
    ['met a conflict: still owed its refetch', { outcome: 'conflict' }, { kind: 'conflict' }],
    ['written: stands (its memberships go at the end of the run)', { outcome: 'applied' }, { kind: 'as-recorded', outcome: 'applied' }],
    ['already failed: still failed', { outcome: 'failed' }, { kind: 'as-recorded', outcome: 'failed' }],
    ['unchanged (all it had to change refused): stands, its memberships too', { outcome: 'unchanged' }, { kind: 'as-recorded', outcome: 'unchanged' }],
  ];
  for (const [what, prior, expected] of cases) it(what, () => assert.deepEqual(afterRetriesSpent(prior), expected));
});
