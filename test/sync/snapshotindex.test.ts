import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnapshotIndex } from '../../src/activities/snapshot';
import { TargetIndex } from '../../src/activities/resolve';
import type { User } from '../../src/scim/model/resources/user';
import { URN } from '../../src/scim/model/schemas/urns';
import { RunStateMissingError, RunStore } from '../../src/staging/runstore';

const user = (id: string, extra: Partial<User> & { employeeNumber?: string } = {}): User => {
  const { employeeNumber, ...rest } = extra;
  return {
    schemas: [URN.user],
    id,
    userName: `${id}@example.com`,
    active: true,
    meta: { version: `"${id}-1"` },
    ...(employeeNumber ? { [URN.enterpriseUser]: { employeeNumber } } : {}),
    ...rest,
  } as User;
};

/** The snapshot left on disk, read back by key, must answer exactly what the in-memory index of the same users answers. */
describe('SnapshotIndex: the target snapshot indexed by key, the users left in the run store', () => {
  let store: RunStore;
  const pages: User[][] = [
    [
      user('u1', { externalId: '1', employeeNumber: 'E1', displayName: 'Zoë Ünal' }),
      user('u2', { externalId: '2', userName: 'Shared@Example.com' }),
      user('u3', { externalId: '3', active: false }),
    ],
    [
      user('u4', { userName: 'shared@example.com', employeeNumber: ' E4 ' }),
      user('u5', { externalId: '1', displayName: '李 小龍' }),
      user('u6', { externalId: '' }),
    ],
  ];
  const all = pages.flat();

  beforeEach(() => {
    store = new RunStore(mkdtempSync(path.join(os.tmpdir(), 'hrsync-snapshotindex-')));
    store.begin('run-1', 't');
    for (const [i, page] of pages.entries()) store.writeSnapshotPage('run-1', 'plan', `active-${String(i).padStart(6, '0')}`, page);
  });

  it('finds by every key what an index of the whole users finds, duplicates and all, in snapshot order', () => {
    const index = new SnapshotIndex(store, 'run-1', 'plan');
    const reference = new TargetIndex(all);
    assert.equal(index.size, all.length);
    const asked: [('externalId' | 'employeeNumber' | 'userName'), string][] = [
      ['externalId', '1'],
      ['externalId', '2'],
      ['externalId', '3'],
      ['externalId', ''],
      ['externalId', 'nobody'],
      ['employeeNumber', 'E1'],
      ['employeeNumber', 'E4'],
      ['userName', 'shared@example.com'],
      ['userName', 'u1@example.com'],
      ['userName', 'U1@example.com'],
    ];
    for (const [key, value] of asked) assert.deepEqual(index.find(key, value), reference.find(key, value), `${key} ${value}`);
    assert.deepEqual(index.find('externalId', '1').map((u) => u.id), ['u1', 'u5']);
  });

  it('lists the active users that carry an externalId, in id order, and reads the ones asked for', () => {
    const index = new SnapshotIndex(store, 'run-1', 'plan');
    assert.deepEqual(index.managedActive(), [
      { id: 'u1', externalId: '1' },
      { id: 'u2', externalId: '2' },
      { id: 'u5', externalId: '1' },
    ]);
    assert.deepEqual(index.usersOf(['u5', 'u1']), [all[4], all[0]]);
  });

  it('follows a page read again since it was indexed, and never answers "nobody" for a snapshot that is gone', () => {
    const index = new SnapshotIndex(store, 'run-1', 'plan');
    // A retry that outlived its timeout read the first page again: a user more, so every line moved.
    const again = [user('u0', { externalId: '0' }), ...pages[0].map((u) => ({ ...u, displayName: 'renamed' }))];
    store.writeSnapshotPage('run-1', 'plan', 'active-000000', again);
    assert.deepEqual(index.find('externalId', '2'), [again[2]]);
    assert.deepEqual(index.find('externalId', '0'), [again[0]]);

    rmSync(store.runDir('run-1'), { recursive: true, force: true });
    assert.throws(() => index.find('externalId', '2'), RunStateMissingError);
  });
});
