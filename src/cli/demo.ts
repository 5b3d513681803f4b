import path from 'node:path';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Command, Option } from 'commander';
import { loadWorkerConfig } from '../config';
import { findTemporalBinary } from '../temporal/binary';
import { connectClient } from '../temporal/connection';
import { dataConverter } from '../temporal/dataconverter';
import { isListening, startDevServer } from '../temporal/devserver';
import { createHrsyncWorker } from '../worker';
import { parsePort, untilSignal, wholeNumber } from './common';
import { loadSimulators } from './simulators';
import { Started } from './started';
import { runSync } from './sync';


/**
 * The whole story on one machine: the dev server (unless one runs), both simulators and a worker; a
 * full sync of a generated company, a day of HR changes, then a delta. Every process it started is
 * stopped, and has exited, before it exits itself, whether it ends or is interrupted.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('run the demo on this machine: dev server, simulators, worker; a full sync, a batch of HR changes, a delta; cleans up after itself')
    .addOption(new Option('--port <port>', 'dev server gRPC port').argParser(parsePort).default(7233))
    .addOption(new Option('--ui-port <port>', 'dev server Web UI port').argParser(parsePort).default(8233))
    .addOption(new Option('--employees <n>', 'size of the generated company').argParser(wholeNumber(1)).default(300))
    .addOption(new Option('--seed <n>', 'seed of the generated company').argParser(wholeNumber(1)).default(42))
    .addOption(
      new Option('--rate-limit <perMinute>', 'the simulated Genesys rate limit, which hrsync paces itself to (the real default is 300)')
        .argParser(wholeNumber(1))
        .default(3000),
    )
    .option('--report-dir <dir>', 'where the CSV reports go', 'reports')
    .option('--keep', 'at the end, leave the dev server, Web UI, simulators and worker running until Ctrl-C')
    .action(async (opts: { port: number; uiPort: number; employees: number; seed: number; rateLimit: number; reportDir: string; keep?: boolean }) => {
      const started = new Started();
      let interrupted = false;
      const onSignal = () => {
        interrupted = true;
        console.error('\nInterrupted: stopping what the demo started…');
        void started.stopAll().then(() => process.exit(130));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      Runtime.install({ logger: new DefaultLogger('WARN') });
      try {
        const ip = '127.0.0.1';
        const webUiUrl = `http://localhost:${opts.uiPort}`;
        const { startSimulators, simulatorEnv, lifecycleBatch } = loadSimulators();
        if (await isListening(ip, opts.port)) {
          console.log(`Using the Temporal server already running on ${ip}:${opts.port}.`);
        } else {
          const server = await started.add(
            startDevServer({
              binary: findTemporalBinary(),
              ip,
              port: opts.port,
              uiPort: opts.uiPort,
              namespace: 'default',
              dbFile: path.join(process.env.HRSYNC_DATA_DIR ?? '.hrsync', 'temporal.db'),
            }),
            (s) => s.stop(),
          );
          console.log(`Started the Temporal dev server on ${server.address} (Web UI ${webUiUrl}).`);
        }

        const sims = await started.add(
          startSimulators({
            scim: { rateLimitPerMinute: opts.rateLimit, seed: opts.seed },
            hr: { employees: opts.employees, seed: opts.seed },
          }),
          (s) => s.close(),
        );
        console.log(`Started the simulators: Genesys SCIM at ${sims.scim.apiUrl}, HR at ${sims.hr.baseUrl} (${opts.employees} employees).`);

        const config = loadWorkerConfig({
          env: {
            ...simulatorEnv(sims.endpoints()),
            TEMPORAL_ADDRESS: `${ip}:${opts.port}`,
            HRSYNC_TASK_QUEUE: 'hrsync-demo',
            HRSYNC_TARGET_NAME: 'demo',
            HRSYNC_WEB_UI_URL: webUiUrl,
            HRSYNC_REPORT_DIR: path.resolve(opts.reportDir),
            SCIM_RATE_LIMIT_PER_MINUTE: String(opts.rateLimit),
            // Unencrypted unless the caller's environment holds a payload key: then the demo encrypts.
            ...pick(process.env, ['HRSYNC_ENCRYPTION_KEY', 'HRSYNC_ENCRYPTION_KEY_FILE', 'HRSYNC_ENCRYPTION_KEY_ID']),
          },
        });
        const workerConnection = await started.add(NativeConnection.connect({ address: config.temporal.address }), (c) => c.close());
        // Closed with a call in flight (the sync it follows), gRPC's retry timer would throw and end the
        // process before the dev server is down; after a Ctrl-C the process exit closes it instead.
        const connection = await started.add(connectClient(config.temporal), (c) => (interrupted ? Promise.resolve() : c.close()));
        const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config.temporal) });
        const worker = await createHrsyncWorker({ connection: workerConnection, config, temporalClient: client });
        const running = worker.run();
        await started.running(async () => {
          worker.shutdown();
          await running;
        });
        console.log('Started a worker on task queue hrsync-demo.\n');

        console.log('1. A full sync: every employee gets an account, managers and groups included.');
        const full = await runSync(client, config, { mode: 'full', wait: true, target: 'demo' });
        if (full !== 0) throw new Error('the full sync did not succeed');

        const today = new Date().toISOString().slice(0, 10);
        const events = lifecycleBatch(sims.hr.employees(), today);
        for (const e of events) sims.hr.apply(e);
        console.log(`\n2. HR records a day of changes: ${events.map((e) => e.type).join(', ')}.`);

        console.log('\n3. A delta sync: only what changed is read, and only what differs is written.');
        const delta = await runSync(client, config, { mode: 'delta', wait: true, target: 'demo' });
        if (delta !== 0) throw new Error('the delta sync did not succeed');

        console.log(`\nReports: ${config.reportDir}`);
        const link = `${webUiUrl}/namespaces/default/workflows?query=${encodeURIComponent("HrsyncTarget='demo'")}`;
        console.log(`Web UI: ${link}`);
        if (opts.keep) {
          console.log('The dev server, its Web UI, the simulators and the worker keep running until you press Ctrl-C (try `hrsync runs` in another shell).');
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await untilSignal();
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          console.log('\nStopping what the demo started…');
        } else {
          console.log('The demo stops everything it started now, the Web UI with it (`hrsync demo --keep` leaves them running).');
        }
      } catch (err) {
        // What an interruption broke (a closed connection, a stopped worker) is no failure of the demo.
        if (!interrupted) throw err;
        process.exitCode = 130;
      } finally {
        // A Ctrl-C while stopping waits for the same stop; only a second one ends the process at once.
        await started.stopAll();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (env[n] ? [[n, env[n]]] : [])));
}
