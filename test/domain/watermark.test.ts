import assert from 'node:assert/strict';
import { earlier, later, nextWatermark, readWindowStart } from '../../src/domain/watermark';

describe('domain: where a run’s HR read starts', () => {
  const mark = '2024-06-01T12:00:00.000Z';
  const cases: [string, Parameters<typeof readWindowStart>[0], string | null][] = [
    ['a full run reads everything, whatever it is given', { mode: 'full', since: '2024-01-01T00:00:00Z', previousWatermark: mark, overlapMs: 0 }, null],
    ['a delta from `since`, over the watermark', { mode: 'delta', since: '2024-01-01T00:00:00+02:00', previousWatermark: mark, overlapMs: 60_000 }, '2023-12-31T22:00:00.000Z'],
    ['a delta from the watermark, reaching back the overlap', { mode: 'delta', since: null, previousWatermark: mark, overlapMs: 300_000 }, '2024-06-01T11:55:00.000Z'],
    ['a delta from the watermark itself without overlap', { mode: 'delta', since: null, previousWatermark: mark, overlapMs: 0 }, mark],
    ['a delta with neither reads everything', { mode: 'delta', since: null, previousWatermark: null, overlapMs: 300_000 }, null],
  ];
  for (const [what, input, expected] of cases) it(what, () => assert.equal(readWindowStart(input), expected));
});

describe('domain: the earlier and the later of two instants', () => {
  const a = '2024-06-01T12:00:00.000Z';
  const b = '2024-06-01T14:00:00+02:00'; // the same instant as `a`, written in another offset
  const c = '2024-06-02T00:00:00Z';
  const cases: [string, string | null, string | null, string | null, string | null][] = [
    // what, a, b, earlier, later
    ['none yet on either side', null, null, null, null],
    ['none yet on the left: the right one', null, c, c, c],
    ['none yet on the right: the left one', a, null, a, a],
    ['by instant, not by text', c, a, a, c],
    ['by instant across offsets (the text sorts the other way)', '2024-06-01T13:00:00+02:00', '2024-06-01T11:30:00Z', '2024-06-01T13:00:00+02:00', '2024-06-01T11:30:00Z'],
    ['equal instants keep the left one', a, b, a, a],
  ];
  for (const [what, x, y, first, last] of cases) {
    it(what, () => {
      assert.equal(earlier(x, y), first);
      assert.equal(later(x, y), last);
    });
  }
});

describe('domain: the watermark the next delta starts from', () => {
  const hwm = '2024-06-01T12:00:00.000Z';
  const base = { outcome: 'succeeded', highWaterMark: hwm, oldestFailure: null, previousWatermark: '2024-05-01T00:00:00.000Z' };
  const cases: [string, Partial<Parameters<typeof nextWatermark>[0]>, string | null][] = [
    ['a successful run moves it to its high-water mark', {}, hwm],
    ['a run with failures still moves it', { outcome: 'completed-with-failures' }, hwm],
    ['a dry run never moves it', { outcome: 'dry-run' }, null],
    ['a rejected run never moves it', { outcome: 'rejected' }, null],
    ['a failed run never moves it', { outcome: 'failed' }, null],
    ['held back to just before the oldest failed write', { oldestFailure: '2024-06-01T10:00:00.000Z' }, '2024-06-01T09:59:59.999Z'],
    ['held back when the failure is the high-water mark itself', { oldestFailure: hwm }, '2024-06-01T11:59:59.999Z'],
    ['a failure after the high-water mark holds nothing back', { oldestFailure: '2024-06-02T00:00:00.000Z' }, hwm],
    ['a run that read nothing carries the last watermark forward', { highWaterMark: null }, '2024-05-01T00:00:00.000Z'],
    ['a run that read nothing, of a target without a watermark, sets none', { highWaterMark: null, previousWatermark: null }, null],
    ['written as UTC, whatever offset HR used', { highWaterMark: '2024-06-01T14:00:00+02:00' }, hwm],
  ];
  for (const [what, change, expected] of cases) it(what, () => assert.equal(nextWatermark({ ...base, ...change }), expected));
});
