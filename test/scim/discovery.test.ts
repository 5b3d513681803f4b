import assert from 'node:assert/strict';
import { declaredAttributes, declaresGroups, writableAttributes } from '../../src/domain/capabilities';
import { DEFAULT_MANAGED_ATTRIBUTES } from '../../src/domain/mapping/config';
import { AttributeMappingsSchema } from '../../src/domain/mapping/rules';
import { checkMappingAgainstTarget, schemaIndex } from '../../src/domain/mapping/targetcheck';
import type { DiscoveryShape } from '../../sim/scim/options';
import { clientFor, startSim, type Sim } from './helpers';

/** Everything the Genesys profile writes: what a Genesys org's discovery, in any shape, must leave writable. */
const GENESYS_WRITABLE = ['active', 'dateHire', 'department', 'displayName', 'division', 'email', 'employeeNumber', 'groups', 'manager', 'phone', 'title', 'userName'];

/** Discovery over HTTP, then the decisions prepare makes from it: what is written, whether groups are, whether the mapping fits. */
async function discovered(sim: Sim, shape: DiscoveryShape) {
  sim.setStrict({ discoveryShape: shape });
  const caps = await clientFor(sim).discover();
  const profile = sim.mode;
  const decision = writableAttributes({
    managed: [...DEFAULT_MANAGED_ATTRIBUTES],
    profile,
    declared: caps.schemas ? declaredAttributes(caps.schemas, profile) : null,
    ...(caps.resourceTypes ? { groups: declaresGroups(caps.resourceTypes) } : {}),
  });
  const skills = AttributeMappingsSchema.parse([{ target: 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User:routingSkills', constant: [{ name: 'Billing', proficiency: 3 }] }]);
  const fits = profile === 'genesys' ? checkMappingAgainstTarget(skills, caps.schemas ? schemaIndex(caps.schemas, profile) : null, profile) : [];
  return { caps, decision, fits };
}

describe('scim client discovery: every shape the target may answer in', function () {
  describe('Genesys', () => {
    let sim: Sim;
    before(async () => {
      sim = await startSim({ mode: 'genesys', groups: ['Sales'] });
    });
    after(async () => sim.close());

    const shapes: { shape: DiscoveryShape; served: number }[] = [
      { shape: 'list', served: 4 },
      { shape: 'bare-array', served: 4 },
      { shape: 'lowercase-resources', served: 4 },
      { shape: 'no-mutability', served: 4 },
      { shape: 'core-only', served: 2 },
      { shape: 'spc-minimal', served: 4 },
    ];
    for (const { shape, served } of shapes) {
      it(`${shape}: the schemas are read, and what the target leaves unsaid is the profile's`, async () => {
        const { caps, decision, fits } = await discovered(sim, shape);
        assert.equal(caps.schemas?.length, served, 'the /schemas resources, whatever the container');
        assert.equal(caps.resourceTypes?.length, 2);
        assert.equal(decision.source, 'schemas');
        assert.deepEqual(decision.writable, GENESYS_WRITABLE);
        assert.deepEqual(decision.unsupported, []);
        assert.deepEqual(fits, [], 'a routing-skills entry fits');
        assert.equal(caps.bulk.supported, false, 'never /Bulk on Genesys');
      });
    }

    it('spc-minimal: the RFC defaults stand where the ServiceProviderConfig says nothing', async () => {
      const { caps } = await discovered(sim, 'spc-minimal');
      assert.deepEqual(caps.serviceProviderConfig, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'] });
      assert.equal(caps.patch, true);
      assert.equal(caps.filter.supported, true);
    });

    it('an attribute a described schema leaves out is the target\'s word, in any container', async () => {
      sim.setStrict({ noDateHire: true });
      try {
        const { decision } = await discovered(sim, 'bare-array');
        assert.deepEqual(decision.unsupported.map((u) => u.attribute), ['dateHire'], 'a schema the answer describes is the target\'s word');
      } finally {
        sim.setStrict({ noDateHire: false });
      }
    });
  });

  describe('a generic SCIM 2.0 server', () => {
    let sim: Sim;
    before(async () => {
      sim = await startSim({ mode: 'scim2', groups: ['Sales'] });
    });
    after(async () => sim.close());

    it('core-only: an RFC server need not have the enterprise extension, so its attributes are reported, not written', async () => {
      const { decision } = await discovered(sim, 'core-only');
      assert.equal(decision.source, 'schemas');
      assert.deepEqual(decision.unsupported.map((u) => u.attribute), ['department', 'division', 'employeeNumber', 'manager']);
    });

    it('bare-array and spc-minimal: read as a list; without a ServiceProviderConfig saying so, no /Bulk', async () => {
      const listed = await discovered(sim, 'list');
      assert.equal(listed.caps.bulk.supported, true);
      const bare = await discovered(sim, 'bare-array');
      assert.deepEqual(bare.decision, listed.decision);
      const minimal = await discovered(sim, 'spc-minimal');
      assert.equal(minimal.caps.bulk.supported, false);
      assert.deepEqual(minimal.decision, listed.decision);
    });
  });
});
