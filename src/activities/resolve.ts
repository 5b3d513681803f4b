import { heartbeat } from '@temporalio/activity';
import type { Employee } from '../hr/employee';
import { employeeKey, userKey } from '../domain/matching';
import type { MatchKey } from '../domain/mapping/config';
import { filterFormOf } from '../domain/capabilities';
import { ScimFilterRefusedError, type ScimClient } from '../scim/client';
import { ScimInvalidRequestError } from '../scim/errors';
import { eq } from '../scim/model/types/filter';
import type { User } from '../scim/model/resources/user';
import type { RunStore } from '../staging/runstore';
import type { TargetLearning } from './learning';

const COMBINED = 'and-combined filter';
const INACTIVE_INDEX = 'inactive users';


/** Target users by match key, without asking the target. */
export interface UserIndex {
  find(key: MatchKey, value: string): User[];
}

/** Target users indexed by every match key: a full run reads the target once and resolves from memory. */
export class TargetIndex implements UserIndex {
  readonly #byKey = new Map<MatchKey, Map<string, User[]>>();
  constructor(readonly users: readonly User[]) {
    for (const key of ['externalId', 'employeeNumber', 'userName'] as const) {
      const index = new Map<string, User[]>();
      for (const u of users) {
        const v = userKey(u, key);
        if (v !== undefined) index.set(v, [...(index.get(v) ?? []), u]);
      }
      this.#byKey.set(key, index);
    }
  }

  find(key: MatchKey, value: string): User[] {
    return this.#byKey.get(key)?.get(value) ?? [];
  }
}

/** One lookup's answer, and what could not be asked. */
export interface LookupResult {
  users: User[];
  /** A filter form the target refuses: this key was not looked up. */
  refused?: string;
  /** Inactive users could not be searched (see UserLookup). */
  unchecked?: string;
}

/**
 * Filtered user lookups that learn what the target refuses. A key whose filter the target refuses (400
 * invalidFilter) is not asked again in the run, and the caller goes on with the next key. On Genesys a miss
 * is asked again with `and active eq false`; when that combined form is refused, the inactive users are read
 * once (`active eq false`, paged: documented calls only) into the run store and searched there.
 */
export class UserLookup {
  #inactive: TargetIndex | null | undefined;
  constructor(
    private readonly scim: ScimClient,
    private readonly learning: TargetLearning,
    private readonly store: RunStore,
    private readonly runKey: string,
  ) {}

  async find(by: MatchKey, value: string): Promise<LookupResult> {
    const form = filterFormOf(by);
    if (this.learning.filterRefused(form)) return { users: [], refused: form };
    let users: User[];
    try {
      users = await this.scim.findUsers({ by, value, combinedInactive: !this.learning.filterRefused(COMBINED) });
    } catch (err) {
      if (!(err instanceof ScimFilterRefusedError)) throw err;
      if (!err.combined) {
        this.learning.learnFilter(form, err.detail);
        return { users: [], refused: form };
      }
      this.learning.learnFilter(COMBINED, err.detail);
      users = [];
    }
    if (users.length > 0 || !this.scim.mayHideInactive || !this.learning.filterRefused(COMBINED)) return { users };
    const inactive = await this.#inactiveIndex();
    if (inactive === null) return { users: [], unchecked: 'inactive users could not be searched (the target refuses both the combined filter and `active eq false`): an existing deactivated account may not have been found' };
    return { users: inactive.find(by, value) };
  }

  async #inactiveIndex(): Promise<TargetIndex | null> {
    if (this.#inactive !== undefined) return this.#inactive;
    if (this.learning.indexUnavailable(INACTIVE_INDEX)) return (this.#inactive = null);
    const stored = this.store.index<User>(this.runKey, 'inactive');
    if (stored) return (this.#inactive = new TargetIndex(stored));
    const users: User[] = [];
    try {
      for await (const page of this.scim.iterateUserPages({ filter: eq('active', false) })) {
        users.push(...page.users);
        heartbeat();
      }
    } catch (err) {
      if (!(err instanceof ScimInvalidRequestError) || err.status !== 400) throw err;
      this.learning.learnFilter('filter on active', err.detail);
      this.learning.learnIndexUnavailable(INACTIVE_INDEX, err.detail);
      return (this.#inactive = null);
    }
    this.store.writeIndex(this.runKey, 'inactive', users);
    return (this.#inactive = new TargetIndex(users));
  }
}

/**
 * Delta runs: a filtered query per employee, by the match precedence, stopping at the first key that finds
 * anyone. Returns the candidates, and per HR id what could not be asked (refused filters), for their rows.
 */
export async function lookUpCandidates(
  lookup: UserLookup,
  employees: readonly Employee[],
  precedence: readonly MatchKey[],
): Promise<{ users: User[]; notes: Map<string, string[]> }> {
  const found = new Map<string, User>();
  const notes = new Map<string, string[]>();
  for (const e of employees) {
    const unasked: string[] = [];
    let hit = false;
    for (const key of precedence) {
      const value = employeeKey(e, key);
      if (value === undefined) continue;
      const result = await lookup.find(key, value);
      if (result.refused) unasked.push(`${result.refused} is refused by the target: not looked up by ${key}`);
      if (result.unchecked) unasked.push(result.unchecked);
      for (const u of result.users) found.set(u.id, u);
      if (result.users.length > 0) {
        hit = true;
        break;
      }
    }
    // Only where it matters: someone not found by the keys that could be asked.
    if (!hit && unasked.length > 0) notes.set(e.id, [...new Set(unasked)]);
    // A page of joiners costs several paced lookups each: tell Temporal the activity is alive.
    heartbeat();
  }
  return { users: [...found.values()], notes };
}

export function indexCandidates(index: UserIndex, employees: readonly Employee[], precedence: readonly MatchKey[]): User[] {
  const found = new Map<string, User>();
  for (const e of employees) {
    for (const key of precedence) {
      const value = employeeKey(e, key);
      if (value === undefined) continue;
      const users = index.find(key, value);
      for (const u of users) found.set(u.id, u);
      if (users.length > 0) break;
    }
  }
  return [...found.values()];
}

/** Users whose ids are known without asking the target (the users this run wrote), by HR id. */
export interface KnownUsers {
  userIdOf(hrId: string): string | undefined;
}

export interface ManagerDirectoryOptions {
  /** The target snapshot of a full run: looked up there instead of the target. */
  index?: UserIndex;
  /** Consulted before any lookup: the users this run wrote (see RunStore.writtenUsers). */
  written?: KnownUsers;
  /** Finds a user by externalId when it is neither remembered nor written (default: the client's plain lookup). */
  lookup?: UserLookup;
  /**
   * Remember misses too. Only where nobody can be created any more in the run (the end of the run):
   * elsewhere a miss may be created later.
   */
  rememberMisses?: boolean;
}

/**
 * User ids of people (managers, mostly) by HR id: remembered, then the users this run wrote, then found
 * by externalId. Hits are cached per run: a manager's account does not move, while a miss may be created
 * later in the run, so misses are not (unless asked to).
 */
export class ManagerDirectory {
  readonly #cache = new Map<string, string | undefined>();
  /** This activity's lookup (a directory kept across activities gets the current one). */
  lookup: UserLookup | undefined;
  constructor(
    private readonly scim: ScimClient,
    private readonly opts: ManagerDirectoryOptions = {},
  ) {}

  remember(hrId: string, userId: string): void {
    this.#cache.set(hrId, userId);
  }

  /** Without asking the target: remembered, or written by this run. */
  known(hrId: string): string | undefined {
    const cached = this.#cache.get(hrId);
    if (cached) return cached;
    const written = this.opts.written?.userIdOf(hrId);
    if (written) this.#cache.set(hrId, written);
    return written;
  }

  async userIdOf(hrId: string): Promise<string | undefined> {
    if (this.#cache.has(hrId)) return this.#cache.get(hrId);
    const known = this.known(hrId);
    if (known) return known;
    const { index } = this.opts;
    const lookup = this.lookup ?? this.opts.lookup;
    const users = index
      ? index.find('externalId', hrId)
      : lookup
        ? (await lookup.find('externalId', hrId)).users
        : await this.scim.findUsers({ by: 'externalId', value: hrId });
    const id = users.length === 1 ? users[0].id : undefined;
    if (id || this.opts.rememberMisses) this.#cache.set(hrId, id);
    return id;
  }

  async resolve(hrIds: Iterable<string>): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const hrId of new Set(hrIds)) {
      const id = await this.userIdOf(hrId);
      if (id) out[hrId] = id;
      // A page's managers may each cost paced lookups: tell Temporal the activity is alive.
      heartbeat();
    }
    return out;
  }
}
