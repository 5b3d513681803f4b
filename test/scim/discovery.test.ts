import assert from 'node:assert/strict';
import { decideTarget } from '../../src/domain/capabilities';
import { DEFAULT_MANAGED_ATTRIBUTES } from '../../src/domain/mapping/config';
import { AttributeMappingsSchema } from '../../src/domain/mapping/rules';
import type { DiscoveryShape, ResourceTypesAnswer } from '../../sim/scim/options';
import { clientFor, startSim, type Sim } from './helpers';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GEN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
const SKILLS = AttributeMappingsSchema.parse([{ target: `${GEN}:routingSkills`, constant: [{ name: 'Billing', proficiency: 3 }] }]);

/** Everything the Genesys profile writes: what a Genesys org's discovery, in any shape, must leave writable. */
const GENESYS_WRITABLE = ['active', 'dateHire', 'department', 'displayName', 'division', 'email', 'employeeNumber', 'groups', 'manager', 'phone', 'title', 'userName'];

/** Discovery over HTTP, then the decisions prepare makes from it: what is written, whether groups are, whether the mapping fits. */
async function discovered(sim: Sim, shape: DiscoveryShape, resourceTypes: ResourceTypesAnswer = 'listed') {
  sim.setStrict({ discoveryShape: shape, resourceTypes });
  const caps = await clientFor(sim).discover();
  const profile = sim.mode;
  const decide = (entries: typeof SKILLS) => decideTarget({ discovered: caps, profile, managed: [...DEFAULT_MANAGED_ATTRIBUTES], entries });
  const { attributes: decision, extensions } = decide([]);
  const fits = profile === 'genesys' ? decide(SKILLS).problems : [];
  return { caps, decision, fits, extensions };
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

    describe('/resourcetypes: every answer for the User type\'s extensions leaves the run going', () => {
      const notExtended = `the target's User resource type doesn't extend with ${ENT}`;
      const answers: { answer: ResourceTypesAnswer; shape?: DiscoveryShape; listed: string[] | undefined; unsupported?: string[]; fits?: boolean }[] = [
        { answer: 'listed', listed: [ENT, GEN] },
        { answer: 'listed', shape: 'bare-array', listed: [ENT, GEN] },
        { answer: 'required', listed: [ENT, GEN] },
        { answer: 'lowercase-urns', listed: [ENT.toLowerCase(), GEN.toLowerCase()] },
        { answer: 'by-endpoint', listed: [ENT, GEN] },
        { answer: 'single', listed: [ENT, GEN] },
        { answer: 'no-key', listed: undefined },
        { answer: 'refused-403', listed: undefined },
        { answer: 'refused-404', listed: undefined },
        { answer: 'refused-501', listed: undefined },
        { answer: 'no-enterprise', listed: [GEN], unsupported: ['dateHire', 'department', 'division', 'employeeNumber', 'manager'] },
        { answer: 'no-enterprise', shape: 'core-only', listed: undefined },
        { answer: 'none', listed: [], unsupported: ['dateHire', 'department', 'division', 'employeeNumber', 'manager'], fits: false },
      ];
      for (const a of answers) {
        it(`${a.answer}${a.shape ? ` (${a.shape})` : ''}: ${a.unsupported ? 'the enterprise attributes are not written' : 'nothing changes'}`, async () => {
          const { caps, decision, fits, extensions } = await discovered(sim, a.shape ?? 'list', a.answer);
          assert.deepEqual(extensions?.listed.map((e) => e.schema), a.listed);
          assert.equal(caps.schemas?.length, a.shape === 'core-only' ? 2 : 4, '/schemas is read whatever /resourcetypes answers');
          const unsupported = a.unsupported ?? [];
          assert.deepEqual(decision.writable, GENESYS_WRITABLE.filter((x) => !unsupported.includes(x)), 'groups stay written: a single answer or a refusal says nothing of the Group type');
          assert.deepEqual(decision.unsupported, unsupported.map((attribute) => ({ attribute, reason: notExtended })));
          assert.equal(fits.length === 0, a.fits ?? true, JSON.stringify(fits));
        });
      }
      it('the lowercase /resourcetypes path is the one asked', async () => {
        sim.resetStats();
        await discovered(sim, 'list');
        assert.deepEqual(sim.requests().filter((r) => /resourcetypes/i.test(r.path)).map((r) => r.path), ['/api/v2/scim/v2/resourcetypes']);
      });
    });

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
