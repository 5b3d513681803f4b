import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { neutralise, writeReportCsv } from '../../src/report/csv';
import { mergeRows, type RowPatch } from '../../src/report/row';

describe('report: CSV', () => {
  const cells: [string, string][] = [
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+1 555 0100', `'+1 555 0100`],
    ['-42', `'-42`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\tTAB', `'\tTAB`],
    ['\rCR', `'\rCR`],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ];
  for (const [input, expected] of cells) {
    it(`neutralises ${JSON.stringify(input)}`, () => assert.equal(neutralise(input), expected));
  }

  it('writes a file whose cells never start a formula, with the documented columns', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hrsync-csv-')), 'r.csv');
    await writeReportCsv(file, [
      { hrId: '-7', userId: 'u1', userName: '=1+2@corp.example', action: 'create', outcome: 'applied', httpStatus: 201, changedFields: ['title'], drift: [{ field: 'title', expected: '=cmd', actual: '' }], error: '@risk' },
      { hrId: 'E2', action: 'quarantine', outcome: 'rejected', error: 'email: Invalid email address' },
    ]);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'hr_id,user_id,user_name,action,outcome,http_status,changed_fields,drift,error');
    assert.equal(lines[1], `'-7,u1,'=1+2@corp.example,create,applied,201,title,"title: expected ""=cmd"" vs actual """"",'@risk`);
    assert.equal(lines[2], 'E2,,,quarantine,rejected,,,,email: Invalid email address');
  });

  it('writes the header even for a run with no rows', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hrsync-csv-')), 'empty.csv');
    await writeReportCsv(file, []);
    assert.equal(readFileSync(file, 'utf8').trim(), 'hr_id,user_id,user_name,action,outcome,http_status,changed_fields,drift,error');
  });
});

describe('report: merging the rows of a run', () => {
  it('lets later rows override, settles drift of resolved fields, and drops the pending-manager note', () => {
    const rows: RowPatch[] = [
      { hrId: '1', action: 'create', outcome: 'planned', error: 'manager 9 has no user in the target yet; the reference is retried at the end of the run' },
      { hrId: '1', userId: 'u1', action: 'create', outcome: 'applied', httpStatus: 201, drift: [{ field: 'manager', expected: 'unresolved (HR id 9)', actual: '' }, { field: 'title', expected: 'A', actual: 'B' }], error: 'manager 9 has no user in the target yet; the reference is retried at the end of the run | unknown department' },
      { hrId: '1', userId: 'u1', resolvedFields: ['manager'] },
      { hrId: '2', outcome: 'pending-reference' },
    ];
    const merged = mergeRows(rows);
    assert.deepEqual(merged.get('1'), {
      hrId: '1',
      userId: 'u1',
      action: 'create',
      outcome: 'applied',
      httpStatus: 201,
      drift: [{ field: 'title', expected: 'A', actual: 'B' }],
      error: 'unknown department',
    });
    assert.equal(merged.has('2'), false, 'a patch with no row to patch is not a row');
  });
});
