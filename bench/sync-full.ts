/**
 * A full sync of a generated company against the simulators on a real dev server, then a rerun with no
 * HR change, then a delta after a day of HR changes. Prints, for each run: elapsed time, SCIM API calls
 * (per employee) and where they went (the simulator's counts by route and status), writes, history
 * length and how many times the run continued as new, and the worker's peak RSS.
 *
 *   node -r ts-node/register/transpile-only bench/sync-full.ts [--employees 2000] [--rate-limit off|PER_MIN] [--mode genesys|scim2] [--page-size 100]
 */
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadWorkerConfig } from '../src/config';
import { startSimulators } from '../sim';
import { lifecycleBatch } from '../sim/hr/batch';
import { findTemporalBinary } from '../src/temporal/binary';
import { ALL_SEARCH_ATTRIBUTES } from '../src/temporal/searchattributes';
import type { SyncInput, SyncSummary } from '../src/workflows/contracts';
import { createHrsyncWorker } from '../src/worker';
import { benchWorkerEnv } from './worker-env';

const { values } = parseArgs({
  options: {
    employees: { type: 'string', default: '2000' },
    'rate-limit': { type: 'string', default: 'off' },
    mode: { type: 'string', default: 'genesys' },
    'page-size': { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
  },
});
const employees = Number(values.employees);
const rateLimit = values['rate-limit'] === 'off' ? null : Number(values['rate-limit']);
const mode = values.mode as 'genesys' | 'scim2';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: findTemporalBinary() }, searchAttributes: ALL_SEARCH_ATTRIBUTES },
  });
  const sims = await startSimulators({ scim: { mode, rateLimitPerMinute: rateLimit }, hr: { employees, seed: Number(values.seed) } });
  const config = loadWorkerConfig({
    env: { ...benchWorkerEnv(sims.endpoints(), { queue: 'bench', employees, rateLimitPerMinute: rateLimit }), HR_PAGE_SIZE: String(values['page-size']) },
  });
  const worker = await createHrsyncWorker({ connection: env.nativeConnection, config, temporalClient: env.client });
  const running = worker.run();
  let n = 0;
  const run = async (label: string, input: SyncInput) => {
    const before = sims.scim.stats();
    const writesBefore = before.writes;
    const workflowId = `bench-${++n}-${input.mode}`;
    const started = Date.now();
    const summary: SyncSummary = await env.client.workflow.execute('syncWorkflow', { taskQueue: 'bench', workflowId, args: [input] });
    const elapsed = (Date.now() - started) / 1000;
    let runs = 0;
    let events = 0;
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      runs += 1;
      events += wf.historyLength;
    }
    const after = sims.scim.stats();
    const writes = after.writes - writesBefore;
    console.log(
      `${label.padEnd(22)} ${elapsed.toFixed(1).padStart(7)} s  ${String(summary.apiCalls).padStart(7)} API calls (${(summary.apiCalls / Math.max(1, summary.employeesRead)).toFixed(2)}/employee read)  ${String(writes).padStart(6)} writes  ${summary.employeesRead} read  outcome ${summary.outcome}  drift ${summary.drift}  ${runs} run(s) in the chain, ${events} history events`,
    );
    const routes = Object.entries(after.byRoute)
      .map(([route, calls]) => [route, calls - (before.byRoute[route] ?? 0)] as const)
      .filter(([, calls]) => calls > 0)
      .sort((a, b) => b[1] - a[1]);
    console.log(`${''.padEnd(22)} by route: ${routes.map(([route, calls]) => `${route} ×${calls}`).join(', ')}`);
  };
  console.log(`sync-full: ${employees} employees, ${mode} target, rate limit ${rateLimit ?? 'off'}, HR page size ${values['page-size']}`);
  await run('initial full sync', { mode: 'full' });
  await run('full, nothing changed', { mode: 'full' });
  for (const e of lifecycleBatch(sims.hr.employees(), new Date().toISOString().slice(0, 10))) sims.hr.apply(e);
  await run('delta after HR changes', { mode: 'delta' });
  console.log(`worker process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (includes both simulators, which hold the company and the users)`);
  console.log(
    `reproduce: node -r ts-node/register/transpile-only bench/sync-full.ts --employees ${employees} --rate-limit ${values['rate-limit']} --mode ${mode} --page-size ${values['page-size']}`,
  );
  worker.shutdown();
  await running;
  await sims.close();
  await env.teardown();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
