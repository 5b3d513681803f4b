import { strict as assert } from 'node:assert';
import { ENT, GEN, Harness, Loose } from './helpers';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RFC7643_ATTRIBUTE_KEYS = ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'];

type Attr = Record<string, Loose>;
const byName = (attrs: Attr[]) => Object.fromEntries(attrs.map((a) => [a.name, a]));

/** Every attribute, sub-attributes included, with its dotted name. */
function flatten(attrs: Attr[], prefix = ''): Array<[string, Attr]> {
  return attrs.flatMap((a) => [[`${prefix}${a.name}`, a] as [string, Attr], ...flatten(a.subAttributes ?? [], `${prefix}${a.name}.`)]);
}

for (const mode of ['genesys', 'scim2'] as const) {
  describe(`SCIM simulator: discovery tells the truth (${mode})`, () => {
    let h: Harness;
    const paths = mode === 'genesys'
      ? { schemas: '/schemas', resourceTypes: '/resourcetypes', spc: '/serviceproviderconfig', users: '/users', groups: '/groups' }
      : { schemas: '/Schemas', resourceTypes: '/ResourceTypes', spc: '/ServiceProviderConfig', users: '/Users', groups: '/Groups' };
    beforeEach(async () => {
      h = await Harness.start({ mode, groups: ['Sales'] });
    });
    afterEach(async () => h.close());

    it('schemas are RFC 7643 §7 resources: every attribute fully described, references typed, with a meta location', async () => {
      const r = await h.json('GET', paths.schemas);
      assert.equal(r.status, 200);
      const ids = r.body.Resources.map((s: Loose) => s.id);
      assert.deepEqual(ids, mode === 'genesys' ? [USER, ENT, GEN, GROUP] : [USER, ENT, GROUP]);
      for (const s of r.body.Resources) {
        assert.deepEqual(s.schemas, [SCHEMA]);
        assert.equal(typeof s.description, 'string');
        assert.deepEqual(s.meta, { resourceType: 'Schema', location: `${h.sim.scimBaseUrl}${paths.schemas}/${s.id}` });
        for (const [name, a] of flatten(s.attributes)) {
          for (const k of RFC7643_ATTRIBUTE_KEYS) assert.ok(k in a, `${s.id} ${name} lacks ${k}`);
          if (a.type === 'reference') assert.ok(Array.isArray(a.referenceTypes) && a.referenceTypes.length > 0, `${name} referenceTypes`);
          if (a.type === 'complex') assert.ok(Array.isArray(a.subAttributes), `${name} subAttributes`);
        }
      }
      const one = await h.json('GET', `${paths.schemas}/${ENT}`);
      assert.equal(one.body.id, ENT);
    });

    it('declares the attributes it stores, with their mutability, and stores nothing it does not declare', async () => {
      const schemas = (await h.json('GET', paths.schemas)).body.Resources as Loose[];
      const core = byName(schemas[0].attributes);
      assert.equal(core.groups.mutability, 'readOnly');
      assert.ok(flatten(core.groups.subAttributes).every(([, a]) => a.mutability === 'readOnly'));
      assert.equal(core.password.mutability, 'writeOnly');
      assert.equal(core.password.returned, 'never');
      assert.equal(core.userName.uniqueness, 'server');
      assert.equal('name' in core, mode === 'scim2', 'Genesys has no name');
      const ent = byName(schemas[1].attributes);
      // Genesys documents no costCenter or organization: it declares (and so stores) neither.
      const rfcOnly = mode === 'scim2' ? ['costCenter', 'organization'] : [];
      assert.deepEqual(Object.keys(ent), ['employeeNumber', ...rfcOnly, 'division', 'department', 'dateHire', 'manager']);
      assert.equal(byName(ent.manager.subAttributes).displayName.mutability, 'readOnly');

      const declared = new Set(Object.keys(core));
      const body: Record<string, unknown> = {
        schemas: [USER, ENT],
        userName: 'x@corp.com', displayName: 'X', nickName: 'Nick', x509Certificates: [{ value: 'abc' }], title: 'T',
        [ENT]: { department: 'D', costCenter: 'C', favouriteColour: 'blue', manager: { value: '', displayName: 'ignored' } },
        'urn:example:custom:2.0:User': { anything: 1 },
      };
      const created = await h.createUser(body);
      for (const k of Object.keys(created)) {
        if (['schemas', 'id', 'meta', ENT, GEN].includes(k)) continue;
        assert.ok(declared.has(k), `${k} is stored but not declared`);
      }
      assert.equal(created.nickName, mode === 'scim2' ? 'Nick' : undefined);
      assert.equal(created.x509Certificates, undefined);
      assert.deepEqual(created[ENT], mode === 'scim2' ? { department: 'D', costCenter: 'C' } : { department: 'D' });
      assert.equal(created['urn:example:custom:2.0:User'], undefined);
    });

    it('resource types name the endpoints and extensions of this mode; the service provider config its features', async () => {
      const rt = await h.json('GET', paths.resourceTypes);
      const [user, group] = rt.body.Resources;
      assert.equal(user.endpoint, paths.users);
      assert.deepEqual(user.schemaExtensions, mode === 'genesys'
        ? [{ schema: ENT, required: false }, { schema: GEN, required: false }]
        : [{ schema: ENT, required: false }]);
      assert.equal(user.meta.location, `${h.sim.scimBaseUrl}${paths.resourceTypes}/User`);
      assert.equal(group.endpoint, paths.groups);
      const spc = await h.json('GET', paths.spc);
      assert.equal(spc.body.meta.location, `${h.sim.scimBaseUrl}${paths.spc}`);
      assert.deepEqual(spc.body.filter, { supported: true, maxResults: 100 });
      assert.deepEqual(spc.body.patch, { supported: true });
      assert.deepEqual(spc.body.etag, { supported: true });
      assert.equal(spc.body.bulk.supported, mode === 'scim2');
      for (const s of spc.body.authenticationSchemes) for (const k of ['type', 'name', 'description']) assert.ok(k in s);
    });

    it('checks values by its own schema and names the attribute it refuses', async () => {
      for (const [body, path] of [
        [{ active: 'yes' }, 'active'],
        [{ emails: { value: 'a@b.c' } }, 'emails'],
        [{ emails: [{ value: 42 }] }, 'emails.value'],
        [{ [ENT]: { manager: 'boss' } }, `${ENT}:manager`],
        [{ [ENT]: 'Sales' }, ENT],
        [{ password: 5 }, 'password'],
      ] as Array<[Record<string, unknown>, string]>) {
        const r = await h.json('POST', paths.users, { userName: 'bad@corp.com', displayName: 'Bad', ...body });
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.body.scimType, 'invalidValue');
        assert.ok(r.body.detail.includes(`'${path}'`), `${r.body.detail} should name ${path}`);
      }
      assert.equal(h.sim.users().length, 0);
    });
  });
}
