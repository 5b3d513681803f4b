import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { approveUpdate, pendingApprovalQuery } from '../../src/workflows/sync';
import { createHrsyncWorker } from '../../src/worker';
import { startHarness, type Harness } from '../support/harness';
import { testEnv, workflowBundle } from '../support/temporal';
import { eventually, userByExternalId } from './support';

/** The message at the bottom of a failure chain. */
function rootCause(err: unknown): { message: string; type?: string } {
  let cur = err as { message: string; type?: string; cause?: unknown };
  while (cur.cause) cur = cur.cause as typeof cur;
  return cur;
}

describe('sync workflow: a run whose working state is missing on the worker', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 30, seed: 61 }, configure: (c) => void (c.sync.gate.maxCount = 0) });
    assert.equal((await h.sync({ mode: 'full' })).outcome, 'succeeded');
  });
  after(async () => h?.close());

  it('fails loudly, saying reportDir must be shared, instead of reading "nothing yet"', async () => {
    const leaver = h.sims.hr.employees().find((e) => e.status === 'active' && !h.sims.hr.employees().some((m) => String(m.manager_employee_id) === String(e.id)));
    assert.ok(leaver);
    h.sims.hr.apply({ type: 'terminate', id: leaver.id });
    const handle = await h.start({ mode: 'full' });
    await eventually(() => handle.query(pendingApprovalQuery), 'the run to wait at the gate');
    // The plan pass's working state is gone, as on a worker that does not share reportDir.
    rmSync(path.join(h.config.reportDir, '.runs'), { recursive: true, force: true });
    const writes = h.sims.scim.stats().writes;
    await handle.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });

    const err = await handle.result().then(
      () => assert.fail('the run must not succeed without its working state'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError);
    const root = rootCause(err);
    assert.equal(root.type, 'run-state-missing', root.message);
    assert.match(root.message, /must share reportDir/);
    assert.equal(h.sims.scim.stats().writes, writes, 'nothing was written on the strength of missing state');
    assert.equal(userByExternalId(h.sims, String(leaver.id))?.active, true);
  });
});

describe('worker start-up: reportDir must be writable', () => {
  it('fails at start-up naming the key', async () => {
    const env = await testEnv();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hrsync-notadir-')), 'a-file');
    writeFileSync(file, '');
    const h = await startHarness({ hr: { employees: 1 } });
    try {
      const config = { ...h.config, reportDir: path.join(file, 'reports') };
      await assert.rejects(
        createHrsyncWorker({ connection: env.nativeConnection, config, workflowBundle: await workflowBundle() }),
        (e: Error) => e.name === 'ConfigError' && /reportDir \(env HRSYNC_REPORT_DIR\): .* is not writable/.test(e.message),
      );
    } finally {
      await h.close();
    }
  });
});
