import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { learnedNotices, recordTargetDecision, TargetLearning } from '../../src/activities/learning';
import { defaultMappingConfig } from '../../src/domain/mapping/config';
import { RunStore, type LearnedEntry } from '../../src/staging/runstore';

describe('what a run learns about its target', () => {
  describe('learnedNotices: one line per distinct thing, sorted', () => {
    const cases: { name: string; entries: LearnedEntry[]; expected: string[] }[] = [
      { name: 'nothing learned', entries: [], expected: [] },
      {
        name: 'an unsupported attribute from discovery',
        entries: [{ kind: 'target', writable: ['title'], unsupported: [{ attribute: 'dateHire', reason: 'not declared' }], source: 'schemas' }],
        expected: ['attribute dateHire not written: not declared'],
      },
      {
        name: 'attributes unsupported for one reason are one line, naming them all',
        entries: [{
          kind: 'target',
          writable: ['title'],
          unsupported: [
            { attribute: 'department', reason: 'no extension' },
            { attribute: 'dateHire', reason: 'not declared' },
            { attribute: 'manager', reason: 'no extension' },
          ],
          source: 'schemas',
        }],
        expected: ['attribute dateHire not written: not declared', 'attributes department, manager not written: no extension'],
      },
      {
        name: 'the same refusal learned twice (two workers at once) is one line',
        entries: [
          { kind: 'filter', form: 'filter on employeeNumber' },
          { kind: 'filter', form: 'filter on employeeNumber', detail: 'x' },
        ],
        expected: ['filter on employeeNumber: refused by the target (400 invalidFilter); lookups went on without it'],
      },
      {
        name: 'a refused remove, and a replace refused as an unknown path',
        entries: [
          { kind: 'operation', form: 'remove manager', attribute: 'manager', scimType: 'mutability' },
          { kind: 'operation', form: 'replace dateHire', attribute: 'dateHire', scimType: 'invalidPath' },
        ],
        expected: [
          'attribute dateHire not written: the target refused it as an unknown path (replace dateHire)',
          'remove manager: refused by the target (mutability); not sent again in this run',
        ],
      },
      {
        name: 'a value refusal is noted, not remembered as the form refused',
        entries: [{ kind: 'operation', form: 'replace phone', attribute: 'phone', scimType: 'invalidValue' }],
        expected: ['replace phone: refused by the target for some values (invalidValue); the rows concerned say so'],
      },
      {
        name: 'an index the target could not serve',
        entries: [{ kind: 'index-unavailable', name: 'inactive users' }],
        expected: ['could not read inactive users from the target; rows that needed it say so'],
      },
      {
        name: 'filters too long, halved twice: the shortest is said, with what the run asked then',
        entries: [
          { kind: 'filter-length', terms: 20 },
          { kind: 'filter-length', terms: 10 },
        ],
        expected: ['or-combined filter of 10 terms: too long for the target (414 URI too long); lookups went on with at most 5 a query'],
      },
      {
        name: 'a delta that read the target once says why',
        entries: [{ kind: 'read-once', reason: 'reading the target once (81 calls): cheaper than 103 lookups' }],
        expected: ['reading the target once (81 calls): cheaper than 103 lookups'],
      },
      {
        name: 'PATCH declared unsupported: said once, however many workers recorded it',
        entries: [{ kind: 'patch-unavailable', declared: true }, { kind: 'patch-unavailable', declared: true }],
        expected: ['the target does not support PATCH (ServiceProviderConfig patch.supported: false): users and groups were updated by replacing them (PUT)'],
      },
      {
        name: 'PATCH answered 501 by several workers at once: one line',
        entries: [
          { kind: 'patch-unavailable', status: 501, detail: 'Not Implemented' },
          { kind: 'patch-unavailable', status: 501 },
        ],
        expected: ['the target answered PATCH with 501 (not implemented): users and groups were updated by replacing them (PUT) from then on'],
      },
      {
        name: 'PATCH answered 405',
        entries: [{ kind: 'patch-unavailable', status: 405 }],
        expected: ['the target answered PATCH with 405 (method not allowed): users and groups were updated by replacing them (PUT) from then on'],
      },
    ];
    for (const c of cases) it(c.name, () => assert.deepEqual(learnedNotices(c.entries), c.expected));
  });

  describe('TargetLearning over the run store', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-learning-'));
      new RunStore(dir).begin('run', 'token-1');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("another activity (another worker's store object) sees what one learned, and the mapping follows it", () => {
      const mapping = defaultMappingConfig();
      recordTargetDecision(new RunStore(dir), 'run', { writable: ['active', 'dateHire', 'title', 'userName'], unsupported: [], source: 'schemas' });
      const first = new TargetLearning(new RunStore(dir), 'run');
      assert.deepEqual(first.mapping(mapping, 'genesys').managedAttributes.sort(), ['active', 'dateHire', 'title', 'userName']);
      first.learnFilter('and-combined filter');
      first.learnOperation('replace dateHire', 'dateHire', 'invalidPath');
      first.learnOperation('remove title', 'title', 'mutability');
      const later = new TargetLearning(new RunStore(dir), 'run');
      assert.equal(later.filterRefused('and-combined filter'), true);
      assert.equal(later.operationRefused('remove title'), true);
      first.learnOperation('replace phone', 'phone', 'invalidValue');
      assert.equal(new TargetLearning(new RunStore(dir), 'run').operationRefused('replace phone'), false, 'a value refusal is not the form refused');
      first.learnOperation('replace phone', 'phone', 'mutability');
      assert.equal(new TargetLearning(new RunStore(dir), 'run').operationRefused('replace phone'), true, 'a path refusal after a value refusal sticks');
      // An unknown path is not the target's attribute; a refused remove keeps the attribute (its replace still works).
      assert.deepEqual(later.mapping(mapping, 'genesys').managedAttributes.sort(), ['active', 'title', 'userName']);
    });

    it('without a decision from prepare, the profile set (never "nothing")', () => {
      const m = new TargetLearning(new RunStore(dir), 'run').mapping(defaultMappingConfig(), 'scim2').managedAttributes;
      assert.ok(m.includes('name') && m.includes('title') && !m.includes('dateHire'));
    });

    it('a reset run prepared again uses the latest decision', () => {
      const store = new RunStore(dir);
      recordTargetDecision(store, 'run', { writable: ['title', 'userName'], unsupported: [], source: 'schemas' });
      recordTargetDecision(store, 'run', { writable: ['userName'], unsupported: [{ attribute: 'title', reason: 'read-only' }], source: 'schemas' });
      assert.deepEqual(new TargetLearning(store, 'run').mapping(defaultMappingConfig(), 'genesys').managedAttributes, ['userName']);
    });
  });
});
