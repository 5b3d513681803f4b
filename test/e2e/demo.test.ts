import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isListening } from '../../src/temporal/devserver';
import { freePort } from '../support/ports';
import { Spawned } from '../support/spawned';

/** The README's main command, end to end: it must finish, and leave nothing running, also when interrupted. */
describe('hrsync demo', function () {
  this.timeout(240_000);
  const started: Spawned[] = [];
  afterEach(async () => {
    for (const s of started.splice(0)) await s.stop();
  });

  async function demo(...extra: string[]) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-demo-'));
    const [port, uiPort] = [await freePort(), await freePort()];
    const s = new Spawned(['demo', '--port', String(port), '--ui-port', String(uiPort), '--employees', '40', '--report-dir', path.join(dir, 'reports'), ...extra], {
      HRSYNC_DATA_DIR: path.join(dir, 'data'),
    });
    started.push(s);
    return { s, dir, port, uiPort };
  }

  it('runs a full sync and a delta, prints both summaries and the report folder, and stops everything', async () => {
    // Enough employees that the writes outlast a poll of the progress (1 s), so the CLI sees them begin: at
    // 3000 calls a minute, 40 employees are written in under a second now that each costs about one call.
    const { s, dir, port, uiPort } = await demo('--employees', '150');
    assert.equal(await s.exited, 0, s.lines.join('\n'));
    const out = s.lines.join('\n');
    assert.equal(s.lines.filter((l) => l === 'outcome: succeeded').length, 2, out);
    assert.match(out, /mode: full; employees read: 150/);
    assert.match(out, /mode: delta; employees read: \d+/);
    assert.match(out, /outcomes: .*applied \d+/);
    assert.match(out, new RegExp(`Web UI: http://localhost:${uiPort}/`));
    assert.match(out, /^writing: about \d+ target calls; ETA \d+s at 3000\/min$/m, 'the ETA when the writes begin');
    assert.match(out, /^time: \d+s in all; writing took \d+s \(ETA when it began: \d+s\)$/m, 'and the time they took');
    const reports = readdirSync(path.join(dir, 'reports')).filter((f) => f.endsWith('.csv'));
    assert.equal(reports.length, 2);
    assert.ok(existsSync(path.join(dir, 'data', 'temporal.db')), 'the dev server kept its state in the data folder');
    assert.equal(await isListening('127.0.0.1', port), false, 'the dev server it started is stopped');
    assert.equal(await isListening('127.0.0.1', uiPort), false, 'and its Web UI');
  });

  it('with --keep, leaves the dev server and Web UI running until Ctrl-C, and says so', async () => {
    const { s, port, uiPort } = await demo('--keep');
    await s.waitFor(/keep running until you press Ctrl-C/, 180_000);
    assert.equal(await isListening('127.0.0.1', uiPort), true, 'the Web UI still answers after the demo ran');
    assert.ok(s.lines.findIndex((l) => l.startsWith('Web UI: ')) < s.lines.findIndex((l) => /keep running/.test(l)));
    s.kill('SIGINT');
    assert.equal(await s.exited, 0);
    assert.equal(await isListening('127.0.0.1', port), false, 'Ctrl-C stops the dev server');
  });

  it('stops what it started when interrupted, and exits only once the dev server has', async () => {
    const { s, port, uiPort } = await demo();
    await s.waitFor(/^1\. A full sync/);
    assert.equal(await isListening('127.0.0.1', port), true);
    s.kill('SIGINT');
    assert.equal(await s.exited, 130, s.lines.join('\n'));
    // No wait here: the demo exits after the dev server process has, so its ports are already closed.
    assert.equal(await isListening('127.0.0.1', port), false, 'the dev server is stopped after Ctrl-C');
    assert.equal(await isListening('127.0.0.1', uiPort), false, 'and its Web UI');
  });
});
