import { randomBytes, randomUUID } from 'node:crypto';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Group } from '../../src/scim/model/resources/group';
import type { User } from '../../src/scim/model/resources/user';
import { TokenAuthority } from './auth';
import { bulk } from './bulk';
import { header, SimCore, SimRequest, SimResponse } from './core';
import { discovery, serviceProviderConfig } from './discovery';
import { errorBodyOf, rateLimitBody, ScimHttpError, scimErrorBody } from './errors';
import { FaultInjector } from './faults';
import { getGroup, groupWriteNotAllowed, listGroups, patchGroup, replaceGroup } from './groups';
import { checkStrictness, resolveOptions, ScimFaults, ScimSimOptions, ScimStrictness } from './options';
import { RateLimiter } from './ratelimit';
import { renderGroup, renderUser } from './render';
import { RequestLogEntry, SimStats, StatsRecorder } from './stats';
import { Store } from './store';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser, touchUser } from './users';
import { shapeUser } from './usershape';

export const SCIM_BASE_PATH = '/api/v2/scim/v2';
const MAX_BODY = 16 * 1024 * 1024;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface ScimSimulator {
  /** Origin of the API host, e.g. http://127.0.0.1:PORT; the SCIM base is `${apiUrl}/api/v2/scim/v2`. */
  apiUrl: string;
  /** Origin of the login host (same server): POST `${loginUrl}/oauth/token`. */
  loginUrl: string;
  /** `${apiUrl}/api/v2/scim/v2`. */
  scimBaseUrl: string;
  mode: 'genesys' | 'scim2';
  clientId: string;
  clientSecret: string;
  bearerToken?: string;
  stats(): SimStats;
  resetStats(): void;
  /** The most recent requests, oldest first. */
  requests(limit?: number): RequestLogEntry[];
  setFaults(f: Partial<ScimFaults>): void;
  faults(): ScimFaults;
  /** Every user, inactive ones included, as deep copies. */
  users(): User[];
  groups(): Group[];
  /** An administrator's concurrent edit: applies `changes` (top-level attributes) and bumps the version. */
  touchUser(id: string, changes?: Record<string, unknown>): void;
  /** Ends every issued access token now (the static bearer token stays valid). */
  expireTokens(): void;
  setDeniedPermissions(permissions: string[]): void;
  setRateLimit(perMinute: number | null): void;
  /** Changes the named switches (the others keep their values); throws on an unknown switch or a wrong type. */
  setStrict(s: Partial<ScimStrictness>): void;
  strict(): ScimStrictness;
  close(): Promise<void>;
}

interface Routed {
  route: string;
  run: () => SimResponse;
}

class BadBody extends ScimHttpError {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BadBody(413, 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ScimHttpError(400, 'The request body is not valid JSON', 'invalidSyntax');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startScimSimulator(options: ScimSimOptions = {}): Promise<ScimSimulator> {
  const opts = resolveOptions(options, () => randomBytes(24).toString('base64url'));
  const store = new Store();
  const stats = new StatsRecorder();
  const faults = new FaultInjector(opts.faults, opts.seed);
  const auth = new TokenAuthority(opts.clientId, opts.clientSecret, opts.tokenTtlSeconds, opts.bearerToken);
  const limiter = new RateLimiter(opts.rateLimitPerMinute, opts.rateLimitWindowSeconds * 1000);
  const core: SimCore = {
    opts,
    store,
    render: { mode: opts.mode, scimBase: '', store, strict: opts.strict },
    faults,
    stats,
    denied: new Set(opts.deniedPermissions),
  };
  for (const name of opts.groups) store.createGroup(name);
  for (const u of opts.users) {
    const id = randomUUID();
    const shaped = shapeUser(u, opts.mode, id, store, opts.strict, opts.catalogue);
    if (store.userIdByUserName(shaped.attrs.userName as string)) throw new Error(`Seed user ${String(shaped.attrs.userName)} is duplicated`);
    store.createUser(shaped.attrs, shaped.password !== undefined, id);
  }

  function route(method: string, segs: string[], req: SimRequest, rawBytes: number): Routed {
    const [kind, id, extra] = [segs[0]?.toLowerCase(), segs[1], segs[2]];
    const notAllowed = (r: string): Routed => ({
      route: r,
      run: () => {
        throw new ScimHttpError(405, `${method} is not supported on ${r}`);
      },
    });
    const ifMatch = header(req.headers, 'if-match');
    if (extra === undefined && (kind === 'users' || kind === 'groups')) {
      if (kind === 'users' && id === undefined) {
        if (method === 'GET') return { route: '/users', run: () => listUsers(core, req) };
        if (method === 'POST') return { route: '/users', run: () => createUser(core, req.body) };
        return notAllowed('/users');
      }
      if (kind === 'users') {
        const r = '/users/:id';
        if (method === 'GET') return { route: r, run: () => getUser(core, req, id!) };
        if (method === 'PUT') return { route: r, run: () => replaceUser(core, id!, req.body, ifMatch) };
        if (method === 'PATCH') return { route: r, run: () => patchUser(core, id!, req.body, ifMatch) };
        if (method === 'DELETE') return { route: r, run: () => deleteUser(core, id!, ifMatch) };
        return notAllowed(r);
      }
      if (id === undefined) {
        if (method === 'GET') return { route: '/groups', run: () => listGroups(core, req) };
        if (method === 'POST') return { route: '/groups', run: () => groupWriteNotAllowed(method) };
        return notAllowed('/groups');
      }
      const r = '/groups/:id';
      if (method === 'GET') return { route: r, run: () => getGroup(core, req, id) };
      if (method === 'PUT') return { route: r, run: () => replaceGroup(core, id, req.body, ifMatch) };
      if (method === 'PATCH') return { route: r, run: () => patchGroup(core, id, req.body, ifMatch) };
      if (method === 'DELETE') return { route: r, run: () => groupWriteNotAllowed(method) };
      return notAllowed(r);
    }
    if ((kind === 'serviceproviderconfig' || kind === 'serviceproviderconfigs') && id === undefined) {
      if (method !== 'GET') return notAllowed('/serviceproviderconfig');
      return { route: '/serviceproviderconfig', run: () => ({ status: 200, body: serviceProviderConfig(core) }) };
    }
    if ((kind === 'resourcetypes' || kind === 'schemas') && extra === undefined) {
      const r = id === undefined ? `/${kind}` : `/${kind}/:id`;
      if (method !== 'GET') return notAllowed(r);
      return {
        route: r,
        run: () => {
          const body = discovery(core, kind, id);
          if (!body) throw new ScimHttpError(404, id === undefined ? `No such endpoint: GET /${segs.join('/')}` : `${kind} '${id}' was not found`);
          return { status: 200, body };
        },
      };
    }
    if (kind === 'bulk' && id === undefined && opts.mode === 'scim2') {
      if (method !== 'POST') return notAllowed('/bulk');
      return { route: '/bulk', run: () => bulk(core, req.body, rawBytes) };
    }
    return {
      route: '(unknown)',
      run: () => {
        throw new ScimHttpError(404, `No such endpoint: ${method} /${segs.join('/')}`);
      },
    };
  }

  function send(res: ServerResponse, r: SimResponse, contentType = 'application/scim+json; charset=utf-8'): void {
    const headers: Record<string, string> = { 'inin-correlation-id': randomUUID(), ...(r.headers ?? {}) };
    if (r.body !== undefined && r.status !== 304 && r.status !== 204) {
      const text = JSON.stringify(r.body);
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = String(Buffer.byteLength(text));
      res.writeHead(r.status, headers);
      res.end(text);
    } else {
      res.writeHead(r.status, headers);
      res.end();
    }
  }

  function errorResponse(e: unknown): SimResponse {
    if (e instanceof ScimHttpError) {
      return { status: e.status, body: errorBodyOf(e, opts.strict.terseErrors), headers: e.headers };
    }
    return { status: 500, body: scimErrorBody(500, `Internal simulator error: ${e instanceof Error ? e.message : String(e)}`) };
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse, raw: Buffer, entry: RequestLogEntry): Promise<void> {
    if (faults.appliesToTokenEndpoint() && (await injectFault(req, res, entry))) return;
    const result = auth.issue(header(req.headers, 'authorization'), new URLSearchParams(raw.toString('utf8')), Date.now());
    const r: SimResponse = result.ok
      ? { status: 200, body: { access_token: result.accessToken, token_type: 'bearer', expires_in: result.expiresIn } }
      : { status: result.status, body: { error: result.error, description: result.description, error_description: result.description } };
    r.headers = { 'Cache-Control': 'no-store' };
    entry.status = r.status;
    send(res, r, 'application/json');
  }

  /** Returns true when the fault answered (or dropped) the request. */
  async function injectFault(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, rate: Record<string, string> = {}): Promise<boolean> {
    const fault = faults.forRequest(Date.now());
    if (faults.delayMs > 0) {
      stats.fault('delays');
      await sleep(faults.delayMs);
    }
    if (!fault) return false;
    if (fault.kind === 'drop') {
      stats.fault('drops');
      entry.status = 'dropped';
      entry.fault = 'drop';
      req.socket.destroy();
      return true;
    }
    if (fault.kind === 'storm') {
      stats.fault('storms');
      entry.status = 429;
      entry.fault = 'storm';
      send(res, {
        status: 429,
        body: rateLimitBody(fault.retryAfterSeconds, randomUUID()),
        headers: { ...rate, 'Retry-After': String(fault.retryAfterSeconds) },
      }, 'application/json');
      return true;
    }
    stats.fault('errors');
    entry.status = fault.status;
    entry.fault = 'error';
    send(res, { ...errorResponse(new ScimHttpError(fault.status, `Injected fault: the service answered ${fault.status}`)), headers: rate });
    return true;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer, entry: RequestLogEntry): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const segs = url.pathname.slice(SCIM_BASE_PATH.length).split('/').filter(Boolean).map(decodeURIComponent);
    const simReq: SimRequest = { method, query: url.searchParams, headers: req.headers, body: undefined };
    const routed = route(method, segs, simReq, raw.length);
    entry.route = routed.route;
    const maxUrl = opts.strict.maxUrlLength;
    if (maxUrl > 0 && (req.url ?? '').length > maxUrl) {
      entry.status = 414;
      send(res, { status: 414, body: scimErrorBody(414, `URI Too Long: the request URL has ${(req.url ?? '').length} characters, more than ${maxUrl}`) });
      return;
    }
    const grant = auth.verify(header(req.headers, 'authorization'), Date.now());
    if (!grant) {
      entry.status = 401;
      send(res, {
        status: 401,
        body: scimErrorBody(401, 'Authentication failed: the access token is missing, invalid or expired'),
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
      return;
    }
    const decision = limiter.take(grant.key, Date.now());
    const rate: Record<string, string> =
      decision.limit === null
        ? {}
        : {
            'inin-ratelimit-count': String(decision.count),
            'inin-ratelimit-allowed': String(decision.limit),
            'inin-ratelimit-reset': String(decision.resetSeconds),
          };
    if (!decision.allowed) {
      entry.status = 429;
      send(res, {
        status: 429,
        body: rateLimitBody(decision.resetSeconds, randomUUID()),
        headers: { ...rate, 'Retry-After': String(decision.resetSeconds) },
      }, 'application/json');
      return;
    }
    if (await injectFault(req, res, entry, rate)) return;
    let r: SimResponse;
    try {
      simReq.body = parseJson(raw);
      r = routed.run();
    } catch (e) {
      r = errorResponse(e);
    }
    r.headers = { ...rate, ...(r.headers ?? {}) };
    entry.status = r.status;
    if (r.status === 429) send(res, { ...r, body: rateLimitBody(Number(r.headers['Retry-After'] ?? 1), randomUUID()) }, 'application/json');
    else send(res, r);
  }

  function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): void {
    const method = (req.method ?? 'GET').toUpperCase();
    const segs = url.pathname.split('/').filter(Boolean).slice(1);
    const json = (status: number, body?: unknown) => send(res, { status, body }, 'application/json');
    try {
      const body = parseJson(raw) as Record<string, unknown> | undefined;
      const path = segs.join('/');
      if (method === 'GET' && path === 'stats') return json(200, stats.snapshot());
      if (method === 'GET' && path === 'requests') return json(200, stats.requests(Number(url.searchParams.get('limit') ?? 100)));
      if (method === 'POST' && path === 'reset-stats') return (stats.reset(), json(204));
      if (method === 'GET' && path === 'users') return json(200, sim.users());
      if (method === 'GET' && path === 'groups') return json(200, sim.groups());
      if (method === 'GET' && path === 'faults') return json(200, faults.current);
      if (method === 'POST' && path === 'faults') return (faults.merge((body ?? {}) as Partial<ScimFaults>), json(200, faults.current));
      if (method === 'GET' && path === 'strict') return json(200, sim.strict());
      if (method === 'POST' && path === 'strict') {
        try {
          sim.setStrict((body ?? {}) as Partial<ScimStrictness>);
        } catch (e) {
          return json(400, { error: e instanceof Error ? e.message : String(e) });
        }
        return json(200, sim.strict());
      }
      if (method === 'POST' && path === 'expire-tokens') return (auth.expireAll(), json(204));
      if (method === 'POST' && path === 'permissions') {
        sim.setDeniedPermissions(Array.isArray(body?.denied) ? body.denied.map(String) : []);
        return json(200, { denied: [...core.denied] });
      }
      if (method === 'POST' && path === 'rate-limit') {
        const perMinute = body?.perMinute;
        sim.setRateLimit(typeof perMinute === 'number' ? perMinute : null);
        return json(204);
      }
      if (method === 'POST' && segs.length === 3 && segs[0] === 'users' && segs[2] === 'touch') {
        const rec = touchUser(core, decodeURIComponent(segs[1]), body ?? {});
        return json(200, renderUser(core.render, rec, 'admin'));
      }
      json(404, { error: `No admin endpoint ${method} /__sim/${path}` });
    } catch (e) {
      send(res, errorResponse(e), 'application/json');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    if (url.pathname.startsWith('/__sim/')) return handleAdmin(req, res, url, raw);
    const entry: RequestLogEntry = {
      time: new Date(started).toISOString(),
      method,
      route: '(unknown)',
      path: url.pathname + url.search,
      status: 500,
      durationMs: 0,
    };
    try {
      if (url.pathname.toLowerCase() === '/oauth/token' && method === 'POST') {
        entry.route = '/oauth/token';
        await handleToken(req, res, raw, entry);
      } else if (url.pathname.toLowerCase().startsWith(SCIM_BASE_PATH)) {
        await handleApi(req, res, url, raw, entry);
      } else {
        entry.status = 404;
        send(res, { status: 404, body: scimErrorBody(404, `No such endpoint: ${method} ${url.pathname}`) });
      }
    } finally {
      entry.durationMs = Date.now() - started;
      const isWrite = WRITE_METHODS.has(method) && /^\/(users|groups)/.test(entry.route);
      stats.record(entry, isWrite);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (res.headersSent || req.socket.destroyed) return;
      const r = errorResponse(e);
      send(res, r);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const origin = `http://${host}:${port}`;
  core.render.scimBase = `${origin}${SCIM_BASE_PATH}`;

  let closing: Promise<void> | undefined;
  const sim: ScimSimulator = {
    apiUrl: origin,
    loginUrl: origin,
    scimBaseUrl: core.render.scimBase,
    mode: opts.mode,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    bearerToken: opts.bearerToken,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    requests: (limit) => stats.requests(limit),
    setFaults: (f) => faults.merge(f),
    faults: () => faults.current,
    users: () => store.allUsers().map((u) => renderUser(core.render, u, 'admin')),
    groups: () => store.allGroups().map((g) => renderGroup(core.render, g)),
    touchUser: (id, changes) => {
      touchUser(core, id, changes);
    },
    expireTokens: () => auth.expireAll(),
    setDeniedPermissions: (p) => {
      core.denied = new Set(p);
    },
    setRateLimit: (perMinute) => limiter.setLimit(perMinute),
    setStrict: (s) => {
      Object.assign(opts.strict, checkStrictness(s));
    },
    strict: () => structuredClone(opts.strict),
    close: () => {
      // Idempotent: a test's afterEach may close a simulator the test already closed.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return sim;
}
