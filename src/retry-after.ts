/**
 * A 429's Retry-After header, read once for both callers. Here, outside both, because the HR connector and
 * the SCIM client read the same header and neither may import the other; it imports nothing, so it ties
 * neither to anything.
 */

/** The wait when a 429 says nothing usable: each caller falls back to it after what else it may consult. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** RFC 9110 §5.6.7: the preferred form, and the two obsolete ones a recipient must still accept. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/** The instant an HTTP-date names (always UTC), or undefined when it is not one, or names no real time. */
function httpDate(value: string, now: number): number | undefined {
  let parts: [day: string, month: string, year: number, h: string, m: string, s: string] | undefined;
  const imf = IMF_FIXDATE.exec(value);
  if (imf) parts = [imf[1], imf[2], Number(imf[3]), imf[4], imf[5], imf[6]];
  const rfc850 = parts ? null : RFC850_DATE.exec(value);
  if (rfc850) {
    // A two-digit year more than 50 years ahead is the most recent past year with those digits (§5.6.7).
    const thisYear = new Date(now).getUTCFullYear();
    let year = thisYear - (thisYear % 100) + Number(rfc850[3]);
    if (year > thisYear + 50) year -= 100;
    parts = [rfc850[1], rfc850[2], year, rfc850[4], rfc850[5], rfc850[6]];
  }
  const asctime = parts ? null : ASCTIME_DATE.exec(value);
  if (asctime) parts = [asctime[2].trim(), asctime[1], Number(asctime[6]), asctime[3], asctime[4], asctime[5]];
  if (!parts) return undefined;
  const [day, month, year, h, m, s] = parts;
  const at = new Date(Date.UTC(year, MONTHS.indexOf(month), Number(day), Number(h), Number(m), Number(s)));
  // Date.UTC rolls 31 Feb over into March, and 25:00 into the next day: those are not dates.
  const real = at.getUTCDate() === Number(day) && at.getUTCHours() === Number(h) && at.getUTCMinutes() === Number(m) && at.getUTCSeconds() === Number(s);
  return real ? at.getTime() : undefined;
}

/**
 * How long a Retry-After asks to wait, in ms: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); a date
 * gone by is no wait. Undefined when the header is missing or is neither, negative numbers included,
 * never a guess: what that means is the caller's. Decimal seconds are not RFC 9110's but some servers send
 * them; they are read, to the millisecond. Only the RFC's date forms count: the looser forms `Date.parse` takes
 * would read `-5` or `1.5` as days in 2001.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = httpDate(trimmed, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}
