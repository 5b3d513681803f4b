import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { searchAttributeCliArgs } from './searchattributes';

/** True when something accepts TCP connections on host:port. */
export function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface DevServerOptions {
  binary: string;
  ip: string;
  port: number;
  uiPort: number;
  namespace: string;
  dbFile: string;
  /** Where the server's own log goes; the CLI keeps it out of the user's terminal. */
  stdio?: 'inherit' | 'ignore';
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface RunningDevServer {
  address: string;
  webUiUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` backed by a SQLite file (so runs survive restarts), with the
 * Web UI and hrsync's search attributes, and waits until it accepts connections.
 */
export async function startDevServer(opts: DevServerOptions): Promise<RunningDevServer> {
  mkdirSync(path.dirname(path.resolve(opts.dbFile)), { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', opts.ip,
    '--port', String(opts.port),
    '--ui-port', String(opts.uiPort),
    '--namespace', opts.namespace,
    '--db-filename', opts.dbFile,
    '--log-level', opts.logLevel ?? 'error',
    '--ui-disable-news-fetch',
    ...searchAttributeCliArgs().flatMap((a) => ['--search-attribute', a]),
  ];
  const child = spawn(opts.binary, args, { stdio: ['ignore', opts.stdio ?? 'ignore', opts.stdio ?? 'ignore'] });
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + 60_000;
  while (!(await isListening(opts.ip, opts.port))) {
    if (exited !== null) throw new Error(`temporal server start-dev exited with code ${exited} before it accepted connections`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`temporal server start-dev did not accept connections on ${opts.ip}:${opts.port} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return {
    address: `${opts.ip}:${opts.port}`,
    webUiUrl: `http://${opts.ip === '0.0.0.0' ? 'localhost' : opts.ip}:${opts.uiPort}`,
    child,
    stop,
  };
}
