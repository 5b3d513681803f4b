import assert from 'node:assert/strict';
import {
  attributeOfOperation,
  byReason,
  decideTarget,
  declaredAttributes,
  declaresGroups,
  filterFormOf,
  operationForm,
  operationsNamedIn,
  userExtensions,
  writableAttributes,
  type DeclaredAttributes,
  type UserExtensions,
} from '../../src/domain/capabilities';
import { DEFAULT_MANAGED_ATTRIBUTES, type ManagedAttribute } from '../../src/domain/mapping/config';
import { AttributeMappingsSchema } from '../../src/domain/mapping/rules';
import type { PatchOperation } from '../../src/scim/model/messages/patchop';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GEN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
const GROUP_TYPE = { id: 'Group', name: 'Group', endpoint: '/Groups', schema: 'urn:ietf:params:scim:schemas:core:2.0:Group' };
/** The User resource type as RFC 7643 §6 writes it, with what a case overrides. */
const userType = (over: Record<string, unknown> = {}) => ({ id: 'User', name: 'User', endpoint: '/Users', schema: CORE, schemaExtensions: [{ schema: ENT, required: false }], ...over });

/** An RFC 7643 server's /Schemas: core and enterprise, no dateHire (as §4.3 defines it). */
function rfcSchemas(overrides: { drop?: string[]; readOnly?: string[] } = {}): unknown[] {
  const attrs = (names: string[]) =>
    names.filter((n) => !overrides.drop?.includes(n)).map((name) => ({ name, type: 'string', mutability: overrides.readOnly?.includes(name) ? 'readOnly' : 'readWrite' }));
  return [
    { id: CORE, attributes: attrs(['userName', 'name', 'displayName', 'title', 'active', 'emails', 'phoneNumbers', 'groups']) },
    { id: ENT, attributes: attrs(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']) },
  ];
}

const exts = (...schemas: string[]): UserExtensions => ({ listed: schemas.map((schema) => ({ schema, required: false })) });

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

  describe('userExtensions: what the User resource type extends with', () => {
    const listed = (...schemas: string[]) => schemas;
    const cases: { name: string; types: unknown[]; expected: string[] | undefined; required?: (boolean | undefined)[] }[] = [
      { name: 'RFC 7643 §6: the enterprise extension, optional', types: [userType(), GROUP_TYPE], expected: listed(ENT), required: [false] },
      { name: 'required: true is still listed', types: [userType({ schemaExtensions: [{ schema: ENT, required: true }] })], expected: listed(ENT), required: [true] },
      { name: 'no `required`: listed, required unknown', types: [userType({ schemaExtensions: [{ schema: ENT }] })], expected: listed(ENT), required: [undefined] },
      { name: '`required` not a boolean: listed, required unknown', types: [userType({ schemaExtensions: [{ schema: ENT, required: 'yes' }] })], expected: listed(ENT), required: [undefined] },
      { name: 'Genesys: both its extensions', types: [userType({ endpoint: '/users', schemaExtensions: [{ schema: ENT, required: false }, { schema: GEN, required: false }] })], expected: listed(ENT, GEN) },
      { name: 'the Genesys extension only: enterprise unlisted', types: [userType({ schemaExtensions: [{ schema: GEN, required: false }] })], expected: listed(GEN) },
      { name: 'an empty array: explicitly no extension', types: [userType({ schemaExtensions: [] }), GROUP_TYPE], expected: [] },
      { name: 'no schemaExtensions key: unknown, not "none"', types: [userType({ schemaExtensions: undefined }), GROUP_TYPE], expected: undefined },
      { name: 'schemaExtensions not an array: unknown', types: [userType({ schemaExtensions: { schema: ENT } })], expected: undefined },
      { name: 'an entry naming no schema: unknown (it may be the one that matters)', types: [userType({ schemaExtensions: [{ schema: GEN }, { required: true }] })], expected: undefined },
      { name: 'a bare URN in place of an entry', types: [userType({ schemaExtensions: [ENT] })], expected: listed(ENT) },
      { name: 'URNs in another case are kept as sent', types: [userType({ schemaExtensions: [{ schema: ENT.toLowerCase(), required: false }] })], expected: listed(ENT.toLowerCase()) },
      { name: 'found by name alone', types: [{ name: 'User', schemaExtensions: [] }, GROUP_TYPE], expected: [] },
      { name: 'found by id alone', types: [{ id: 'User', schemaExtensions: [] }], expected: [] },
      { name: 'found by endpoint alone, even an absolute one', types: [{ endpoint: 'https://x.example/scim/v2/Users/', schemaExtensions: [] }], expected: [] },
      { name: 'found by its base schema alone, in any case', types: [{ schema: CORE.toUpperCase(), schemaExtensions: [] }, GROUP_TYPE], expected: [] },
      { name: 'the endpoint decides between two on the core User schema', types: [userType({ id: 'Agent', name: 'Agent', endpoint: '/Agents', schemaExtensions: [] }), userType()], expected: listed(ENT) },
      { name: 'two served at /Users: no telling which, unknown', types: [userType(), userType({ id: 'Person', schemaExtensions: [] })], expected: undefined },
      { name: 'no User resource type: unknown', types: [GROUP_TYPE], expected: undefined },
      { name: 'nothing usable: unknown', types: [42, 'User', null], expected: undefined },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const got = userExtensions(c.types);
        assert.deepEqual(got?.listed.map((e) => e.schema), c.expected);
        if (c.required) assert.deepEqual(got?.listed.map((e) => e.required), c.required);
      });
    }
    it('declaresGroups reads the same resource types (a Group by schema, in any case)', () => {
      assert.equal(declaresGroups([userType(), { schema: GROUP_TYPE.schema.toLowerCase() }]), true);
      assert.equal(declaresGroups([userType()]), false);
    });
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
        name: 'the User resource type does not extend with enterprise, though /Schemas describes it: its attributes reported',
        input: { managed: all, profile: 'genesys', declared: declaredAttributes(rfcSchemas(), 'genesys'), extensions: exts(GEN) },
        writable: ['active', 'displayName', 'email', 'groups', 'phone', 'title', 'userName'],
        unsupported: ['dateHire', 'department', 'division', 'employeeNumber', 'manager'],
        source: 'schemas',
      },
      {
        name: 'an empty schemaExtensions with no /Schemas: the profile set less the enterprise attributes',
        input: { managed: all, profile: 'genesys', declared: null, extensions: exts() },
        writable: ['active', 'displayName', 'email', 'groups', 'phone', 'title', 'userName'],
        unsupported: ['dateHire', 'department', 'division', 'employeeNumber', 'manager'],
        source: 'profile',
      },
      {
        name: 'enterprise listed, no /Schemas: the profile set, as before',
        input: { managed: all, profile: 'scim2', declared: null, extensions: exts(ENT) },
        writable: ['active', 'department', 'displayName', 'division', 'email', 'employeeNumber', 'groups', 'manager', 'name', 'phone', 'title', 'userName'],
        unsupported: [],
        source: 'profile',
      },
      {
        name: 'enterprise listed in another case: listed',
        input: { managed: all, profile: 'scim2', declared: declaredAttributes(rfcSchemas(), 'scim2'), extensions: exts(ENT.toUpperCase()) },
        unsupported: [],
        source: 'schemas',
      },
      {
        name: 'enterprise listed, /Schemas describes the core alone (scim2): the RFC 7643 §4.3 attributes stand in',
        input: { managed: all, profile: 'scim2', declared: declaredAttributes([rfcSchemas()[0]], 'scim2', exts(ENT)), extensions: exts(ENT) },
        unsupported: [],
        source: 'schemas',
      },
      {
        name: 'listed, and /Schemas still decides within the extension',
        input: { managed: all, profile: 'scim2', declared: declaredAttributes(rfcSchemas({ readOnly: ['manager'] }), 'scim2', exts(ENT)), extensions: exts(ENT) },
        unsupported: ['manager'],
        source: 'schemas',
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
    it('names the extension the User resource type lacks as the reason, for each of its attributes', () => {
      const d = writableAttributes({ managed: ['department', 'title'], profile: 'scim2', declared: null, extensions: exts() });
      assert.deepEqual(d.unsupported, [{ attribute: 'department', reason: `the target's User resource type doesn't extend with ${ENT}` }]);
    });
  });

  describe('byReason: attributes not written, one entry per reason', () => {
    const unlisted = `the target's User resource type doesn't extend with ${ENT}`;
    const cases: [string, { attribute: string; reason: string }[], { reason: string; attributes: string[] }[]][] = [
      ['none', [], []],
      ['one', [{ attribute: 'title', reason: 'read-only' }], [{ reason: 'read-only', attributes: ['title'] }]],
      [
        "an unlisted extension's attributes share its reason; others stay apart, in the order first met",
        [
          { attribute: 'dateHire', reason: unlisted },
          { attribute: 'groups', reason: 'the target has no Group resource type' },
          { attribute: 'department', reason: unlisted },
          { attribute: 'manager', reason: unlisted },
        ],
        [
          { reason: unlisted, attributes: ['dateHire', 'department', 'manager'] },
          { reason: 'the target has no Group resource type', attributes: ['groups'] },
        ],
      ],
    ];
    for (const [name, input, expected] of cases) it(name, () => assert.deepEqual(byReason(input), expected));
  });

  describe('decideTarget: an extension the User resource type requires (RFC 7643 §6)', () => {
    /** The RFC server's /Schemas, with the enterprise attributes `required` names declared required. */
    const schemasRequiring = (...required: string[]) =>
      rfcSchemas().map((s) => {
        const r = s as { id: string; attributes: { name: string }[] };
        return r.id === ENT ? { ...r, attributes: r.attributes.map((a) => (required.includes(a.name) ? { ...a, required: true } : a)) } : r;
      });
    const typeRequiring = (required: unknown) => [userType({ schemaExtensions: [{ schema: ENT, required }] }), GROUP_TYPE];
    const costCentre = AttributeMappingsSchema.parse([{ name: 'cost centre', target: `${ENT}:costCenter`, from: 'cost_center' }]);
    const all = [...DEFAULT_MANAGED_ATTRIBUTES];
    const noEmployeeNumber = all.filter((a) => a !== 'employeeNumber');
    const problem = (names: string, it: string) =>
      `the required extension ${ENT}: the target requires ${names} in it and the mapping doesn't write ${it}: every create would be refused (map ${it} in mapping.attributes, or manage the built-in one in mapping.managedAttributes)`;
    const cases: [string, { resourceTypes?: unknown[]; schemas: unknown[]; managed: ManagedAttribute[]; entries?: typeof costCentre }, string[], string[]][] = [
      ['listed, not required: no create carries it for that', { resourceTypes: typeRequiring(false), schemas: schemasRequiring(), managed: all }, [], []],
      ['`required` not a boolean: not read as required', { resourceTypes: typeRequiring('true'), schemas: schemasRequiring(), managed: all }, [], []],
      ['no /ResourceTypes: nothing is known to be required', { schemas: schemasRequiring('employeeNumber'), managed: noEmployeeNumber }, [], []],
      ['required, with no required attribute: every create carries it', { resourceTypes: typeRequiring(true), schemas: schemasRequiring(), managed: all }, [ENT], []],
      ['required, its required attribute a managed one written', { resourceTypes: typeRequiring(true), schemas: schemasRequiring('employeeNumber'), managed: all }, [ENT], []],
      ['required, its required attribute not managed: a problem naming both', { resourceTypes: typeRequiring(true), schemas: schemasRequiring('employeeNumber'), managed: noEmployeeNumber }, [ENT], [problem('employeeNumber', 'it')]],
      ['required, its required attribute written by an entry', { resourceTypes: typeRequiring(true), schemas: schemasRequiring('costCenter'), managed: all, entries: costCentre }, [ENT], []],
      ['required, two required attributes unwritten: one problem naming them', { resourceTypes: typeRequiring(true), schemas: schemasRequiring('costCenter', 'organization'), managed: all }, [ENT], [problem('costCenter, organization', 'them')]],
      ['a required attribute of an extension not required: no problem (a create without the extension is whole)', { resourceTypes: typeRequiring(false), schemas: schemasRequiring('costCenter'), managed: all }, [], []],
    ];
    for (const [name, d, required, problems] of cases) {
      it(name, () => {
        const got = decideTarget({ discovered: { schemas: d.schemas, ...(d.resourceTypes ? { resourceTypes: d.resourceTypes } : {}) }, profile: 'scim2', managed: d.managed, entries: d.entries ?? [] });
        assert.deepEqual(got.requiredExtensions, required);
        assert.deepEqual(got.problems.map((p) => `${p.entry}: ${p.message}`), problems);
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
