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
