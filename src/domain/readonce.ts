import type { Employee } from '../hr/employee';
import type { MatchKey } from './mapping/config';
import { employeeKey } from './matching';

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

/** The managers a page's employees name who are not on the page themselves, as named (one named twice is listed twice). */
export function managersOutside(employees: readonly Employee[]): string[] {
  const inPage = new Set(employees.map((e) => e.id));
  return employees.map((e) => e.manager_employee_id).filter((m): m is string => typeof m === 'string' && !inPage.has(m));
}

/**
 * The terms a delta page asks the target about: each employee with a key to be matched by, and each
 * manager outside the page (see managersOutside) whose user the run does not know yet, once.
 */
export function pageTerms(input: { employees: readonly Employee[]; matchPrecedence: readonly MatchKey[]; outside: readonly string[]; known: (hrId: string) => boolean }): number {
  const matchable = input.employees.filter((e) => input.matchPrecedence.some((by) => employeeKey(e, by) !== undefined)).length;
  return matchable + new Set(input.outside.filter((m) => !input.known(m))).size;
}

/** Before a delta page's questions: its terms at the run's price now, after the lookups the run has spent. */
export function readBeforePage(input: { cost: number; spent: number; terms: number; termsPerQuery: number }): ReadOnceDecision {
  return readTargetOnce({ cost: input.cost, spent: input.spent, expected: expectedLookups(input) });
}

/**
 * Before each further lookup while a page is asked, `used` calls into it. The page's first question may
 * teach that each term costs a call (a refused `or`, a filter too long), so the caller gives the price the
 * run knows now; the page's questions at that price, less those asked, and at least the one about to go.
 */
export function readBeforeLookup(input: { cost: number; spent: number; used: number; terms: number; termsPerQuery: number }): ReadOnceDecision {
  return readTargetOnce({ cost: input.cost, spent: input.spent + input.used, expected: Math.max(1, expectedLookups(input) - input.used) });
}
