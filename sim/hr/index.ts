import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawEmployee } from '../../src/hr/employee';
import { generateCompany } from './company';
import { applyEvent, LifecycleEventError, type EventContext, type LifecycleEvent } from './events';
import { FaultInjector, type HrFaults } from './faults';
import { seededRandom } from './random';
import { decodeCursor, EmployeeStore, encodeCursor } from './store';

export { DEPARTMENTS, DIVISIONS, EMAIL_DOMAIN, generateCompany, UNKNOWN_DEPARTMENT_CODES, type CompanyOptions, type DepartmentCode } from './company';
export { LifecycleEventError, LifecycleEventSchema, type LifecycleEvent } from './events';
export { HrFaultsSchema, NO_FAULTS, type HrFaults } from './faults';

export interface HrSimOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Generate a company this size; default 200. Ignored when `company` is given. */
  employees?: number;
  /** Seeds the company, the faults and new hires. Default 1. */
  seed?: number;
  /** Serve these records instead of a generated company (they are not validated: tests hand in broken ones). */
  company?: RawEmployee[];
  /** When set, API requests need `Authorization: Bearer <apiToken>` (401 otherwise). */
  apiToken?: string;
  /** page_size above this answers 400. Default 1000. */
  maxPageSize?: number;
  faults?: Partial<HrFaults>;
}

export interface HrSimulator {
  baseUrl: string;
  /** Copies of every record, as the API would serve them. */
  employees(): RawEmployee[];
  /** Applies a lifecycle event (as POST /__sim/events does) and returns the changed employee. */
  apply(event: LifecycleEvent): RawEmployee;
  setFaults(f: Partial<HrFaults>): void;
  /** API requests only (not /__sim/), by response status. */
  stats(): { requests: number; byStatus: Record<string, number> };
  close(): Promise<void>;
}

export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_MAX_PAGE_SIZE = 1000;
const EMPLOYEES_PATH = '/api/v1/employees';

/**
 * An HR REST API per the contract in docs/architecture.md:
 * `GET /api/v1/employees?updated_after=ISO&page_size=N&cursor=C` -> `{ data, next_cursor }`.
 * - Paging is by (updated_at, id) with an opaque cursor holding the last key served, so it stays stable while
 *   records change: an unchanged record is never skipped, a changed one turns up again on a later page.
 * - `updated_after` is strictly greater than, at millisecond precision. Every change is stamped from a logical
 *   clock ahead of all earlier stamps, so updated_at may run a few ms ahead of the wall clock under bursts.
 * - page_size defaults to 100; above maxPageSize, or not a positive integer, answers 400 (not clamped, so a
 *   misconfigured reader finds out).
 * Admin endpoints, never faulted nor authenticated: `POST /__sim/events` (one event or an array),
 * `GET /__sim/employees`, `POST /__sim/faults`, `GET /__sim/stats`.
 */
export async function startHrSimulator(opts: HrSimOptions = {}): Promise<HrSimulator> {
  const seed = opts.seed ?? 1;
  const company = opts.company ?? generateCompany({ size: opts.employees ?? 200, seed });
  const store = new EmployeeStore(company);
  const faults = new FaultInjector(seed, opts.faults);
  const maxPageSize = opts.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE;
  const counts = { requests: 0, byStatus: {} as Record<string, number> };

  let lastId = 0;
  const emails = new Set<string>();
  for (const e of store.values()) {
    const n = Number(e.id);
    if (Number.isSafeInteger(n)) lastId = Math.max(lastId, n);
    if (typeof e.email === 'string') emails.add(e.email.trim().toLowerCase());
  }
  const events: EventContext = { store, random: seededRandom(seed ^ 0x41e), emails, nextId: () => String(++lastId) };

  const pending = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    if (ms <= 0) return fn();
    const timer = setTimeout(() => {
      pending.delete(timer);
      fn();
    }, ms);
    pending.add(timer);
  };

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function serveEmployees(req: http.IncomingMessage, url: URL, res: http.ServerResponse): void {
    const answer = (status: number, body: unknown, headers?: Record<string, string>): void => {
      counts.requests++;
      counts.byStatus[String(status)] = (counts.byStatus[String(status)] ?? 0) + 1;
      later(faults.delayMs, () => send(res, status, body, headers));
    };
    if (req.method !== 'GET') return answer(405, { message: `${req.method} not allowed` }, { allow: 'GET' });
    if (opts.apiToken !== undefined && req.headers.authorization !== `Bearer ${opts.apiToken}`) {
      return answer(401, { message: 'missing or invalid bearer token' }, { 'www-authenticate': 'Bearer' });
    }

    const fault = faults.forRequest();
    if (fault?.kind === 'error') return answer(fault.status, { message: 'simulated server error' });
    if (fault?.kind === 'rate-limit') {
      return answer(429, { message: 'simulated rate limit', status: 429 }, { 'retry-after': String(fault.retryAfterSeconds) });
    }
    if (fault?.kind === 'empty') return answer(200, fault.body);

    const q = url.searchParams;
    const sizeParam = q.get('page_size');
    const size = sizeParam === null ? DEFAULT_PAGE_SIZE : Number(sizeParam);
    if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
      return answer(400, { message: `page_size must be an integer from 1 to ${maxPageSize}, got ${JSON.stringify(sizeParam)}` });
    }
    const updatedAfter = q.get('updated_after');
    const updatedAfterMs = updatedAfter === null ? undefined : Date.parse(updatedAfter);
    if (Number.isNaN(updatedAfterMs)) return answer(400, { message: `updated_after is not an ISO 8601 instant: ${JSON.stringify(updatedAfter)}` });
    const cursor = q.get('cursor');
    const after = cursor === null || cursor === '' ? null : decodeCursor(cursor);
    if (cursor !== null && cursor !== '' && after === null) return answer(400, { message: 'cursor is not one this API issued' });

    const slice = store.page({ after, updatedAfterMs, size });
    const body = JSON.stringify({ data: faults.corrupt(slice.records), next_cursor: slice.nextAfter && encodeCursor(slice.nextAfter) });
    if (fault?.kind === 'truncate') return answer(200, body.slice(0, Math.floor(body.length / 2)));
    answer(200, body);
  }

  async function serveAdmin(req: http.IncomingMessage, url: URL, res: http.ServerResponse): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /__sim/employees') return send(res, 200, store.all());
    if (route === 'GET /__sim/stats') return send(res, 200, snapshotStats());
    if (route === 'POST /__sim/faults') {
      try {
        return send(res, 200, faults.set((await readJson(req)) as Partial<HrFaults>));
      } catch (e) {
        return send(res, 400, { message: (e as Error).message });
      }
    }
    if (route === 'POST /__sim/events') {
      let input: unknown;
      try {
        input = await readJson(req);
      } catch (e) {
        return send(res, 400, { message: (e as Error).message });
      }
      try {
        return send(res, 200, Array.isArray(input) ? input.map((event) => applyEvent(event, events)) : applyEvent(input, events));
      } catch (e) {
        return send(res, e instanceof LifecycleEventError ? e.status : 500, { message: (e as Error).message });
      }
    }
    send(res, 404, { message: `no such admin route: ${route}` });
  }

  function snapshotStats(): { requests: number; byStatus: Record<string, number> } {
    return { requests: counts.requests, byStatus: { ...counts.byStatus } };
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    if (url.pathname.startsWith('/__sim/')) {
      serveAdmin(req, url, res).catch((e: Error) => send(res, 500, { message: e.message }));
    } else if (url.pathname === EMPLOYEES_PATH) {
      serveEmployees(req, url, res);
    } else {
      counts.requests++;
      counts.byStatus['404'] = (counts.byStatus['404'] ?? 0) + 1;
      send(res, 404, { message: `no such route: ${url.pathname}` });
    }
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    employees: () => store.all(),
    apply: (event) => applyEvent(event, events),
    setFaults: (f) => void faults.set(f),
    stats: snapshotStats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pending) clearTimeout(timer);
        pending.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.trim() === '' ? {} : JSON.parse(text));
      } catch {
        reject(new Error('request body is not JSON'));
      }
    });
  });
}
