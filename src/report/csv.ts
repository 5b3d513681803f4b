import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createObjectCsvWriter } from 'csv-writer';
import { escapeControl } from './escape';
import { notesOf, type ReportRow } from './row';

export const REPORT_COLUMNS = [
  { id: 'hr_id', title: 'hr_id' },
  { id: 'user_id', title: 'user_id' },
  { id: 'user_name', title: 'user_name' },
  { id: 'action', title: 'action' },
  { id: 'outcome', title: 'outcome' },
  { id: 'http_status', title: 'http_status' },
  { id: 'changed_fields', title: 'changed_fields' },
  { id: 'drift', title: 'drift' },
  { id: 'error', title: 'error' },
  { id: 'warning_codes', title: 'warning_codes' },
] as const;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula; HR
 * data can start that way by accident or on purpose. A leading apostrophe makes it plain text.
 * Line breaks and other control characters are written as escapes (`\n`, `\u001b`): a quoted cell
 * may legally hold a line break, but an importer that reads line by line would then start a row with
 * whatever follows it (`x\n=HYPERLINK(...)`), and the apostrophe guards only the cell's start.
 */
export function neutralise(cell: string): string {
  const flat = escapeControl(cell);
  return /^[=+\-@\t]/.test(flat) ? `'${flat}` : flat;
}

export function toRecord(row: ReportRow): Record<string, string> {
  const cells: Record<string, string> = {
    hr_id: row.hrId,
    user_id: row.userId ?? '',
    user_name: row.userName ?? '',
    action: row.action,
    outcome: row.outcome,
    http_status: row.httpStatus ? String(row.httpStatus) : '',
    changed_fields: (row.changedFields ?? []).join(' '),
    drift: (row.drift ?? []).map((d) => `${d.field}: expected ${JSON.stringify(d.expected)} vs actual ${JSON.stringify(d.actual)}`).join('; '),
    error: notesOf(row).join(' | '),
    // The warnings' codes, for a filter that must not depend on their wording (which is in `error`).
    warning_codes: [...new Set((row.warnings ?? []).map((w) => w.code))].join(' '),
  };
  for (const k of Object.keys(cells)) cells[k] = neutralise(cells[k]);
  return cells;
}

/** Writes the report with csv-writer, a thousand rows at a time. */
export async function writeReportCsv(file: string, rows: Iterable<ReportRow>): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Owner only: the report names employees. Made before csv-writer opens it, which keeps the mode.
  writeFileSync(file, '', { mode: 0o600 });
  chmodSync(file, 0o600);
  const writer = createObjectCsvWriter({ path: file, header: [...REPORT_COLUMNS] });
  let batch: Record<string, string>[] = [];
  let wroteAny = false;
  for (const row of rows) {
    batch.push(toRecord(row));
    if (batch.length >= 1000) {
      await writer.writeRecords(batch);
      wroteAny = true;
      batch = [];
    }
  }
  if (batch.length || !wroteAny) await writer.writeRecords(batch);
}
