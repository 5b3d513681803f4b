import assert from 'node:assert/strict';
import { diffUser } from '../../src/domain/diff';
import { measureDrift, type DriftContext, type DriftEntry } from '../../src/domain/drift';
import type { MappingConfigInput } from '../../src/domain/mapping/config';
import type { DesiredUser } from '../../src/domain/mapping/map';
import type { User } from '../../src/scim/model/resources/user';
import { GROUP_IDS, config, desired, matchingUser } from './fixtures';

interface DriftCase {
  name: string;
  desired?: Partial<DesiredUser>;
  actual?: User | null;
  config?: MappingConfigInput;
  ctx?: Partial<Omit<DriftContext, 'config'>>;
  expected: DriftEntry[];
}

const cases: DriftCase[] = [
  { name: 'in agreement', expected: [] },
  { name: 'normalised like the diff: case, digits, spaces', actual: matchingUser({ userName: 'ADA.lovelace@example.com', displayName: ' Ada Lovelace', phoneNumbers: [{ type: 'work', value: 'tel:+1-555-0100' }] }), expected: [] },
  { name: 'a changed title', actual: matchingUser({ title: 'By hand' }), expected: [{ field: 'title', expected: 'Analyst', actual: 'By hand' }] },
  { name: 'a title that should be gone', desired: { title: null }, expected: [{ field: 'title', expected: '', actual: 'Analyst' }] },
  { name: 'a missing work email', actual: matchingUser({ emails: [{ type: 'other', value: 'ada.lovelace@example.com' }] }), expected: [{ field: 'email', expected: 'ada.lovelace@example.com', actual: '' }] },
  { name: 'still active', desired: { active: false, lifecycle: 'leaver' }, expected: [{ field: 'active', expected: 'false', actual: 'true' }] },
  {
    name: 'a leaver\'s other attributes are not drift',
    desired: { active: false, lifecycle: 'leaver', title: 'Something else' },
    actual: matchingUser({ active: false }),
    expected: [],
  },
  { name: 'unmanaged attributes are not drift', config: { managedAttributes: ['userName'] }, actual: matchingUser({ title: 'By hand' }), expected: [] },
  {
    name: 'manager differs',
    desired: { managerHrId: 'M1' },
    actual: matchingUser({}, { manager: { value: 'u-old' } }),
    ctx: { managerUserId: 'u-m1' },
    expected: [{ field: 'manager', expected: 'u-m1', actual: 'u-old' }],
  },
  {
    name: 'manager never resolved',
    desired: { managerHrId: 'M9' },
    expected: [{ field: 'manager', expected: 'unresolved (HR id M9)', actual: '' }],
  },
  {
    name: 'groups differ',
    desired: { groups: ['Sales Team'] },
    ctx: { groupIdsByName: GROUP_IDS },
    expected: [{ field: 'groups', expected: 'Sales Team', actual: 'Engineering Team' }],
  },
  { name: 'groups agree', ctx: { groupIdsByName: GROUP_IDS }, expected: [] },
  { name: 'no account where one should be', actual: null, expected: [{ field: 'account', expected: 'exists', actual: '' }] },
  { name: 'no account, none expected yet', actual: null, desired: { active: false, lifecycle: 'pending-hire' }, expected: [] },
  { name: 'scim2 name drift', ctx: { profile: 'scim2' }, desired: { givenName: 'Ada', familyName: 'Lovelace' }, actual: matchingUser({ name: { givenName: 'Ada' } }), expected: [{ field: 'name.familyName', expected: 'Lovelace', actual: '' }] },
];

describe('domain: measureDrift', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ctx: DriftContext = { config: config(c.config), profile: 'genesys', ...c.ctx };
      const actual = c.actual === undefined ? matchingUser() : c.actual;
      assert.deepEqual(measureDrift(desired(c.desired), actual, ctx), c.expected);
    });
  }

  it('drift is exactly what the diff would still change', () => {
    const d = desired({ title: 'Lead', department: null, workPhone: '+15550199', managerHrId: 'M1' });
    const actual = matchingUser({ displayName: 'ADA' }, { manager: { value: 'u-x' } });
    const ctx: DriftContext = { config: config(), profile: 'genesys', managerUserId: 'u-m1' };
    const fieldsFromDiff = diffUser(d, actual, ctx).length;
    const drift = measureDrift(d, actual, ctx);
    assert.deepEqual(drift.map((x) => x.field), ['displayName', 'title', 'phone', 'department', 'manager']);
    assert.equal(drift.length, fieldsFromDiff);
  });
});
