import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { applyActivities } from '../../src/activities/apply';
import type { ReferenceResult } from '../../src/workflows/contracts';
import { activityDeps } from '../support/activities';

/** A target where manager M-ok has a user and M-missing has none. */
async function startTarget() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/Users') {
      const ok = (url.searchParams.get('filter') ?? '').includes('M-ok');
      return send({ totalResults: ok ? 1 : 0, Resources: ok ? [{ id: 'um', userName: 'm@corp.example', externalId: 'M-ok' }] : [] });
    }
    const id = url.pathname.split('/').pop();
    send({ id, userName: `${id}@corp.example`, meta: { version: '"1"' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('resolveReferences: what holds the watermark back', () => {
  it('names the oldest change among the references left unset, not among all of them', async () => {
    const target = await startTarget();
    try {
      const deps = activityDeps(target.url);
      const { store } = deps;
      store.appendReference('run', 'p', { hrId: 'A', userId: 'uA', managerHrId: 'M-ok', updatedAt: '2026-01-01T00:00:00.000Z' });
      store.appendReference('run', 'p', { hrId: 'B', userId: 'uB', managerHrId: 'M-missing', updatedAt: '2026-03-01T00:00:00.000Z' });
      store.appendReference('run', 'p', { hrId: 'C', userId: 'uC', managerHrId: 'M-missing', updatedAt: '2026-02-01T00:00:00.000Z' });
      const acts = applyActivities(deps);
      const result: ReferenceResult = await new MockActivityEnvironment().run(acts.resolveReferences, { runKey: 'run', runToken: 'token', offset: 0 });
      assert.equal(result.resolved, 1);
      assert.equal(result.failed, 2);
      assert.equal(result.oldestFailure, '2026-02-01T00:00:00.000Z', 'A was set: its older change does not pin the watermark');
      assert.equal(result.undatedFailures, 0);
    } finally {
      await target.close();
    }
  });
});
