import path from 'node:path';
import { Command, Option } from 'commander';
import { findTemporalBinary } from '../temporal/binary';
import { isListening, startDevServer } from '../temporal/devserver';
import { clientConfig, parsePort, untilSignal } from './common';

export function devServerCommand(): Command {
  return new Command('dev-server')
    .description('start the local Temporal dev server (SQLite-backed, Web UI, hrsync search attributes)')
    .addOption(new Option('--ip <ip>', 'address to bind').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'gRPC port (default: the port of temporal.address)').argParser(parsePort))
    .addOption(new Option('--ui-port <port>', 'Web UI port').argParser(parsePort).default(8233))
    .addOption(
      new Option('--db-filename <file>', 'SQLite file that keeps the server state across restarts').default(
        path.join(process.env.HRSYNC_DATA_DIR ?? '.hrsync', 'temporal.db'),
      ),
    )
    .action(async (opts: { ip: string; port?: number; uiPort: number; dbFilename: string }, cmd: Command) => {
      const cfg = clientConfig(cmd);
      const port = opts.port ?? Number(cfg.temporal.address.split(':')[1]);
      const address = `${opts.ip}:${port}`;
      if (await isListening(opts.ip, port)) {
        console.log(`A Temporal server already answers on ${address}; not starting a second one.`);
        console.log(`Web UI (if it is a dev server): http://${opts.ip}:${opts.uiPort}`);
        return;
      }
      const server = await startDevServer({
        binary: findTemporalBinary(),
        ip: opts.ip,
        port,
        uiPort: opts.uiPort,
        namespace: cfg.temporal.namespace,
        dbFile: opts.dbFilename,
        stdio: 'inherit',
      });
      console.log(`Temporal dev server on ${server.address} (namespace ${cfg.temporal.namespace})`);
      console.log(`Web UI: ${server.webUiUrl}`);
      console.log(`State:  ${path.resolve(opts.dbFilename)}`);
      console.log('Press Ctrl-C to stop.');
      const stopped = new Promise<'exited'>((resolve) => server.child.once('exit', () => resolve('exited')));
      const why = await Promise.race([untilSignal(), stopped]);
      if (why !== 'exited') await server.stop();
      console.log('Temporal dev server stopped.');
      if (why === 'exited') process.exitCode = 1;
    });
}
