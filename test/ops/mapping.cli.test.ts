import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawEmployee } from '../../src/hr/employee';
import { simulatorEnv, startSimulators, type Simulators } from '../../sim';
import { runCli } from '../support/cli';
import { startIndependentScim, type IndependentScim } from '../support/independent-scim';
import { CONTACT_CENTRE_YAML } from '../sync/mapping-fixtures';

const GEN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const COMPANY: RawEmployee[] = [
  {
    id: 'E1',
    first_name: 'Ann',
    last_name: 'Agent',
    email: 'ann@corp.example',
    department_code: 'SUPPORT',
    title: 'Agent',
    job_code: 'AGENT-TECH',
    languages: 'en',
    location: 'BER',
    cost_center: 'cc-7',
    updated_at: '2024-06-01T00:00:00.000Z',
  },
];

function configFile(yaml: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hrsync-mapping-cli-')), 'hrsync.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** A mapping any RFC 7643 server takes: enterprise costCenter, core roles, userType from a lookup. */
const GENERIC_YAML = `
mapping:
  attributes:
    - name: cost centre
      target: ${ENT}:costCenter
      from: cost_center
      transforms: [upper]
    - name: roles by job code
      target: roles
      from: job_code
      lookup: { AGENT-TECH: [agent] }
    - name: kind of worker
      target: userType
      from: job_code
      lookup: { AGENT-TECH: Agent }
      default: Staff
`;

describe('cli: hrsync mapping check and preview', function () {
  this.timeout(120_000);

  describe('against the Genesys simulator', () => {
    let sims: Simulators;
    let env: Record<string, string>;
    before(async () => {
      sims = await startSimulators({
        scim: {
          rateLimitPerMinute: null,
          catalogue: { skills: ['Billing', 'Payments', 'Tech Support', 'Escalations', 'Chat'], roles: ['Agent', 'Supervisor', 'Employee'] },
          users: [
            {
              userName: 'ann@corp.example',
              displayName: 'Ann Agent',
              externalId: 'E1',
              title: 'Agent',
              active: true,
              emails: [{ type: 'work', value: 'ann@corp.example', primary: true }],
              roles: [{ value: 'Agent' }],
              [ENT]: { department: 'Customer Support', division: 'EMEA', dateHire: '2024-01-15' },
              [GEN]: { routingSkills: [{ name: 'Payments', proficiency: 3 }, { name: 'Chat', proficiency: 2 }], routingLanguages: [{ name: 'English', proficiency: 5 }] },
            },
          ],
        },
        hr: { company: COMPANY },
      });
      env = { ...simulatorEnv(sims.endpoints()), SCIM_RATE_LIMIT_PER_MINUTE: '0' };
    });
    after(async () => sims?.close());

    it('check: the contact-centre mapping fits, from the target’s /Schemas', async () => {
      const r = await runCli(['mapping', 'check'], { ...env, HRSYNC_CONFIG: configFile(CONTACT_CENTRE_YAML) });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /^mapping fits the target$/m);
      assert.match(r.stdout, /target attributes from: its \/Schemas/);
      assert.ok(r.stdout.includes(`User resource type extends with: ${ENT}, ${GEN}\n`), r.stdout);
      assert.match(r.stdout, /HR fields the mapping reads: job_code, languages, location/);
    });

    it('check: a phone type Genesys does not take and a boolean into a text attribute fail, each naming its entry', async () => {
      const yaml = `
mapping:
  attributes:
    - { name: fax line, target: 'phoneNumbers[type eq "fax"].value', from: fax }
    - { name: division flag, target: '${ENT}:division', constant: true }
    - { name: nowhere, target: '${ENT}:superPower', from: job_code }
`;
      const r = await runCli(['mapping', 'check', '--json'], { ...env, HRSYNC_CONFIG: configFile(yaml) });
      assert.equal(r.code, 2, r.stderr + r.stdout);
      const out = JSON.parse(r.stdout) as { ok: boolean; problems: { entry: string; message: string }[] };
      assert.equal(out.ok, false);
      const text = out.problems.map((p) => `${p.entry}: ${p.message}`).join('\n');
      assert.match(text, /attributes\[0\] "fax line": type "fax" is not one the target takes for phoneNumbers/);
      assert.match(text, /attributes\[1\] "division flag": .*division is string on the target; the entry gives boolean/);
      assert.match(text, /attributes\[2\] "nowhere": the target's schemas don't declare .*superPower/);
    });

    it('a worker whose mapping the target cannot take does not start, naming the entry', async () => {
      const yaml = `
mapping:
  attributes:
    - { name: fax line, target: 'phoneNumbers[type eq "fax"].value', from: fax }
`;
      // TEMPORAL_ADDRESS points nowhere: the check comes before any connection.
      const r = await runCli(['worker'], { ...env, HRSYNC_CONFIG: configFile(yaml), TEMPORAL_ADDRESS: '127.0.0.1:9' });
      assert.equal(r.code, 2, r.stderr + r.stdout);
      assert.match(r.stderr, /Invalid configuration \(the mapping against the target\):\n {2}- mapping\.attributes\[0\] "fax line": type "fax" is not one the target takes/);
    });

    it('a proficiency out of range fails at config load, naming the entry, before the target is asked', async () => {
      const yaml = `
mapping:
  attributes:
    - name: skills by job code
      target: ${GEN}:routingSkills
      from: job_code
      lookup: { AGENT-TECH: [{ name: Billing, proficiency: 9 }] }
`;
      const before = sims.scim.stats().total;
      const r = await runCli(['mapping', 'check'], { ...env, HRSYNC_CONFIG: configFile(yaml) });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /mapping\.attributes\.0\.lookup\.AGENT-TECH: "skills by job code": item 1: .*proficiency must be 0 to 5/);
      assert.equal(sims.scim.stats().total, before);
    });

    it('preview: the HR record, the user it produces, and the operations against the current user; nothing written', async () => {
      const userBefore = JSON.stringify(sims.scim.users());
      const r = await runCli(['mapping', 'preview', 'E1', '--json'], { ...env, HRSYNC_CONFIG: configFile(CONTACT_CENTRE_YAML) });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const p = JSON.parse(r.stdout) as { employee: Record<string, unknown>; produced: Record<string, any>; current: { id: string } | null; matchedBy: string; operations: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(p.employee.job_code, 'AGENT-TECH');
      assert.equal('cost_center' in p.employee, false, 'a field no mapping names is dropped');
      assert.deepEqual(p.produced[GEN].routingSkills, [{ name: 'Tech Support', proficiency: 4 }, { name: 'Billing', proficiency: 1 }]);
      assert.equal(p.matchedBy, 'externalId');
      // Payments was hrsync's (the table can produce it) and goes; Chat was added by hand and stays.
      assert.deepEqual(p.operations, [
        { op: 'remove', path: `${GEN}:routingSkills[name eq "Payments"]` },
        { op: 'add', path: `${GEN}:routingSkills`, value: [{ name: 'Tech Support', proficiency: 4 }] },
        { op: 'add', path: `${GEN}:routingSkills`, value: [{ name: 'Billing', proficiency: 1 }] },
      ]);
      assert.equal(JSON.stringify(sims.scim.users()), userBefore);
      const text = await runCli(['mapping', 'preview', 'E1'], { ...env, HRSYNC_CONFIG: configFile(CONTACT_CENTRE_YAML) });
      assert.match(text.stdout, /operations a sync would send:\n {2}remove .*routingSkills\[name eq "Payments"\]/);
      const missing = await runCli(['mapping', 'preview', 'E404'], { ...env, HRSYNC_CONFIG: configFile(CONTACT_CENTRE_YAML) });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /HR has no employee with id E404/);
    });
  });

  describe('against a Genesys simulator whose User type does not extend with the enterprise schema', () => {
    let sims: Simulators;
    let env: Record<string, string>;
    before(async () => {
      sims = await startSimulators({ scim: { rateLimitPerMinute: null, strict: { resourceTypes: 'no-enterprise' } }, hr: { company: COMPANY } });
      env = { ...simulatorEnv(sims.endpoints()), SCIM_RATE_LIMIT_PER_MINUTE: '0' };
    });
    after(async () => sims?.close());

    it("check: the extension's attributes not written share one line, naming each", async () => {
      const r = await runCli(['mapping', 'check'], { ...env, HRSYNC_CONFIG: configFile('mapping: {}\n') });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const notWritten = r.stdout.split('\n').filter((l) => l.startsWith('not written: '));
      assert.deepEqual(notWritten, [`not written: dateHire, department, division, employeeNumber, manager (the target's User resource type doesn't extend with ${ENT})`], r.stdout);
    });
  });

  describe('against the independent SCIM server (scimmy)', () => {
    let scim: IndependentScim;
    let sims: Simulators;
    let env: Record<string, string>;
    before(async () => {
      scim = await startIndependentScim();
      sims = await startSimulators({ scim: { mode: 'scim2', rateLimitPerMinute: null }, hr: { company: COMPANY } });
      env = { ...simulatorEnv(sims.endpoints()), SCIM_TARGET: 'scim2', SCIM_BASE_URL: scim.baseUrl, SCIM_BEARER_TOKEN: scim.bearerToken, SCIM_RATE_LIMIT_PER_MINUTE: '0' };
    });
    after(async () => {
      await sims?.close();
      await scim?.stop();
    });

    it('check: the Genesys extension is not declared there, named per entry; a generic mapping fits', async () => {
      const bad = await runCli(['mapping', 'check'], { ...env, HRSYNC_CONFIG: configFile(CONTACT_CENTRE_YAML) });
      assert.equal(bad.code, 2, bad.stderr + bad.stdout);
      assert.match(bad.stdout, /"skills by job code": the target declares no schema urn:ietf:params:scim:schemas:extension:genesys:purecloud:2\.0:User/);
      assert.match(bad.stdout, /"languages spoken": the target declares no schema/);
      assert.doesNotMatch(bad.stdout, /"roles by job code"/);
      const good = await runCli(['mapping', 'check'], { ...env, HRSYNC_CONFIG: configFile(GENERIC_YAML) });
      assert.equal(good.code, 0, good.stderr + good.stdout);
      assert.match(good.stdout, /^mapping fits the target$/m);
    });

    it('preview: a joiner the server does not have yet, produced with the mapped attributes; nothing written', async () => {
      const r = await runCli(['mapping', 'preview', 'E1', '--json'], { ...env, HRSYNC_CONFIG: configFile(GENERIC_YAML) });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const p = JSON.parse(r.stdout) as { produced: Record<string, any>; current: unknown; operations: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(p.current, null);
      assert.equal(p.produced[ENT].costCenter, 'CC-7');
      assert.deepEqual(p.produced.roles, [{ value: 'agent' }]);
      assert.equal(p.produced.userType, 'Agent');
      assert.equal((await scim.users()).length, 0);
      assert.equal(['POST', 'PUT', 'PATCH', 'DELETE'].reduce((n, m) => n + (scim.stats().byMethod[m] ?? 0), 0), 0);
    });
  });
});
