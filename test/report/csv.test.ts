import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { neutralise, writeReportCsv } from '../../src/report/csv';
import { parseCsv } from '../../src/runs/csv';

describe('report: CSV', () => {
  const cells: [string, string][] = [
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+1 555 0100', `'+1 555 0100`],
    ['-42', `'-42`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\tTAB', `'\tTAB`],
    ['\rCR', '\\rCR'],
    ['x\n=HYPERLINK("http://evil")', 'x\\n=HYPERLINK("http://evil")'],
    ['a\r\n@SUM(1)', 'a\\r\\n@SUM(1)'],
    ['\u001b[2J', '\\u001b[2J'],
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
      { hrId: '-7', userId: 'u1', userName: '=1+2@corp.example', action: 'create', outcome: 'applied', httpStatus: 201, changedFields: ['title'], drift: [{ field: 'title', expected: '=cmd', actual: '' }], error: '@risk', warnings: [{ code: 'invalid-phone', text: 'bad phone' }, { code: 'mapping', text: 'a' }, { code: 'mapping', text: 'b' }] },
      { hrId: 'E2', action: 'quarantine', outcome: 'rejected', error: 'email: Invalid email address' },
    ]);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'hr_id,user_id,user_name,action,outcome,http_status,changed_fields,drift,error,warning_codes');
    assert.equal(lines[1], `'-7,u1,'=1+2@corp.example,create,applied,201,title,"title: expected ""=cmd"" vs actual """"",'@risk | bad phone | a | b,invalid-phone mapping`);
    assert.equal(lines[2], 'E2,,,quarantine,rejected,,,,email: Invalid email address,');
  });

  it('opens with a real CSV parser as one row per line, none starting a formula, whatever the cells hold', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hrsync-csv-')), 'r.csv');
    const hostile = ['ok\n=HYPERLINK("http://evil","x")', 'a\r+1', 'b\r\n-2', '\n@SUM(A1)', '"\n=1', 'x,\n=2', '\u2028=3'];
    await writeReportCsv(file, hostile.map((h, i) => ({ hrId: `E${i}`, userName: h, action: 'create', outcome: 'applied', error: h, drift: [{ field: 'title', expected: h, actual: '' }] })));
    const text = readFileSync(file, 'utf8');
    const lines = text.split(/\r\n|\n|\r|\u2028/).filter((l) => l !== '');
    assert.equal(lines.length, hostile.length + 1, 'no cell breaks a line');
    for (const line of lines) assert.doesNotMatch(line, /^[=+\-@]/, line);
    const records = parseCsv(text);
    assert.equal(records.length, hostile.length);
    for (const r of records) for (const [k, v] of Object.entries(r)) assert.doesNotMatch(String(v), /^[=+\-@\t\r]/, `${k}: ${String(v)}`);
    assert.equal(statSync(file).mode & 0o077, 0, 'the report is readable by its owner only');
  });

  it('writes the header even for a run with no rows', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hrsync-csv-')), 'empty.csv');
    await writeReportCsv(file, []);
    assert.equal(readFileSync(file, 'utf8').trim(), 'hr_id,user_id,user_name,action,outcome,http_status,changed_fields,drift,error,warning_codes');
  });
});
