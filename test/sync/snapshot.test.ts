import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { scimClientFor } from '../../src/activities';
import { planActivities } from '../../src/activities/plan';
import { loadWorkerConfig } from '../../src/config';
import { RunStore } from '../../src/staging/runstore';

/** 60 users, 25 a page; every startIndex asked is logged. */
async function startTarget() {
  const asked: number[] = [];
  const server = http.createServer((req, res) => {
    const start = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('startIndex') ?? 1);
    asked.push(start);
    const ids = Array.from({ length: 60 }, (_, i) => i + 1).filter((i) => i >= start && i < start + 25);
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    res.end(JSON.stringify({ totalResults: 60, startIndex: start, Resources: ids.map((i) => ({ id: `u${i}`, userName: `u${i}@corp.example`, externalId: `E${i}`, active: true })) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('snapshotTargetPage: a retry resumes from its heartbeat', () => {
  it('goes on from the last page stored instead of reading the activity\'s pages again', async () => {
    const target = await startTarget();
    try {
      const root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-snapshot-'));
      const config = loadWorkerConfig({ env: { HR_BASE_URL: 'http://127.0.0.1:9', SCIM_TARGET: 'scim2', SCIM_BASE_URL: target.url, SCIM_BEARER_TOKEN: 't', HRSYNC_REPORT_DIR: root } });
      const store = new RunStore(root);
      store.begin('run', 'token');
      const acts = planActivities({ config, scim: scimClientFor(config), store });
      const input = { runKey: 'run', runToken: 'token', pass: 'plan' as const, cursor: 'active:1' };
      // The first attempt stored page 1 and heartbeat, then died; this is the retry.
      store.writeSnapshotPage('run', 'plan', 'active-000001', Array.from({ length: 25 }, (_, i) => ({ id: `u${i + 1}`, userName: `u${i + 1}@corp.example`, externalId: `E${i + 1}`, active: true })));
      const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { cursor: 'active:26:60', users: 25 } });
      const result: { nextCursor: string | null; users: number } = await retry.run(acts.snapshotTargetPage, input);
      assert.deepEqual(target.asked, [26, 51], 'page 1 is not read again');
      assert.equal(result.nextCursor, null);
      assert.equal(result.users, 60, 'the count carries over from the heartbeat');
      assert.equal([...store.snapshot('run', 'plan')].length, 60);
    } finally {
      await target.close();
    }
  });
});
