/** Columns of the reconciliation report (src/report), by the names in its header row. */
export type ReportRow = Record<string, string>;

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. The first row is the header. */
export function parseCsv(text: string): ReportRow[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  const [header, ...data] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header) return [];
  const keys = header.map((h) => h.trim());
  return data.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] ?? ''])));
}

/** A column by the first of its possible header names (the report may title them e.g. `hr_id` or `HR id`). */
export function column(row: ReportRow, ...names: string[]): string {
  for (const n of names) {
    const key = Object.keys(row).find((k) => k.toLowerCase().replace(/[\s_-]/g, '') === n.toLowerCase().replace(/[\s_-]/g, ''));
    if (key !== undefined) return row[key];
  }
  return '';
}
