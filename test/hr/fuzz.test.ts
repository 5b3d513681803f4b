import assert from 'node:assert/strict';
import fc from 'fast-check';
import { config } from '../domain/fixtures';
import { planBatch } from '../../src/domain/plan';
import { holdFutureRecords, validateRecords } from '../../src/hr/page';
import { toRecord } from '../../src/report/csv';
import { rowOfChange } from '../../src/report/row';
import { quarantineRows } from '../../src/activities/plan';
import { hostileRecord } from '../support/hostile-records';

const records = fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => hostileRecord(i))));
const LIVE = /^[=+\-@\t\r]/;

describe('fuzzed HR records (property-based)', () => {
  it('each record is quarantined with a reason naming a field, or plans safely; no field a mapping ignores survives; no report cell is a live formula', () => {
    fc.assert(
      fc.property(records, (batch) => {
        const page = holdFutureRecords({ ...validateRecords(batch), nextCursor: null }, Date.now());
        assert.equal(page.employees.length + page.rejected.length + page.duplicates.length, batch.length);
        for (const r of page.rejected) assert.match(r.reason, /^[a-z_.()]+[a-z_)]*: /, r.reason);
        for (const e of page.employees) {
          assert.equal('salary' in e || 'photo' in e, false, 'fields no mapping uses are dropped');
          for (const v of Object.values(e)) if (typeof v === 'string') assert.ok(v.length <= 256, `${v.length}`);
        }
        const changes = planBatch(page.employees, [], config(), { profile: 'genesys', today: new Date().toISOString().slice(0, 10), groupIdsByName: {} });
        const rows = [...changes.map((c) => rowOfChange(c, 'planned')), ...quarantineRows(page.rejected, 0)];
        for (const row of rows) {
          for (const [k, cell] of Object.entries(toRecord(row))) {
            assert.doesNotMatch(cell, LIVE, `${k}: ${JSON.stringify(cell)}`);
            // eslint-disable-next-line no-control-regex -- the control characters are what must not be there
            assert.doesNotMatch(cell, /[\r\n\u0000-\u0008\u001b\u202e]/, `${k}: ${JSON.stringify(cell)}`);
          }
        }
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});
