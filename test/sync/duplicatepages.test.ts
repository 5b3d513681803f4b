import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { hrConnectorFor, scimClientFor } from '../../src/activities';
import { planActivities } from '../../src/activities/plan';
import { loadWorkerConfig } from '../../src/config';
import { RunStateMissingError, RunStore } from '../../src/staging/runstore';
import type { HrPagePlan } from '../../src/workflows/contracts';

describe('a full run that meets the same HR id on two pages', () => {
  it('plans the second against the user the first one wrote, never a second account, and not before the first is written', async () => {
    const gets: string[] = [];
    const server = http.createServer((req, res) => {
      gets.push(req.url ?? '');
      if (req.url?.startsWith('/api/v1/employees')) {
        // Page 3 sends E1 again, with a new email: matched by userName, it would look like a joiner.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [{ id: 'E1', first_name: 'Ada', last_name: 'Lovelace', email: 'new.address@corp.example', updated_at: '2026-11-26T10:00:00Z' }], next_cursor: null }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.end(JSON.stringify({ id: 'u-written', userName: 'old.address@corp.example', externalId: 'E1', active: true, displayName: 'Ada Lovelace', meta: { version: '"1"' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-dup-'));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const config = loadWorkerConfig({ env: { HR_BASE_URL: url, SCIM_TARGET: 'scim2', SCIM_BASE_URL: url, SCIM_BEARER_TOKEN: 't', HRSYNC_REPORT_DIR: root } });
      const store = new RunStore(root);
      store.begin('run', 'token');
      // Page 1 of this apply pass created E1; the pass's snapshot (read before it) does not have them.
      store.recordWritten('run', '2-apply-hr-000000-000000', { hrId: 'E1', userId: 'u-written', version: '"1"' });
      const acts = planActivities({ config, scim: scimClientFor(config), hr: hrConnectorFor(config), store });
      const input = {
        runKey: 'run',
        runToken: 'token',
        pass: 'apply' as const,
        page: 2,
        cursor: 'page-3',
        updatedAfter: null,
        mode: 'full' as const,
        today: '2026-11-26',
        groupIds: {},
        chunkSize: 25,
        bulk: false,
        previewRoom: 0,
      };
      const plan: HrPagePlan = await new MockActivityEnvironment().run(acts.planHrPage, input);
      assert.equal(plan.counts.create, undefined, JSON.stringify(plan.counts));
      assert.deepEqual([plan.writes, plan.chunks], [1, 1]);
      // The change itself stays out of the result: the apply pass stores it for the chunk's write.
      assert.deepEqual(store.planChunk('run', 'apply', { read: 'hr', page: 2 }, 0).map((c) => [c.action, c.userId]), [['update', 'u-written']]);
      assert.ok(gets.some((g) => g.endsWith('/Users/u-written')), JSON.stringify(gets));

      // Planned while page 2 is still being written, and page 2 writes E1 too: nothing planned yet, the page
      // is planned again once page 2 is written.
      const change = store.planChunk('run', 'apply', { read: 'hr', page: 2 }, 0)[0];
      store.writePlan('run', 'apply', { read: 'hr', page: 3 }, [[change]]);
      const ahead = { ...input, page: 4, cursor: 'page-5', writing: 3 };
      const early: HrPagePlan = await new MockActivityEnvironment().run(acts.planHrPage, ahead);
      assert.deepEqual([early.planAgain, early.writes, early.nextCursor], [true, 0, null]);
      assert.throws(() => store.planChunk('run', 'apply', { read: 'hr', page: 4 }, 0), RunStateMissingError, 'nothing stored for the page');
      // A stored plan missing for the page being written is missing state, not a page that writes nobody.
      await assert.rejects(new MockActivityEnvironment().run(acts.planHrPage, { ...ahead, writing: 7 }), /run-state-missing|no stored plan/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
