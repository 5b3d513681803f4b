import { ScimInvalidResponseError, type ScimOperation } from './errors';

/**
 * How far a list may page, from the total its first page announced: users created while the list is
 * read may add some, but a target whose total keeps growing (or that ignores startIndex) would page
 * forever. Half as many again plus a thousand covers real churn during one read.
 */
export function pagingLimit(firstTotal: number): number {
  return Math.ceil(firstTotal * 1.5) + 1000;
}

/** Throws when `nextStartIndex` runs past what the first page's total allows. */
export function assertPagingEnds(operation: ScimOperation, request: string, nextStartIndex: number, firstTotal: number): void {
  if (nextStartIndex <= pagingLimit(firstTotal) + 1) return;
  throw new ScimInvalidResponseError({
    operation,
    request,
    problems: [
      `totalResults: the list did not end: ${nextStartIndex - 1} resources read where its first page announced ${firstTotal}; refusing to page on (the target's totals never end)`,
    ],
  });
}
