import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportActivities } from '../../src/activities/report';
import { bucketsFor, BUCKET_BYTES, foldInBuckets } from '../../src/report/buckets';
import { foldWords, type RowPatch, type RowWord, type Stage } from '../../src/report/row';
import { RunStore } from '../../src/staging/runstore';

/**
 * A run's words as the run store gives them, part by part: plans of three HR pages, managers created
 * first, writes, a refetch, group failures and references, quarantined records with and without an id,
 * and an amendment to no row. Names with accents are long enough to cross the reader's blocks.
 */
function runWords(employees: number): RowWord[] {
  const words: RowWord[] = [];
  const line = new Map<string, number>();
  const say = (stage: Stage, part: string, row: RowWord['row']) => {
    const n = line.get(part) ?? 0;
    line.set(part, n + 1);
    words.push({ stage, part, line: n, row });
  };
  const page = (i: number) => `1-plan-hr-${String(Math.floor(i / 100)).padStart(6, '0')}`;
  const name = (i: number) => `Zoë Ünal-Ørsted ${'é'.repeat(i % 50)} ${i}`;
  for (let i = 0; i < employees; i++) say('plan', page(i), { hrId: `E${i}`, userName: name(i), action: 'create', outcome: 'planned', changedFields: ['userName'], warnings: [] });
  for (let i = 0; i < employees; i += 8) say('managers-first', '0-managers-000000', { hrId: `E${i}`, userId: `u${i}`, action: 'create', outcome: 'applied', httpStatus: 201, changedFields: ['userName'], warnings: [] });
  for (let i = employees - 1; i >= 0; i--) {
    const row = i % 8 === 0 ? { hrId: `E${i}`, userId: `u${i}`, action: 'none', outcome: 'unchanged', changedFields: [] } : { hrId: `E${i}`, userId: `u${i}`, action: 'create', outcome: i % 13 === 0 ? 'conflict' : 'applied', httpStatus: 201, changedFields: ['userName'] };
    say('apply', `2-apply-hr-${String(Math.floor(i / 100)).padStart(6, '0')}-000000`, { ...row, warnings: [] });
  }
  for (let i = 0; i < employees; i += 13) say('fix', '2-fix-000000', { hrId: `E${i}`, userId: `u${i}`, action: 'update', outcome: 'applied', httpStatus: 200, changedFields: ['title'], warnings: [] });
  for (let i = 3; i < employees; i += 17) say('groups', '3-groups', { hrId: `E${i}`, userId: `u${i}`, outcome: 'failed', httpStatus: 404, error: 'group membership (g1): gone' });
  for (let i = 5; i < employees; i += 19) say('references', '4-references', { hrId: `E${i}`, outcome: 'pending-reference', error: 'manager M1 not found' });
  say('plan', page(0), { hrId: 'E7', action: 'quarantine', outcome: 'rejected', error: 'bad email' });
  say('plan', page(1), { hrId: '(no id, row 3)', action: 'quarantine', outcome: 'rejected', error: 'no id' });
  say('plan', page(2), { hrId: '(no id, row 3)', action: 'quarantine', outcome: 'rejected', error: 'no id either' });
  say('groups', '3-groups', { hrId: 'nobody', outcome: 'failed', error: 'amends no row' });
  // The store reads parts in name order, which is not the run's order of stages.
  return words.sort((a, b) => (a.part < b.part ? -1 : a.part > b.part ? 1 : a.line - b.line));
}

describe('report: the fold in buckets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-buckets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the rows, and their order, that one fold of the whole run gives, whatever the number of buckets', () => {
    const words = runWords(1_500);
    const whole = foldWords(words).map((f) => f.row);
    assert.ok(whole.length > 1_500, `${whole.length}`);
    for (const buckets of [1, 2, 7, 40]) {
      const folded = [...foldInBuckets(words, dir, buckets)];
      assert.deepEqual(folded, whole, `${buckets} buckets`);
      rmSync(dir, { recursive: true, force: true });
      dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-buckets-'));
    }
  });

  it('holds a bucket of the words, not the run: each bucket file has its share, each row all its words', () => {
    const words = runWords(1_000);
    const rows = [...foldInBuckets(words, dir, 7)];
    assert.equal(rows.length, foldWords(words).length);
    const buckets = readdirSync(dir)
      .filter((f) => f.startsWith('words-'))
      .map((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as RowWord).row.hrId));
    assert.equal(buckets.length, 7);
    for (const b of buckets) assert.ok(b.length > 0 && b.length < words.length / 3, `${b.length} of ${words.length}`);
    const home = new Map<string, number>();
    buckets.forEach((ids, i) => ids.forEach((id) => assert.equal(home.get(id) ?? (home.set(id, i), i), i, `${id} in one bucket`)));
  });

  it('sizes the buckets by the bytes of the run\'s rows', () => {
    assert.equal(bucketsFor(0), 1);
    assert.equal(bucketsFor(BUCKET_BYTES), 1);
    assert.equal(bucketsFor(BUCKET_BYTES + 1), 2);
    assert.equal(bucketsFor(1e12), 256, 'bounded: each is an open file');
  });
});

describe('report: writeReport folds a large run in buckets', () => {
  it('writes the report and summary a fold of the whole run writes, and leaves no scratch files', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-report-'));
    try {
      const store = new RunStore(root);
      store.begin('run', 'token');
      const parts = new Map<string, { stage: Stage; rows: RowPatch[] }>();
      for (const w of runWords(600)) {
        const part = parts.get(w.part) ?? { stage: w.stage, rows: [] };
        part.rows.push(w.row);
        parts.set(w.part, part);
      }
      for (const [part, { stage, rows }] of parts) store.writeRows('run', stage, part, rows);
      const report = async (bucketBytes?: number) => {
        const result = await reportActivities({ reportDir: root, store, bucketBytes }).writeReport({ runKey: 'run', runToken: 'token', final: false });
        return { result, csv: readFileSync(result.reportPath, 'utf8') };
      };
      const bytes = store.rowBytes('run');
      const small = await report(Math.ceil(bytes / 9));
      const whole = await report();
      assert.equal(bucketsFor(bytes), 1, 'the default folds this run whole');
      assert.equal(small.csv, whole.csv);
      assert.deepEqual(small.result, whole.result);
      assert.equal(small.result.rows, foldWords(runWords(600)).length);
      assert.equal(small.csv.split('\n').length, small.result.rows + 2, 'the header, the rows and a last newline');
      assert.equal(existsSync(path.join(store.runDir('run'), 'report-fold')), false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('report: the bucket files', () => {
  it('carry a word longer than a file block, and many that cross blocks, whole', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-buckets-'));
    try {
      const words: RowWord[] = Array.from({ length: 300 }, (_, i) => ({
        stage: 'plan',
        part: '1-plan-hr-000000',
        line: i,
        row: { hrId: `E${i}`, action: 'create', outcome: 'planned', error: i % 100 === 7 ? `ø${'x'.repeat(70_000)}é` : `é${'y'.repeat(i * 7)}` },
      }));
      assert.deepEqual([...foldInBuckets(words, dir, 3)], foldWords(words).map((f) => f.row));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
