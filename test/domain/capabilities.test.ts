import assert from 'node:assert/strict';
import {
  attributeOfOperation,
  declaredAttributes,
  declaresGroups,
  filterFormOf,
  operationForm,
  operationsNamedIn,
  writableAttributes,
  type DeclaredAttributes,
} from '../../src/domain/capabilities';
import { DEFAULT_MANAGED_ATTRIBUTES, type ManagedAttribute } from '../../src/domain/mapping/config';
import type { PatchOperation } from '../../src/scim/model/messages/patchop';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** An RFC 7643 server's /Schemas: core and enterprise, no dateHire (as §4.3 defines it). */
function rfcSchemas(overrides: { drop?: string[]; readOnly?: string[] } = {}): unknown[] {
  const attrs = (names: string[]) =>
    names.filter((n) => !overrides.drop?.includes(n)).map((name) => ({ name, type: 'string', mutability: overrides.readOnly?.includes(name) ? 'readOnly' : 'readWrite' }));
  return [
    { id: CORE, attributes: attrs(['userName', 'name', 'displayName', 'title', 'active', 'emails', 'phoneNumbers', 'groups']) },
    { id: ENT, attributes: attrs(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']) },
  ];
}

describe('domain: target capabilities', () => {
  describe('declaredAttributes', () => {
    it('flattens the schemas to URN-qualified attribute names with their mutability', () => {
      const d = declaredAttributes(rfcSchemas({ readOnly: ['title'] }), 'scim2') as DeclaredAttributes;
      assert.equal(d[`${CORE}:title`.toLowerCase()], 'readOnly');
      assert.equal(d[`${ENT}:department`.toLowerCase()], 'readWrite');
      assert.equal(d[`${ENT}:datehire`.toLowerCase()], undefined);
    });
    const unusable: { name: string; resources: unknown[] }[] = [
      { name: 'nothing', resources: [] },
      { name: 'no User schema', resources: [{ id: ENT, attributes: [{ name: 'department' }] }] },
      { name: 'garbage', resources: [42, 'x', { id: CORE }] },
    ];
    it('reads each attribute alone: no mutability is readWrite, another case is the RFC one, a malformed attribute costs only itself', () => {
      const d = declaredAttributes([{ id: CORE, attributes: [{ name: 'userName' }, { name: 'title', mutability: 'READONLY' }, { type: 'string' }, 42, { name: 'displayName', mutability: 'readwrite' }] }], 'scim2') as DeclaredAttributes;
      assert.deepEqual(d, { [`${CORE}:username`.toLowerCase()]: 'readWrite', [`${CORE}:title`.toLowerCase()]: 'readOnly', [`${CORE}:displayname`.toLowerCase()]: 'readWrite' });
    });
    it("fills the schemas a Genesys answer leaves out from the profile, and an RFC one's not", () => {
      const coreOnly = [{ id: CORE, attributes: [{ name: 'userName' }, { name: 'title' }] }, { id: ENT, attributes: [] }];
      const genesys = declaredAttributes(coreOnly, 'genesys') as DeclaredAttributes;
      assert.equal(genesys[`${ENT}:department`.toLowerCase()], 'readWrite');
      assert.equal(genesys['urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:user:routingskills'], 'readWrite');
      assert.equal(declaredAttributes(coreOnly, 'scim2')?.[`${ENT}:department`.toLowerCase()], undefined);
    });
    for (const c of unusable) it(`is null for an unusable answer: ${c.name}`, () => assert.equal(declaredAttributes(c.resources, 'genesys'), null));
  });

  describe('declaresGroups', () => {
    const cases: { name: string; types: unknown[]; expected: boolean | undefined }[] = [
      { name: 'User and Group', types: [{ name: 'User' }, { name: 'Group', schema: 'urn:ietf:params:scim:schemas:core:2.0:Group' }], expected: true },
      { name: 'User only', types: [{ name: 'User', schema: CORE }], expected: false },
      { name: 'an answer with nothing usable', types: [], expected: undefined },
    ];
    for (const c of cases) it(c.name, () => assert.equal(declaresGroups(c.types), c.expected));
  });

  describe('writableAttributes', () => {
    const all = [...DEFAULT_MANAGED_ATTRIBUTES];
    const cases: {
      name: string;
      input: Parameters<typeof writableAttributes>[0];
      writable?: ManagedAttribute[];
      unsupported: ManagedAttribute[];
      source: 'schemas' | 'profile';
    }[] = [
      {
        name: 'genesys, no /Schemas: the profile set (dateHire, no name)',
        input: { managed: all, profile: 'genesys', declared: null },
        writable: ['active', 'dateHire', 'department', 'displayName', 'division', 'email', 'employeeNumber', 'groups', 'manager', 'phone', 'title', 'userName'],
        unsupported: [],
        source: 'profile',
      },
      {
        name: 'scim2, no /Schemas: the profile set (name, no dateHire), nothing reported',
        input: { managed: all, profile: 'scim2', declared: null },
        writable: ['active', 'department', 'displayName', 'division', 'email', 'employeeNumber', 'groups', 'manager', 'name', 'phone', 'title', 'userName'],
        unsupported: [],
        source: 'profile',
      },
      {
        name: 'genesys with RFC schemas that lack dateHire: dateHire reported',
        input: { managed: all, profile: 'genesys', declared: declaredAttributes(rfcSchemas(), 'genesys') },
        unsupported: ['dateHire'],
        source: 'schemas',
      },
      {
        name: 'genesys whose /Schemas lists the core User schema alone: the extensions are the profile\'s',
        input: { managed: all, profile: 'genesys', declared: declaredAttributes([rfcSchemas()[0]], 'genesys') },
        writable: ['active', 'dateHire', 'department', 'displayName', 'division', 'email', 'employeeNumber', 'groups', 'manager', 'phone', 'title', 'userName'],
        unsupported: [],
        source: 'schemas',
      },
      {
        name: 'scim2 whose /Schemas lists the core User schema alone: the enterprise attributes reported',
        input: { managed: all, profile: 'scim2', declared: declaredAttributes([rfcSchemas()[0]], 'scim2') },
        unsupported: ['department', 'division', 'employeeNumber', 'manager'],
        source: 'schemas',
      },
      {
        name: 'an undeclared and a read-only attribute are both reported',
        input: { managed: all, profile: 'scim2', declared: declaredAttributes(rfcSchemas({ drop: ['division'], readOnly: ['title'] }), 'scim2') },
        unsupported: ['division', 'title'],
        source: 'schemas',
      },
      {
        name: 'userName is always written, whatever the schemas say',
        input: { managed: ['userName', 'title'], profile: 'scim2', declared: declaredAttributes(rfcSchemas({ drop: ['userName'] }), 'scim2') },
        writable: ['title', 'userName'],
        unsupported: [],
        source: 'schemas',
      },
      {
        name: 'no Group resource type: groups reported',
        input: { managed: ['groups', 'title'], profile: 'scim2', declared: null, groups: false },
        writable: ['title'],
        unsupported: ['groups'],
        source: 'profile',
      },
      {
        name: 'externalId (a common attribute) is written when managed',
        input: { managed: ['externalId'], profile: 'scim2', declared: declaredAttributes(rfcSchemas(), 'scim2') },
        writable: ['externalId'],
        unsupported: [],
        source: 'schemas',
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const d = writableAttributes(c.input);
        if (c.writable) assert.deepEqual(d.writable, c.writable);
        assert.deepEqual(d.unsupported.map((u) => u.attribute), c.unsupported);
        assert.equal(d.source, c.source);
        for (const u of d.unsupported) assert.ok(!d.writable.includes(u.attribute));
      });
    }
  });

  describe('operations', () => {
    const ops: PatchOperation[] = [
      { op: 'replace', path: 'title', value: 'Lead' },
      { op: 'replace', path: `${ENT}:dateHire`, value: '2020-01-01' },
      { op: 'remove', path: 'phoneNumbers[type eq "work"]' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@b.c' },
      { op: 'replace', path: `${ENT}:manager`, value: { value: 'u1' } },
      { op: 'replace', path: 'active', value: false },
    ];
    const attributes: (ManagedAttribute | undefined)[] = ['title', 'dateHire', 'phone', 'email', 'manager', 'active'];
    it('names the attribute each operation writes', () => assert.deepEqual(ops.map(attributeOfOperation), attributes));
    it('names the form of an operation', () => assert.deepEqual(ops.map(operationForm).slice(0, 3), ['replace title', 'replace dateHire', 'remove phone']));
    const details: { name: string; detail: string | undefined; expected: number[] }[] = [
      { name: 'the full path', detail: `Attribute ${ENT}:dateHire is not defined (invalidPath)`, expected: [1] },
      { name: 'the bare attribute name', detail: 'Cannot remove phoneNumbers: mutability', expected: [2] },
      { name: 'a word inside another is not a name', detail: 'subtitle is unknown', expected: [] },
      { name: 'a terse detail', detail: 'Bad request', expected: [] },
      { name: 'no detail', detail: undefined, expected: [] },
    ];
    for (const c of details) it(`finds refused ops in a detail: ${c.name}`, () => assert.deepEqual(operationsNamedIn(c.detail, ops), c.expected));
  });

  it('names the filter form of a match key', () => assert.equal(filterFormOf('employeeNumber'), 'filter on employeeNumber'));
});
