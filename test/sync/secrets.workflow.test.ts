import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { startSimulators, type Simulators } from '../../sim';
import type { SyncSummary } from '../../src/workflows/contracts';
import { runCli } from '../support/cli';
import { startTokenRecorder } from '../support/harness';
import type { Spawned } from '../support/spawned';
import { testEnv } from '../support/temporal';
import { spawnWorker, workerEnv } from '../support/workers';
import { historyText } from './support';

/** Long enough that finding it is no coincidence; short enough to catch a "first characters…" hint. */
const PREFIX = 6;

/** Which of `secrets` (by name) appear in `text`, whole or as a prefix. */
function leaks(text: string, secrets: [string, string][]): string[] {
  return secrets.filter(([, value]) => text.includes(value.slice(0, PREFIX))).map(([name]) => name);
}

/**
 * Tokens are fetched and cached inside the worker; neither they nor the client secret may reach
 * Temporal history, a log line or a report. The worker is an `hrsync worker` process logging at
 * trace, so every line it writes is checked; every access token the simulator issued is captured by a
 * recording proxy in front of the login host, so the check covers the real tokens, refreshed ones included.
 */
describe('sync workflow: no secret or token in history, logs or reports', function () {
  this.timeout(300_000);
  const tokens: string[] = [];
  let sims: Simulators;
  let recorder: Awaited<ReturnType<typeof startTokenRecorder>>;
  let env: Record<string, string>;
  let worker: Spawned;
  before(async () => {
    sims = await startSimulators({ scim: { rateLimitPerMinute: null }, hr: { employees: 100, seed: 71 } });
    recorder = await startTokenRecorder(sims.scim.loginUrl, tokens);
    env = workerEnv(sims, await testEnv(), `secrets${process.pid}`, { GENESYS_LOGIN_URL: recorder.url, HRSYNC_LOG_LEVEL: 'trace' });
    worker = await spawnWorker(env);
  });
  after(async () => {
    await worker?.stop();
    await recorder?.close();
    await sims?.close();
  });

  it('keeps the client secret and every issued access token, and any prefix of them, out of the history, logs and reports of full, delta and dry runs', async () => {
    const secret = sims.endpoints().scim.clientSecret;
    const { client } = await testEnv();
    const cliEnv = { TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS, HRSYNC_TASK_QUEUE: env.HRSYNC_TASK_QUEUE, HRSYNC_TARGET_NAME: env.HRSYNC_TARGET_NAME, HRSYNC_LOG_LEVEL: 'trace' };
    // Failures whose messages are logged and kept in history; the first run through the CLI, so its output is checked too.
    sims.scim.setFaults({ errorRate: 0.05 });
    const full = await runCli(['sync', '--mode', 'full', '--wait', '--json'], cliEnv, 120_000);
    assert.equal(full.code, 0, full.stderr);
    const { workflowId } = JSON.parse(full.stdout.trim().split('\n').pop() as string) as SyncSummary;
    const runs: WorkflowHandle[] = [client.workflow.getHandle(workflowId)];
    const start = async (input: object, name: string) => {
      const handle = await client.workflow.start('syncWorkflow', { taskQueue: env.HRSYNC_TASK_QUEUE, workflowId: `${workflowId}-${name}`, args: [input] });
      await handle.result();
      runs.push(handle);
    };
    // Force a refresh: the next run's first call gets a 401 and fetches a second token.
    sims.scim.expireTokens();
    const [someone] = sims.hr.employees().filter((e) => e.status === 'active');
    sims.hr.apply({ type: 'title-change', id: someone.id, title: 'Token Tester' });
    await start({ mode: 'delta' }, 'delta');
    await start({ mode: 'full', dryRun: true }, 'dry-run');

    assert.ok(tokens.length >= 2, `the worker fetched its token and a refreshed one through the proxy (${tokens.length})`);
    assert.ok(sims.scim.stats().faults.errors > 0, 'some requests failed, so error paths ran');
    const secrets: [string, string][] = [['the client secret', secret], ...tokens.map((t, i): [string, string] => [`access token ${i + 1}`, t])];
    for (const handle of runs) {
      const text = historyText(await handle.fetchHistory());
      assert.ok(text.includes('syncWorkflow') && text.includes('prepareRun'), 'the history was fetched');
      assert.ok(text.includes(`"targetName":"${env.HRSYNC_TARGET_NAME}"`), 'payloads were decoded: an activity result is readable');
      assert.deepEqual(leaks(text, secrets), [], `${handle.workflowId}: history`);
      const summary = (await handle.result()) as SyncSummary;
      assert.deepEqual(leaks(readFileSync(summary.reportPath, 'utf8'), secrets), [], `${handle.workflowId}: report`);
    }
    assert.ok(worker.lines.some((l) => l.includes(`${workflowId}-delta`)), 'the worker logged the runs');
    assert.deepEqual(leaks(worker.lines.join('\n'), secrets), [], 'worker log lines');
    assert.deepEqual(leaks(full.stdout + full.stderr, secrets), [], 'CLI output');
  });
});
