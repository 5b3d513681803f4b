import type { IncomingHttpHeaders } from 'node:http';
import { ScimHttpError, forbidden } from './errors';
import type { FaultInjector } from './faults';
import type { ResolvedOptions } from './options';
import { parseVersionTag, RenderContext, versionTag } from './render';
import type { StatsRecorder } from './stats';
import type { Store } from './store';

/** The simulator's state, shared by every handler. */
export interface SimCore {
  opts: ResolvedOptions;
  store: Store;
  render: RenderContext;
  faults: FaultInjector;
  stats: StatsRecorder;
  denied: Set<string>;
}

export interface SimRequest {
  method: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function requirePermission(core: SimCore, permission: string): void {
  if (core.denied.has(permission)) throw forbidden(permission);
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * Honours If-Match. The conflict fault lands first (an admin edits the resource an instant before),
 * so a client holding the old version gets the mismatch a real concurrent edit would cause.
 */
export function checkIfMatch(core: SimCore, ifMatch: string | undefined, current: () => number, concurrentEdit: () => void): void {
  if (ifMatch === undefined || ifMatch.trim() === '') return;
  if (core.faults.conflict()) {
    concurrentEdit();
    core.stats.fault('conflicts');
  }
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.includes('*')) return;
  const version = current();
  if (tags.some((t) => parseVersionTag(t) === version)) return;
  const detail = `The version supplied (${ifMatch}) does not match the current version (${versionTag(core.opts.mode, version)})`;
  if (core.opts.mode === 'genesys') throw new ScimHttpError(400, detail, 'invalidVers');
  throw new ScimHttpError(412, detail);
}

/** If-None-Match on GET: true when the client's copy is current. */
export function notModified(ifNoneMatch: string | undefined, version: number): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || parseVersionTag(t) === version);
}

export interface Paging {
  startIndex: number;
  count: number;
}

export function paging(core: SimCore, query: URLSearchParams): Paging {
  const int = (name: string, fallback: number): number => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new ScimHttpError(400, `${name} must be a number`, 'invalidValue');
    return Math.trunc(n);
  };
  const startIndex = Math.max(1, int('startIndex', 1));
  const count = Math.min(core.opts.maxPageSize, Math.max(0, int('count', 25)));
  return { startIndex, count };
}
