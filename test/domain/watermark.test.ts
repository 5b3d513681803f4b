import assert from 'node:assert/strict';
import { readWindowStart } from '../../src/domain/watermark';

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
