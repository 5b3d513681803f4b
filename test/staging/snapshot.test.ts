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
