/**
 * RFC 7643 §2.5: an attribute sent as `null` is unassigned, the same as one left out. The schemas read
 * "left out" (optional), so nulls go before validation: a target that sends them is not a broken one.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}
