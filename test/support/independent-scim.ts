/**
 * An independent SCIM 2.0 server for the tests: `scimmy` (schemas, filters, PatchOp, validation) behind
 * `scimmy-routers` (the RFC 7644 endpoints), both from the npm registry and used as shipped. Only the
 * storage handlers are ours: a plain in-memory table per resource type, which keeps what scimmy hands
 * it and returns what scimmy asks for. Whatever scimmy accepts, refuses or ignores is scimmy's answer.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import fetch from 'node-fetch';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

export interface IndependentScim {
  baseUrl: string;          // e.g. http://127.0.0.1:PORT/scim/v2
  bearerToken: string;      // random per start; the only accepted credential
  /** Every user as stored (over HTTP through the server itself, active and inactive alike). */
  users(): Promise<Array<Record<string, unknown>>>;
  groups(): Promise<Array<Record<string, unknown>>>;
  /** Requests served since start or the last reset, by method ('GET','POST','PATCH','PUT','DELETE'). */
  stats(): { byMethod: Record<string, number>; total: number };
  resetStats(): void;
  stop(): Promise<void>;
}

const BASE_PATH = '/scim/v2';
/** Marks the harness's own reads (users(), groups(), seeding), which stats() leaves out. */
export const HARNESS_HEADER = 'x-independent-scim-harness';

type Data = Record<string, unknown>;
interface Row {
  id: string;
  data: Data;
  created: string;
  lastModified: string;
  version: number;
}

/** What scimmy passes a handler: the resource being read or written (an id for one, a filter for a list). */
interface ResourceArg {
  id?: string;
  filter?: { match(values: Data[]): Data[] };
}

/**
 * One resource type's rows. userName uniqueness is the only rule added: RFC 7643 declares it
 * `uniqueness: server`, scimmy leaves enforcing it to the store, and the scimmy documentation's own
 * handler example answers 409 uniqueness from its database constraint.
 */
class Table {
  private readonly rows = new Map<string, Row>();
  constructor(private readonly uniqueKey?: (d: Data) => string | undefined) {}

  private out(r: Row): Data {
    return { ...structuredClone(r.data), id: r.id, meta: { created: r.created, lastModified: r.lastModified, version: `W/"${r.version}"` } };
  }

  egress(resource: ResourceArg): Data | Data[] {
    if (resource.id !== undefined) {
      const row = this.rows.get(resource.id);
      if (!row) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
      return this.out(row);
    }
    const all = [...this.rows.values()].map((r) => this.out(r));
    return resource.filter ? resource.filter.match(all) : all;
  }

  ingress(resource: ResourceArg, instance: unknown): Data {
    const data = JSON.parse(JSON.stringify(instance)) as Data;
    for (const k of ['id', 'meta', 'schemas']) delete data[k];
    const key = this.uniqueKey?.(data);
    if (key !== undefined) {
      const holder = [...this.rows.values()].find((r) => r.id !== resource.id && this.uniqueKey!(r.data) === key);
      if (holder) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName is already in use`);
    }
    const now = new Date().toISOString();
    if (resource.id !== undefined) {
      const row = this.rows.get(resource.id);
      if (!row) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
      Object.assign(row, { data, lastModified: now, version: row.version + 1 });
      return this.out(row);
    }
    const row: Row = { id: randomUUID(), data, created: now, lastModified: now, version: 1 };
    this.rows.set(row.id, row);
    return this.out(row);
  }

  degress(resource: ResourceArg): void {
    if (resource.id === undefined || !this.rows.delete(resource.id)) {
      throw new SCIMMY.Types.Error(404, null!, `Resource ${String(resource.id)} not found`);
    }
  }
}

interface Store {
  users: Table;
  groups: Table;
}

let declared = false;

/**
 * scimmy's resource registry is process-wide, so User and Group are declared once, with handlers that
 * use the store of the server a request came to (scimmy-routers passes it as the handler context).
 * scimmy-routers also sets the resources' base path (for meta.location) per request, globally: run one
 * server at a time, or locations may name the other one's port.
 */
function declareOnce(): void {
  if (declared) return;
  declared = true;
  const store = (ctx: unknown) => ctx as Store;
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }],
    ingress: (r: ResourceArg, instance: unknown, ctx: unknown) => store(ctx).users.ingress(r, instance),
    egress: (r: ResourceArg, ctx: unknown) => store(ctx).users.egress(r),
    degress: (r: ResourceArg, ctx: unknown) => store(ctx).users.degress(r),
  } as never);
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, {
    ingress: (r: ResourceArg, instance: unknown, ctx: unknown) => store(ctx).groups.ingress(r, instance),
    egress: (r: ResourceArg, ctx: unknown) => store(ctx).groups.egress(r),
    degress: (r: ResourceArg, ctx: unknown) => store(ctx).groups.degress(r),
  } as never);
}

export async function startIndependentScim(opts: { groups?: string[]; port?: number } = {}): Promise<IndependentScim> {
  declareOnce();
  const bearerToken = randomBytes(24).toString('base64url');
  const store: Store = {
    users: new Table((d) => (typeof d.userName === 'string' ? d.userName.toLowerCase() : undefined)),
    groups: new Table(),
  };
  let byMethod: Record<string, number> = {};
  let origin = '';

  // scimmy's configuration is process-wide and each router adds its authentication scheme to it: clear the
  // previous server's (the documented way), so the ServiceProviderConfig describes this one alone.
  SCIMMY.Config.set('authenticationSchemes', []);
  const app = express();
  app.use((req, _res, next) => {
    if (req.header(HARNESS_HEADER) === undefined) byMethod[req.method] = (byMethod[req.method] ?? 0) + 1;
    next();
  });
  app.use(BASE_PATH, new SCIMMYRouters({
    type: 'bearer',
    handler: (req) => {
      if (req.header('authorization') !== `Bearer ${bearerToken}`) throw new Error('Authorization failed');
      return 'hrsync-tests';
    },
    context: () => store,
    baseUri: () => origin,
  }) as unknown as express.Router);
  // scimmy-routers answers a 500 itself and then passes the error on for logging; express's default
  // handler would print it and destroy the already-answered connection.
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return;
    next(err);
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseUrl = `${origin}${BASE_PATH}`;

  const { call, all } = harnessCalls(baseUrl, bearerToken, 'independent SCIM');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });
    return stopping;
  };
  await seedGroups(call, opts.groups ?? [], stop);
  return {
    baseUrl,
    bearerToken,
    users: () => all('/Users'),
    groups: () => all('/Groups'),
    stats: () => ({ byMethod: { ...byMethod }, total: Object.values(byMethod).reduce((a, b) => a + b, 0) }),
    resetStats: () => {
      byMethod = {};
    },
    stop,
  };
}

/** The harness's own calls on a server (seeding, users(), groups()), marked so that stats() leaves them out. */
export function harnessCalls(baseUrl: string, bearerToken: string, server: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<Data> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${bearerToken}`, 'Content-Type': 'application/scim+json', [HARNESS_HEADER]: '1' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${server} ${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Data;
  };
  const all = async (path: string): Promise<Data[]> => {
    const out: Data[] = [];
    for (;;) {
      const page = await call('GET', `${path}?startIndex=${out.length + 1}&count=100`);
      const items = (page.Resources as Data[] | undefined) ?? [];
      out.push(...items);
      if (items.length === 0 || out.length >= Number(page.totalResults)) return out;
    }
  };
  return { call, all };
}

/** The groups a test asks for, created before it starts; a refusal stops the server, then is thrown. */
export async function seedGroups(call: (method: string, path: string, body?: unknown) => Promise<Data>, groups: readonly string[], stop: () => Promise<void>): Promise<void> {
  try {
    for (const displayName of groups) await call('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName });
  } catch (e) {
    await stop();
    throw e;
  }
}
