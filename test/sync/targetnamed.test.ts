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

/** A SCIM target that refuses every token. */
async function refusingTarget() {
  const server = http.createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/scim+json' });
    res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'token rejected' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('plan activities: a failure names the target it came from', () => {
  it('tells a scim2 operator to check SCIM_BEARER_TOKEN, not the settings of every kind', async () => {
    const target = await refusingTarget();
    try {
      const root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-targetnamed-'));
      const config = loadWorkerConfig({ env: { HR_BASE_URL: 'http://127.0.0.1:9', SCIM_TARGET: 'scim2', SCIM_BASE_URL: target.url, SCIM_BEARER_TOKEN: 't', HRSYNC_REPORT_DIR: root } });
      const store = new RunStore(root);
      store.begin('run', 'token');
      const acts = planActivities({ config, scim: scimClientFor(config), store });
      const err = await new MockActivityEnvironment().run(acts.snapshotTargetPage, { runKey: 'run', runToken: 'token', pass: 'plan' as const, cursor: 'active:1' }).then(
        () => assert.fail('a refused token must fail the page'),
        (e: unknown) => e as Error,
      );
      assert.match(err.message, /^The SCIM target rejected the access token \(user\.list\)/);
      assert.match(err.message, /check SCIM_BEARER_TOKEN/);
      assert.doesNotMatch(err.message, /GENESYS_CLIENT_ID/);
    } finally {
      await target.close();
    }
  });
});
