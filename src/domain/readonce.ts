/**
 * A delta's rent-or-buy: it asks the target about each HR record (rent) until asking would cost more than
 * reading the whole target once (buy), and then reads it and resolves the rest of the run from that read.
 * Never more than about twice the better choice: on a small company, or where each question costs a call
 * (the target refuses `or`), it reads the target; on a large company with a small delta it keeps asking.
 */

/** What reading the whole target costs: a call per page of the unfiltered list, and at least one for the inactive users where that list hides them. */
export function targetReadCost(input: { population: number; pageSize: number; inactivePass: boolean }): number {
  const pages = Math.max(1, Math.ceil(input.population / input.pageSize));
  // How many inactive users there are is not known before they are read: one page at least.
  return pages + (input.inactivePass ? 1 : 0);
}

/** The calls a page's questions take: one per term when the target takes one term a query, else `perQuery` terms a query. */
export function expectedLookups(input: { terms: number; termsPerQuery: number }): number {
  return Math.ceil(input.terms / Math.max(1, input.termsPerQuery));
}

export type ReadOnceDecision = { read: false } | { read: true; reason: string };

/**
 * Before a delta page's questions, and before each further lookup while they are asked: read the target
 * once when the lookups spent in the run plus the ones still to ask would cost more than reading it.
 */
export function readTargetOnce(input: { cost: number; spent: number; expected: number }): ReadOnceDecision {
  const lookups = input.spent + input.expected;
  if (input.expected <= 0 || lookups <= input.cost) return { read: false };
  return { read: true, reason: `reading the target once (${input.cost} calls): cheaper than ${lookups} lookups` };
}
