/**
 * Calendar-date arithmetic on `YYYY-MM-DD` strings. The domain never reads the clock: callers pass
 * `today`, which keeps every decision reproducible (and safe to run inside workflow code).
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

export function assertIsoDate(s: string, what: string): void {
  if (!isIsoDate(s)) throw new RangeError(`${what} must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(s)}`);
}

/** `date` shifted by `days` (negative goes back). */
export function addDays(date: string, days: number): string {
  assertIsoDate(date, 'date');
  const m = ISO_DATE.exec(date) as RegExpExecArray;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return d.toISOString().slice(0, 10);
}
