import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeReportCsv } from '../report/csv';
import { mergeRows } from '../report/row';
import type { RunStore } from '../staging/runstore';
import { learnedNotices } from './learning';
import type { Outcome, ReportResult } from '../workflows/contracts';

/** `<reportDir>/<workflow id>.csv`: where every run's report goes (the CLI finds a failed run's there too). */
export function reportFile(reportDir: string, runKey: string): string {
  return path.resolve(reportDir, `${runKey.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv`);
}

/** The final activity: the CSV reconciliation report, from the rows the run recorded. */
export function reportActivities(deps: { reportDir: string; store: RunStore }) {
  return {
    /**
     * `final`: the run ended (succeeded, dry run, rejected) and its working files go. A failed run keeps
     * them, so that a reset of it in the Web UI picks up where it stopped.
     */
    async writeReport(input: { runKey: string; final: boolean }): Promise<ReportResult> {
      const file = reportFile(deps.reportDir, input.runKey);
      const summaryFile = file.replace(/\.csv$/, '.summary.json');
      // A retry after the working files were cleared: the report is already there.
      if (!existsSync(deps.store.runDir(input.runKey)) && existsSync(summaryFile)) {
        return JSON.parse(readFileSync(summaryFile, 'utf8')) as ReportResult;
      }
      const rows = [...mergeRows(deps.store.rows(input.runKey)).values()];
      await writeReportCsv(file, rows);
      const outcomes: Partial<Record<Outcome, number>> = {};
      for (const r of rows) outcomes[r.outcome as Outcome] = (outcomes[r.outcome as Outcome] ?? 0) + 1;
      const notices = learnedNotices(deps.store.learned(input.runKey));
      const result: ReportResult = {
        reportPath: file,
        ...(notices.length ? { notices } : {}),
        rows: rows.length,
        drift: rows.filter((r) => (r.drift ?? []).length > 0).length,
        outcomes,
      };
      writeFileSync(summaryFile, JSON.stringify(result));
      if (input.final) deps.store.remove(input.runKey);
      return result;
    },
  };
}
