import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hrConnectorFor, scimClientFor } from '../../src/activities';
import { loadWorkerConfig, type WorkerConfig } from '../../src/config';
import type { HrConnector } from '../../src/hr';
import type { ScimClient } from '../../src/scim';
import { RunStore } from '../../src/staging/runstore';

/**
 * What an activity factory needs to run one activity against a local scim2 target (a test's own server):
 * the worker's config, its clients (HR points nowhere), and a run store whose run `run` (token `token`) has begun.
 */
export function activityDeps(targetUrl: string): { config: WorkerConfig; scim: ScimClient; hr: HrConnector; store: RunStore } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-activity-'));
  const config = loadWorkerConfig({ env: { HR_BASE_URL: 'http://127.0.0.1:9', SCIM_TARGET: 'scim2', SCIM_BASE_URL: targetUrl, SCIM_BEARER_TOKEN: 't', HRSYNC_REPORT_DIR: root } });
  const store = new RunStore(root);
  store.begin('run', 'token');
  return { config, scim: scimClientFor(config), hr: hrConnectorFor(config), store };
}
