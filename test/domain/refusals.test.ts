import assert from 'node:assert/strict';
import {
  createAttributeNamedIn,
  createForm,
  dropNamedItems,
  mappingForTarget,
  refusalSticks,
  refusedAsUnknownAttribute,
  withoutCreateAttributes,
} from '../../src/domain/capabilities';
import type { ManagedAttribute } from '../../src/domain/mapping/config';
import { toNewUser } from '../../src/domain/diff';
import { PROFILE_ATTRIBUTES } from '../../src/domain/profile';
import type { NewUser } from '../../src/scim/model/resources/user';
import { URN } from '../../src/scim/model/schemas/urns';
import { config, desired } from './fixtures';

/** A joiner's POST body as the plan builds it, every attribute set, manager included. */
const body = (): NewUser => toNewUser(desired({ managerHrId: 'M1' }), { config: config(), profile: 'genesys', managerUserId: 'u-m1' });

describe('domain: what a refused create may leave out', () => {
  const cases: [string, ManagedAttribute[], ManagedAttribute[], (u: NewUser) => void][] = [
    ['nothing to leave out', [], [], (u) => assert.deepEqual(u, body())],
    ['a core attribute', ['title'], ['title'], (u) => assert.equal(u.title, undefined)],
    ['the phone and the emails, by their attribute names', ['phone', 'email'], ['phone', 'email'], (u) => assert.deepEqual([u.phoneNumbers, u.emails], [undefined, undefined])],
    [
      'an enterprise attribute: the rest of the extension stays',
      ['dateHire'],
      ['dateHire'],
      (u) => {
        assert.equal(u[URN.enterpriseUser]?.dateHire, undefined);
        assert.equal(u[URN.enterpriseUser]?.department, 'Engineering');
        assert.ok(u.schemas?.includes(URN.enterpriseUser));
      },
    ],
    [
      'every enterprise attribute: the extension and its schema go',
      ['department', 'employeeNumber', 'division', 'dateHire', 'manager'],
      ['department', 'employeeNumber', 'division', 'dateHire', 'manager'],
      (u) => {
        assert.equal(u[URN.enterpriseUser], undefined);
        assert.ok(!u.schemas?.includes(URN.enterpriseUser));
      },
    ],
    [
      'never userName, displayName or externalId',
      ['userName', 'displayName', 'externalId'],
      [],
      (u) => assert.deepEqual([u.userName, u.displayName, u.externalId], ['ada.lovelace@example.com', 'Ada Lovelace', 'E1']),
    ],
    ['an attribute the body does not hold is not said to be dropped', ['name'], [], (u) => assert.deepEqual(u, body())],
  ];
  it('every enterprise attribute of a target that requires the extension: it stays, empty, with its schema', () => {
    const got = withoutCreateAttributes(body(), (a) => ['department', 'employeeNumber', 'division', 'dateHire', 'manager'].includes(a), [URN.enterpriseUser.toLowerCase()]);
    assert.deepEqual(got.user[URN.enterpriseUser], {});
    assert.ok(got.user.schemas?.includes(URN.enterpriseUser));
  });

  for (const [what, leaveOut, dropped, check] of cases) {
    it(what, () => {
      const original = body();
      const got = withoutCreateAttributes(original, (a) => leaveOut.includes(a));
      assert.deepEqual(got.dropped, dropped);
      check(got.user);
      assert.deepEqual(original, body(), 'the body given is left as it was');
    });
  }

  const named: [string, string | undefined, ManagedAttribute | undefined][] = [
    ['no detail', undefined, undefined],
    ['a detail naming no attribute', 'Bad request', undefined],
    ['a core attribute, by name', 'Attribute title is invalid', 'title'],
    ['the name by a sub-attribute, on a body without it (Genesys): none', 'givenName is required', undefined],
    ['an enterprise attribute by its full path', `invalid value for ${URN.enterpriseUser}:dateHire`, 'dateHire'],
    ['case-insensitively', 'PHONENUMBERS: bad format', 'phone'],
    ['only as a word of its own', 'subtitle is not writable', undefined],
    ['never the attributes that make the user', 'userName and externalId are bad', undefined],
  ];
  for (const [what, detail, expected] of named) it(`names the attribute a refusal is about: ${what}`, () => assert.equal(createAttributeNamedIn(detail, body()), expected));

  it('names a refused create by one form, for an attribute and for a set item', () => {
    assert.equal(createForm('title'), 'create with title');
    const withRoles = { ...body(), roles: [{ value: 'Supervisor' }] } as NewUser & { roles: { value: string }[] };
    assert.deepEqual(dropNamedItems(withRoles, 'unknown role "Supervisor"'), ['create with roles "Supervisor"']);
  });
});

describe('domain: what a refusal teaches the run', () => {
  const sticks: [string | undefined, boolean][] = [
    ['invalidPath', true],
    ['mutability', true],
    ['noTarget', true],
    ['invalidValue', false],
    [undefined, false],
  ];
  for (const [scimType, expected] of sticks) {
    it(`a refusal ${scimType ?? 'without a scimType'} ${expected ? 'sticks for the run' : 'is only noted: the next user may pass'}`, () => assert.equal(refusalSticks(scimType), expected));
  }

  const unknown: [string, string | undefined, boolean][] = [
    ['replace dateHire', 'invalidPath', true],
    ['create with dateHire', 'invalidPath', true],
    ['remove phone', 'invalidPath', false],
    ['replace title', 'mutability', false],
  ];
  for (const [form, scimType, expected] of unknown) {
    it(`${form} refused ${scimType}: ${expected ? 'the target has no such attribute' : 'the attribute exists'}`, () => assert.equal(refusedAsUnknownAttribute(form, scimType), expected));
  }

  const all = config({ managedAttributes: ['userName', 'title', 'dateHire', 'name', 'groups'] });
  const mappings: [string, Parameters<typeof mappingForTarget>[1], ManagedAttribute[]][] = [
    ['what prepare decided the target takes', { profile: 'genesys', decided: ['userName', 'title'], unknown: [] }, ['userName', 'title']],
    ['without a decision, the profile’s known set (never nothing)', { profile: 'genesys', decided: undefined, unknown: [] }, ['userName', 'title', 'dateHire', 'groups']],
    ['the same on a generic target', { profile: 'scim2', decided: undefined, unknown: [] }, ['userName', 'title', 'name', 'groups']],
    ['less what the target since refused as an unknown path', { profile: 'genesys', decided: ['userName', 'title', 'dateHire'], unknown: ['dateHire'] }, ['userName', 'title']],
    ['never more than the configuration manages', { profile: 'genesys', decided: [...PROFILE_ATTRIBUTES.genesys], unknown: [] }, ['userName', 'title', 'dateHire', 'groups']],
  ];
  for (const [what, target, expected] of mappings) {
    it(`writes with ${what}`, () => {
      const got = mappingForTarget(all, target);
      assert.deepEqual(got.managedAttributes, expected);
      assert.equal(got.matchPrecedence, all.matchPrecedence, 'the rest of the mapping as configured');
    });
  }
});
