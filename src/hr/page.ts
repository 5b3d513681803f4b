import type { z } from 'zod';
import { EmployeeSchema, employeeSchemaFor, type Employee } from './employee';
import { describeCursor, HrMalformedPageError } from './errors';

/** A record the HR API sent that is not a valid employee. Its page-mates go on without it. */
export interface RejectedRecord {
  /** The record's id when it had a usable one. */
  id: string | null;
  /** Every problem, each naming its field, e.g. "email: Invalid email address". */
  reason: string;
  /** The record itself, only when small: it ends up in activity results and reports. */
  raw?: unknown;
}

/** Two records with the same id in one run: the later `updated_at` is kept. */
export interface DuplicateRecord {
  id: string;
  kept_updated_at: string;
  dropped_updated_at: string;
}

export interface HrPage {
  employees: Employee[];
  rejected: RejectedRecord[];
  /** Duplicate ids within this page (already merged in `employees`). */
  duplicates: DuplicateRecord[];
  nextCursor: string | null;
  /** The largest `updated_at` among this page's valid employees; null when there are none. */
  highWaterMark: string | null;
}

const RAW_LIMIT_CHARS = 1024;
/** Records per page whatever page_size was asked: more is an API that ignores it, or one that is broken. */
export const MAX_RECORDS_PER_PAGE = 10_000;

/**
 * Reads one page body. Anything that isn't `{ data: [...], next_cursor: string | null }` is an
 * HrMalformedPageError naming the cursor: never an empty page.
 */
export function parsePage(body: string, cursor: string | null, opts: { maxRecords?: number; mappedFields?: readonly string[] } = {}): HrPage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    const what = body.trim() === '' ? 'an empty body' : `a body that is not JSON (${(e as Error).message})`;
    throw new HrMalformedPageError(`HR API answered ${describeCursor(cursor)} with ${what}`, { cursor });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new HrMalformedPageError(`HR API answered ${describeCursor(cursor)} with JSON that is not an object`, { cursor });
  }
  const page = json as Record<string, unknown>;
  if (!Array.isArray(page.data)) {
    throw new HrMalformedPageError(
      `HR API answered ${describeCursor(cursor)} without a "data" array (got ${describeType(page.data)}); ` +
        'refusing to read it as an empty page',
      { cursor },
    );
  }
  const maxRecords = Math.min(opts.maxRecords ?? MAX_RECORDS_PER_PAGE, MAX_RECORDS_PER_PAGE);
  if (page.data.length > maxRecords) {
    throw new HrMalformedPageError(
      `HR API answered ${describeCursor(cursor)} with ${page.data.length} records, more than the ${maxRecords} a page may hold (page_size); refusing the page`,
      { cursor },
    );
  }
  const next = page.next_cursor;
  if (next !== null && (typeof next !== 'string' || next === '')) {
    throw new HrMalformedPageError(
      `HR API answered ${describeCursor(cursor)} without a "next_cursor" string or null (got ${describeType(next)})`,
      { cursor },
    );
  }
  if (next !== null && next === cursor) {
    throw new HrMalformedPageError(`HR API answered ${describeCursor(cursor)} with the same cursor as next_cursor: paging would never end`, {
      cursor,
    });
  }
  return { ...validateRecords(page.data, opts.mappedFields), nextCursor: next };
}

/**
 * How far ahead of this worker's clock an `updated_at` may be. Clocks disagree by seconds; a record dated
 * later than this is a bad date (9999-12-31, a typo'd year), and as the watermark it would hide every
 * change from the next deltas until that day.
 */
export const FUTURE_UPDATED_AT_SKEW_MS = 5 * 60_000;

/**
 * Quarantines the page's records whose `updated_at` lies beyond now plus the skew: each is rejected with
 * the reason, and the page's high-water mark is taken from the rest, so they never move the watermark.
 */
export function holdFutureRecords(page: HrPage, nowMs: number): HrPage {
  const limit = nowMs + FUTURE_UPDATED_AT_SKEW_MS;
  const future = page.employees.filter((e) => instantOf(e.updated_at) > limit);
  if (future.length === 0) return page;
  const employees = page.employees.filter((e) => !future.includes(e));
  return {
    ...page,
    employees,
    rejected: [
      ...page.rejected,
      ...future.map((e) => ({
        id: e.id,
        reason: `updated_at: ${e.updated_at} is in the future (later than now plus ${FUTURE_UPDATED_AT_SKEW_MS / 60_000} minutes); quarantined so that it does not become the watermark`,
      })),
    ],
    highWaterMark: highWaterMarkOf(employees),
  };
}

/** Validates each record on its own (keeping the fields a mapping names); merges duplicate ids within the page. */
export function validateRecords(records: readonly unknown[], mappedFields: readonly string[] = []): Omit<HrPage, 'nextCursor'> {
  const valid: Employee[] = [];
  const rejected: RejectedRecord[] = [];
  const schema = mappedFields.length > 0 ? employeeSchemaFor(mappedFields) : EmployeeSchema;
  for (const raw of records) {
    const parsed = schema.safeParse(raw);
    if (parsed.success) valid.push(parsed.data);
    else rejected.push(rejectionOf(raw, parsed.error));
  }
  const { employees, duplicates } = mergeDuplicates(valid);
  return { employees, rejected, duplicates, highWaterMark: highWaterMarkOf(employees) };
}

export function rejectionOf(raw: unknown, error: z.ZodError): RejectedRecord {
  const reason = error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(record)'}: ${i.message}`).join('; ');
  const rejected: RejectedRecord = { id: idOf(raw), reason };
  const shown = smallCopy(raw);
  if (shown !== undefined) rejected.raw = shown;
  return rejected;
}

/**
 * Keeps one record per id: the one with the later `updated_at` (on a tie, the one read later, since it is
 * the fresher read). The kept record stays where its id first appeared, so order is stable.
 * Generic so that callers merging across pages can pass light `{id, updated_at}` records.
 */
export function mergeDuplicates<T extends { id: string; updated_at: string }>(
  records: readonly T[],
): { employees: T[]; duplicates: DuplicateRecord[] } {
  const slotOf = new Map<string, number>();
  const employees: T[] = [];
  const duplicates: DuplicateRecord[] = [];
  for (const record of records) {
    const slot = slotOf.get(record.id);
    if (slot === undefined) {
      slotOf.set(record.id, employees.length);
      employees.push(record);
      continue;
    }
    const current = employees[slot];
    if (instantOf(record.updated_at) >= instantOf(current.updated_at)) {
      employees[slot] = record;
      duplicates.push({ id: record.id, kept_updated_at: record.updated_at, dropped_updated_at: current.updated_at });
    } else {
      duplicates.push({ id: record.id, kept_updated_at: current.updated_at, dropped_updated_at: record.updated_at });
    }
  }
  return { employees, duplicates };
}

/** The largest updated_at, compared as instants (offsets differ between HR systems), returned as sent. */
export function highWaterMarkOf(records: readonly { updated_at: string }[]): string | null {
  let best: string | null = null;
  let bestAt = -Infinity;
  for (const r of records) {
    const at = instantOf(r.updated_at);
    if (at > bestAt) {
      best = r.updated_at;
      bestAt = at;
    }
  }
  return best;
}

function instantOf(iso: string): number {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? -Infinity : at;
}

function idOf(raw: unknown): string | null {
  if (raw === null || typeof raw !== 'object') return null;
  const id = (raw as Record<string, unknown>).id;
  if (typeof id === 'string' && id.trim() !== '') return id.trim();
  if (typeof id === 'number' && Number.isInteger(id)) return String(id);
  return null;
}

function smallCopy(raw: unknown): unknown {
  try {
    const text = JSON.stringify(raw);
    return text !== undefined && text.length <= RAW_LIMIT_CHARS ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function describeType(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' && v === '' ? 'an empty string' : `a ${typeof v}`;
}
