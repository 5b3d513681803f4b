import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorEnv, type Simulators } from '../../sim';
import { Spawned } from './spawned';

/** What a worker process needs to sync these simulators through `server`, as a user would export it. */
export function workerEnv(sims: Simulators, server: { address: string }, name: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...simulatorEnv(sims.endpoints()),
    TEMPORAL_ADDRESS: server.address,
    HRSYNC_TASK_QUEUE: `proof-${name}`,
    HRSYNC_TARGET_NAME: name,
    HRSYNC_REPORT_DIR: mkdtempSync(path.join(os.tmpdir(), 'hrsync-proof-reports-')),
    SCIM_RATE_LIMIT_PER_MINUTE: '0',
    HRSYNC_CONCURRENCY: '8',
    // A killed worker's activity is retried elsewhere once its heartbeat is overdue: keep that short here.
    HRSYNC_HEARTBEAT_TIMEOUT_SECONDS: '5',
    ...extra,
  };
}

/** `hrsync worker` in a process of its own, polling once this returns. */
export async function spawnWorker(env: Record<string, string>): Promise<Spawned> {
  const worker = new Spawned(['worker'], env);
  await worker.waitFor(/hrsync worker polling/, 120_000);
  return worker;
}

/** SIGKILL, and wait until the process is gone. */
export async function killWorker(worker: Spawned): Promise<void> {
  worker.kill('SIGKILL');
  await worker.exited;
}

