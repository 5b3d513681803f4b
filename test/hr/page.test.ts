import assert from 'node:assert/strict';
import { HrMalformedPageError, highWaterMarkOf, mergeDuplicates, parsePage, validateRecords } from '../../src/hr';
import { holdFutureRecords } from '../../src/hr/page';

const rec = (id: string, updated_at: string, extra: Record<string, unknown> = {}): { id: string; updated_at: string; title?: unknown; [k: string]: unknown } => ({
  id,
  first_name: 'A',
  last_name: 'B',
  email: `${id}@corp.example`,
  updated_at,
  ...extra,
});

function malformed(body: string, cursor: string | null): HrMalformedPageError {
  try {
    parsePage(body, cursor);
  } catch (e) {
    assert.ok(e instanceof HrMalformedPageError, String(e));
    assert.equal(e.kind, 'permanent');
    assert.equal(e.retryable, false);
    assert.equal(e.cursor, cursor);
    return e;
  }
  assert.fail(`parsed ${JSON.stringify(body)} as a page`);
}

describe('HR page parsing (pure)', function () {
  it('refuses anything that is not a page, naming the cursor', function () {
    assert.match(malformed('', 'c1').message, /cursor "c1" with an empty body/);
    assert.match(malformed('{"data": [', 'c2').message, /cursor "c2" with a body that is not JSON/);
    assert.match(malformed('{}', null).message, /first page .* without a "data" array \(got nothing\); refusing/);
    assert.match(malformed('{"data": null, "next_cursor": null}', 'c3').message, /without a "data" array \(got null\)/);
    assert.match(malformed('[]', 'c4').message, /not an object/);
    assert.match(malformed('{"data": []}', 'c5').message, /without a "next_cursor" string or null \(got nothing\)/);
    assert.match(malformed('{"data": [], "next_cursor": 7}', 'c6').message, /got a number/);
    assert.match(malformed('{"data": [], "next_cursor": "c7"}', 'c7').message, /same cursor/);
  });

  it('reads a real empty page as empty', function () {
    const page = parsePage('{"data": [], "next_cursor": null}', 'c');
    assert.deepEqual(page, { employees: [], rejected: [], duplicates: [], highWaterMark: null, nextCursor: null });
  });

  it('rejects a record that is not an object, without an id, and leaves out big raw records', function () {
    const big = rec('9', 'x', { notes: 'n'.repeat(5000) });
    const { employees, rejected } = validateRecords([null, 'text', big, rec('1', '2024-01-01T00:00:00Z')]);
    assert.deepEqual(employees.map((e) => e.id), ['1']);
    assert.deepEqual(rejected[0], { id: null, reason: '(record): Invalid input: expected object, received null', raw: null });
    assert.equal(rejected[1].id, null);
    assert.deepEqual(rejected[2], { id: '9', reason: 'updated_at: expected an ISO 8601 timestamp' });
  });

  it('merges duplicate ids: the later updated_at wins, reported, in first-seen position', function () {
    const records = [
      rec('1', '2024-01-01T00:00:00Z', { title: 'old' }),
      rec('2', '2024-01-01T00:00:00Z'),
      rec('1', '2024-03-01T00:00:00Z', { title: 'new' }),
      rec('1', '2024-02-01T00:00:00Z', { title: 'middle' }),
    ];
    const { employees, duplicates } = mergeDuplicates(records);
    assert.deepEqual(employees.map((e) => [e.id, e.title ?? null]), [['1', 'new'], ['2', null]]);
    assert.deepEqual(duplicates, [
      { id: '1', kept_updated_at: '2024-03-01T00:00:00Z', dropped_updated_at: '2024-01-01T00:00:00Z' },
      { id: '1', kept_updated_at: '2024-03-01T00:00:00Z', dropped_updated_at: '2024-02-01T00:00:00Z' },
    ]);
    // A tie goes to the later read; instants are compared, not strings.
    const tie = mergeDuplicates([rec('5', '2024-01-01T02:00:00+02:00', { title: 'first' }), rec('5', '2024-01-01T00:00:00Z', { title: 'second' })]);
    assert.equal(tie.employees[0].title, 'second');
    const page = parsePage(JSON.stringify({ data: records, next_cursor: null }), null);
    assert.equal(page.employees.length, 2);
    assert.equal(page.duplicates.length, 2);
  });

  it('quarantines an updated_at beyond now plus the skew, and keeps it out of the high-water mark', function () {
    const now = Date.parse('2026-11-26T12:00:00Z');
    const rec = (id: string, updated_at: string) => ({ id, first_name: 'A', last_name: 'B', email: `${id}@example.com`, updated_at });
    const page = holdFutureRecords(
      { ...validateRecords([rec('1', '2026-11-26T11:00:00Z'), rec('2', '9999-12-31T00:00:00Z'), rec('3', '2026-11-26T12:04:00Z'), rec('4', '2026-11-27T00:00:00Z')]), nextCursor: null },
      now,
    );
    assert.deepEqual(page.employees.map((e) => e.id), ['1', '3'], 'a few minutes of clock skew is no reason to quarantine');
    assert.deepEqual(page.rejected.map((r) => r.id), ['2', '4']);
    assert.match(page.rejected[0].reason, /^updated_at: 9999-12-31T00:00:00Z is in the future/);
    assert.equal(page.highWaterMark, '2026-11-26T12:04:00Z');
  });

  it('takes the high-water mark by instant, as sent', function () {
    assert.equal(highWaterMarkOf([{ updated_at: '2024-01-01T00:30:00Z' }, { updated_at: '2024-01-01T01:00:00+02:00' }]), '2024-01-01T00:30:00Z');
    assert.equal(highWaterMarkOf([]), null);
  });
});
