import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { AttributeMappingsSchema } from '../../src/domain/mapping/rules';
import type { RawEmployee } from '../../src/hr/employee';
import { startHarness, type Harness } from '../support/harness';
import { CONTACT_CENTRE_YAML } from './mapping-fixtures';
import { readReport, userByExternalId } from './support';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GEN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';

const person = (id: string, extra: Record<string, unknown>): RawEmployee => ({
  id,
  first_name: `First${id}`,
  last_name: `Last${id}`,
  email: `${id.toLowerCase()}@corp.example`,
  department_code: 'SUPPORT',
  status: 'active',
  title: 'Agent',
  hire_date: '2024-01-15',
  updated_at: '2024-06-01T00:00:00.000Z',
  ...extra,
});

const COMPANY: RawEmployee[] = [
  person('E1', { job_code: 'AGENT-BILLING', languages: 'en, DE', location: 'BER', salary: 52000 }),
  person('E2', { job_code: 'AGENT-TECH', languages: 'en', location: 'NYC', mobile_phone: '+1 (212) 555-0199', work_phone: '+12125550100' }),
  person('E3', { job_code: 'TEAM-LEAD', location: 'Remote' }),
  person('E4', { job_code: 'AGENT-NEW', location: 'LON' }),
];

const names = (items: unknown) => ((items ?? []) as { name: string; proficiency: number }[]).map((s) => `${s.name}:${s.proficiency}`).sort();

describe('sync workflow: a contact-centre mapping against the Genesys simulator', function () {
  this.timeout(180_000);
  let h: Harness;
  before(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-mapping-'));
    const file = path.join(dir, 'hrsync.yaml');
    writeFileSync(file, CONTACT_CENTRE_YAML);
    h = await startHarness({
      scim: {
        mode: 'genesys',
        groups: ['Support Team'],
        catalogue: { skills: ['Billing', 'Payments', 'Tech Support', 'Escalations', 'Chat'], languages: ['English', 'German', 'French', 'Spanish'], roles: ['Agent', 'Supervisor', 'Employee'] },
      },
      hr: { company: COMPANY },
      env: { HRSYNC_CONFIG: file },
      configure: (c) => void (c.sync.watermarkOverlapSeconds = 0),
    });
  });
  after(async () => h?.close());

  it('creates joiners with skills, languages, roles and division; an unknown skill or role is reported by name while the rest syncs', async () => {
    const run = await h.sync({ mode: 'full' });
    assert.equal(run.outcome, 'succeeded');
    const e1 = userByExternalId(h.sims, 'E1') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(names(e1[GEN]?.routingSkills), ['Billing:4', 'Payments:3']);
    assert.deepEqual(names(e1[GEN]?.routingLanguages), ['English:5', 'German:5']);
    assert.deepEqual(e1.roles, [{ value: 'Agent' }]);
    assert.equal(e1[ENT]?.division, 'EMEA');
    assert.equal('salary' in e1, false);
    const e2 = userByExternalId(h.sims, 'E2');
    assert.deepEqual(e2?.phoneNumbers?.map((p) => `${p.type}:${p.value}`).sort(), ['mobile:+12125550199', 'work:+12125550100']);
    const e3 = userByExternalId(h.sims, 'E3') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual((e3.roles as { value: string }[]).map((r) => r.value).sort(), ['Agent', 'Supervisor']);
    assert.equal(e3[ENT]?.division, 'Home');
    assert.deepEqual(names(e3[GEN]?.routingSkills), ['Escalations:5']);

    // Juggling is not in the org's catalogue: E4 exists, with Billing, and its row names the refused skill.
    const e4 = userByExternalId(h.sims, 'E4') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(names(e4[GEN]?.routingSkills), ['Billing:2']);
    assert.equal(e4[ENT]?.division, 'EMEA');
    const rows = readReport(run.reportPath as string);
    const row4 = rows.find((r) => r.hr_id === 'E4');
    assert.equal(row4?.outcome, 'applied');
    assert.match(row4?.error ?? '', /refused-attribute: create with routingSkills "Juggling"/);
    assert.match(row4?.error ?? '', /refused-attribute: create with roles "Overlord"/);
    assert.equal(row4?.warning_codes, 'refused-attribute', 'both refusals under one code');
    assert.deepEqual(e4.roles, [{ value: 'Agent' }]);
    assert.ok(rows.filter((r) => r.hr_id !== 'E4').every((r) => r.outcome === 'applied' && r.error === '' && r.warning_codes === ''), JSON.stringify(rows));
  });

  it('a mover gains the new job’s skills and loses only those hrsync set; a skill added by hand stays', async () => {
    const e1 = userByExternalId(h.sims, 'E1') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    h.sims.scim.touchUser(e1.id, { [GEN]: { ...e1[GEN], routingSkills: [...e1[GEN].routingSkills, { name: 'Chat', proficiency: 2 }] } });
    h.sims.hr.apply({ type: 'job-change', id: 'E1', job_code: 'AGENT-TECH' });
    const run = await h.sync({ mode: 'delta' });
    assert.equal(run.outcome, 'succeeded');
    const after = userByExternalId(h.sims, 'E1') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(names(after[GEN]?.routingSkills), ['Billing:1', 'Chat:2', 'Tech Support:4']);
    const row = readReport(run.reportPath as string).find((r) => r.hr_id === 'E1');
    assert.equal(row?.outcome, 'applied');
    assert.match(row?.changed_fields ?? '', /skills by job code/);
    assert.equal(row?.drift, '');
  });

  it('a repeat full run writes nothing for those in step; the unknown skill is tried and reported again', async () => {
    const run = await h.sync({ mode: 'full' });
    const rows = readReport(run.reportPath as string);
    assert.deepEqual(
      rows.filter((r) => r.action !== 'none').map((r) => r.hr_id),
      ['E4'],
      JSON.stringify(rows),
    );
    const row4 = rows.find((r) => r.hr_id === 'E4');
    assert.match(row4?.error ?? '', /refused-attribute: add routingSkills "Juggling" refused by the target \(HTTP 400 invalidValue\)/);
    assert.match(row4?.error ?? '', /refused-attribute: add roles "Overlord"/);
    assert.ok(run.notices?.some((n) => /add routingSkills "Juggling": refused by the target for some values/.test(n)), JSON.stringify(run.notices));
    assert.deepEqual(names((userByExternalId(h.sims, 'E1') as Record<string, any>)[GEN]?.routingSkills), ['Billing:1', 'Chat:2', 'Tech Support:4']); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('a mapping the target cannot take fails the run in prepare, naming the entry, before anything is read or written', async () => {
    const saved = h.config.mapping.attributes;
    h.config.mapping.attributes = [...saved, ...AttributeMappingsSchema.parse([{ name: 'fax line', target: 'phoneNumbers[type eq "fax"].value', from: 'job_code' }])];
    const writes = h.sims.scim.stats().writes;
    const hrReads = h.sims.hr.stats().requests;
    try {
      const run = await h.start({ mode: 'full', dryRun: true });
      const err = await run.result().then(
        () => assert.fail('the run succeeded'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError);
      const chain: string[] = [];
      for (let c: unknown = err; c instanceof Error; c = (c as Error & { cause?: unknown }).cause) chain.push(c.message);
      assert.match(chain.join(' | '), /the mapping does not fit the target: mapping\.attributes\[5\] "fax line": type "fax" is not one the target takes/);
    } finally {
      h.config.mapping.attributes = saved;
    }
    assert.equal(h.sims.scim.stats().writes, writes);
    assert.equal(h.sims.hr.stats().requests, hrReads);
  });
});
