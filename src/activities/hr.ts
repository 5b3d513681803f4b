import { heartbeat } from '@temporalio/activity';
import type { HrConnector } from '../hr';
import type { HrPageResult } from '../workflows/contracts';
import { classified } from './failures';

/** HR pagination: one page per activity, so a long read resumes at its cursor after any failure. */
export function hrActivities(deps: { hr: HrConnector }) {
  return {
    async readHrPage(input: { cursor: string | null; updatedAfter: string | null }): Promise<HrPageResult> {
      heartbeat({ cursor: input.cursor });
      return classified(async () => {
        const page = await deps.hr.readPage({ cursor: input.cursor, ...(input.updatedAfter ? { updatedAfter: input.updatedAfter } : {}) });
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
