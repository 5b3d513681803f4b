import type { HrConnector } from '../hr';
import { describeCursor, HrMalformedPageError } from '../hr/errors';
import type { Employee } from '../hr/employee';
import type { RunStore } from '../staging/runstore';
import type { Pass, RejectedHrRecord } from '../workflows/contracts';

/** One HR page as the page activity plans it (it never reaches history). */
export interface HrPageRead {
  employees: Employee[];
  /** Without the raw record: the reason names the fields. */
  rejected: RejectedHrRecord[];
  /** Records HR sent twice on this page: the later `updated_at` was kept. */
  duplicates: { id: string; kept_updated_at: string; dropped_updated_at: string }[];
  nextCursor: string | null;
  highWaterMark: string | null;
}

/** HR pagination: one page a call (planHrPage checks the run store first), and a cursor that leads back to a page this read has read is an error. */
export function hrPages(deps: { hr: HrConnector; store: RunStore }) {
  return {
    async readHrPage(input: { runKey: string; pass: Pass; cursor: string | null; updatedAfter: string | null }): Promise<HrPageRead> {
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
        rejected: page.rejected.map((r) => ({ id: r.id, reason: r.reason })),
        duplicates: page.duplicates,
        nextCursor: page.nextCursor,
        highWaterMark: page.highWaterMark,
      };
    },
  };
}
