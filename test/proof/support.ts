import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Simulators } from '../../sim';
import { findTemporalBinary } from '../../src/temporal/binary';
import { startDevServer, type RunningDevServer } from '../../src/temporal/devserver';
import type { SyncSummary } from '../../src/workflows/contracts';
import { freePort } from '../support/ports';
import { convergenceProblems, readReport } from '../sync/support';

/**
 * A dev server of its own, backed by a SQLite file, that a test may SIGKILL and start again on the same
 * file and port (the shared test server of test/support/temporal.ts must never be killed).
 */
export class KillableServer {
  #server?: RunningDevServer;
  readonly dbFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'hrsync-proof-db-')), 'temporal.db');
  #connection?: Connection;

  private constructor(
    readonly port: number,
    readonly uiPort: number,
  ) {}

  static async start(): Promise<KillableServer> {
    const s = new KillableServer(await freePort(), await freePort());
    await s.restart();
    return s;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on the same SQLite file and port. */
  async restart(): Promise<void> {
    this.#server = await startDevServer({
      binary: findTemporalBinary(),
      ip: '127.0.0.1',
      port: this.port,
      uiPort: this.uiPort,
      namespace: 'default',
      dbFile: this.dbFile,
    });
  }

  /** SIGKILL: no chance to flush or say goodbye. */
  async kill(): Promise<void> {
    const child = this.#server?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async client(): Promise<Client> {
    this.#connection ??= await Connection.connect({ address: this.address });
    return new Client({ connection: this.#connection });
  }

  async stop(): Promise<void> {
    await this.#connection?.close();
    await this.#server?.stop();
  }
}

/** Polls a condition on the simulators' state (progress, never a fixed sleep). */
export async function until(what: string, reached: () => boolean, limitMs = 300_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!reached()) {
    if (Date.now() > deadline) throw new Error(`never reached: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Users the SCIM simulator has created so far. */
export const created = (sims: Simulators): number => sims.scim.stats().byRoute['POST /users 201'] ?? 0;

/**
 * The run chain's result. A server that is down or restarting makes the long poll fail: ask again
 * until the run itself answers (a failed run throws).
 */
export async function resultOf(handle: () => Promise<WorkflowHandle>, limitMs = 300_000): Promise<SyncSummary> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      return (await (await handle()).result()) as SyncSummary;
    } catch (err) {
      if (err instanceof WorkflowFailedError || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * What every crash scenario must end with: the run succeeded, the target equals what HR describes, no
 * userName or externalId twice, and a report row for every employee.
 */
export function assertSyncedExactly(sims: Simulators, summary: SyncSummary): void {
  assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
  assert.deepEqual(convergenceProblems(sims.hr.employees(), sims).slice(0, 20), []);
  const users = sims.scim.users();
  const twice = (values: (string | undefined)[]) => {
    const seen = new Set<string>();
    return values.filter((v): v is string => v !== undefined).filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
  };
  assert.deepEqual(twice(users.map((u) => u.userName.toLowerCase())), [], 'no userName twice');
  assert.deepEqual(twice(users.map((u) => u.externalId)), [], 'no externalId twice');
  const rows = readReport(summary.reportPath);
  assert.deepEqual(twice(rows.map((r) => r.hr_id)), [], 'one report row per employee');
  assert.deepEqual(
    rows.map((r) => r.hr_id).sort(),
    sims.hr
      .employees()
      .map((e) => String(e.id))
      .sort(),
    'a report row for every employee',
  );
}
