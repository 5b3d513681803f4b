import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadWorkerConfig, type WorkerConfig } from '../../src/config';
import { startSimulators, simulatorEnv, type Simulators } from '../../sim';
import type { HrSimOptions } from '../../sim/hr';
import type { ScimSimOptions } from '../../sim/scim';
import type { SyncInput, SyncSummary } from '../../src/workflows/contracts';
import { dataConverter } from '../../src/temporal/dataconverter';
import { createHrsyncWorker } from '../../src/worker';
import { testEnv, workflowBundle } from './temporal';

let seq = 0;

export interface HarnessOptions {
  scim?: ScimSimOptions;
  hr?: HrSimOptions;
  /**
   * Environment over the simulators' (the config is loaded from it). With a payload key
   * (HRSYNC_ENCRYPTION_KEY_ID and HRSYNC_ENCRYPTION_KEY), see `encrypted`.
   */
  env?: Record<string, string>;
  /**
   * The worker AND the harness's client use the data converter built from the harness config
   * (`dataConverter(config.temporal)`: payload encryption), with a workflow bundle that has its
   * failure converter. Requires the key in `env`. Off: the shared plain client and bundle.
   */
  encrypted?: boolean;
  /** Settings the environment can't express (e.g. the watermark overlap), applied to the loaded config. */
  configure?: (config: WorkerConfig) => void;
  /**
   * Genesys mode: put a recording proxy in front of the login host, so a test can list every access
   * token the simulator issued to the worker (`issuedTokens()`).
   */
  recordTokens?: boolean;
}

export interface Harness {
  sims: Simulators;
  config: WorkerConfig;
  worker: Worker;
  client: Client;
  /** Runs one sync to completion on this harness's worker. */
  sync(input: SyncInput, opts?: { workflowId?: string }): Promise<SyncSummary>;
  /** Starts a sync and returns its handle (for runs that wait at the gate, or fail). */
  start(input: SyncInput, opts?: { workflowId?: string }): Promise<WorkflowHandle>;
  /** Access tokens the login host issued through the recording proxy (`recordTokens`). */
  issuedTokens(): string[];
  close(): Promise<void>;
}

/**
 * The real parts wired together: both simulators over HTTP, a worker built from a config that points
 * at them exactly as a user's would, and the shared dev server.
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const env = await testEnv();
  const sims = await startSimulators({ scim: { rateLimitPerMinute: null, ...opts.scim }, hr: opts.hr });
  const tokens: string[] = [];
  const proxy = opts.recordTokens ? await startTokenRecorder(sims.scim.loginUrl, tokens) : undefined;
  const name = `t${process.pid}x${++seq}`;
  const config = loadWorkerConfig({
    env: {
      ...simulatorEnv(sims.endpoints()),
      ...(proxy ? { GENESYS_LOGIN_URL: proxy.url } : {}),
      HRSYNC_TASK_QUEUE: `hrsync-${name}`,
      HRSYNC_TARGET_NAME: name,
      HRSYNC_REPORT_DIR: mkdtempSync(path.join(os.tmpdir(), 'hrsync-reports-')),
      SCIM_RATE_LIMIT_PER_MINUTE: '0',
      HRSYNC_CONCURRENCY: '8',
      ...opts.env,
    },
  });
  opts.configure?.(config);
  const converter = dataConverter(config.temporal);
  if (Boolean(opts.encrypted) !== Boolean(converter)) {
    throw new Error(opts.encrypted ? 'encrypted: set HRSYNC_ENCRYPTION_KEY_ID and HRSYNC_ENCRYPTION_KEY in env' : 'a payload key in env needs encrypted: true');
  }
  const client = converter ? new Client({ connection: env.connection, namespace: config.temporal.namespace, dataConverter: converter }) : env.client;
  const worker = await createHrsyncWorker({
    connection: env.nativeConnection,
    config,
    temporalClient: client,
    workflowBundle: await (converter?.failureConverterPath ? encodingWorkflowBundle(converter.failureConverterPath) : workflowBundle()),
  });
  const running = worker.run();
  let runs = 0;
  const workflowId = () => `hrsync-${name}-${++runs}`;
  const options = (o?: { workflowId?: string }) => ({ taskQueue: config.temporal.taskQueue, workflowId: o?.workflowId ?? workflowId() });
  return {
    sims,
    config,
    worker,
    client,
    sync: (input, o) => client.workflow.execute('syncWorkflow', { ...options(o), args: [input] }),
    start: (input, o) => client.workflow.start('syncWorkflow', { ...options(o), args: [input] }),
    issuedTokens: () => [...tokens],
    close: async () => {
      worker.shutdown();
      await running;
      await sims.close();
      await proxy?.close();
    },
  };
}

let encodingBundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflows bundled with the encoding failure converter (once per run, and only if a test encrypts). */
function encodingWorkflowBundle(failureConverterPath: string): Promise<WorkflowBundleWithSourceMap> {
  const quiet = () => undefined;
  encodingBundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    failureConverterPath,
    logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error, log: quiet },
  });
  return encodingBundle;
}

/** Forwards everything to the login host and keeps the access_token of each answer it relays. */
export async function startTokenRecorder(target: string, tokens: string[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers };
      delete headers.host;
      fetch(new URL(req.url ?? '/', target), { method: req.method, headers: headers as Record<string, string>, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) })
        .then(async (answer) => {
          const text = await answer.text();
          try {
            const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
            if (typeof token === 'string') tokens.push(token);
          } catch {
            // not JSON: nothing to record
          }
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        })
        .catch((err: Error) => {
          res.writeHead(502);
          res.end(err.message);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
