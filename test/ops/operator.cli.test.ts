import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawEmployee } from '../../src/hr/employee';
import { runsTable } from '../../src/cli/runs';
import { statusLines } from '../../src/cli/status';
import { loadClientConfig, loadWorkerConfig, targetName, type ClientConfig } from '../../src/config';
import { rejectRun } from '../../src/runs/approval';
import { fetchReport, listRuns, runStatus, type RunStatus } from '../../src/runs/inspect';
import { targetNameOf } from '../../src/runs/naming';
import { summaryLines } from '../../src/runs/outcome';
import { startSync } from '../../src/runs/start';
import { runCli, runCliEach } from '../support/cli';
import { startHarness, type Harness } from '../support/harness';
import { freePort } from '../support/ports';
import { testEnv } from '../support/temporal';

/** Polls until `check` passes (visibility and retries take their time). */
async function eventually<T>(what: string, fn: () => Promise<T>, check: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last, null, 1)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The environment a CLI in another shell would have: the same Temporal, task queue, target name and report folder as the worker. */
function cliEnv(h: Harness, address: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: address,
    HRSYNC_TASK_QUEUE: h.config.temporal.taskQueue,
    HRSYNC_TARGET_NAME: targetName(h.config),
    HRSYNC_REPORT_DIR: h.config.reportDir,
  };
}

function clientCfg(h: Harness, address: string): ClientConfig {
  return loadClientConfig({ env: cliEnv(h, address) });
}

const show = (s: RunStatus, cfg: ClientConfig) => statusLines(s, cfg).join('\n');

describe("the operator's view: the CLI on a real dev server", function () {
  this.timeout(180_000);
  let address: string;
  before(async function () {
    this.timeout(120_000);
    address = (await testEnv()).address;
  });

  it('exits 2 on bad usage and bad config, quoting what was given and suggesting the key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-usage-'));
    const typo = path.join(dir, 'hrsync.yaml');
    writeFileSync(typo, 'hr:\n  baseUrl: http://hr.example\n  pagesize: 50\nsync:\n  chunkSize: fifty\n');
    // Nothing listens on port 1: each of these must fail before connecting.
    const env = { TEMPORAL_ADDRESS: '127.0.0.1:1' };
    // One process for the binary's own exit code, one for the rest in turn: four CLIs started at once
    // timed out under load.
    const unknownCommand = await runCli(['no-such-command'], env);
    const [badMode, badLimit, badConfig] = await runCliEach([['sync', '--mode', 'bogus'], ['runs', '--limit', 'lots'], ['runs', '-c', typo]], env);
    assert.equal(unknownCommand.code, 2, unknownCommand.stderr);
    assert.match(unknownCommand.stderr, /unknown command 'no-such-command'/);
    assert.equal(badMode.code, 2, badMode.stderr);
    assert.match(badMode.stderr, /'bogus' is invalid/);
    assert.equal(badLimit.code, 2, badLimit.stderr);
    assert.equal(badConfig.code, 2, badConfig.stderr);
    assert.match(badConfig.stderr, /hr\.pagesize: unknown key \(did you mean hr\.pageSize\?\)/);
    assert.match(badConfig.stderr, /sync\.chunkSize \(env HRSYNC_CHUNK_SIZE\): expected a number, got "fifty"/);
  });

  describe('a wrong client secret', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ hr: { employees: 5, seed: 3 }, env: { GENESYS_CLIENT_SECRET: 'wrong-SECRET-4711' } });
    });
    after(async () => h?.close());

    it('sync --wait prints the 401 cause, the step and exits 1; --json carries them; runs says failed', async () => {
      const r = await runCli(['sync', '--mode', 'full', '--wait'], cliEnv(h, address));
      assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /cause: Genesys refused the client credentials \(invalid_client\): check GENESYS_CLIENT_ID \/ GENESYS_CLIENT_SECRET \[HTTP 401\]/);
      assert.match(r.stderr, /failed in: prepare/);
      assert.doesNotMatch(r.stdout + r.stderr, /Activity task failed|wrong-SECRET-4711/);

      const id = /started (\S+)/.exec(r.stdout)?.[1] as string;
      const cfg = clientCfg(h, address);
      const status = await runStatus(h.client, id);
      assert.equal(status.failedIn, 'prepare (token, target capabilities)');
      assert.match(status.failure ?? '', /^Genesys refused the client credentials \(invalid_client\)/);
      assert.match(show(status, cfg), /outcome: failed/);
      const [listed] = await eventually('the failed run in visibility', () => listRuns(h.client, { target: targetNameOf(cfg) }), (rs) => rs.some((x) => x.workflowId === id && x.outcome === 'failed'));
      assert.equal(listed.workflowId, id);

      const json = await runCli(['sync', '--mode', 'full', '--wait', '--json'], cliEnv(h, address));
      assert.equal(json.code, 1);
      const line = JSON.parse(json.stdout.trim()) as Record<string, unknown>;
      assert.equal(line.status, 'FAILED');
      assert.equal(line.outcome, 'failed');
      assert.match(String(line.failure), /invalid_client/);
      assert.equal(line.failedIn, 'prepare (token, target capabilities)');
    });
  });

  describe('an unreachable HR, then a terminated run', () => {
    let h: Harness;
    let port: number;
    before(async () => {
      port = await freePort();
      h = await startHarness({ hr: { employees: 5, seed: 4 }, env: { HR_BASE_URL: `http://127.0.0.1:${port}` } });
    });
    after(async () => h?.close());

    it('status shows the retry cause while Temporal retries, and a terminated run shows as terminated in runs and status', async () => {
      const cfg = clientCfg(h, address);
      const started = await startSync(h.client, cfg, { mode: 'full' });
      const retrying = await eventually(
        'the HR read to be retried',
        () => runStatus(h.client, started.workflowId),
        (s) => s.retrying.some((r) => r.activity === 'planHrPage' && r.lastFailure !== undefined),
      );
      const text = show(retrying, cfg);
      assert.match(text, new RegExp(`retrying reading and planning HR: HR unreachable: ECONNREFUSED 127\\.0\\.0\\.1:${port} \\(check HR_BASE_URL and that the HR API is up\\), attempt \\d+( of \\d+)?, (next in \\d+ s|running again now)`), text);
      assert.match(text, /state: RUNNING/);

      await started.handle.terminate('operator test');
      const after = await runStatus(h.client, started.workflowId);
      assert.equal(after.status, 'TERMINATED');
      assert.equal(after.outcome, 'terminated', 'the search attribute still says running; the execution status wins');
      assert.match(show(after, cfg), /outcome: terminated/);
      assert.match(show(after, cfg), /^cause: terminated: operator test$/m);
      const runs = await eventually('the terminated run in visibility', () => listRuns(h.client, { target: targetNameOf(cfg) }), (rs) => rs.some((r) => r.status === 'TERMINATED'));
      const row = runsTable(runs).find((l) => l.startsWith(started.workflowId)) ?? '';
      assert.match(row, /terminated\s+terminated/);
    });
  });

  describe('a run that fails after planning part of HR', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ hr: { employees: 40, seed: 5, faults: { delayMs: 150 } }, env: { HR_PAGE_SIZE: '10' } });
    });
    after(async () => h?.close());

    it('report returns its partial CSV and says it is partial', async () => {
      const cfg = clientCfg(h, address);
      const started = await startSync(h.client, cfg, { mode: 'full' });
      await eventually('the first HR page planned', () => runStatus(h.client, started.workflowId), (s) => (s.progress?.pagesRead ?? 0) >= 1, 20_000);
      // From now on HR answers 200 with an empty body or `{}` (the simulator picks one at random): a broken export,
      // never read as "nobody works here".
      h.sims.hr.setFaults({ emptyRate: 1 });
      const failed = await eventually('the run to fail', () => runStatus(h.client, started.workflowId), (s) => s.status !== 'RUNNING');
      assert.equal(failed.status, 'FAILED');
      assert.equal(failed.failedIn, 'reading and planning HR');
      assert.match(failed.failure ?? '', /^HR API answered .* (with an empty body|without a "data" array)/);
      assert.ok(failed.reportPath, 'the failure names its report');

      const report = await fetchReport(h.client, started.workflowId, { reportDir: cfg.reportDir });
      assert.equal(report.partial, true);
      assert.equal(report.reportPath, failed.reportPath);
      const rows = report.csv.trim().split('\n');
      assert.match(rows[0], /^hr_id,/);
      assert.ok(rows.length > 1 && rows.length <= 40, `the rows of the pages planned: ${rows.length - 1}`);

      const cli = await runCli(['report', started.workflowId], cliEnv(h, address));
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal(cli.stdout.trim(), report.csv.trim());
      assert.match(cli.stderr, /PARTIAL REPORT/);
      assert.match(cli.stderr, /outcome: failed/);
      assert.match(cli.stderr, /failed in: reading and planning HR/);
    });
  });

  describe('the gate', () => {
    let h: Harness;
    let leavers: RawEmployee[];
    before(async () => {
      h = await startHarness({ hr: { employees: 20, seed: 6 }, env: { HRSYNC_GATE_MAX_COUNT: '1', HRSYNC_GATE_MAX_PERCENT: '100' } });
      assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
      const managers = new Set(h.sims.hr.employees().map((e) => String(e.manager_employee_id)));
      leavers = h.sims.hr
        .employees()
        .filter((e) => e.status === 'active' && !managers.has(String(e.id)))
        .slice(0, 2);
      for (const e of leavers) h.sims.hr.apply({ type: 'terminate', id: e.id });
    });
    after(async () => h?.close());

    it('status shows the deactivations with userName and displayName; reject --reason keeps the reason in the result and summary', async () => {
      const cfg = clientCfg(h, address);
      const started = await startSync(h.client, cfg, { mode: 'full' });
      const waiting = await eventually('the run to wait at the gate', () => runStatus(h.client, started.workflowId), (s) => s.pendingApproval !== null);
      const text = show(waiting, cfg);
      assert.match(text, /ETA waiting for approval/);
      for (const e of leavers) {
        const user = h.sims.scim.users().find((u) => u.externalId === String(e.id));
        assert.ok(user, `a user for HR ${e.id}`);
        assert.ok(text.includes(`${user.displayName}  <${user.userName}>  HR ${e.id}  user ${user.id}`), text);
      }

      await rejectRun(h.client, started.workflowId, { by: 'alice', reason: 'HR export truncated' });
      const done = await eventually('the run to close', () => runStatus(h.client, started.workflowId), (s) => s.status !== 'RUNNING');
      assert.equal(done.summary?.gate?.note, 'HR export truncated');
      assert.ok(summaryLines(done.summary!).some((l) => l.endsWith('-> rejected by alice: "HR export truncated"')));
      const report = await runCli(['report', started.workflowId], cliEnv(h, address));
      assert.match(report.stderr, /-> rejected by alice: "HR export truncated"/);
    });

    it('cancel stops a run gracefully: it ends cancelled and leaves its partial report', async () => {
      const cfg = clientCfg(h, address);
      const started = await startSync(h.client, cfg, { mode: 'full' });
      await eventually('the run to wait at the gate', () => runStatus(h.client, started.workflowId), (s) => s.pendingApproval !== null);
      const r = await runCli(['cancel', started.workflowId], cliEnv(h, address));
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /outcome: cancelled/);
      assert.doesNotMatch(r.stdout, /^cause:/m, 'a cancel is no failure: no cause to show');
      assert.match(r.stdout, /report \(partial: what was done before it stopped\): .*\.csv/);
      const report = await fetchReport(h.client, started.workflowId, { reportDir: cfg.reportDir });
      assert.equal(report.partial, true);
      assert.equal(report.status, 'CANCELLED');
      assert.ok(report.csv.trim().split('\n').length > 1, 'the plan rows are in it');
      const again = await runCli(['cancel', started.workflowId], cliEnv(h, address));
      assert.equal(again.code, 1);
      assert.match(again.stderr, /is not running \(it is cancelled\)/);
    });

    it('the CLI and the worker name the target alike from the same config', async () => {
      const shared = { ...cliEnv(h, address), HR_BASE_URL: 'http://hr.example', GENESYS_REGION: 'us-east-1', GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 's' };
      for (const env of [shared, { ...shared, HRSYNC_TARGET_NAME: '' }, { ...shared, HRSYNC_TARGET_NAME: '', SCIM_TARGET: 'scim2', SCIM_BASE_URL: 'http://s.example', SCIM_BEARER_TOKEN: 't' }]) {
        assert.equal(targetNameOf(loadClientConfig({ env })), targetName(loadWorkerConfig({ env })), JSON.stringify(env));
      }
      assert.equal(targetNameOf(loadClientConfig({ env: {} })), 'genesys', 'no target configured: the kind the worker defaults to');
      // And on the wire: the id the CLI makes, the name the worker records, and the listing agree.
      const cfg = clientCfg(h, address);
      const started = await startSync(h.client, cfg, { mode: 'full', dryRun: true });
      await started.handle.result();
      const listed = await eventually('the dry run in visibility', () => listRuns(h.client, { target: targetNameOf(cfg) }), (rs) => rs.some((r) => r.workflowId === started.workflowId));
      assert.equal(listed.find((r) => r.workflowId === started.workflowId)?.target, targetName(h.config));
      assert.ok(started.workflowId.startsWith(`hrsync-${targetName(h.config)}-`));
    });
  });
});
