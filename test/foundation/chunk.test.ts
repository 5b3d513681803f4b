import assert from 'node:assert/strict';
import { chunk } from '../../src/chunk';

describe('chunk: a list cut into runs of at most `size`', () => {
  const cases: [string, number[], number, number[][]][] = [
    ['nothing gives no runs', [], 3, []],
    ['fewer than the size: one run', [1, 2], 3, [[1, 2]]],
    ['exactly the size: one run', [1, 2, 3], 3, [[1, 2, 3]]],
    ['the last run holds the rest', [1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]],
    ['a size of one: one item each', [1, 2, 3], 1, [[1], [2], [3]]],
    ['a size below one counts as one (never an endless loop)', [1, 2], 0, [[1], [2]]],
    ['a negative size counts as one', [1, 2], -4, [[1], [2]]],
  ];
  for (const [what, items, size, expected] of cases) it(what, () => assert.deepEqual(chunk(items, size), expected));

  it('keeps the order and every item, and leaves the list as it was', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    const runs = chunk(items, 5);
    assert.deepEqual(runs.flat(), items);
    assert.deepEqual(runs.map((r) => r.length), [5, 5, 5, 5, 3]);
    assert.equal(items.length, 23);
  });
});
