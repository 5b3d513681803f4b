import { strict as assert } from 'node:assert';
import { dropNamedItems, operationForm } from '../../src/domain/capabilities';
import { AttributeMappingsSchema, type AttributeMappingInput } from '../../src/domain/mapping/rules';
import { checkMappingAgainstTarget, schemaIndex } from '../../src/domain/mapping/targetcheck';
import { URN } from '../../src/scim/model/schemas/urns';

const ENT = URN.enterpriseUser;
const a = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'string', multiValued: false, mutability: 'readWrite', ...extra });

/** A /Schemas answer as a strict server might give it. */
const SCHEMAS = [
  {
    id: URN.user,
    attributes: [
      a('userName'),
      a('title'),
      a('active', { type: 'boolean' }),
      a('onCall', { type: 'boolean' }),
      a('userType', { canonicalValues: ['Employee', 'Contractor'] }),
      a('nickName', { mutability: 'readOnly' }),
      a('name', { type: 'complex', subAttributes: [a('givenName'), a('middleName')] }),
      a('phoneNumbers', { type: 'complex', multiValued: true, subAttributes: [a('value'), a('type', { canonicalValues: ['work', 'mobile'] })] }),
      a('roles', { type: 'complex', multiValued: true, subAttributes: [a('value')] }),
      a('x509Certificates', { type: 'complex', multiValued: true, subAttributes: [a('value', { type: 'binary' })] }),
    ],
  },
  { id: ENT, attributes: [a('costCenter'), a('division')] },
];

const problemsOf = (entry: AttributeMappingInput, schemas: unknown[] | null = SCHEMAS, profile: 'genesys' | 'scim2' = 'scim2') =>
  checkMappingAgainstTarget(AttributeMappingsSchema.parse([entry]), schemas === null ? null : schemaIndex(schemas, profile), profile).map((p) => `${p.entry}: ${p.message}`);

describe('domain: the mapping against the target', () => {
  const cases: [string, AttributeMappingInput, RegExp | null, ('genesys' | 'scim2')?, (unknown[] | null)?][] = [
    ['a declared attribute', { target: 'title', from: 'job_title' }, null],
    ['an undeclared one', { target: 'locale', from: 'x' }, /\[0\] "locale": the target's schemas don't declare locale/],
    ['a read-only one', { target: 'nickName', from: 'x' }, /declares nickName read-only/],
    ['a sub-attribute', { target: 'name.middleName', from: 'x' }, null],
    ['an undeclared sub-attribute', { target: 'name.nickname', from: 'x' }, /don't declare name\.nickname/],
    ['a complex attribute as a whole', { target: 'name', from: 'x' }, /complex on the target: map one of its sub-attributes/],
    ['a multi-valued attribute without a type', { target: 'phoneNumbers', from: 'x' }, /multi-valued on the target/],
    ['a typed entry of a canonical type', { target: 'phoneNumbers[type eq "mobile"].value', from: 'x' }, null],
    ['a type outside the canonical values', { target: 'phoneNumbers[type eq "pager"].value', from: 'x' }, /type "pager" is not one the target takes for phoneNumbers \(work, mobile\)/],
    ['text into a boolean', { target: 'onCall', constant: 'yes' }, /onCall is boolean on the target; the entry gives string/],
    ['true/false into text', { target: `${ENT}:costCenter`, constant: true }, /costCenter is string on the target; the entry gives boolean/],
    ['a number into text is fine', { target: `${ENT}:costCenter`, constant: 42 }, null],
    ['a value outside canonical values', { target: 'userType', from: 'k', lookup: { a: 'Employee', b: 'Intern' } }, /"Intern" not among the values the target takes for userType/],
    ['roles as a set', { target: 'roles', constant: ['Agent'] }, null],
    ['routing skills on a server without the Genesys extension', { target: `${URN.genesysUser}:routingSkills`, constant: [] }, /declares no schema urn:ietf:params:scim:schemas:extension:genesys/],
    ['no /Schemas, Genesys: the known set has routing skills', { target: `${URN.genesysUser}:routingSkills`, constant: [] }, null, 'genesys', null],
    ['no /Schemas, Genesys: no costCenter', { target: `${ENT}:costCenter`, from: 'cc' }, /don't declare .*costCenter/, 'genesys', null],
    ['no /Schemas, Genesys: its phone types', { target: 'phoneNumbers[type eq "fax"].value', from: 'x' }, /type "fax" is not one/, 'genesys', null],
    ['Genesys: its documented phone types, whatever its /Schemas declare', { target: 'phoneNumbers[type eq "work2"].value', from: 'x' }, null, 'genesys'],
    ['Genesys: a phone type it does not document, though its /Schemas declare it', { target: 'phoneNumbers[type eq "pager"].value', from: 'x' }, /type "pager" is not one the target takes for phoneNumbers \(work, work2/, 'genesys', [{ id: URN.user, attributes: [a('phoneNumbers', { type: 'complex', multiValued: true, subAttributes: [a('value'), a('type', { canonicalValues: ['work', 'pager'] })] })] }]],
    ['no /Schemas, scim2: RFC 7643 costCenter', { target: `${ENT}:costCenter`, from: 'cc' }, null, 'scim2', null],
    ['a built-in attribute is left to the target decision', { target: `${ENT}:division`, from: 'location' }, null, 'scim2', [{ id: URN.user, attributes: [a('userName')] }]],
    ['a built-in attribute the target declares is still checked for what the entry gives', { target: 'title', constant: true }, /title is string on the target; the entry gives boolean/],
    ['a built-in attribute in an undeclared schema: no problem either', { target: `${ENT}:division`, constant: 'Home' }, null, 'scim2', [{ id: URN.user, attributes: [a('userName')] }]],
  ];
  for (const [what, entry, want, profile, schemas] of cases) {
    it(what, () => {
      const got = problemsOf(entry, schemas === undefined ? SCHEMAS : schemas, profile);
      if (want === null) assert.deepEqual(got, []);
      else assert.match(got.join('\n'), want);
    });
  }

  describe('with what the User resource type extends with', () => {
    const listing = (...schemas: string[]) => ({ listed: schemas.map((schema) => ({ schema, required: false })) });
    const check = (entry: AttributeMappingInput, extensions: ReturnType<typeof listing>, schemas: unknown[] | null = SCHEMAS, profile: 'genesys' | 'scim2' = 'scim2') =>
      checkMappingAgainstTarget(AttributeMappingsSchema.parse([entry]), schemas === null ? null : schemaIndex(schemas, profile, extensions), profile, 'work', extensions).map((p) => p.message);
    it('an entry into an extension the User type does not list is a problem, though /Schemas describes it', () => {
      assert.deepEqual(check({ target: `${ENT}:costCenter`, from: 'cc' }, listing()), [`the target's User resource type doesn't extend with ${ENT}`]);
    });
    it('Genesys routing skills when the User type lists only the enterprise extension', () => {
      assert.deepEqual(check({ target: `${URN.genesysUser}:routingSkills`, constant: [] }, listing(ENT), null, 'genesys'), [`the target's User resource type doesn't extend with ${URN.genesysUser}`]);
    });
    it('a built-in attribute there is left to the target decision', () => {
      assert.deepEqual(check({ target: `${ENT}:division`, from: 'location' }, listing()), []);
    });
    it('core attributes are never an extension', () => {
      assert.deepEqual(check({ target: 'title', from: 'job_title' }, listing()), []);
    });
    it('listed but not described by /Schemas: the profile\'s known schema stands in (RFC 7643 costCenter)', () => {
      const coreOnly = [SCHEMAS[0]];
      assert.match(check({ target: `${ENT}:costCenter`, from: 'cc' }, listing(), coreOnly).join(), /declares no schema/, 'neither described nor listed');
      assert.deepEqual(check({ target: `${ENT}:costCenter`, from: 'cc' }, listing(ENT.toLowerCase()), coreOnly), []);
      assert.match(problemsOf({ target: `${ENT}:costCenter`, from: 'cc' }, coreOnly).join(), /declares no schema/, 'without the listing, as before');
    });
  });

  it('a /Schemas answer without a User schema is no answer', () => {
    assert.equal(schemaIndex([{ id: URN.group, attributes: [] }], 'scim2'), null);
  });

  it('a refused set item names itself, in operations and in a create', () => {
    assert.equal(operationForm({ op: 'add', path: `${URN.genesysUser}:routingSkills`, value: [{ name: 'Billing', proficiency: 2 }] }), 'add routingSkills "Billing"');
    assert.equal(operationForm({ op: 'remove', path: `${URN.genesysUser}:routingSkills[name eq "Billing"]` }), 'remove routingSkills[name eq "Billing"]');
    assert.equal(operationForm({ op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@b.c' }] }), 'add email');
    const body: Record<string, unknown> = { userName: 'a', roles: [{ value: 'Agent' }, { value: 'Overlord' }], [URN.genesysUser]: { routingSkills: [{ name: 'Juggling', proficiency: 1 }] } };
    assert.deepEqual(dropNamedItems(body, 'Attribute \'roles\' is invalid: unknown role "Overlord"'), ['create with roles "Overlord"']);
    assert.deepEqual(body.roles, [{ value: 'Agent' }]);
    assert.deepEqual(dropNamedItems(body, 'unknown role'), []);
  });
});
