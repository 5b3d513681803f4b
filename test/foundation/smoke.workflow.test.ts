import assert from 'node:assert/strict';
import { loadWorkerConfig } from '../../src/config';
import { createHrsyncWorker } from '../../src/worker';
import { testEnv, workflowBundle } from '../support/temporal';

describe('smoke workflow on a real Temporal dev server', function () {
  this.timeout(120_000);

  it('runs end to end through a worker built by createHrsyncWorker', async () => {
    const env = await testEnv();
    const config = loadWorkerConfig({
      env: { HR_BASE_URL: 'http://127.0.0.1:1', HRSYNC_TARGET_NAME: 'acme', GENESYS_REGION: 'us-east-1', GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 's', HRSYNC_TASK_QUEUE: 'smoke-test' },
    });
    const worker = await createHrsyncWorker({ connection: env.nativeConnection, config: { ...config, temporal: { ...config.temporal, namespace: env.namespace ?? 'default' } }, workflowBundle: await workflowBundle() });
    const result = await worker.runUntil(
      env.client.workflow.execute('smokeWorkflow', { taskQueue: 'smoke-test', workflowId: `smoke-${Date.now()}`, args: [] }),
    );
    assert.equal(result, 'hrsync worker ready for genesys target "acme"');
  });
});
