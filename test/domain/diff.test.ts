import assert from 'node:assert/strict';
import { changedAttributes, diffUser, toNewUser, MANAGER_PATH } from '../../src/domain/diff';
import type { MappingConfigInput } from '../../src/domain/mapping/config';
import type { DesiredUser } from '../../src/domain/mapping/map';
import type { TargetProfile } from '../../src/domain/profile';
import type { PatchOperation } from '../../src/scim/model/messages/patchop';
import { NewUserSchema, type User } from '../../src/scim/model/resources/user';
import { URN } from '../../src/scim/model/schemas/urns';
import { ENTERPRISE, config, desired, matchingUser } from './fixtures';

interface DiffCase {
  name: string;
  desired?: Partial<DesiredUser>;
  current?: User | null;
  config?: MappingConfigInput;
  profile?: TargetProfile;
  managerUserId?: string | null;
  expected: PatchOperation[];
}

const ent = (attr: string) => `${ENTERPRISE}:${attr}`;

const cases: DiffCase[] = [
  { name: 'unchanged: no operations', expected: [] },
  { name: 'userName', desired: { userName: 'ada.king@example.com' }, expected: [{ op: 'replace', path: 'userName', value: 'ada.king@example.com' }] },
  { name: 'userName differing only in case is unchanged', current: matchingUser({ userName: 'ADA.Lovelace@example.com' }), expected: [] },
  { name: 'displayName', desired: { displayName: 'Ada King' }, expected: [{ op: 'replace', path: 'displayName', value: 'Ada King' }] },
  { name: 'displayName with surrounding spaces on the target is unchanged', current: matchingUser({ displayName: ' Ada Lovelace ' }), expected: [] },
  { name: 'displayName differing in case is a change', current: matchingUser({ displayName: 'ada lovelace' }), expected: [{ op: 'replace', path: 'displayName', value: 'Ada Lovelace' }] },
  { name: 'title changed', desired: { title: 'Lead' }, expected: [{ op: 'replace', path: 'title', value: 'Lead' }] },
  { name: 'title set where absent', current: matchingUser({ title: undefined }), expected: [{ op: 'replace', path: 'title', value: 'Analyst' }] },
  { name: 'title cleared (HR says none)', desired: { title: null }, expected: [{ op: 'remove', path: 'title' }] },
  { name: 'title cleared but already absent', desired: { title: null }, current: matchingUser({ title: undefined }), expected: [] },
  { name: 'title HR does not send: untouched', desired: { title: undefined }, current: matchingUser({ title: 'Hand-made' }), expected: [] },
  {
    name: 'work email changed: filtered replace, other email untouched',
    desired: { workEmail: 'ada.king@example.com' },
    expected: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'ada.king@example.com' }],
  },
  { name: 'work email differing only in case is unchanged', desired: { workEmail: 'Ada.Lovelace@EXAMPLE.com' }, expected: [] },
  {
    name: 'work email missing: add the entry (not a filtered replace); no primary when one exists',
    current: matchingUser({ emails: [{ type: 'other', value: 'ada.lovelace@example.com', primary: true }] }),
    expected: [{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'ada.lovelace@example.com' }] }],
  },
  {
    name: 'work email missing and no primary: added as primary',
    current: matchingUser({ emails: undefined }),
    expected: [{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'ada.lovelace@example.com', primary: true }] }],
  },
  {
    name: 'configured email type',
    config: { emailType: 'home' },
    expected: [{ op: 'add', path: 'emails', value: [{ type: 'home', value: 'ada.lovelace@example.com' }] }],
  },
  { name: 'phone changed', desired: { workPhone: '+15550199' }, expected: [{ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+15550199' }] },
  { name: 'phone with the same digits is unchanged', current: matchingUser({ phoneNumbers: [{ type: 'work', value: 'tel:+1-555-0100' }] }), expected: [] },
  { name: 'phone type compared case-insensitively', current: matchingUser({ phoneNumbers: [{ type: 'Work', value: '+15550100' }] }), expected: [] },
  {
    name: 'phone missing: add the entry',
    current: matchingUser({ phoneNumbers: [{ type: 'mobile', value: '+15550111' }] }),
    expected: [{ op: 'add', path: 'phoneNumbers', value: [{ type: 'work', value: '+15550100' }] }],
  },
  { name: 'phone cleared', desired: { workPhone: null }, expected: [{ op: 'remove', path: 'phoneNumbers[type eq "work"]' }] },
  { name: 'phone cleared, none there', desired: { workPhone: null }, current: matchingUser({ phoneNumbers: [] }), expected: [] },
  { name: 'department', desired: { department: 'Sales' }, expected: [{ op: 'replace', path: ent('department'), value: 'Sales' }] },
  { name: 'department cleared', desired: { department: null }, expected: [{ op: 'remove', path: ent('department') }] },
  { name: 'employeeNumber', desired: { employeeNumber: '2002' }, expected: [{ op: 'replace', path: ent('employeeNumber'), value: '2002' }] },
  { name: 'division', desired: { division: 'EMEA' }, expected: [{ op: 'replace', path: ent('division'), value: 'EMEA' }] },
  { name: 'dateHire', desired: { dateHire: '2021-05-06' }, expected: [{ op: 'replace', path: ent('dateHire'), value: '2021-05-06' }] },
  { name: 'dateHire answered with a time is unchanged', current: matchingUser({}, { dateHire: '2020-01-02T00:00:00.000Z' }), expected: [] },
  { name: 'deactivate', desired: { active: false }, expected: [{ op: 'replace', path: 'active', value: false }] },
  { name: 'reactivate', current: matchingUser({ active: false }), expected: [{ op: 'replace', path: 'active', value: true }] },
  { name: 'active absent on the target means active', current: matchingUser({ active: undefined }), expected: [] },
  {
    name: 'manager set',
    desired: { managerHrId: 'M1' },
    managerUserId: 'u-m1',
    expected: [{ op: 'replace', path: MANAGER_PATH, value: { value: 'u-m1' } }],
  },
  {
    name: 'manager changed',
    desired: { managerHrId: 'M2' },
    current: matchingUser({}, { manager: { value: 'u-m1', displayName: 'Old Boss' } }),
    managerUserId: 'u-m2',
    expected: [{ op: 'replace', path: MANAGER_PATH, value: { value: 'u-m2' } }],
  },
  { name: 'manager unchanged', desired: { managerHrId: 'M1' }, current: matchingUser({}, { manager: { value: 'u-m1' } }), managerUserId: 'u-m1', expected: [] },
  { name: 'manager cleared', desired: { managerHrId: null }, current: matchingUser({}, { manager: { value: 'u-m1' } }), expected: [{ op: 'remove', path: MANAGER_PATH }] },
  { name: 'manager cleared, none there', desired: { managerHrId: null }, expected: [] },
  {
    name: 'manager not yet resolvable: untouched',
    desired: { managerHrId: 'M9' },
    current: matchingUser({}, { manager: { value: 'u-m1' } }),
    expected: [],
  },
  { name: 'manager HR does not send: untouched', desired: { managerHrId: undefined }, current: matchingUser({}, { manager: { value: 'u-m1' } }), managerUserId: 'u-x', expected: [] },
  {
    name: 'unmanaged attributes are never touched',
    desired: { title: 'Lead', department: null, workPhone: '+15550199', active: false, managerHrId: 'M1' },
    managerUserId: 'u-m1',
    config: { managedAttributes: ['userName', 'displayName', 'email'] },
    expected: [],
  },
  {
    name: 'externalId only when managed',
    current: matchingUser({ externalId: 'azure-123' }),
    config: { managedAttributes: ['externalId'] },
    expected: [{ op: 'replace', path: 'externalId', value: 'E1' }],
  },
  { name: 'externalId unmanaged by default', current: matchingUser({ externalId: 'azure-123' }), expected: [] },
  { name: 'genesys: name is never written', desired: { givenName: 'Ada', familyName: 'Lovelace' }, expected: [] },
  {
    name: 'scim2: name written',
    profile: 'scim2',
    desired: { givenName: 'Ada', familyName: 'Lovelace' },
    current: matchingUser({ name: { givenName: 'Ada', familyName: 'Byron' } }),
    expected: [{ op: 'replace', path: 'name.familyName', value: 'Lovelace' }],
  },
  {
    name: 'scim2: name set where absent',
    profile: 'scim2',
    desired: { givenName: 'Ada', familyName: 'Lovelace' },
    expected: [
      { op: 'replace', path: 'name.givenName', value: 'Ada' },
      { op: 'replace', path: 'name.familyName', value: 'Lovelace' },
    ],
  },
  { name: 'genesys: dateHire written', current: matchingUser({}, { dateHire: '2019-05-05' }), expected: [{ op: 'replace', path: ent('dateHire'), value: '2020-01-02' }] },
  { name: 'scim2: dateHire is never written', profile: 'scim2', current: matchingUser({}, { dateHire: '2019-05-05' }), expected: [] },
  {
    name: 'several changes at once',
    desired: { title: 'Lead', department: 'Sales', active: false },
    expected: [
      { op: 'replace', path: 'title', value: 'Lead' },
      { op: 'replace', path: ent('department'), value: 'Sales' },
      { op: 'replace', path: 'active', value: false },
    ],
  },
];

describe('domain: diffUser', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ctx = { config: config(c.config), profile: c.profile ?? ('genesys' as const), managerUserId: c.managerUserId };
      const current = c.current === undefined ? matchingUser() : c.current;
      assert.deepEqual(diffUser(desired(c.desired), current, ctx), c.expected);
    });
  }

  it('never touches the other email, whatever changes', () => {
    const ops = diffUser(desired({ userName: 'x@example.com', workEmail: 'x@example.com' }), matchingUser(), { config: config(), profile: 'genesys' });
    assert.ok(ops.every((o) => !o.path?.includes('"other"')));
    assert.ok(ops.every((o) => o.path !== 'emails' || o.op === 'add'));
  });

  it('against no user at all: every managed attribute the desired user has (absent active means active)', () => {
    const fields = changedAttributes(desired({ managerHrId: 'M1' }), null, { config: config(), profile: 'genesys', managerUserId: 'u-m1' }).map((c) => c.field);
    assert.deepEqual(fields, ['userName', 'displayName', 'title', 'email', 'phone', 'department', 'employeeNumber', 'division', 'dateHire', 'manager']);
  });
});

interface NewUserCase {
  name: string;
  desired?: Partial<DesiredUser>;
  config?: MappingConfigInput;
  profile?: TargetProfile;
  managerUserId?: string | null;
  requiredExtensions?: string[];
  expected: unknown;
}

const newUserCases: NewUserCase[] = [
  {
    name: 'genesys: everything mapped, no name',
    desired: { givenName: 'Ada', familyName: 'Lovelace', managerHrId: 'M1' },
    managerUserId: 'u-m1',
    expected: {
      schemas: [URN.user, ENTERPRISE],
      userName: 'ada.lovelace@example.com',
      externalId: 'E1',
      displayName: 'Ada Lovelace',
      active: true,
      title: 'Analyst',
      emails: [{ type: 'work', value: 'ada.lovelace@example.com', primary: true }],
      phoneNumbers: [{ type: 'work', value: '+15550100' }],
      [ENTERPRISE]: { department: 'Engineering', employeeNumber: '1001', division: 'Home', dateHire: '2020-01-02', manager: { value: 'u-m1' } },
    },
  },
  {
    name: 'scim2: with name; manager not yet known is left out',
    profile: 'scim2',
    desired: { givenName: 'Ada', familyName: 'Lovelace', managerHrId: 'M1', title: null, workPhone: null, department: undefined, division: undefined, employeeNumber: undefined, dateHire: undefined },
    expected: {
      schemas: [URN.user],
      userName: 'ada.lovelace@example.com',
      externalId: 'E1',
      displayName: 'Ada Lovelace',
      active: true,
      emails: [{ type: 'work', value: 'ada.lovelace@example.com', primary: true }],
      name: { givenName: 'Ada', familyName: 'Lovelace' },
    },
  },
  {
    name: 'genesys: dateHire, never name, even with both managed',
    config: { managedAttributes: ['name', 'dateHire'] },
    desired: { givenName: 'Ada', familyName: 'Lovelace' },
    expected: { schemas: [URN.user, ENTERPRISE], userName: 'ada.lovelace@example.com', externalId: 'E1', displayName: 'Ada Lovelace', [ENTERPRISE]: { dateHire: '2020-01-02' } },
  },
  {
    name: 'scim2: name, never dateHire, even with both managed',
    profile: 'scim2',
    config: { managedAttributes: ['name', 'dateHire'] },
    desired: { givenName: 'Ada', familyName: 'Lovelace' },
    expected: { schemas: [URN.user], userName: 'ada.lovelace@example.com', externalId: 'E1', displayName: 'Ada Lovelace', name: { givenName: 'Ada', familyName: 'Lovelace' } },
  },
  {
    name: 'only managed attributes, but the required ones always',
    config: { managedAttributes: ['department'] },
    expected: {
      schemas: [URN.user, ENTERPRISE],
      userName: 'ada.lovelace@example.com',
      externalId: 'E1',
      displayName: 'Ada Lovelace',
      [ENTERPRISE]: { department: 'Engineering' },
    },
  },
  {
    name: 'a required extension the mapping writes nothing into: in schemas, and empty (RFC 7643 §6: every user carries it)',
    config: { managedAttributes: ['title'] },
    requiredExtensions: [URN.genesysUser],
    expected: { schemas: [URN.user, URN.genesysUser], userName: 'ada.lovelace@example.com', externalId: 'E1', displayName: 'Ada Lovelace', title: 'Analyst', [URN.genesysUser]: {} },
  },
  {
    name: 'a required extension the mapping writes into: as written, listed once; in the spelling the body uses, whatever the case the target listed it in',
    config: { managedAttributes: ['department'] },
    requiredExtensions: [ENTERPRISE.toLowerCase()],
    expected: { schemas: [URN.user, ENTERPRISE], userName: 'ada.lovelace@example.com', externalId: 'E1', displayName: 'Ada Lovelace', [ENTERPRISE]: { department: 'Engineering' } },
  },
  {
    name: 'no required extension: an extension nothing is written into stays out',
    config: { managedAttributes: ['title'] },
    requiredExtensions: [],
    expected: { schemas: [URN.user], userName: 'ada.lovelace@example.com', externalId: 'E1', displayName: 'Ada Lovelace', title: 'Analyst' },
  },
];

describe('domain: toNewUser', () => {
  for (const c of newUserCases) {
    it(c.name, () => {
      const body = toNewUser(desired(c.desired), { config: config(c.config), profile: c.profile ?? 'genesys', managerUserId: c.managerUserId, ...(c.requiredExtensions ? { requiredExtensions: c.requiredExtensions } : {}) });
      assert.deepEqual(body, c.expected);
      assert.deepEqual(NewUserSchema.parse(body), body, 'a valid POST body');
    });
  }
});
