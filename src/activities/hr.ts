import { heartbeat } from '@temporalio/activity';
import type { HrConnector } from '../hr';
import { describeCursor, HrMalformedPageError } from '../hr/errors';
import type { RunStore } from '../staging/runstore';
import type { HrPageResult, Pass, RunRef } from '../workflows/contracts';
import { classified } from './failures';

/** HR pagination: one page per activity, so a long read resumes at its cursor after any failure. */
export function hrActivities(deps: { hr: HrConnector; store: RunStore }) {
  return {
    async readHrPage(input: RunRef & { pass: Pass; cursor: string | null; updatedAfter: string | null }): Promise<HrPageResult> {
      heartbeat({ cursor: input.cursor });
      return classified(async () => {
        deps.store.check(input.runKey, input.runToken);
        const page = await deps.hr.readPage({ cursor: input.cursor, ...(input.updatedAfter ? { updatedAfter: input.updatedAfter } : {}) });
        const cycle = deps.store.noteCursor(input.runKey, `hr-${input.pass}`, input.cursor, page.nextCursor);
        if (cycle) {
          throw new HrMalformedPageError(
            `HR API answered ${describeCursor(input.cursor)} with next_cursor ${JSON.stringify(cycle.cycle.slice(0, 80))}, a page this read has already read: paging would never end`,
            { cursor: input.cursor },
          );
        }
        return {
          employees: page.employees,
          // The raw record stays out of history: it may hold PII and the reason names the fields.
          rejected: page.rejected.map((r) => ({ id: r.id, reason: r.reason })),
          duplicates: page.duplicates,
          nextCursor: page.nextCursor,
          highWaterMark: page.highWaterMark,
          apiCalls: 1,
        };
      });
    },
  };
}
