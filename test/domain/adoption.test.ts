import assert from 'node:assert/strict';
import { adoptionLookups, decideAdoption, type Adoption, type FoundByKey, type Joiner } from '../../src/domain/adoption';
import { MANAGER_PATH, toNewUser } from '../../src/domain/diff';
import type { DesiredUser } from '../../src/domain/mapping/map';
import type { PatchOperation } from '../../src/scim/model/messages/patchop';
import { config, desired, matchingUser, user } from './fixtures';

const ctx = { config: config(), profile: 'genesys' as const };

/** A joiner's change as the plan makes it: the POST body built from the desired user. */
function joiner(overrides: Partial<DesiredUser> = {}, managerUserId?: string): Joiner {
  const d = desired(overrides);
  return { hrId: d.hrId, desired: d, newUser: toNewUser(d, { ...ctx, ...(managerUserId ? { managerUserId } : {}) }) };
}

describe('domain: adopting the user a joiner’s POST met', () => {
  describe('the lookups, in order', () => {
    it('asks by the HR id, then by the userName the POST tried', () => {
      assert.deepEqual(adoptionLookups(joiner({ userName: 'ada@example.com' })), [
        { by: 'externalId', value: 'E1' },
        { by: 'userName', value: 'ada@example.com' },
      ]);
    });
    it('takes the userName from the desired user when the change has no POST body', () => {
      assert.deepEqual(adoptionLookups({ hrId: 'E1', desired: desired({ userName: 'd@example.com' }) }), [
        { by: 'externalId', value: 'E1' },
        { by: 'userName', value: 'd@example.com' },
      ]);
    });
    it('asks only by the HR id when there is no userName to ask for', () => {
      assert.deepEqual(adoptionLookups({ hrId: 'E1' }), [{ by: 'externalId', value: 'E1' }]);
    });
  });

  type Expected = { kind: 'adopt'; userId: string; by: string; operations: PatchOperation[] } | { kind: 'refuse'; reason: RegExp } | { kind: 'not-found' };
  const withExternalId = { ...ctx, config: config({ managedAttributes: [...ctx.config.managedAttributes, 'externalId'] }) };
  const cases: [string, Joiner, FoundByKey, Expected, typeof ctx?][] = [
    ['same externalId, already as HR says: adopted, nothing to write', joiner(), { externalId: [matchingUser({ id: 'u1' })] }, { kind: 'adopt', userId: 'u1', by: 'externalId', operations: [] }],
    [
      'same externalId, another title: adopted, and the title written',
      joiner(),
      { externalId: [matchingUser({ id: 'u1', title: 'Intern' })] },
      { kind: 'adopt', userId: 'u1', by: 'externalId', operations: [{ op: 'replace', path: 'title', value: 'Analyst' }] },
    ],
    [
      'no externalId, found by userName: adopted as it is (externalId is not managed by default)',
      joiner(),
      { externalId: [], userName: [matchingUser({ id: 'u2', externalId: undefined })] },
      { kind: 'adopt', userId: 'u2', by: 'userName', operations: [] },
    ],
    [
      'no externalId, found by userName, externalId managed: adopted, and the externalId set',
      joiner(),
      { externalId: [], userName: [matchingUser({ id: 'u2', externalId: undefined })] },
      { kind: 'adopt', userId: 'u2', by: 'userName', operations: [{ op: 'replace', path: 'externalId', value: 'E1' }] },
      withExternalId,
    ],
    [
      "another employee's externalId under the same userName: refused, naming the user and its owner",
      joiner(),
      { externalId: [], userName: [matchingUser({ id: 'u3', externalId: 'E9' })] },
      { kind: 'refuse', reason: /^the userName is taken: userName matches user u3, whose externalId is another employee's \(E9\)/ },
    ],
    [
      'found by both keys, differently: the user with the HR id wins',
      joiner(),
      { externalId: [matchingUser({ id: 'u1', userName: 'ada.old@example.com' })], userName: [user({ id: 'u4', externalId: 'E9' })] },
      { kind: 'adopt', userId: 'u1', by: 'externalId', operations: [{ op: 'replace', path: 'userName', value: 'ada.lovelace@example.com' }] },
    ],
    [
      'two users with the HR id: refused, naming both (nothing is guessed)',
      joiner(),
      { externalId: [matchingUser({ id: 'u7' }), matchingUser({ id: 'u6', active: false })] },
      { kind: 'refuse', reason: /^the userName is taken: externalId matches 2 users \(u6, u7\): not taken over/ },
    ],
    ['nothing found by either key', joiner(), { externalId: [], userName: [] }, { kind: 'not-found' }],
    ['no key asked at all', joiner(), {}, { kind: 'not-found' }],
    [
      'an inactive user with the HR id: adopted and reactivated (a rehire gets the old account back)',
      joiner(),
      { externalId: [matchingUser({ id: 'u5', active: false })] },
      { kind: 'adopt', userId: 'u5', by: 'externalId', operations: [{ op: 'replace', path: 'active', value: true }] },
    ],
    [
      'the manager the POST named is set on the adopted user',
      joiner({ managerHrId: 'M1' }, 'u-m1'),
      { externalId: [matchingUser({ id: 'u1' })] },
      { kind: 'adopt', userId: 'u1', by: 'externalId', operations: [{ op: 'replace', path: MANAGER_PATH, value: { value: 'u-m1' } }] },
    ],
    [
      "a manager not known yet (the POST named none): the adopted user's manager is left alone",
      joiner({ managerHrId: 'M1' }),
      { externalId: [matchingUser({ id: 'u1' }, { manager: { value: 'u-old' } })] },
      { kind: 'adopt', userId: 'u1', by: 'externalId', operations: [] },
    ],
    [
      'HR says no manager: the adopted user’s manager is cleared',
      joiner({ managerHrId: null }),
      { externalId: [matchingUser({ id: 'u1' }, { manager: { value: 'u-old' } })] },
      { kind: 'adopt', userId: 'u1', by: 'externalId', operations: [{ op: 'remove', path: MANAGER_PATH }] },
    ],
  ];

  for (const [what, change, found, expected, caseCtx] of cases) {
    it(what, () => {
      const got: Adoption = decideAdoption(change, found, caseCtx ?? ctx);
      assert.equal(got.kind, expected.kind, JSON.stringify(got));
      if (got.kind === 'adopt' && expected.kind === 'adopt') {
        assert.deepEqual({ userId: got.user.id, by: got.by, operations: got.operations }, { userId: expected.userId, by: expected.by, operations: expected.operations });
      }
      if (got.kind === 'refuse' && expected.kind === 'refuse') assert.match(got.reason, expected.reason);
    });
  }

  it('a change without a desired user adopts without writing', () => {
    const got = decideAdoption({ hrId: 'E1' }, { externalId: [user({ id: 'u1', externalId: 'E1', title: 'Intern' })] }, ctx);
    assert.deepEqual(got.kind === 'adopt' ? got.operations : got, []);
  });
});
