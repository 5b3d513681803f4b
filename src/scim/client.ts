import { inspect } from 'node:util';
import { z } from 'zod';
import { chunk } from '../chunk';
import type { AccessTokenSource } from './auth';
import { localFailure, planBulkChunks } from './bulk';
import {
  ScimError,
  ScimInvalidRequestError,
  ScimInvalidResponseError,
  ScimUnauthorizedError,
  ScimUnsupportedError,
  ScimVersionConflictError,
  describeIssues,
  type ScimOperation,
} from './errors';
import { and, eq, filterString, or, valuePath, type Filter } from './model/types/filter';
import { callsInScope, type ScimHttp } from './http';
import { assertPagingEnds } from './paging';
import { BulkResponseSchema, type BulkOperation, type BulkOperationResult } from './model/messages/bulk';
import { bulkRequest, patchOp } from './model/messages/builders';
import { listResponseSchema, type ListResponse } from './model/messages/listresponse';
import type { PatchOperation } from './model/messages/patchop';
import { groupReplacement, userReplacement, type MemberChanges } from './model/messages/replace';
import type { Pacer } from './pacer';
import type { TargetProfile, UserLookupKey } from './profile';
import { GroupSchema, type Group } from './model/resources/group';
import { ServiceProviderConfigSchema, type ServiceProviderConfig } from './model/resources/serviceproviderconfig';
import { NewUserSchema, UserSchema, type NewUser, type User } from './model/resources/user';
import { URN } from './model/schemas/urns';

export interface VersionedUser {
  user: User;
  /** The ETag (`"42"`, `W/"..."`), else meta.version; send it back as If-Match. */
  version: string | undefined;
}

export interface TargetCapabilities {
  bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
  etag: boolean;
  patch: boolean;
  filter: { supported: boolean; maxResults?: number };
  sort: boolean;
  /** What the server sent, or undefined when it has no ServiceProviderConfig. */
  serviceProviderConfig?: ServiceProviderConfig;
  /** The /Schemas resources as sent; undefined when the target serves none (404) or refuses to. */
  schemas?: unknown[];
  /** The /ResourceTypes resources as sent; undefined likewise. */
  resourceTypes?: unknown[];
  /** /ResourceTypes answered one resource type, not a list. */
  resourceTypesSingle?: true;
}

/**
 * A list request the target refused as a filter it can't evaluate (400 invalidFilter, or a bare 400 on a
 * filtered list), or an `or`-joined one whose URL was too long (414: see `tooLong`). `combined` says whether it carried `and active eq false`, `joined` whether it joined
 * several terms with `or`: the caller decides which form to stop asking.
 */
export class ScimFilterRefusedError extends ScimInvalidRequestError {
  constructor(
    readonly combined: boolean,
    cause: ScimInvalidRequestError,
    readonly joined = false,
  ) {
    super({ operation: cause.operation, status: cause.status, scimType: cause.scimType, detail: cause.detail, request: cause.request, reason: 'the target refused the filter' });
  }

  /** The query was too long (414), not of a form the target refuses: fewer terms will do. */
  get tooLong(): boolean {
    return this.status === 414;
  }
}

function filterRefusal(err: unknown, combined: boolean, joined = false): unknown {
  // A URL too long for the target (undocumented on Genesys) is a refusal of that many `or`-joined terms.
  if (err instanceof ScimInvalidRequestError && !(err instanceof ScimFilterRefusedError) && err.status === 414 && joined) return new ScimFilterRefusedError(combined, err, joined);
  if (!(err instanceof ScimInvalidRequestError) || err instanceof ScimFilterRefusedError || err.status !== 400) return err;
  return err.scimType === undefined || err.scimType === 'invalidFilter' ? new ScimFilterRefusedError(combined, err, joined) : err;
}

/** One question of a user lookup: users whose `by` attribute equals `value`. */
export interface LookupTerm {
  by: UserLookupKey;
  value: string;
}

export interface ListQuery {
  /** 1-based. */
  startIndex?: number;
  count?: number;
  attributes?: string[];
  excludedAttributes?: string[];
  filter?: Filter | string;
}

export interface IterateQuery extends Omit<ListQuery, 'startIndex'> {
  /** Where to resume (1-based), e.g. from a heartbeat. */
  startIndex?: number;
}

export interface UserPage {
  /** The startIndex this page was asked with; resume from `nextStartIndex`. */
  startIndex: number;
  nextStartIndex: number;
  totalResults: number;
  users: User[];
}

export interface ClientStats {
  apiCalls: number;
  rateLimited: number;
  retries: number;
  tokenRequests: number;
  byStatus: Record<string, number>;
  /** Time spent waiting for the rate budget. */
  pacedMs: number;
}

export type { MemberChanges };

export interface ScimClientParts {
  profile: TargetProfile;
  http: ScimHttp;
  auth: AccessTokenSource;
  pacer: Pacer;
  /** Member values per group PATCH request (default MEMBERS_PER_PATCH). */
  membersPerPatch?: number;
}

const UserListSchema = listResponseSchema(UserSchema);
/**
 * A discovery list as targets answer it: an RFC ListResponse, the same with `resources` in lower case, or a
 * bare array of resources. Genesys documents a ListResponse; anything else is read the same, not refused.
 */
const DiscoveryListSchema = z.union([
  z.array(z.unknown()),
  z.preprocess((v) => {
    const o = v as { Resources?: unknown; resources?: unknown } | null;
    return o && typeof o === 'object' && o.Resources === undefined && Array.isArray(o.resources) ? { ...o, Resources: o.resources } : v;
  }, listResponseSchema(z.unknown())),
]);
/**
 * Or one resource alone, as if asked for it by id (a /ResourceTypes that answers with its User type): read as
 * a list of one, marked `single` (what it leaves out, such as a Group type, is not known to be missing).
 */
const DiscoveryAnswerSchema = z.union([
  DiscoveryListSchema,
  z
    .looseObject({})
    .refine((o) => !['Resources', 'resources', 'totalResults'].some((k) => k in o))
    .transform((o) => ({ Resources: [o as unknown], single: true as const })),
]);
const GroupListSchema = listResponseSchema(GroupSchema);
/** Genesys documents pages over 25 as liable to 429 unless heavy attributes are excluded. */
const DEFAULT_PAGE_SIZE = 25;
/** Values per group PATCH request; the limit is undocumented, so stay modest. */
const MEMBERS_PER_PATCH = 100;
/** Reads and replaces of one group before a version conflict that persists is the caller's. */
const GROUP_REPLACE_ATTEMPTS = 5;
const DEFAULT_BULK_LIMITS = { maxOperations: 100, maxPayloadSize: 1_048_576 };

/**
 * A SCIM 2.0 client shaped by a target profile (Genesys Cloud or a generic RFC 7644 server).
 * Every failure is a typed ScimError; nothing here retries beyond one token refresh and one short
 * Retry-After: retries are the Temporal activities' job.
 */
export class ScimClient {
  readonly #profile: TargetProfile;
  readonly #http: ScimHttp;
  readonly #auth: AccessTokenSource;
  readonly #pacer: Pacer;
  #capabilities: Promise<TargetCapabilities> | undefined;
  /** Member values per group PATCH: MEMBERS_PER_PATCH until the target says it takes fewer. */
  #membersPerPatch = MEMBERS_PER_PATCH;

  constructor(parts: ScimClientParts) {
    this.#profile = parts.profile;
    this.#http = parts.http;
    this.#auth = parts.auth;
    this.#pacer = parts.pacer;
    if (parts.membersPerPatch) this.#membersPerPatch = parts.membersPerPatch;
  }

  get profile(): TargetProfile {
    return this.#profile;
  }

  /** Calls the current activity has made so far (see countingCalls), or, outside one, this client's total: a difference of two is the calls between. */
  calls(): number {
    return callsInScope() ?? this.#http.stats().apiCalls;
  }

  stats(): ClientStats {
    const h = this.#http.stats();
    return {
      apiCalls: h.apiCalls,
      rateLimited: h.rateLimited,
      retries: h.retries,
      tokenRequests: this.#auth.tokenRequests(),
      byStatus: h.byStatus,
      pacedMs: Math.round(this.#pacer.waitedMs),
    };
  }

  /** Gets (or checks) the access token, so that bad credentials fail the first step of a run. */
  async warmUp(): Promise<void> {
    await this.#auth.token();
  }

  // ---- discovery -------------------------------------------------------------------------------

  /** What the target can do, from its ServiceProviderConfig (asked once per client). */
  discover(): Promise<TargetCapabilities> {
    if (!this.#capabilities) {
      this.#capabilities = this.#discover();
      this.#capabilities.catch(() => {
        this.#capabilities = undefined;
      });
    }
    return this.#capabilities;
  }

  async #discover(): Promise<TargetCapabilities> {
    let spc: ServiceProviderConfig | undefined;
    try {
      const res = await this.#http.request({
        operation: 'discover',
        method: 'GET',
        path: this.#profile.paths.serviceProviderConfig,
        schema: ServiceProviderConfigSchema,
      });
      spc = res.body;
    } catch (err) {
      // Not served, refused or unreadable: the RFC defaults stand (and the profile's /Bulk rule). A transient failure is retried.
      if (!(err instanceof ScimError) || err.retryable || err instanceof ScimUnauthorizedError) throw err;
    }
    const described = await this.#discoveryList(this.#profile.paths.schemas);
    // One schema alone can't be told from a partial answer: /Schemas then counts as not served, as before.
    const schemas = described && !described.single ? described.resources : undefined;
    const types = await this.#discoveryList(this.#profile.paths.resourceTypes);
    const bulkAllowed = this.#profile.bulk === 'discover' && spc?.bulk?.supported === true;
    return {
      bulk: {
        supported: bulkAllowed,
        maxOperations: bulkAllowed ? spc?.bulk?.maxOperations || DEFAULT_BULK_LIMITS.maxOperations : 0,
        maxPayloadSize: bulkAllowed ? spc?.bulk?.maxPayloadSize || DEFAULT_BULK_LIMITS.maxPayloadSize : 0,
      },
      etag: spc?.etag?.supported ?? false,
      patch: spc?.patch?.supported ?? true,
      filter: { supported: spc?.filter?.supported ?? true, maxResults: spc?.filter?.maxResults },
      sort: spc?.sort?.supported ?? false,
      serviceProviderConfig: spc,
      ...(schemas ? { schemas } : {}),
      ...(types ? { resourceTypes: types.resources, ...(types.single ? { resourceTypesSingle: true } : {}) } : {}),
    };
  }

  /**
   * A discovery list (/Schemas, /ResourceTypes). Genesys may not serve all of them: a refusal (404, 403, 501,
   * an answer that isn't a list) is "not served", and the caller falls back; a transient failure is retried.
   */
  async #discoveryList(path: string): Promise<{ resources: unknown[]; single: boolean } | undefined> {
    try {
      const res = await this.#http.request({ operation: 'discover', method: 'GET', path, schema: DiscoveryAnswerSchema });
      if (!res.body) return undefined;
      if (Array.isArray(res.body)) return { resources: res.body, single: false };
      return { resources: res.body.Resources, single: 'single' in res.body };
    } catch (err) {
      // A 501 is RFC 7644 §3.12's "not implemented", not retryable like the other refusals.
      if (err instanceof ScimError && !err.retryable) return undefined;
      throw err;
    }
  }

  // ---- users: reads ----------------------------------------------------------------------------

  async getUser(id: string): Promise<VersionedUser> {
    const res = await this.#http.request({ operation: 'user.get', method: 'GET', path: this.#userPath(id), schema: UserSchema });
    return versioned(requireBody(res, 'user.get', `GET ${this.#userPath(id)}`), res.etag);
  }

  /**
   * Users whose `by` attribute equals `value`, inactive ones included. Values go through the filter library,
   * so quotes and apostrophes are escaped.
   */
  async findUsers(query: { by: UserLookupKey; value: string; combinedInactive?: boolean }): Promise<User[]> {
    const found = await this.findUsersWhere([query]);
    if (found.length > 0 || !this.mayHideInactive || query.combinedInactive === false) return found;
    // A miss may hide an inactive user (undocumented on Genesys); one more cheap query settles it.
    return this.findUsersWhere([query], { inactive: true });
  }

  /**
   * One filtered list (all its pages): users matching any of the terms, joined with `or` when there are
   * several, and only inactive ones with `inactive` (`(...) and active eq false`). Nothing is retried here:
   * a refusal is a ScimFilterRefusedError naming the forms it carried, and the caller decides.
   */
  async findUsersWhere(terms: readonly LookupTerm[], opts: { inactive?: boolean } = {}): Promise<User[]> {
    if (terms.length === 0) return [];
    const matches = terms.map((t) => eq(this.#profile.lookupPaths[t.by], t.value));
    const match = matches.length === 1 ? matches[0] : or(...matches);
    const inactive = opts.inactive === true;
    return this.#collect(inactive ? and(match, eq('active', false)) : match).catch((err: unknown) => {
      throw filterRefusal(err, inactive, matches.length > 1);
    });
  }

  /** Whether a filtered lookup's miss may hide an inactive user (Genesys): the caller must also ask about inactive ones. */
  get mayHideInactive(): boolean {
    return this.#profile.filteredListMayHideInactive;
  }

  async #collect(filter: Filter): Promise<User[]> {
    const byId = new Map<string, User>();
    for await (const page of this.iterateUserPages({ filter })) for (const u of page.users) byId.set(u.id, u);
    return [...byId.values()];
  }

  async listUsers(query: ListQuery = {}): Promise<ListResponse<User>> {
    const attributes = query.attributes?.length ? withAlwaysNeeded(query.attributes) : undefined;
    const res = await this.#http.request({
      operation: 'user.list',
      method: 'GET',
      path: this.#profile.paths.users,
      query: listQueryParams({ ...query, attributes }),
      schema: UserListSchema,
    });
    return requireBody(res, 'user.list', `GET ${this.#profile.paths.users}`);
  }

  /**
   * Every page of a (filtered) user list, as the target answers it: on Genesys an unfiltered list holds
   * active users only (the profile's unfilteredListIsActiveOnly), and the caller asks `active eq false` itself.
   */
  async *iterateUserPages(query: IterateQuery = {}): AsyncGenerator<UserPage> {
    const count = query.count ?? DEFAULT_PAGE_SIZE;
    let startIndex = query.startIndex ?? 1;
    let firstTotal: number | undefined;
    for (;;) {
      const page = await this.listUsers({ ...query, startIndex, count });
      const users = page.Resources;
      const nextStartIndex = startIndex + users.length;
      firstTotal ??= page.totalResults;
      yield { startIndex, nextStartIndex, totalResults: page.totalResults, users };
      if (users.length === 0 || nextStartIndex > page.totalResults) return;
      assertPagingEnds('user.list', `GET ${this.#profile.paths.users}`, nextStartIndex, firstTotal);
      startIndex = nextStartIndex;
    }
  }

  // ---- users: writes ---------------------------------------------------------------------------

  async createUser(newUser: NewUser): Promise<VersionedUser> {
    const body = this.#outgoingUser(newUser);
    const checked = NewUserSchema.safeParse(body);
    if (!checked.success) {
      throw new ScimInvalidRequestError({ operation: 'user.create', reason: `invalid user: ${describeIssues(checked.error).join('; ')}` });
    }
    const res = await this.#http.request({
      operation: 'user.create',
      method: 'POST',
      path: this.#profile.paths.users,
      body,
      schema: UserSchema,
    });
    return versioned(requireBody(res, 'user.create', `POST ${this.#profile.paths.users}`), res.etag);
  }

  async patchUser(id: string, operations: PatchOperation[], opts: { ifMatch?: string } = {}): Promise<VersionedUser> {
    const ops = this.#profile.supportsName ? operations : withoutName(operations);
    if (ops.length === 0) return this.getUser(id);
    const res = await this.#http.request({
      operation: 'user.patch',
      method: 'PATCH',
      path: this.#userPath(id),
      body: patchOp(ops),
      ifMatch: opts.ifMatch,
      schema: UserSchema,
    });
    // RFC 7644 allows 204 without a body; read the result back so callers always get the new version.
    return res.body ? versioned(res.body, res.etag) : this.getUser(id);
  }

  /**
   * For a target without PATCH: the user replaced (PUT, RFC 7644 §3.5.1) with what `operations` would change.
   * The body is the user as the target returned it, read now unless the caller holds it (`current`), with the
   * operations applied (see userReplacement). If-Match carries the version the caller planned from (`ifMatch`),
   * else the one read: a concurrent edit then meets the conflict path instead of being overwritten. A user read at
   * another version than `ifMatch` has been changed since, and is a conflict without a PUT.
   */
  async replaceUser(id: string, operations: PatchOperation[], opts: { ifMatch?: string; current?: VersionedUser } = {}): Promise<VersionedUser> {
    const ops = this.#profile.supportsName ? operations : withoutName(operations);
    const current = opts.current ?? (await this.getUser(id));
    if (ops.length === 0) return current;
    const request = `PUT ${this.#userPath(id)}`;
    // Either form may be what the caller holds: a list answers meta.version, a read the ETag (some targets' is a hash).
    const seen = [current.version, current.user.meta?.version].filter((v): v is string => v !== undefined);
    const ifMatch = opts.ifMatch;
    if (ifMatch && seen.length > 0 && !seen.some((v) => sameVersion(ifMatch, v))) {
      throw new ScimVersionConflictError({ operation: 'user.replace', request, reason: 'the user changed since it was read (refetch, diff and write again)' });
    }
    let body: Record<string, unknown>;
    try {
      body = userReplacement(current.user, ops);
    } catch (err) {
      throw new ScimInvalidRequestError({ operation: 'user.replace', request, reason: (err as Error).message });
    }
    if (!this.#profile.supportsName) delete body.name;
    const res = await this.#http.request({
      operation: 'user.replace',
      method: 'PUT',
      path: this.#userPath(id),
      body,
      ifMatch: opts.ifMatch ?? current.version,
      schema: UserSchema,
    });
    return res.body ? versioned(res.body, res.etag) : this.getUser(id);
  }

  #outgoingUser(user: NewUser): Record<string, unknown> {
    const body: Record<string, unknown> = { ...user };
    delete body.id;
    delete body.meta;
    delete body.groups; // read-only: membership goes through the Groups resource
    if (!this.#profile.supportsName) delete body.name;
    const schemas = new Set<string>([URN.user, ...(user.schemas ?? [])]);
    for (const urn of [URN.enterpriseUser, URN.genesysUser]) if (body[urn] !== undefined) schemas.add(urn);
    body.schemas = [...schemas];
    return body;
  }

  #userPath(id: string): string {
    return `${this.#profile.paths.users}/${encodeURIComponent(id)}`;
  }

  // ---- groups ----------------------------------------------------------------------------------

  async getGroup(id: string): Promise<{ group: Group; version: string | undefined }> {
    const res = await this.#http.request({ operation: 'group.get', method: 'GET', path: this.#groupPath(id), schema: GroupSchema });
    const group = requireBody(res, 'group.get', `GET ${this.#groupPath(id)}`);
    return { group, version: res.etag ?? group.meta?.version };
  }

  async #listGroups(query: ListQuery = {}): Promise<ListResponse<Group>> {
    const res = await this.#http.request({
      operation: 'group.list',
      method: 'GET',
      path: this.#profile.paths.groups,
      query: listQueryParams(query),
      schema: GroupListSchema,
    });
    return requireBody(res, 'group.list', `GET ${this.#profile.paths.groups}`);
  }

  /** Groups must already exist (Genesys has no POST /groups). Members are left out unless asked for. */
  async findGroupByDisplayName(displayName: string, opts: { withMembers?: boolean } = {}): Promise<Group | undefined> {
    const excludedAttributes = opts.withMembers ? undefined : ['members'];
    let groups: Group[];
    try {
      groups = (await this.#listGroups({ filter: eq('displayName', displayName), excludedAttributes })).Resources;
    } catch (err) {
      // A target that can't filter groups by displayName: read them all (paged) and pick it out.
      if (!(filterRefusal(err, false) instanceof ScimFilterRefusedError)) throw err;
      groups = [];
      for (let startIndex = 1; ; ) {
        const page = await this.#listGroups({ startIndex, count: DEFAULT_PAGE_SIZE, excludedAttributes });
        groups.push(...page.Resources);
        startIndex += page.Resources.length;
        if (page.Resources.length === 0 || startIndex > page.totalResults) break;
      }
    }
    // Only an exact match: a server that ignores or loosens the filter must not put people in the wrong group.
    return groups.find((g) => g.displayName === displayName);
  }

  /**
   * Adds and removes members (user ids) with PATCH on `members`. Removal targets each member by a value
   * path built with the filter library. Long lists are sent in several requests; If-Match applies to the
   * first, and each next one carries the version the previous answer returned.
   *
   * A 2xx answer holds the whole group, all its members: a large group's is megabytes, once per batch.
   * Unguarded, nobody reads it, so it is drained unparsed and the version is the ETag's (if any);
   * guarded, the body is read for the version when the answer has no ETag. Error bodies are always read.
   */
  async patchGroupMembers(groupId: string, changes: MemberChanges, opts: { ifMatch?: string } = {}): Promise<{ version: string | undefined }> {
    const ops: PatchOperation[] = [];
    for (const ids of chunk(changes.add ?? [], this.#membersPerPatch)) {
      ops.push({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) });
    }
    for (const id of changes.remove ?? []) {
      ops.push({ op: 'remove', path: filterString(valuePath('members', eq('value', id))) });
    }
    let ifMatch = opts.ifMatch;
    let version = opts.ifMatch;
    const send = async (batch: PatchOperation[]): Promise<void> => {
      try {
        const res = await this.#http.request({
          operation: 'group.patch',
          method: 'PATCH',
          path: this.#groupPath(groupId),
          body: patchOp(batch),
          ifMatch,
          schema: GroupSchema,
          discardBody: !opts.ifMatch,
        });
        version = res.etag ?? res.body?.meta?.version;
        // Chain If-Match only when the caller guarded the first request.
        ifMatch = opts.ifMatch ? version : undefined;
      } catch (err) {
        // The largest group PATCH is undocumented on Genesys: a "too many" answer halves the requests from now on.
        const weight = opsWeight(batch);
        if (!(err instanceof ScimInvalidRequestError) || !isTooMany(err) || weight <= 1) throw err;
        this.#membersPerPatch = Math.max(1, Math.floor(weight / 2));
        for (const smaller of chunkOps(splitValues(batch, this.#membersPerPatch), this.#membersPerPatch)) await send(smaller);
      }
    };
    for (const batch of chunkOps(ops, this.#membersPerPatch)) await send(batch);
    return { version };
  }

  /**
   * For a target without PATCH: the group read, its members changed (see groupReplacement), and replaced (PUT)
   * under If-Match on the version read. A version conflict (someone changed the group meanwhile) reads it again
   * and applies the same changes, a few times; the body the PUT answers (the whole group) is not read. A group whose
   * members are already as asked is not written.
   */
  async replaceGroupMembers(groupId: string, changes: MemberChanges): Promise<{ version: string | undefined }> {
    for (let attempt = 1; ; attempt++) {
      const { group, version } = await this.getGroup(groupId);
      const body = groupReplacement(group, changes);
      // Already as asked (a retried batch): nothing to write.
      if (sameMembers(group.members ?? [], body.members as { value: string }[])) return { version };
      try {
        const res = await this.#http.request({
          operation: 'group.replace',
          method: 'PUT',
          path: this.#groupPath(groupId),
          body,
          ifMatch: version,
          discardBody: true,
        });
        return { version: res.etag };
      } catch (err) {
        if (!(err instanceof ScimVersionConflictError) || attempt >= GROUP_REPLACE_ATTEMPTS) throw err;
      }
    }
  }

  #groupPath(id: string): string {
    return `${this.#profile.paths.groups}/${encodeURIComponent(id)}`;
  }

  // ---- bulk ------------------------------------------------------------------------------------

  /**
   * Sends operations through /Bulk, split by the target's maxOperations and maxPayloadSize, and answers
   * one result per operation in the same order. Operations without a bulkId get one, so that answers can
   * be matched even when a server reorders them. Throws ScimUnsupportedError if the target has no /Bulk.
   */
  async bulk(operations: BulkOperation[]): Promise<BulkOperationResult[]> {
    const caps = await this.discover();
    if (!caps.bulk.supported) {
      throw new ScimUnsupportedError({ operation: 'bulk', reason: `the ${this.#profile.name} target does not support /Bulk` });
    }
    const ops = operations.map((op, i) => (op.bulkId ? op : { ...op, bulkId: `hrsync-${i + 1}` }));
    const plan = planBulkChunks(ops, caps.bulk);
    const results: BulkOperationResult[] = new Array(ops.length);
    for (const i of plan.oversized) results[i] = localFailure(ops[i], 413, 'operation is larger than the target maxPayloadSize');
    for (const indices of plan.chunks) {
      const res = await this.#http.request({
        operation: 'bulk',
        method: 'POST',
        path: this.#profile.paths.bulk,
        body: bulkRequest(indices.map((i) => ops[i])),
        schema: BulkResponseSchema,
      });
      const answered = requireBody(res, 'bulk', `POST ${this.#profile.paths.bulk}`).Operations;
      const byBulkId = new Map(answered.filter((r) => r.bulkId).map((r) => [r.bulkId as string, r]));
      indices.forEach((opIndex, k) => {
        const op = ops[opIndex];
        const positional = answered[k] && !answered[k].bulkId ? answered[k] : undefined;
        results[opIndex] =
          (op.bulkId && byBulkId.get(op.bulkId)) || positional || localFailure(op, 502, 'the target sent no result for this operation');
      });
    }
    return results;
  }

  /** Bulk operations in this target's paths, for the apply step. */
  readonly bulkOperations = {
    createUser: (user: NewUser, bulkId: string): BulkOperation => ({
      method: 'POST',
      bulkId,
      path: this.#profile.paths.users,
      data: this.#outgoingUser(user),
    }),
    patchUser: (id: string, operations: PatchOperation[], version?: string, bulkId?: string): BulkOperation => ({
      method: 'PATCH',
      ...(bulkId ? { bulkId } : {}),
      ...(version ? { version } : {}),
      path: this.#userPath(id),
      data: patchOp(this.#profile.supportsName ? operations : withoutName(operations)),
    }),
  };

  toJSON(): object {
    return { profile: this.#profile.name, baseUrl: this.#profile.baseUrl, stats: this.stats() };
  }
  [inspect.custom](): string {
    return `ScimClient { profile: ${this.#profile.name}, baseUrl: ${this.#profile.baseUrl} }`;
  }
}

/** RFC 7644 §3.4.2 query parameters of a list request. */
function listQueryParams(query: ListQuery) {
  return {
    filter: query.filter === undefined ? undefined : typeof query.filter === 'string' ? query.filter : filterString(query.filter),
    startIndex: query.startIndex,
    count: query.count,
    attributes: query.attributes?.join(','),
    excludedAttributes: query.excludedAttributes?.join(','),
  };
}

function versioned(user: User, etag: string | undefined): VersionedUser {
  return { user, version: etag ?? user.meta?.version };
}

function requireBody<T>(res: { status: number; body: T | undefined }, operation: ScimOperation, request: string): T {
  if (res.body === undefined) {
    throw new ScimInvalidResponseError({ operation, request, status: res.status, problems: ['(root): empty body'] });
  }
  return res.body;
}

function sameMembers(a: readonly { value: string }[], b: readonly { value: string }[]): boolean {
  const values = new Set(a.map((m) => m.value));
  return values.size === b.length && b.every((m) => values.has(m.value));
}

/** One version, whether it came as an ETag (`W/"3"`) or as meta.version (`3`, `"3"`). */
function sameVersion(a: string, b: string): boolean {
  const bare = (v: string) => v.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return bare(a) === bare(b);
}

/** id, userName and meta are what the client needs back from any user read. */
function withAlwaysNeeded(attributes: string[]): string[] {
  const set = new Set(attributes);
  for (const a of ['userName', 'active']) set.add(a);
  return [...set];
}

const NAME_PATH = /^(urn:ietf:params:scim:schemas:core:2\.0:User:)?name(\.|\[|$)/i;

/** Genesys has no `name` attribute: drop operations on it rather than have the whole PATCH rejected. */
export function withoutName(operations: PatchOperation[]): PatchOperation[] {
  const out: PatchOperation[] = [];
  for (const op of operations) {
    if (op.path !== undefined) {
      if (!NAME_PATH.test(op.path)) out.push(op);
      continue;
    }
    if (op.value && typeof op.value === 'object' && !Array.isArray(op.value) && 'name' in op.value) {
      const value = { ...(op.value as Record<string, unknown>) };
      delete value.name;
      if (Object.keys(value).length > 0) out.push({ ...op, value });
      continue;
    }
    out.push(op);
  }
  return out;
}

const opWeight = (op: PatchOperation) => (Array.isArray(op.value) ? op.value.length : 1);
const opsWeight = (ops: readonly PatchOperation[]) => ops.reduce((n, op) => n + opWeight(op), 0);

/** A 400 tooMany, or a 413 (payload too large): the request carried more than the target takes at once. */
function isTooMany(err: ScimInvalidRequestError): boolean {
  return (err.status === 400 && err.scimType === 'tooMany') || err.status === 413;
}

/** Add ops of more than `max` values split into several, so that chunkOps can keep each request within `max`. */
function splitValues(ops: readonly PatchOperation[], max: number): PatchOperation[] {
  return ops.flatMap((op) => (Array.isArray(op.value) && op.value.length > max ? chunk(op.value, max).map((value) => ({ ...op, value })) : [op]));
}

/** At most `max` member values per request, counting an add op by its values. */
function chunkOps(ops: PatchOperation[], max = MEMBERS_PER_PATCH): PatchOperation[][] {
  const out: PatchOperation[][] = [];
  let current: PatchOperation[] = [];
  let weight = 0;
  for (const op of ops) {
    const w = opWeight(op);
    if (current.length && weight + w > max) {
      out.push(current);
      current = [];
      weight = 0;
    }
    current.push(op);
    weight += w;
  }
  if (current.length) out.push(current);
  return out;
}

