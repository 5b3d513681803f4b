import { heartbeat } from '@temporalio/activity';
import type { Employee } from '../hr/employee';
import { employeeKey, userKey } from '../domain/matching';
import type { MatchKey } from '../domain/mapping/config';
import type { ScimClient } from '../scim/client';
import type { User } from '../scim/resources/user';


/** Target users indexed by every match key: a full run reads the target once and resolves from memory. */
export class TargetIndex {
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

/** Delta runs: a filtered query per employee, by the match precedence, stopping at the first key that finds anyone. */
export async function lookUpCandidates(scim: ScimClient, employees: readonly Employee[], precedence: readonly MatchKey[]): Promise<User[]> {
  const found = new Map<string, User>();
  for (const e of employees) {
    for (const key of precedence) {
      const value = employeeKey(e, key);
      if (value === undefined) continue;
      const users = await scim.findUsers({ by: key, value });
      for (const u of users) found.set(u.id, u);
      if (users.length > 0) break;
    }
    // A page of joiners costs several paced lookups each: tell Temporal the activity is alive.
    heartbeat();
  }
  return [...found.values()];
}

export function indexCandidates(index: TargetIndex, employees: readonly Employee[], precedence: readonly MatchKey[]): User[] {
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
  /** The target snapshot of a full run: looked up in memory instead of the target. */
  index?: TargetIndex;
  /** Consulted before any lookup: the users this run wrote (see RunStore.writtenUsers). */
  written?: KnownUsers;
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
    const users = index ? index.find('externalId', hrId) : await this.scim.findUsers({ by: 'externalId', value: hrId });
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
