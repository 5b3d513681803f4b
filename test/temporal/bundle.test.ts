import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadWorkerConfig } from '../../src/config';
import { BUNDLE_FILES, prebuiltBundle, withoutSourcesContent } from '../../src/temporal/bundle';
import { createHrsyncWorker } from '../../src/worker';
import { testEnv, workflowBundle } from '../support/temporal';

describe('prebuiltBundle: the workflow bundle the build made, only while it is the build\'s', () => {
  const at = (file: string, seconds: number, text = '') => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    utimesSync(file, seconds, seconds);
  };

  it('is the bundle newer than every compiled file, plain or with the encoding converter', () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), 'hrsync-bundle-'));
    at(path.join(dist, 'worker.js'), 1000);
    at(path.join(dist, 'workflows', 'sync.js'), 1000);
    assert.equal(prebuiltBundle(dist, false), undefined, 'no bundle: running from source, or tsc alone');
    at(path.join(dist, BUNDLE_FILES.plain), 2000);
    assert.equal(prebuiltBundle(dist, false), path.join(dist, BUNDLE_FILES.plain));
    assert.equal(prebuiltBundle(dist, true), undefined, 'the encrypted run needs the bundle with the converter');
    at(path.join(dist, BUNDLE_FILES.encrypted), 2000);
    assert.equal(prebuiltBundle(dist, true), path.join(dist, BUNDLE_FILES.encrypted));
  });

  it('is none once a compiled file is newer: the bundle would run other workflow code', () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), 'hrsync-bundle-'));
    at(path.join(dist, BUNDLE_FILES.plain), 2000);
    at(path.join(dist, 'workflows', 'sync.js'), 3000);
    assert.equal(prebuiltBundle(dist, false), undefined);
    at(path.join(dist, 'workflows', 'sync.js.map'), 4000);
    at(path.join(dist, 'workflows', 'sync.js'), 1000);
    assert.equal(prebuiltBundle(dist, false), path.join(dist, BUNDLE_FILES.plain), 'source maps are not code');
  });
});

describe('the built bundle: its source map without the sources', function () {
  this.timeout(120_000);

  it('runs, and a workflow\'s stack trace still names its source file', async () => {
    const env = await testEnv();
    const { code } = await workflowBundle();
    const stripped = withoutSourcesContent(code);
    assert.ok(stripped.length < code.length / 1.5, `${stripped.length} of ${code.length}`);
    const config = loadWorkerConfig({
      env: { HR_BASE_URL: 'http://127.0.0.1:1', HRSYNC_TARGET_NAME: 'acme', GENESYS_REGION: 'us-east-1', GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 's', HRSYNC_TASK_QUEUE: 'bundle-test' },
    });
    let release: () => void = () => undefined;
    const describing = new Promise<void>((resolve) => (release = resolve));
    const worker = await createHrsyncWorker({
      connection: env.nativeConnection,
      config: { ...config, temporal: { ...config.temporal, namespace: env.namespace ?? 'default' } },
      workflowBundle: { code: stripped },
      activities: { describeTarget: async () => (await describing, { kind: 'genesys', name: 'acme' }) },
    });
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('smokeWorkflow', { taskQueue: 'bundle-test', workflowId: `bundle-${Date.now()}`, args: [] });
      // Waiting on its activity: the stack trace is the workflow's, mapped through the bundle's source map.
      const stack = await handle.query<string>('__stack_trace');
      assert.match(stack, /src\/workflows\/smoke\.ts:\d+/);
      release();
      return handle.result();
    });
    assert.equal(result, 'hrsync worker ready for genesys target "acme"');
  });
});
