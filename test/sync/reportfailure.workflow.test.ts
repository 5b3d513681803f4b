import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { listRuns, runStatus } from '../../src/runs/inspect';
import { endedLines } from '../../src/runs/outcome';
import { targetName } from '../../src/config';
import { reportFile } from '../../src/activities/report';
import { startHarness, type Harness } from '../support/harness';
import { eventually } from './support';

describe('sync workflow: the final report cannot be written', function () {
  this.timeout(180_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 6, seed: 71 } });
  });
  after(async () => h?.close());

  /** A folder where the run's CSV goes: the report folder can't take the file, and no retry mends that. */
  function blockReport(workflowId: string): string {
    const file = reportFile(h.config.reportDir, workflowId);
    mkdirSync(file, { recursive: true });
    return file;
  }

  it('fails the run at the report, says its writes stand and what to do, keeps its working files; a run again succeeds', async () => {
    const workflowId = `hrsync-${targetName(h.config)}-report-blocked`;
    const blocked = blockReport(workflowId);
    const handle = await h.start({ mode: 'full' }, { workflowId });
    const err = await handle.result().then(
      () => assert.fail('a run without its report must not succeed'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError);
    const created = h.sims.scim.users().length;
    assert.ok(created >= 6, 'the writes happened before the report');

    const status = await runStatus(h.client, workflowId);
    assert.equal(status.status, 'FAILED');
    assert.equal(status.outcome, 'failed');
    assert.equal(status.failedIn, 'writing the report');
    assert.match(status.failure ?? '', /^the report could not be written: reportDir \(env HRSYNC_REPORT_DIR\): cannot write .* \(EISDIR\)\. /);
    assert.match(status.failure ?? '', /The writes this run made stand \(applied \d+\); its watermark did not move\. Make reportDir writable, then run the sync again/);
    const lines = endedLines({ workflowId, status: status.status, outcome: status.outcome, failure: status.failure, failedIn: status.failedIn }).join('\n');
    assert.match(lines, /^outcome: failed/);
    assert.doesNotMatch(lines, /report \(partial/, 'no report is named: there is none');
    assert.ok(existsSync(path.join(h.config.reportDir, '.runs', workflowId)), 'the working files stay for a reset to the report step');
    const listed = await eventually(
      async () => (await listRuns(h.client, { target: targetName(h.config) })).find((r) => r.workflowId === workflowId && r.outcome === 'failed'),
      'visibility to say failed',
    );
    assert.equal(listed.status, 'FAILED');

    // What the message says to do: the folder mended, the next run writes nothing again and reports.
    rmSync(blocked, { recursive: true });
    const again = await h.sync({ mode: 'full' });
    assert.equal(again.outcome, 'succeeded');
    assert.equal(again.outcomes.applied ?? 0, 0, JSON.stringify(again.outcomes));
    assert.equal(h.sims.scim.users().length, created);
  });

  it('a dry run whose report fails ends failed at the report, not wrapped as a failure of the run before it', async () => {
    const workflowId = `hrsync-${targetName(h.config)}-dry-blocked`;
    blockReport(workflowId);
    const handle = await h.start({ mode: 'full', dryRun: true }, { workflowId });
    await handle.result().then(
      () => assert.fail('a dry run without its report must not succeed'),
      () => undefined,
    );
    const status = await runStatus(h.client, workflowId);
    assert.equal(status.outcome, 'failed');
    assert.equal(status.failedIn, 'writing the report');
    assert.match(status.failure ?? '', /^the report could not be written: .*\(EISDIR\)\. The writes this run made stand \(none\)/);
    assert.doesNotMatch(status.failure ?? '', /and its report could not be written/);
  });
});
