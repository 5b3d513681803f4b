import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { User } from '../../src/scim/model/resources/user';
import { RunStateMissingError, RunStore } from '../../src/staging/runstore';

const user = (id: string): User => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id, userName: `${id}@corp.example` }) as User;

function storeWithTwoParts(): { store: RunStore; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-snapshot-'));
  const store = new RunStore(dir);
  store.begin('run', 'token');
  store.writeSnapshotPage('run', 'apply', 'page-000000', [user('u1'), user('u2')]);
  store.writeSnapshotPage('run', 'apply', 'page-000001', [user('u3')]);
  return { store, dir };
}

describe("run store: the snapshot's lines, when a part is gone under the run", () => {
  it('reads every part in order, with where each line is', () => {
    const { store } = storeWithTwoParts();
    const lines = [...store.snapshotLines('run', 'apply')];
    assert.deepEqual(lines.map((l) => l.user.id), ['u1', 'u2', 'u3']);
    assert.equal(store.snapshotUser(lines[2].line)?.id, 'u3');
  });

  it('a part removed after the listing fails loudly, naming the part, never as a part with nobody in it', () => {
    const { store } = storeWithTwoParts();
    const lines = store.snapshotLines('run', 'apply');
    assert.equal(lines.next().value?.user.id, 'u1');
    const second = path.join(store.runDir('run'), 'snapshot-apply', 'page-000001.jsonl');
    rmSync(second);
    assert.throws(
      () => [...lines],
      (e: Error) => e instanceof RunStateMissingError && e.message.includes(`lost ${second}, a part of the apply snapshot`) && !/ENOENT/.test(e.message),
    );
  });

  it("the run's folder removed under it: the run's state is missing", () => {
    const { store } = storeWithTwoParts();
    const lines = store.snapshotLines('run', 'apply');
    lines.next();
    rmSync(store.runDir('run'), { recursive: true });
    assert.throws(() => [...lines], (e: Error) => e instanceof RunStateMissingError && e.message.includes(`is missing (no ${store.runDir('run')})`));
  });
});

describe('run store: every reader of a kind of parts, when a part is gone under the run', () => {
  // Each reader lists its parts, then reads them one by one: a part removed between the two is missing state.
  const cases: { what: string; folder: string; write: (store: RunStore, part: string) => void; read: (store: RunStore) => Iterator<unknown> }[] = [
    { what: 'the apply snapshot', folder: 'snapshot-apply', write: (s, part) => s.writeSnapshotPage('run', 'apply', part, [user(part)]), read: (s) => s.snapshot('run', 'apply') },
    {
      what: 'the pending memberships',
      folder: 'members',
      write: (s, part) => s.writeMemberships('run', part, [{ userId: part, groupId: 'g1', op: 'add' } as never]),
      read: (s) => s.memberships('run'),
    },
    { what: "the plan pass's changes", folder: 'planned', write: (s, part) => s.writePlanned('run', part, [{ hrId: part } as never]), read: (s) => s.planned('run') },
    { what: 'the report rows', folder: 'rows', write: (s, part) => s.writeRows('run', 'plan', part, [{ hrId: part } as never]), read: (s) => s.rows('run') },
  ];
  for (const c of cases) {
    it(`${c.what}: a part removed after the listing fails loudly, naming it`, () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-parts-'));
      const store = new RunStore(dir);
      store.begin('run', 'token');
      c.write(store, 'page-000000');
      c.write(store, 'page-000001');
      const lines = c.read(store);
      assert.equal(lines.next().done, false);
      const second = path.join(store.runDir('run'), c.folder, 'page-000001.jsonl');
      rmSync(second);
      assert.throws(
        () => {
          for (let r = lines.next(); !r.done; r = lines.next());
        },
        (e: Error) => e instanceof RunStateMissingError && e.message.includes(`lost ${second}, a part of ${c.what}`),
      );
    });
  }
});
