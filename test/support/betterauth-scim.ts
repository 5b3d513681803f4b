/**
 * The second independent SCIM 2.0 server: Better Auth's SCIM plugin, as shipped (test/support/betterauth-scim.mjs).
 * Its packages are ESM-only and these tests run as CommonJS under ts-node, so it runs as a child process.
 * This module starts it behind a small pass-through proxy in this process, which counts the requests by
 * method (the handle is the scimmy server's, test/support/independent-scim.ts), and stops both.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { HARNESS_HEADER, harnessCalls, seedGroups, type IndependentScim } from './independent-scim';

const SCRIPT = path.join(__dirname, 'betterauth-scim.mjs');

export interface BetterAuthScim extends IndependentScim {
  /** The requests counted since start or the last reset, in order: method and decoded path with query. */
  requests(): Array<{ method: string; path: string }>;
}

export async function startBetterAuthScim(opts: { groups?: string[] } = {}): Promise<BetterAuthScim> {
  let byMethod: Record<string, number> = {};
  let requests: Array<{ method: string; path: string }> = [];
  let upstream: URL | undefined;
  const proxy: Server = createServer((req, res) => {
    if (req.headers[HARNESS_HEADER] === undefined) {
      byMethod[req.method!] = (byMethod[req.method!] ?? 0) + 1;
      requests.push({ method: req.method!, path: decodeURIComponent(req.url!.replace(/\+/g, ' ')) });
    }
    const out = request({ host: upstream!.hostname, port: upstream!.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    out.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(out);
  });
  await new Promise<void>((resolve, reject) => {
    proxy.listen(0, '127.0.0.1', resolve);
    proxy.once('error', reject);
  });
  const origin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  // stdin is the child's lifeline: when this process ends, however it ends, the pipe closes and so does the server.
  const child = spawn(process.execPath, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, BETTERAUTH_SCIM_ORIGIN: origin } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const exited = once(child, 'exit');
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        await exited;
      }
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      });
    })();
    return stopping;
  };

  let baseUrl = '';
  let bearerToken = '';
  try {
    const first = await Promise.race([
      once(createInterface({ input: child.stdout }), 'line').then(([line]) => line as string),
      exited.then(([code]) => {
        throw new Error(`Better Auth SCIM server exited (${String(code)}) before listening: ${stderr}`);
      }),
    ]);
    const started = JSON.parse(first) as { baseUrl: string; token: string };
    upstream = new URL(started.baseUrl);
    baseUrl = `${origin}${upstream.pathname}`;
    bearerToken = started.token;
  } catch (e) {
    await stop();
    throw e;
  }

  const { call, all } = harnessCalls(baseUrl, bearerToken, 'Better Auth SCIM');
  await seedGroups(call, opts.groups ?? [], stop);
  return {
    baseUrl,
    bearerToken,
    users: () => all('/Users'),
    groups: () => all('/Groups'),
    stats: () => ({ byMethod: { ...byMethod }, total: Object.values(byMethod).reduce((a, b) => a + b, 0) }),
    resetStats: () => {
      byMethod = {};
      requests = [];
    },
    requests: () => [...requests],
    stop,
  };
}
