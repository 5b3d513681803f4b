import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { bucketsFor, foldInBuckets } from '../report/buckets';
import { writeReportCsv } from '../report/csv';
import type { ReportRow, RowWord } from '../report/row';
import { learnedNotices } from './learning';
import { fileNameOf, inside } from '../staging/filename';
import { FILE_MODE, MEMBERSHIPS_SENT, type RunStore } from '../staging/runstore';
import type { Outcome, ReportResult, RunRef } from '../workflows/contracts';
import { classified, reportWrite } from './failures';

/** `<reportDir>/<workflow id>.csv`: where every run's report goes (the CLI finds a failed run's there too). */
export function reportFile(reportDir: string, runKey: string): string {
  return inside(reportDir, `${fileNameOf(runKey)}.csv`);
}

/**
 * A run that stopped before its memberships were sent (they go at the end of the run): its users' rows say
 * so, and fail, so the next delta reads them again.
 */
function unsentMemberships(store: RunStore, runKey: string): RowWord[] {
  if (store.index(runKey, MEMBERSHIPS_SENT)) return [];
  const words = new Map<string, RowWord>();
  for (const m of store.memberships(runKey)) {
    if (m.op === 'withdrawn') continue;
    const row = { hrId: m.hrId, userId: m.userId, outcome: 'failed', error: 'group membership not sent: the run stopped before the end' };
    words.set(m.hrId, { stage: 'groups', part: 'unsent', line: words.size, row });
  }
  return [...words.values()];
}

/** The final activity: the CSV reconciliation report, from the rows the run recorded. */
export function reportActivities(deps: { reportDir: string; store: RunStore; /** See BUCKET_BYTES. */ bucketBytes?: number }) {
  return {
    /**
     * `final`: the run ended (succeeded, dry run, rejected) and its working files go. A failed run keeps
     * them, so that a reset of it in the Web UI picks up where it stopped.
     */
    async writeReport(input: RunRef & { final: boolean }): Promise<ReportResult> {
      const file = reportFile(deps.reportDir, input.runKey);
      const summaryFile = file.replace(/\.csv$/, '.summary.json');
      // A retry after the working files were cleared: the report is already there.
      if (!existsSync(deps.store.runDir(input.runKey)) && existsSync(summaryFile)) {
        return JSON.parse(readFileSync(summaryFile, 'utf8')) as ReportResult;
      }
      await classified(async () => deps.store.check(input.runKey, input.runToken));
      const patches = function* (): Generator<RowWord> {
        yield* deps.store.rows(input.runKey);
        yield* unsentMemberships(deps.store, input.runKey);
      };
      // Folded a bucket at a time (one row per employee is too many to hold at 100,000), and counted as written.
      const counts = { rows: 0, drift: 0, outcomes: {} as Partial<Record<Outcome, number>> };
      const counted = function* (rows: Iterable<ReportRow>): Generator<ReportRow> {
        for (const r of rows) {
          counts.rows += 1;
          if ((r.drift ?? []).length > 0) counts.drift += 1;
          counts.outcomes[r.outcome as Outcome] = (counts.outcomes[r.outcome as Outcome] ?? 0) + 1;
          yield r;
        }
      };
      await reportWrite(file, async () => {
        const scratch = deps.store.scratch(input.runKey, 'report-fold');
        try {
          await writeReportCsv(file, counted(foldInBuckets(patches(), scratch, bucketsFor(deps.store.rowBytes(input.runKey), deps.bucketBytes))));
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      });
      const notices = learnedNotices(deps.store.learned(input.runKey));
      const result: ReportResult = {
        reportPath: file,
        ...(notices.length ? { notices } : {}),
        rows: counts.rows,
        drift: counts.drift,
        outcomes: counts.outcomes,
      };
      writeFileSync(summaryFile, JSON.stringify(result), { mode: FILE_MODE });
      if (input.final) deps.store.remove(input.runKey);
      return result;
    },
  };
}
