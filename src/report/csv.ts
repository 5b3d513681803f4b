import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createObjectCsvStringifier } from 'csv-writer';
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

/**
 * Rows written a batch at a time: each batch's string goes to the file before the next is made, so what
 * the writer holds is bounded and dies young (see report/buckets' LineWriter) however large the run.
 */
const BATCH_ROWS = 200;

/** Writes the report with csv-writer's quoting, a batch of rows at a time to one open file. */
export async function writeReportCsv(file: string, rows: Iterable<ReportRow>): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const csv = createObjectCsvStringifier({ header: [...REPORT_COLUMNS] });
  // Owner only: the report names employees (chmod too: a file that was there keeps its mode on open).
  const out = await open(file, 'w', 0o600);
  try {
    await out.chmod(0o600);
    // A write may take less than it is given: the rest goes in the next.
    const write = async (text: string) => {
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length; ) at += (await out.write(bytes, at)).bytesWritten;
    };
    let batch: Record<string, string>[] = [];
    let header = csv.getHeaderString() ?? '';
    for (const row of rows) {
      batch.push(toRecord(row));
      if (batch.length >= BATCH_ROWS) {
        await write(header + csv.stringifyRecords(batch));
        batch = [];
        header = '';
      }
    }
    // As csv-writer wrote it: the header, and an empty batch's line, when there were no rows at all.
    if (batch.length || header) await write(header + csv.stringifyRecords(batch));
  } finally {
    await out.close();
  }
}
