import type { MatchKey } from '../domain/mapping/config';
import { userKey } from '../domain/matching';
import type { User } from '../scim/model/resources/user';
import { RunStateMissingError, type RunStore, type StoredLine } from '../staging/runstore';
import type { UserIndex } from './resolve';

const KEYS = ['externalId', 'employeeNumber', 'userName'] as const;

/** What the index keeps of one user: enough to find it and to tell an orphan, not the user. */
interface Entry {
  id: string;
  externalId?: string;
  active: boolean;
  line: StoredLine;
}

/**
 * A full run's read of the target, indexed by every match key, with each user left in the run store's
 * snapshot and read back when a key finds it. A user costs the index its keys and a line's place, not
 * the whole user: a large company's snapshot would otherwise live in the worker's memory for the run.
 */
export class SnapshotIndex implements UserIndex {
  #entries: Entry[] = [];
  #byKey = new Map<MatchKey, Map<string, number | number[]>>();

  constructor(
    private readonly store: RunStore,
    private readonly runKey: string,
    private readonly pass: string,
  ) {
    this.#build();
  }

  #build(): void {
    const entries: Entry[] = [];
    const byKey = new Map<MatchKey, Map<string, number | number[]>>(KEYS.map((k) => [k, new Map()]));
    for (const { user, line } of this.store.snapshotLines(this.runKey, this.pass)) {
      const n = entries.length;
      entries.push({ id: user.id, ...(user.externalId !== undefined ? { externalId: user.externalId } : {}), active: user.active !== false, line });
      for (const key of KEYS) {
        const value = userKey(user, key);
        if (value === undefined) continue;
        const index = byKey.get(key) as Map<string, number | number[]>;
        const had = index.get(value);
        index.set(value, had === undefined ? n : typeof had === 'number' ? [had, n] : [...had, n]);
      }
    }
    this.#entries = entries;
    this.#byKey = byKey;
  }

  get size(): number {
    return this.#entries.length;
  }

  find(key: MatchKey, value: string): User[] {
    const at = (): number[] => {
      const hit = this.#byKey.get(key)?.get(value);
      return hit === undefined ? [] : typeof hit === 'number' ? [hit] : hit;
    };
    const read = () => at().map((n) => this.#user(n));
    const users = read();
    if (users.every((u): u is User => u !== undefined)) return users;
    // A page of the snapshot was read again since this index was made: make it again from what is stored now.
    this.#build();
    const again = read();
    if (again.every((u): u is User => u !== undefined)) return again;
    throw new RunStateMissingError(this.runKey, `has a target snapshot that changes under its readers (${key} ${JSON.stringify(value)})`);
  }

  /** Active users carrying an externalId (hrsync may manage them), in id order, as the index keeps them. */
  managedActive(): { id: string; externalId: string }[] {
    return this.#entries
      .filter((e): e is Entry & { externalId: string } => e.externalId !== undefined && e.externalId !== '' && e.active)
      .map(({ id, externalId }) => ({ id, externalId }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** These users, read from the snapshot (one pass over the index), in the order asked. */
  usersOf(ids: readonly string[]): User[] {
    const read = (): (User | undefined)[] => {
      const asked = new Set(ids);
      const wanted = new Map<string, number>();
      for (const [n, e] of this.#entries.entries()) if (asked.has(e.id)) wanted.set(e.id, n);
      return ids.map((id) => (wanted.has(id) ? this.#user(wanted.get(id) as number) : undefined));
    };
    const users = read();
    if (users.every((u): u is User => u !== undefined)) return users;
    this.#build();
    const again = read();
    if (again.every((u): u is User => u !== undefined)) return again;
    throw new RunStateMissingError(this.runKey, 'has a target snapshot without users it listed');
  }

  /** The entry's user, or undefined when its line holds another user now (or none). */
  #user(n: number): User | undefined {
    const entry = this.#entries[n];
    const user = this.store.snapshotUser(entry.line);
    return user?.id === entry.id ? user : undefined;
  }
}
