import type { RawEmployee } from '../../src/hr/employee';

/**
 * Where a record sits in the paging order: (updated_at, id), then an internal sequence number so that even
 * a company handed in with duplicate ids has a total order.
 */
export interface PageKey {
  at: number;
  id: string;
  seq: number;
}

interface Entry extends PageKey {
  record: RawEmployee;
}

export interface PageQuery {
  /** Exclusive: the last key of the previous page. */
  after: PageKey | null;
  /** Exclusive: only records updated strictly after this instant (ms). */
  updatedAfterMs?: number;
  size: number;
}

export interface PageSlice {
  records: RawEmployee[];
  /** The key of the last record returned, when more records follow it. */
  nextAfter: PageKey | null;
}

/**
 * The HR system's employees, kept sorted by (updated_at, id). Every change stamps updated_at from a
 * logical clock that is ahead of every stamp so far, so a changed record always moves to the end:
 * a reader paging with a cursor never skips an unchanged record, and sees a changed one again later.
 */
export class EmployeeStore {
  private readonly order: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  private nextSeq = 0;
  private clock = -Infinity;

  constructor(records: readonly RawEmployee[]) {
    for (const record of records) {
      const entry: Entry = { record: { ...record }, id: idKeyOf(record), at: instantOf(record.updated_at), seq: this.nextSeq++ };
      this.order.push(entry);
      this.byId.set(entry.id, entry);
      this.clock = Math.max(this.clock, entry.at);
    }
    this.order.sort(compareKeys);
  }

  get size(): number {
    return this.order.length;
  }

  /** Copies, in paging order. */
  all(): RawEmployee[] {
    return this.order.map((e) => ({ ...e.record }));
  }

  get(id: string): RawEmployee | undefined {
    const entry = this.byId.get(id);
    return entry && { ...entry.record };
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The records themselves (read-only use), e.g. to walk the management chain. */
  peek(id: string): Readonly<RawEmployee> | undefined {
    return this.byId.get(id)?.record;
  }

  /** The record at a position in paging order (read-only use), for sampling. */
  nth(index: number): Readonly<RawEmployee> | undefined {
    return this.order[index]?.record;
  }

  values(): IterableIterator<Readonly<RawEmployee>> {
    return (function* (order: Entry[]) {
      for (const e of order) yield e.record;
    })(this.order);
  }

  page(query: PageQuery): PageSlice {
    let start = query.after === null ? 0 : this.firstAfter(query.after);
    if (query.updatedAfterMs !== undefined) start = Math.max(start, this.firstUpdatedAfter(query.updatedAfterMs));
    const end = Math.min(this.order.length, start + query.size);
    const records = this.order.slice(start, end).map((e) => e.record);
    const last = this.order[end - 1];
    return { records, nextAfter: end < this.order.length && last ? { at: last.at, id: last.id, seq: last.seq } : null };
  }

  /** Applies `change` to the record and stamps it; returns a copy. */
  update(id: string, change: (record: RawEmployee) => void): RawEmployee {
    const entry = this.byId.get(id);
    if (!entry) throw new Error(`no employee with id ${id}`);
    const index = this.indexOf(entry);
    this.order.splice(index, 1);
    change(entry.record);
    this.restamp(entry);
    this.order.push(entry);
    return { ...entry.record };
  }

  insert(record: RawEmployee): RawEmployee {
    const entry: Entry = { record: { ...record }, id: idKeyOf(record), at: 0, seq: this.nextSeq++ };
    this.restamp(entry);
    this.order.push(entry);
    this.byId.set(entry.id, entry);
    return { ...entry.record };
  }

  /**
   * "Now", but strictly after every stamp so far: two changes in one millisecond still get different
   * updated_at values, so `updated_after` never loses one of them.
   */
  private restamp(entry: Entry): void {
    const at = Math.max(Date.now(), this.clock + 1);
    this.clock = at;
    entry.at = at;
    entry.record.updated_at = new Date(at).toISOString();
  }

  private firstAfter(bound: PageKey): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.order[mid], bound) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** "Strictly greater than": the first record stamped after `at`. */
  private firstUpdatedAfter(at: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid].at <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(entry: Entry): number {
    const index = this.firstAfter(entry) - 1;
    if (this.order[index] !== entry) throw new Error(`store order is corrupt at id ${entry.id}`);
    return index;
  }
}

export function compareKeys(a: PageKey, b: PageKey): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}

/** Opaque to clients; base64url so it survives a query string untouched. */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id, key.seq]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): PageKey | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3) return null;
    const [at, id, seq] = parsed as unknown[];
    if (typeof at !== 'number' || typeof id !== 'string' || typeof seq !== 'number') return null;
    return { at, id, seq };
  } catch {
    return null;
  }
}

/** Records handed in on purpose broken (tests) still need a place in the order. */
function idKeyOf(record: RawEmployee): string {
  const id = (record as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id).trim() : '';
}

function instantOf(value: unknown): number {
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? 0 : at;
}
