/**
 * `items` cut into runs of at most `size` (at least one each), in order. Here, outside both, because the
 * domain (write chunks, membership batches) and the SCIM client (members per PATCH) cut lists alike and
 * neither may import the other; it imports nothing, so it ties neither to anything.
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, size);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
  return out;
}
