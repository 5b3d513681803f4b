import { Secret } from '../secret';

const REDACTED = '[redacted]';

/** Keys whose values are credentials whatever their type (apiToken, clientSecret, Authorization, password...). */
const SECRET_KEY = /token|secret|password|passwd|authorization|api[-_]?key|cookie|credential/i;

/** Bearer tokens and basic-auth headers that slipped into free text (an error message quoting a request). */
const SECRET_TEXT = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g;

export function redactText(text: string): string {
  return text.replace(SECRET_TEXT, (_m, scheme: string) => `${scheme} ${REDACTED}`);
}

/**
 * A copy of `value` safe to log: `Secret`s and the values of secret-looking keys become "[redacted]",
 * errors become { name, message }, cycles and depth are cut.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value instanceof Secret) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (seen.has(value)) return '[cycle]';
  if (depth > 6) return '[deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}
