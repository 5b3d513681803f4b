/**
 * Where a run's HR read starts (`updated_after`), or null to read everything. A full run reads everything.
 * A delta reads from `since` when the operator gave one, else from the last successful run's watermark,
 * reaching back `overlapMs` for clock skew between HR and us; a target without a watermark reads everything.
 */
export function readWindowStart(input: { mode: 'full' | 'delta'; since: string | null; previousWatermark: string | null; overlapMs: number }): string | null {
  if (input.mode !== 'delta') return null;
  if (input.since) return new Date(input.since).toISOString();
  if (input.previousWatermark) return new Date(Date.parse(input.previousWatermark) - input.overlapMs).toISOString();
  return null;
}

/** The later of two instants; null is "none yet", never "the beginning". */
export function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The earlier of two instants; null is "none yet", never "the beginning". */
export function earlier(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

/** The run outcomes whose writes may move the watermark on; a failed, rejected or dry run never does. */
const ADVANCING: readonly string[] = ['succeeded', 'completed-with-failures'];

/**
 * The watermark the next delta starts from: the run's high-water mark, held back before the oldest
 * failed write so that change is read again. Only runs that wrote advance it. A run that read nothing
 * carries the last watermark forward: never its own window's start, which for a `--since` in the future
 * would skip every change until then.
 */
export function nextWatermark(input: { outcome: string; highWaterMark: string | null; oldestFailure: string | null; previousWatermark: string | null }): string | null {
  if (!ADVANCING.includes(input.outcome)) return null;
  const hwm = input.highWaterMark ?? input.previousWatermark;
  if (hwm === null) return null;
  const { oldestFailure } = input;
  if (oldestFailure !== null && Date.parse(oldestFailure) <= Date.parse(hwm)) {
    return new Date(Date.parse(oldestFailure) - 1).toISOString();
  }
  return new Date(Date.parse(hwm)).toISOString();
}
