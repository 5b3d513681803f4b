import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ManagerDirectory } from '../../src/activities/resolve';
import { createScimClient } from '../../src/scim';

describe('managers.resolve', () => {
  it('heartbeats as it looks managers up, so a page of many never outlives the heartbeat timeout', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.end(JSON.stringify({ totalResults: 0, Resources: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const scim = createScimClient({ profile: 'scim2', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bearerToken: 't', rateLimitPerMinute: null });
      const env = new MockActivityEnvironment();
      let beats = 0;
      env.on('heartbeat', () => void (beats += 1));
      const found = await env.run(() => new ManagerDirectory(scim).resolve(['M1', 'M2', 'M3', 'M2']));
      assert.deepEqual(found, {});
      assert.ok(beats >= 3, `one heartbeat per manager looked up: ${beats}`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
