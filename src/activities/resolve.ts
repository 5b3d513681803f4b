import { heartbeat } from '@temporalio/activity';
import type { Employee } from '../hr/employee';
import { employeeKey, userKey } from '../domain/matching';
import { normaliseEmail } from '../domain/normalise';
import type { MatchKey } from '../domain/mapping/config';
import { filterFormOf } from '../domain/capabilities';
import type { ReadOnceDecision } from '../domain/readonce';
import { ScimFilterRefusedError, type ScimClient } from '../scim/client';
import { ScimInvalidRequestError } from '../scim/errors';
import { eq } from '../scim/model/types/filter';
import type { User } from '../scim/model/resources/user';
import type { RunStore } from '../staging/runstore';
import type { TargetLearning } from './learning';

const COMBINED = 'and-combined filter';
const JOINED = 'or-combined filter';
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

/** One question: users whose `by` equals `value` (in the form employeeKey gives). */
export interface Term {
  by: MatchKey;
  value: string;
}

/** What one or more filtered lists answered, and what could not be asked. */
export interface Answer {
  /** The users that match an asked term by the run's own comparison (userKey), deduplicated. */
  users: User[];
  /** Keys whose filter the target refuses: their terms were not asked. */
  refused: MatchKey[];
  unchecked?: string;
}

const UNCHECKED = 'inactive users could not be searched (the target refuses `active eq false`): an existing deactivated account may not have been found';

/** Terms per `or` query: its answer fits one page of 25 users, with room for a few duplicates. */
export const TERMS_PER_QUERY = 20;

/** Asking on would cost more than reading the target once (see UserLookup.rentUntil): the delta reads it instead. */
export class ReadTargetInstead extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A term's value as userKey gives it, so that answers are matched to terms by the same comparison as matching. */
function termKey(t: Term): string {
  return t.by === 'userName' ? normaliseEmail(t.value) : t.by === 'employeeNumber' ? t.value.trim() : t.value;
}

const answers = (u: User, t: Term) => userKey(u, t.by) === termKey(t);

/**
 * Filtered user lookups that learn what the target refuses, several questions in one query where the
 * target takes `or`. A key whose filter the target refuses (400 invalidFilter) is not asked again in the
 * run. A refused `or` query is asked again one term at a time: when each of them is answered, the `or` was
 * what the target refused, and the run asks one term per query from then on. Inactive users are asked for
 * with `and active eq false`; when that combined form is refused, the inactive users are read once
 * (`active eq false`, paged: documented calls only) into the run store and searched there. An `or` query
 * too long for the target (414) is asked again in halves, and the run asks at most half as many terms a
 * query from then on.
 */
export class UserLookup {
  #inactive: TargetIndex | null | undefined;
  #rent: { decide: (used: number) => ReadOnceDecision; from: number } | undefined;
  constructor(
    private readonly scim: ScimClient,
    private readonly learning: TargetLearning,
    private readonly store: RunStore,
    private readonly runKey: string,
  ) {}

  /** Whether a miss may hide an inactive user (Genesys): ask `inactive` too before calling it a miss. */
  get mayHideInactive(): boolean {
    return this.scim.mayHideInactive;
  }

  /** Whether the run still asks several terms in one query. */
  get joins(): boolean {
    return !this.learning.filterRefused(JOINED);
  }

  /** Terms the run asks in one query now. */
  get perQuery(): number {
    return this.joins ? this.learning.termsPerQuery(TERMS_PER_QUERY) : 1;
  }

  /**
   * Before each target call from now on, `decide` is given the calls made since, and may say that reading
   * the target would be cheaper: the call is not made, and ReadTargetInstead is thrown.
   */
  rentUntil(decide: (used: number) => ReadOnceDecision): void {
    this.#rent = { decide, from: this.scim.calls() };
  }

  #asking(): void {
    if (!this.#rent) return;
    const decision = this.#rent.decide(this.scim.calls() - this.#rent.from);
    if (decision.read) throw new ReadTargetInstead(decision.reason);
  }

  refuses(by: MatchKey): boolean {
    return this.learning.filterRefused(filterFormOf(by));
  }

  /** Users matching any of the terms (inactive ones only, with `inactive`), in as few queries as the target takes. */
  async ask(terms: readonly Term[], inactive: boolean): Promise<Answer> {
    const refused = new Set<MatchKey>();
    const distinct = [...new Map(terms.map((t) => [`${t.by}\u0000${termKey(t)}`, t])).values()];
    const asked = distinct.filter((t) => !(this.refuses(t.by) && refused.add(t.by)));
    const state = { refused, unchecked: undefined as string | undefined };
    const found = new Map<string, User>();
    // One term per query from the moment the run learns that the target refuses `or`.
    for (let i = 0; i < asked.length; ) {
      const batch = asked.slice(i, i + this.perQuery);
      i += batch.length;
      for (const u of await this.#query(batch, inactive, state)) if (batch.some((t) => answers(u, t))) found.set(u.id, u);
      // A page of joiners may cost several paced lookups: tell Temporal the activity is alive.
      heartbeat();
    }
    return { users: [...found.values()], refused: [...refused], ...(state.unchecked ? { unchecked: state.unchecked } : {}) };
  }

  async #query(asked: Term[], inactive: boolean, state: { refused: Set<MatchKey>; unchecked?: string }): Promise<User[]> {
    // A key learned refused a moment ago (a term of the same query, alone) is not asked again.
    const terms = asked.filter((t) => !(this.refuses(t.by) && state.refused.add(t.by)));
    if (terms.length === 0) return [];
    if (inactive && this.learning.filterRefused(COMBINED)) {
      const index = await this.#inactiveIndex();
      if (index === null) state.unchecked = UNCHECKED;
      return index === null ? [] : terms.flatMap((t) => index.find(t.by, termKey(t)));
    }
    this.#asking();
    try {
      return await this.scim.findUsersWhere(terms, { inactive });
    } catch (err) {
      if (!(err instanceof ScimFilterRefusedError)) throw err;
      if (err.tooLong) {
        // A single term too long for the target is not a refusal of any form: nothing shorter can be asked.
        if (terms.length === 1) throw err;
        this.learning.learnFilterLength(terms.length, err.detail);
        const half = Math.ceil(terms.length / 2);
        return [...(await this.#query(terms.slice(0, half), inactive, state)), ...(await this.#query(terms.slice(half), inactive, state))];
      }
      if (terms.length > 1) {
        // Which form did the target refuse? Each term alone tells.
        const before = state.refused.size;
        const combinedBefore = this.learning.filterRefused(COMBINED);
        const answered = () => state.refused.size === before && this.learning.filterRefused(COMBINED) === combinedBefore;
        // Terms of one key: the first answered alone tells that the `or` was refused, so the rest of the run (and
        // the read-once rule, see rentUntil) knows each term costs a call before the other terms are asked.
        const oneKey = terms.every((t) => t.by === terms[0].by);
        const users: User[] = [];
        for (const t of terms) {
          users.push(...(await this.#query([t], inactive, state)));
          if (oneKey && answered()) this.learning.learnFilter(JOINED, err.detail);
        }
        if (answered()) this.learning.learnFilter(JOINED, err.detail);
        return users;
      }
      // Inactive users are only asked for by keys that were just answered: the `and` was refused.
      if (inactive) {
        this.learning.learnFilter(COMBINED, err.detail);
        return this.#query(terms, inactive, state);
      }
      this.learning.learnFilter(filterFormOf(terms[0].by), err.detail);
      state.refused.add(terms[0].by);
      return [];
    }
  }

  /**
   * Each value of one key: the users it finds, active ones first; on a target that may hide inactive
   * users, the values that found nobody are asked again for inactive ones.
   */
  async findEach(by: MatchKey, values: readonly string[]): Promise<{ users: Map<string, User[]>; refused: boolean; unchecked?: string }> {
    const terms = [...new Set(values)].map((value) => ({ by, value }));
    const active = await this.ask(terms, false);
    const users = new Map(terms.map((t) => [t.value, active.users.filter((u) => answers(u, t))]));
    const missed = terms.filter((t) => users.get(t.value)?.length === 0);
    if (active.refused.length > 0 || missed.length === 0 || !this.mayHideInactive) return { users, refused: active.refused.length > 0 };
    const inactive = await this.ask(missed, true);
    for (const t of missed) users.set(t.value, inactive.users.filter((u) => answers(u, t)));
    return { users, refused: false, ...(inactive.unchecked ? { unchecked: inactive.unchecked } : {}) };
  }

  async find(by: MatchKey, value: string): Promise<LookupResult> {
    const { users, refused, unchecked } = await this.findEach(by, [value]);
    const found = users.get(value) ?? [];
    if (refused) return { users: [], refused: filterFormOf(by) };
    return found.length === 0 && unchecked ? { users: [], unchecked } : { users: found };
  }

  async #inactiveIndex(): Promise<TargetIndex | null> {
    if (this.#inactive !== undefined) return this.#inactive;
    if (this.learning.indexUnavailable(INACTIVE_INDEX)) return (this.#inactive = null);
    const stored = this.store.index<User>(this.runKey, 'inactive');
    if (stored) return (this.#inactive = new TargetIndex(stored));
    const users: User[] = [];
    this.#asking();
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
 * Delta runs: each employee's user by the match precedence, in three rounds over the page, each asked in
 * as few queries as the target takes (see UserLookup):
 * 1. each employee's first key (for nearly everyone, the only question);
 * 2. for those it missed, the other keys: all at once where the target takes `or`, else one key at a time,
 *    stopping at the first that finds anyone;
 * 3. on a target whose filtered lists may hide inactive users, inactive users by the keys above the one
 *    that found the employee (every key, for a joiner), so an older, deactivated account still wins by
 *    precedence, as it does in a full run.
 * Returns the candidates (matchEmployees picks among them by precedence, and the ownership rule), and per
 * HR id what could not be asked (refused filters), for the rows of those not found.
 */
export async function lookUpCandidates(
  lookup: UserLookup,
  employees: readonly Employee[],
  precedence: readonly MatchKey[],
): Promise<{ users: User[]; notes: Map<string, string[]> }> {
  const found = new Map<string, User>();
  let index = new TargetIndex([]);
  let unchecked: string | undefined;
  const ask = async (terms: Term[], inactive: boolean) => {
    if (terms.length === 0) return;
    const answer = await lookup.ask(terms, inactive);
    for (const u of answer.users) found.set(u.id, u);
    index = new TargetIndex([...found.values()]);
    unchecked ??= answer.unchecked;
  };
  const people = employees.map((e) => ({
    e,
    terms: precedence.flatMap((by): Term[] => {
      const value = employeeKey(e, by);
      return value === undefined ? [] : [{ by, value }];
    }),
    asked: 0,
  }));
  /** The first of a person's keys that finds anyone so far, or -1. */
  const hitOf = (p: (typeof people)[number]): number => p.terms.findIndex((t) => index.find(t.by, t.value).length > 0);
  const next = (p: (typeof people)[number]): Term[] => {
    const terms = lookup.joins && p.asked > 0 ? p.terms.slice(p.asked) : p.terms.slice(p.asked, p.asked + 1);
    p.asked += terms.length;
    return terms;
  };

  for (let round = 0; ; round++) {
    const open = people.filter((p) => p.asked < p.terms.length && (round === 0 || hitOf(p) < 0));
    if (open.length === 0) break;
    await ask(open.flatMap(next), false);
  }
  if (lookup.mayHideInactive) {
    await ask(
      people.flatMap((p) => {
        const hit = hitOf(p);
        return p.terms.slice(0, hit < 0 ? p.terms.length : hit);
      }),
      true,
    );
  }

  const notes = new Map<string, string[]>();
  for (const p of people) {
    if (hitOf(p) >= 0) continue;
    // Only where it matters: someone not found by the keys that could be asked.
    const unasked = p.terms.filter((t) => lookup.refuses(t.by)).map((t) => `${filterFormOf(t.by)} is refused by the target: not looked up by ${t.by}`);
    if (unchecked && p.terms.some((t) => !lookup.refuses(t.by))) unasked.push(unchecked);
    if (unasked.length > 0) notes.set(p.e.id, [...new Set(unasked)]);
  }
  return { users: [...found.values()], notes };
}

/**
 * The candidates from a read of the target (a full run's snapshot, or a delta that read it once), as
 * lookUpCandidates gives them from lookups: where that read could not include the inactive users, the row
 * of each employee it found nobody for says so, as a lookup's does.
 */
export function indexCandidates(
  index: UserIndex,
  employees: readonly Employee[],
  precedence: readonly MatchKey[],
  learning: Pick<TargetLearning, 'indexUnavailable'>,
): { users: User[]; notes: Map<string, string[]> } {
  const found = new Map<string, User>();
  const notes = new Map<string, string[]>();
  const unchecked = learning.indexUnavailable(INACTIVE_INDEX);
  for (const e of employees) {
    let keyed = false;
    let hit = false;
    for (const key of precedence) {
      const value = employeeKey(e, key);
      if (value === undefined) continue;
      keyed = true;
      const users = index.find(key, value);
      for (const u of users) found.set(u.id, u);
      hit = users.length > 0;
      if (hit) break;
    }
    if (unchecked && keyed && !hit) notes.set(e.id, [UNCHECKED]);
  }
  return { users: [...found.values()], notes };
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
    const unknown: string[] = [];
    for (const hrId of new Set(hrIds)) {
      const id = this.#cache.has(hrId) ? this.#cache.get(hrId) : this.known(hrId);
      if (id) out[hrId] = id;
      else if (!this.#cache.has(hrId)) unknown.push(hrId);
    }
    const lookup = this.lookup ?? this.opts.lookup;
    if (this.opts.index || !lookup) {
      for (const hrId of unknown) {
        const id = await this.userIdOf(hrId);
        if (id) out[hrId] = id;
        // A page's managers may each cost paced lookups: tell Temporal the activity is alive.
        heartbeat();
      }
      return out;
    }
    // The page's managers in as few queries as the target takes (see UserLookup.findEach).
    const { users } = await lookup.findEach('externalId', unknown);
    for (const hrId of unknown) {
      const found = users.get(hrId) ?? [];
      const id = found.length === 1 ? found[0].id : undefined;
      if (id || this.opts.rememberMisses) this.#cache.set(hrId, id);
      if (id) out[hrId] = id;
    }
    return out;
  }
}
