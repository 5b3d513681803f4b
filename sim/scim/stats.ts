export interface FaultCounters {
  errors: number;
  drops: number;
  delays: number;
  storms: number;
  conflicts: number;
}

/** Counters over API and token requests. Admin (`/__sim/`) requests are never counted. */
export interface SimStats {
  total: number;
  byMethod: Record<string, number>;
  byStatus: Record<string, number>;
  /** Keys like `PATCH /users/:id 200`; a dropped connection counts under status `dropped`. */
  byRoute: Record<string, number>;
  /**
   * Filtered list requests by the filter's shape, values masked and schema URNs dropped:
   * `GET /users externalId eq "…" and active eq false 200`. What a run's lookups cost, by kind.
   */
  byFilter: Record<string, number>;
  /** POST/PUT/PATCH/DELETE on users and groups, successful or not, plus each /Bulk operation. */
  writes: number;
  /** 429 answers: over budget or injected. */
  rateLimited: number;
  tokenRequests: number;
  bulkRequests: number;
  bulkOperations: number;
  faults: FaultCounters;
}

export interface RequestLogEntry {
  time: string;
  method: string;
  /** The path with ids replaced by `:id`, relative to the SCIM base, e.g. `/users/:id`. */
  route: string;
  /** The raw path and query string. Headers (so tokens) are never logged. */
  path: string;
  status: number | 'dropped';
  durationMs: number;
  fault?: 'error' | 'drop' | 'storm' | 'conflict';
}

const LOG_SIZE = 2000;

/** A request's filter with its quoted values masked and schema URNs left out; undefined when it has none. */
export function filterShape(pathAndQuery: string): string | undefined {
  const filter = new URL(pathAndQuery, 'http://sim.invalid').searchParams.get('filter');
  if (filter === null || filter.trim() === '') return undefined;
  return filter
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/urn:[^\s[\]()]*:(?=[A-Za-z][\w.]*)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function emptyStats(): SimStats {
  return {
    total: 0, byMethod: {}, byStatus: {}, byRoute: {}, byFilter: {}, writes: 0, rateLimited: 0,
    tokenRequests: 0, bulkRequests: 0, bulkOperations: 0,
    faults: { errors: 0, drops: 0, delays: 0, storms: 0, conflicts: 0 },
  };
}

const bump = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

export class StatsRecorder {
  private stats = emptyStats();
  private log: RequestLogEntry[] = [];

  record(entry: RequestLogEntry, isWrite: boolean): void {
    const s = this.stats;
    const status = String(entry.status);
    s.total += 1;
    bump(s.byMethod, entry.method);
    bump(s.byStatus, status);
    bump(s.byRoute, `${entry.method} ${entry.route} ${status}`);
    const shape = filterShape(entry.path);
    if (shape !== undefined) bump(s.byFilter, `${entry.method} ${entry.route} ${shape} ${status}`);
    if (isWrite) s.writes += 1;
    if (entry.status === 429) s.rateLimited += 1;
    if (entry.route === '/oauth/token') s.tokenRequests += 1;
    if (entry.route === '/bulk') s.bulkRequests += 1;
    this.log.push(entry);
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
  }

  fault(kind: keyof FaultCounters): void {
    this.stats.faults[kind] += 1;
  }

  bulkOperations(n: number): void {
    this.stats.bulkOperations += n;
    this.stats.writes += n;
  }

  snapshot(): SimStats {
    return structuredClone(this.stats);
  }

  requests(limit = 100): RequestLogEntry[] {
    return this.log.slice(-Math.max(0, limit)).map((e) => ({ ...e }));
  }

  reset(): void {
    this.stats = emptyStats();
    this.log = [];
  }
}
