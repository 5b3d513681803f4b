import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { User } from '../../src/scim/model/resources/user';
import { URN } from '../../src/scim/model/schemas/urns';
import type { PlannedChange } from '../../src/domain/plan';
import { RunStateMissingError, RunStore } from '../../src/staging/runstore';

/** Two workers are two RunStore instances on one shared folder. */
describe('run store: the users a run wrote, shared by workers', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-runstore-'));
    new RunStore(root).begin('run-1', 'first');
    new RunStore(root).begin('run-2', 'other');
  });

  it('answers what another worker recorded, from a cold memory', () => {
    const a = new RunStore(root);
    const b = new RunStore(root);
    a.recordWritten('run-1', '2-apply-hr-000000-000000', { hrId: '10', userId: 'u10', version: '"1"' });
    a.recordWritten('run-1', '2-apply-hr-000000-000000', { hrId: '11', userId: 'u11' });
    const seen = b.writtenUsers('run-1');
    assert.deepEqual(seen.get('10'), { hrId: '10', userId: 'u10', version: '"1"' });
    assert.equal(seen.userIdOf('11'), 'u11');
    assert.equal(seen.get('12'), undefined);
    assert.equal(new RunStore(root).writtenUsers('run-2').get('10'), undefined, 'runs are apart');
  });

  it('reads only what was appended since, in new parts and grown ones, once per activity', () => {
    const a = new RunStore(root);
    const b = new RunStore(root);
    a.recordWritten('run-1', 'p1', { hrId: '1', userId: 'u1' });
    assert.equal(b.writtenUsers('run-1').userIdOf('1'), 'u1');

    a.recordWritten('run-1', 'p1', { hrId: '2', userId: 'u2' });
    a.recordWritten('run-1', 'p2', { hrId: '3', userId: 'u3', version: '"4"' });
    const later = b.writtenUsers('run-1');
    assert.equal(later.userIdOf('2'), 'u2', 'a grown part');
    assert.equal(later.get('3')?.version, '"4"', 'a new part');

    // One activity reads the folder at its first miss only: the run's earlier chunks had finished by then.
    a.recordWritten('run-1', 'p3', { hrId: '4', userId: 'u4' });
    assert.equal(later.userIdOf('4'), undefined);
    assert.equal(b.writtenUsers('run-1').userIdOf('4'), 'u4', 'the next activity sees it');
    // What a worker records itself it knows at once.
    b.recordWritten('run-1', 'p4', { hrId: '5', userId: 'u5' });
    assert.equal(later.userIdOf('5'), 'u5');
  });

  it('leaves a line still being appended for the next read, and survives one cut short by a crash', () => {
    const a = new RunStore(root);
    const b = new RunStore(root);
    a.recordWritten('run-1', 'p1', { hrId: '1', userId: 'u1' });
    const dir = path.join(a.runDir('run-1'), 'written');
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(dir, f));
    appendFileSync(file, '{"hrId":"2","user');
    assert.equal(b.writtenUsers('run-1').userIdOf('2'), undefined);
    appendFileSync(file, 'Id":"u2"}\n');
    assert.equal(b.writtenUsers('run-1').userIdOf('2'), 'u2', 'completed later: read whole');

    appendFileSync(file, '{"hrId":"3","us'); // the writer died here; its retry appends again
    a.recordWritten('run-1', 'p1', { hrId: '3', userId: 'u3' });
    a.recordWritten('run-1', 'p1', { hrId: '4', userId: 'u4' });
    const after = b.writtenUsers('run-1');
    assert.equal(after.userIdOf('4'), 'u4');
    assert.equal(after.userIdOf('3'), undefined, 'the mangled line is dropped (that user is looked up instead), never misread');
  });

  it('keeps the user a write answered on disk, and gives it back whole, to this worker and another', () => {
    const a = new RunStore(root);
    const answered = { schemas: [URN.user], id: 'u7', userName: 'zoë@example.com', displayName: 'Zoë Ünal', active: true, meta: { version: '"3"' } } as User;
    a.recordWritten('run-1', '0-managers-000000', { hrId: '6', userId: 'u6' });
    a.recordWritten('run-1', '0-managers-000000', { hrId: '7', userId: 'u7', version: '"3"', user: answered });
    a.recordWritten('run-1', '0-managers-000000', { hrId: '8', userId: 'u8', user: { ...answered, id: 'u8' } });
    for (const [who, store] of [['the writer', a], ['a cold worker', new RunStore(root)]] as const) {
      const written = store.writtenUsers('run-1');
      assert.deepEqual(written.get('7'), { hrId: '7', userId: 'u7', version: '"3"', user: answered }, who);
      assert.equal(written.get('8')?.user?.id, 'u8', who);
      assert.deepEqual(written.get('6'), { hrId: '6', userId: 'u6' }, who);
    }
    // The lines every reader parses hold ids and versions; the users are in a file only `get` reads.
    const dir = path.join(a.runDir('run-1'), 'written');
    const lines = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
    assert.equal(lines.join('').includes('Zoë'), false, 'the written-users lines hold no answered user');
    // An answered user lost (or its line not that user's) is read from the target instead: the ids stay.
    writeFileSync(path.join(a.runDir('run-1'), 'answered', '0-managers-000000.jsonl'), '');
    const cold = new RunStore(root).writtenUsers('run-1');
    assert.deepEqual(cold.get('7'), { hrId: '7', userId: 'u7', version: '"3"' });
  });

  it('forgets a removed run, also when its workflow id comes back', () => {
    const a = new RunStore(root);
    const b = new RunStore(root);
    a.recordWritten('run-1', 'p1', { hrId: '1', userId: 'old' });
    assert.equal(b.writtenUsers('run-1').userIdOf('1'), 'old');
    a.remove('run-1');
    assert.equal(b.writtenUsers('run-1').userIdOf('1'), undefined);
    a.begin('run-1', 'second');
    a.recordWritten('run-1', 'p1', { hrId: '2', userId: 'u2' });
    const again = b.writtenUsers('run-1');
    assert.equal(again.userIdOf('2'), 'u2');
    assert.equal(again.userIdOf('1'), undefined, 'nothing of the earlier run with that id');

    // Removed and made again while this worker was not looking (the folder may even get the same inode).
    a.remove('run-1');
    a.begin('run-1', 'third');
    a.recordWritten('run-1', 'p1', { hrId: '1', userId: 'new' });
    assert.equal(b.writtenUsers('run-1').userIdOf('2'), undefined);
    assert.equal(b.writtenUsers('run-1').userIdOf('1'), 'new');
  });
});

describe('run store: the working state proves it is this run\'s', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-runstore-'));
  });

  it('never reads a missing run folder as empty: every read and write says reportDir must be shared', () => {
    const elsewhere = new RunStore(root); // a worker whose reportDir is not the one the run started on
    const reads: [string, () => unknown][] = [
      ['check', () => elsewhere.check('run-1', 'token')],
      ['snapshot', () => [...elsewhere.snapshot('run-1', 'plan')]],
      ['seen', () => elsewhere.seen('run-1', 'plan')],
      ['rows', () => [...elsewhere.rows('run-1')]],
      ['readPart', () => elsewhere.readPart('run-1', 'p')],
      ['references', () => elsewhere.references('run-1')],
      ['writeRows', () => elsewhere.writeRows('run-1', 'plan', 'p', [])],
      ['recordWritten', () => elsewhere.recordWritten('run-1', 'p', { hrId: '1', userId: 'u1' })],
    ];
    for (const [what, read] of reads) {
      assert.throws(read, (err: Error) => err instanceof RunStateMissingError && /must share reportDir/.test(err.message), what);
    }
    assert.equal(existsSync(elsewhere.runDir('run-1')), false, 'nothing made up in its place');
  });

  it('never reads a run folder removed under a running run as empty, though it makes each of its folders once', () => {
    const store = new RunStore(root);
    store.begin('run-1', 'token');
    const page = { read: 'hr', page: 0 } as const;
    const change = { hrId: '1', action: 'update', warnings: [], groupChanges: { add: [], remove: [] } } as unknown as PlannedChange;
    // Every folder of the run used once: from here on the store does not ask whether they are there.
    const writes: [string, () => unknown][] = [
      ['writeRows', () => store.writeRows('run-1', 'plan', 'p', [{ hrId: '1', outcome: 'planned' }])],
      ['appendRow', () => store.appendRow('run-1', 'apply', 'q', { hrId: '1', action: 'update', outcome: 'applied' })],
      ['appendReference', () => store.appendReference('run-1', 'p', { hrId: '1', userId: 'u1', managerHrId: '2' })],
      ['writeMemberships', () => store.writeMemberships('run-1', 'p', [{ groupId: 'g', op: 'add', userId: 'u1', hrId: '1', was: 'applied' }])],
      ['writePlanned', () => store.writePlanned('run-1', 'p', [{ hrId: '1' }])],
      ['writePlan', () => store.writePlan('run-1', 'apply', page, [[change]])],
      ['writeSnapshotPage', () => store.writeSnapshotPage('run-1', 'plan', 'p', [{ schemas: [URN.user], id: 'u1', userName: 'a@example.com' } as User])],
      ['writeSeen', () => store.writeSeen('run-1', 'plan', 'p', ['1'])],
      ['noteCursor', () => store.noteCursor('run-1', 'hr', null, 'c1')],
      ['recordWritten', () => store.recordWritten('run-1', 'p', { hrId: '1', userId: 'u1', user: { schemas: [URN.user], id: 'u1', userName: 'a@example.com' } as User })],
      ['appendLearned', () => store.appendLearned('run-1', { kind: 'filter', form: 'f' })],
      ['writeIndex', () => store.writeIndex('run-1', 'list', [1])],
      ['scratch', () => store.scratch('run-1', 'fold')],
    ];
    for (const [, write] of writes) write();
    const reads: [string, () => unknown][] = [
      ['readPart', () => store.readPart('run-1', 'p')],
      ['rows', () => [...store.rows('run-1')]],
      ['rowBytes', () => store.rowBytes('run-1')],
      ['references', () => store.references('run-1')],
      ['memberships', () => [...store.memberships('run-1')]],
      ['planned', () => [...store.planned('run-1')]],
      ['planChunk', () => store.planChunk('run-1', 'apply', page, 0)],
      ['plannedHrIds', () => store.plannedHrIds('run-1', 'apply', page)],
      ['snapshot', () => [...store.snapshot('run-1', 'plan')]],
      ['snapshotLines', () => [...store.snapshotLines('run-1', 'plan')]],
      ['seen', () => store.seen('run-1', 'plan')],
      ['learned', () => store.learned('run-1')],
      ['index', () => store.index('run-1', 'list')],
      ['indexSlice', () => store.indexSlice('run-1', 'list', 0, 1)],
    ];
    for (const [what, read] of reads) assert.doesNotThrow(read, what);

    rmSync(store.runDir('run-1'), { recursive: true, force: true }); // an operator, or a sweep on another worker
    for (const [what, call] of [...reads, ...writes]) {
      assert.throws(call, (err: Error) => err instanceof RunStateMissingError && /must share reportDir/.test(err.message), what);
    }
    assert.equal(existsSync(store.runDir('run-1')), false, 'nothing made up in its place');
  });

  it('finds its folders again in a run folder removed and begun again by another worker', () => {
    const a = new RunStore(root);
    const b = new RunStore(root);
    a.begin('run-1', 'first');
    a.writeRows('run-1', 'plan', 'p', [{ hrId: '1', outcome: 'planned' }]);
    a.appendLearned('run-1', { kind: 'filter', form: 'f' });
    b.remove('run-1');
    b.begin('run-1', 'second');
    a.check('run-1', 'second');
    assert.deepEqual(a.learned('run-1'), [], 'nothing of the earlier run');
    a.writeRows('run-1', 'plan', 'q', [{ hrId: '2', outcome: 'planned' }]);
    a.appendLearned('run-1', { kind: 'filter', form: 'g' });
    assert.deepEqual([...b.rows('run-1')].map((w) => w.part), ['q']);
    assert.deepEqual(b.learned('run-1'), [{ kind: 'filter', form: 'g' }]);
  });

  it('tells a leftover of another run under the same workflow id from this run, and starts afresh', () => {
    const store = new RunStore(root);
    store.begin('run-1', 'first-run-id');
    store.writeRows('run-1', 'apply', 'p', [{ hrId: '1', outcome: 'applied' }]);
    assert.throws(() => store.check('run-1', 'another-run-id'), /belongs to another run/);
    store.begin('run-1', 'first-run-id'); // the first activity retried: same owner, nothing lost
    assert.equal([...store.rows('run-1')].length, 1);
    store.begin('run-1', 'another-run-id');
    store.check('run-1', 'another-run-id');
    assert.equal([...store.rows('run-1')].length, 0, "the old run's rows are not this one's");
  });

  it('keeps run files readable by their owner only', () => {
    const store = new RunStore(root);
    store.begin('run-1', 't');
    store.writeRows('run-1', 'apply', 'p', [{ hrId: '1', outcome: 'applied' }]);
    store.appendRow('run-1', 'apply', 'q', { hrId: '2', action: 'update', outcome: 'applied' });
    store.recordWritten('run-1', 'w', { hrId: '2', userId: 'u2' });
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      const full = path.join(dir, d.name);
      return d.isDirectory() ? [full, ...walk(full)] : [full];
    });
    const all = [store.runDir('run-1'), ...walk(store.runDir('run-1'))];
    assert.ok(all.length > 6);
    for (const f of all) {
      const mode = statSync(f).mode & 0o777;
      assert.equal(mode & 0o077, 0, `${f}: ${mode.toString(8)}`);
    }
  });
});

describe('run store: report rows carry their stage', () => {
  it('gives each word its stage and place, reads a part back as rows, and refuses a word without a stage', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-runstore-rows-'));
    const store = new RunStore(root);
    store.begin('run', 't');
    store.writeRows('run', 'plan', '1-plan-hr-000000-plan', [{ hrId: 'E1', action: 'create', outcome: 'planned' }]);
    store.appendRow('run', 'apply', 'hr-000000-000000', { hrId: 'E1', userId: 'u1', action: 'create', outcome: 'applied' });
    store.appendRow('run', 'apply', 'hr-000000-000000', { hrId: 'E1', userId: 'u1', action: 'create', outcome: 'failed', error: 'x' });
    assert.deepEqual(
      [...store.rows('run')].map((w) => [w.stage, w.part, w.line, w.row.outcome]).sort(),
      [
        ['apply', 'hr-000000-000000', 0, 'applied'],
        ['apply', 'hr-000000-000000', 1, 'failed'],
        ['plan', '1-plan-hr-000000-plan', 0, 'planned'],
      ],
    );
    assert.deepEqual(store.readPart('run', 'hr-000000-000000').map((r) => r.outcome), ['applied', 'failed']);
    // A row as an older hrsync wrote it: its stage was its file's name, which no longer orders anything.
    appendFileSync(path.join(store.runDir('run'), 'rows', '3-groups.jsonl'), `${JSON.stringify({ hrId: 'E1', outcome: 'failed' })}\n`);
    assert.throws(() => [...store.rows('run')], /report row 1 of .*3-groups\.jsonl names no stage/);
  });
});

describe('run store: an index read a slice at a time', () => {
  it('gives each slice the items a whole read gives, and how many there are', () => {
    const store = new RunStore(mkdtempSync(path.join(os.tmpdir(), 'hrsync-runstore-')));
    store.begin('run-1', 't');
    assert.equal(store.indexSlice('run-1', 'list', 0, 10), undefined, 'never written is not empty');
    const items = Array.from({ length: 23 }, (_, i) => ({ hrId: String(i), name: i % 3 ? `née ${i}` : `plain ${i}` }));
    store.writeIndex('run-1', 'list', items);
    const sliced = [];
    for (let from = 0; from < 30; from += 5) {
      const slice = store.indexSlice<(typeof items)[number]>('run-1', 'list', from, from + 5);
      assert.equal(slice?.total, 23);
      sliced.push(...(slice?.items ?? []));
    }
    assert.deepEqual(sliced, items);
    assert.deepEqual(store.index('run-1', 'list'), items);
    store.writeIndex('run-1', 'empty', []);
    assert.deepEqual(store.indexSlice('run-1', 'empty', 0, 5), { items: [], total: 0 });
  });

  it('reads the lines whole when their offsets are missing or not theirs', () => {
    const store = new RunStore(mkdtempSync(path.join(os.tmpdir(), 'hrsync-runstore-')));
    store.begin('run-1', 't');
    store.writeIndex('run-1', 'list', [1, 2, 3]);
    const offsets = path.join(store.runDir('run-1'), 'index', 'list.offsets');
    const stale = readFileSync(offsets);
    store.writeIndex('run-1', 'list', [10, 20, 30, 40]);
    writeFileSync(offsets, stale);
    assert.deepEqual(store.indexSlice('run-1', 'list', 1, 3), { items: [20, 30], total: 4 });
    rmSync(offsets);
    assert.deepEqual(store.indexSlice('run-1', 'list', 3, 9), { items: [40], total: 4 });
  });
});
