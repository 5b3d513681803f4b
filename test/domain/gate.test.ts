import assert from 'node:assert/strict';
import { GateConfigSchema, evaluateDeactivationGate, type DeactivationGateInput } from '../../src/domain/gate';

const defaults = GateConfigSchema.parse({});

interface GateCase {
  name: string;
  input: Omit<DeactivationGateInput, 'config'> & { config?: DeactivationGateInput['config'] };
  required: boolean;
  reason: RegExp;
}

const cases: GateCase[] = [
  { name: 'nothing to deactivate', input: { deactivations: 0, population: 1000 }, required: false, reason: /no deactivations/ },
  { name: 'a few leavers', input: { deactivations: 10, population: 1000 }, required: false, reason: /within the limits/ },
  { name: 'exactly at the count limit', input: { deactivations: 25, population: 10000 }, required: false, reason: /within/ },
  { name: 'one past the count limit', input: { deactivations: 26, population: 10000 }, required: true, reason: /limit of 25/ },
  { name: 'exactly at the percent limit', input: { deactivations: 5, population: 100 }, required: false, reason: /within/ },
  { name: 'past the percent limit', input: { deactivations: 6, population: 100 }, required: true, reason: /limit of 5%/ },
  { name: 'everyone', input: { deactivations: 3, population: 3, config: { maxCount: 100, maxPercent: 100 } }, required: true, reason: /everyone/ },
  {
    name: 'empty HR read in a full run against a non-empty target',
    input: { deactivations: 0, population: 50, mode: 'full', hrRecords: 0, config: { maxCount: 1000, maxPercent: 100 } },
    required: true,
    reason: /no employees/,
  },
  { name: 'empty delta read is normal', input: { deactivations: 0, population: 50, mode: 'delta', hrRecords: 0 }, required: false, reason: /no deactivations/ },
  { name: 'empty full read against an empty target', input: { deactivations: 0, population: 0, mode: 'full', hrRecords: 0 }, required: false, reason: /no deactivations/ },
  { name: 'counts that disagree', input: { deactivations: 2, population: 0 }, required: true, reason: /disagree/ },
  { name: 'relaxed limits', input: { deactivations: 40, population: 100, config: { maxCount: 50, maxPercent: 50 } }, required: false, reason: /within/ },
];

describe('domain: evaluateDeactivationGate', () => {
  it('has conservative defaults', () => {
    assert.deepEqual(defaults, { maxCount: 25, maxPercent: 5 });
    assert.equal(GateConfigSchema.safeParse({ maxCount: 5, maxPersent: 1 }).success, false);
  });
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateDeactivationGate({ ...c.input, config: c.input.config ?? defaults });
      assert.equal(d.required, c.required);
      assert.match(d.reason, c.reason);
    });
  }
});
