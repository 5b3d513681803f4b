import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { isListening } from '../../src/temporal/devserver';
import { runCli } from '../support/cli';
import { freePort } from '../support/ports';
import { Spawned } from '../support/spawned';

describe('hrsync dev-server', function () {
  this.timeout(120_000);
  const started: Spawned[] = [];
  afterEach(async () => {
    for (const s of started.splice(0)) await s.stop();
  });

  it('starts with the search attributes, refuses a second server, stops on Ctrl-C, and keeps its state across restarts', async () => {
    const [port, uiPort] = [await freePort(), await freePort()];
    const db = path.join(mkdtempSync(path.join(os.tmpdir(), 'hrsync-devserver-')), 'temporal.db');
    const args = ['dev-server', '--port', String(port), '--ui-port', String(uiPort), '--db-filename', db];
    const start = async () => {
      const s = new Spawned(args);
      started.push(s);
      await s.waitFor(/Press Ctrl-C to stop/);
      assert.ok(s.lines.some((l) => l.includes(`127.0.0.1:${port}`)), 'prints the gRPC address');
      assert.ok(s.lines.some((l) => l.includes(`Web UI: http://127.0.0.1:${uiPort}`)), 'prints the Web UI URL');
      return s;
    };

    const first = await start();
    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    try {
      const client = new Client({ connection });
      const attrs = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const name of ['HrsyncTarget', 'HrsyncMode', 'HrsyncOutcome', 'HrsyncAwaitingApproval', 'HrsyncPlanned', 'HrsyncFailed', 'HrsyncDrift', 'HrsyncWatermark']) {
        assert.ok(name in (attrs.customAttributes ?? {}), `${name} is registered`);
      }
      // No worker polls this queue: the run simply stays open, which is what must survive the restart.
      await client.workflow.start('syncWorkflow', { taskQueue: 'nobody-polls', workflowId: 'survives-restart', args: [{ mode: 'delta' }] });
    } finally {
      await connection.close();
    }

    const second = await runCli(args);
    assert.equal(second.code, 0);
    assert.match(second.stdout, new RegExp(`already answers on 127.0.0.1:${port}; not starting a second one`));

    first.kill('SIGINT');
    assert.equal(await first.exited, 0);
    assert.equal(await isListening('127.0.0.1', port), false, 'the server is gone after Ctrl-C');

    await start();
    const again = await Connection.connect({ address: `127.0.0.1:${port}` });
    try {
      const described = await new Client({ connection: again }).workflow.getHandle('survives-restart').describe();
      assert.equal(described.status.name, 'RUNNING');
    } finally {
      await again.close();
    }
  });
});
