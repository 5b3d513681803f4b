import { startSimulators, type Simulators } from '../../sim';
import type { Spawned } from '../support/spawned';
import { killWorker, spawnWorker, workerEnv } from '../support/workers';
import { assertSyncedExactly, created, KillableServer, resultOf, until } from './support';

const EMPLOYEES = 2000;

/**
 * Durability, proved with real processes: workers are `hrsync worker` processes and the dev server a
 * `temporal` process, each SIGKILLed at a point chosen by the simulators' progress, never by a sleep.
 */
describe('proof: a sync of 2,000 employees survives crashes', function () {
  this.timeout(600_000);
  let server: KillableServer;
  const workers: Spawned[] = [];
  const sims: Simulators[] = [];
  const company = async (seed: number) => {
    const s = await startSimulators({ scim: { rateLimitPerMinute: null }, hr: { employees: EMPLOYEES, seed } });
    sims.push(s);
    return s;
  };
  const worker = async (env: Record<string, string>) => {
    const w = await spawnWorker(env);
    workers.push(w);
    return w;
  };
  const start = async (env: Record<string, string>) => {
    const client = await server.client();
    const workflowId = `proof-${env.HRSYNC_TARGET_NAME}`;
    await client.workflow.start('syncWorkflow', { taskQueue: env.HRSYNC_TASK_QUEUE, workflowId, args: [{ mode: 'full' }] });
    return async () => (await server.client()).workflow.getHandle(workflowId);
  };

  before(async () => {
    server = await KillableServer.start();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    for (const s of sims.splice(0)) await s.close();
  });
  after(async () => server?.stop());

  it('a worker SIGKILLed at three points (plan pass, early apply, late apply), restarted each time', async () => {
    const s = await company(101);
    const env = workerEnv(s, server, 'worker-kills');
    let w = await worker(env);
    const handle = await start(env);
    const points: [string, () => boolean][] = [
      ['plan pass: 5 HR pages read', () => s.hr.stats().requests >= 5],
      ['apply: 500 users created', () => created(s) >= 500],
      ['apply: 1,700 users created', () => created(s) >= 1700],
    ];
    for (const [what, reached] of points) {
      await until(what, reached);
      await killWorker(w);
      w = await worker(env);
    }
    assertSyncedExactly(s, await resultOf(handle));
  });

  it('two workers on one queue, one SIGKILLed mid-apply', async () => {
    const s = await company(102);
    const env = workerEnv(s, server, 'two-workers');
    const [first] = [await worker(env), await worker(env)];
    const handle = await start(env);
    await until('apply: 800 users created', () => created(s) >= 800);
    await killWorker(first);
    assertSyncedExactly(s, await resultOf(handle));
  });

  it('the dev server SIGKILLed mid-apply and restarted on the same SQLite file', async () => {
    const s = await company(103);
    const env = workerEnv(s, server, 'server-kill');
    await worker(env);
    const handle = await start(env);
    await until('apply: 800 users created', () => created(s) >= 800);
    await server.kill();
    await server.restart();
    assertSyncedExactly(s, await resultOf(handle));
  });
});
