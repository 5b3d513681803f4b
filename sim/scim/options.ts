/** What a test, demo or benchmark can choose about the simulated SCIM service. */
export interface ScimSimOptions {
  /** `genesys` behaves like Genesys Cloud; `scim2` like a generic RFC 7644 server. Default `genesys`. */
  mode?: 'genesys' | 'scim2';
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** OAuth client credentials. Default `hrsync-sim` and a random secret. */
  clientId?: string;
  clientSecret?: string;
  /** A static bearer token that is always accepted (scim2 targets often use one). Generated in scim2 mode when absent. */
  bearerToken?: string;
  /** Access token lifetime. Default 86400 (the Genesys default). */
  tokenTtlSeconds?: number;
  /** Requests per token per window. Default 300; null switches rate limiting off. */
  rateLimitPerMinute?: number | null;
  /** Length of the rate-limit window. Default 60 (what Genesys uses); tests may shorten it. */
  rateLimitWindowSeconds?: number;
  /** Group displayNames seeded at start (Genesys groups must already exist in the org). */
  groups?: string[];
  /** Users seeded at start, without HTTP (e.g. a 100,000-user org for benchmarks). Same shape as a POST body. */
  users?: Array<Record<string, unknown>>;
  /** Undocumented on Genesys: the status a duplicate userName answers. Default '409'. */
  duplicateUserName?: '409' | '400';
  /** Permissions the OAuth client's roles lack, e.g. `directory:user:add`; writes needing them answer 403. */
  deniedPermissions?: string[];
  faults?: Partial<ScimFaults>;
  /** Seed of the fault injector's PRNG. Default 42. */
  seed?: number;
  /** scim2 mode only. Defaults: 100 operations, 1048576 bytes. */
  bulk?: { maxOperations?: number; maxPayloadSize?: number };
  /** Largest `count` a list honours; larger asks are clamped. Undocumented on Genesys, the simulator's choice: 100. */
  maxPageSize?: number;
  /**
   * Genesys may answer 429 to a page of more than 25 users unless excludedAttributes leaves out externalId,
   * roles, routingSkills and routingLanguages. Off by default; on makes it always so.
   */
  strictLargePages?: boolean;
  /** Behaviours of stricter real servers, all off by default. Changeable at run time (`setStrict`, `POST /__sim/strict`). */
  strict?: Partial<ScimStrictness>;
  /** Undocumented on Genesys: a group PATCH carrying more `members` values than this answers 400 tooMany. Default unlimited. */
  groupPatchMaxMembers?: number;
  /**
   * Genesys mode: the org's routing skills, languages and roles, by name. A list given here makes a name outside it
   * answer 400 invalidValue naming it, as Genesys refuses an unknown skill or role; an absent list takes any name.
   */
  catalogue?: Partial<GenesysCatalogue>;
}

export interface GenesysCatalogue {
  skills: string[];
  languages: string[];
  roles: string[];
}

/** Each switch plays something a real server does (see README.md). */
export interface ScimStrictness {
  /** Any filter that names `active` answers 400 invalidFilter (servers that don't filter on active). */
  noActiveFilter: boolean;
  /** Filters on enterprise or Genesys extension attributes (employeeNumber, manager, division, externalIds[...]),
   *  in short or URN-prefixed form, answer 400 invalidFilter: the server filters on core attributes only. */
  noExtensionFilters: boolean;
  /** A filter joining expressions with `and`/`or` outside a value path `[...]` answers 400 invalidFilter
   *  (only single `eq` filters are documented on Genesys). */
  noAndFilters: boolean;
  /** A filter joining expressions with `or` outside a value path answers 400 invalidFilter (`and` stays accepted):
   *  undocumented on Genesys, this plays "refused". */
  noOrFilters: boolean;
  /** A filtered user list returns active users only, unless the filter names `active` (as an unfiltered Genesys
   *  list does): undocumented on Genesys, this plays "filtered lists hide inactive users". */
  filteredListsActiveOnly: boolean;
  /** `dateHire` is not an attribute of this server: /Schemas doesn't declare it, a POST that carries it stores the rest
   *  and drops it, a PATCH op whose path (or no-path value) names it answers 400 invalidPath. */
  noDateHire: boolean;
  /** User representations never carry `groups` (membership is only readable from the groups). */
  noGroupsOnUsers: boolean;
  /** Attribute names whose `remove` the server refuses (e.g. 'title', 'phoneNumbers', 'department', 'manager');
   *  answered 400 with `refuseRemoveScimType` (default 'mutability'). Undocumented on Genesys: this plays "refused". */
  refuseRemove: string[];
  refuseRemoveScimType: 'mutability' | 'invalidPath' | 'invalidValue' | 'noTarget';
  /** Error `detail` never names the attribute or path it refused (so a client must split operations to find it). */
  terseErrors: boolean;
  /** /Schemas and /ResourceTypes answer 404 (Genesys may not serve all of discovery). */
  noSchemas: boolean;
  /** How discovery answers (see DISCOVERY_SHAPES): Genesys documents a ListResponse, and every field of a schema
   *  attribute as optional, so each other plausible shape can be played. */
  discoveryShape: DiscoveryShape;
  /** How /resourcetypes answers for the User resource type's extensions (see RESOURCE_TYPES_ANSWERS): Genesys
   *  documents the endpoint and marks every field of a resource type optional, so each plausible answer can be played. */
  resourceTypes: ResourceTypesAnswer;
  /** An API request whose URL (path and query string, as sent) is longer than this many characters answers 414
   *  URI Too Long, as a server or proxy with a request-line limit does; 0: no limit. Genesys documents none. */
  maxUrlLength: number;
  /** Whether PATCH works (see PATCH_ANSWERS): RFC 7644 §3.5.2 makes it optional. Genesys supports it (the default). */
  patch: PatchAnswer;
  /** With `resourceTypes: required`, how a POST of a user (or a bulk POST) is held to the extensions the User type
   *  requires (see REQUIRED_EXTENSION_CHECKS): RFC 7643 §6 says a resource MUST include them, not how a server tells. */
  requiredExtensions: RequiredExtensionCheck;
  /** Extension attributes, `<URN>:<name>` (e.g. the enterprise `employeeNumber`), that /Schemas declares
   *  `required: true`; with `resourceTypes: required` a POST whose extension leaves one out answers 400 invalidValue. */
  requiredAttributes: string[];
}

/**
 * `supported` (the default): ServiceProviderConfig says `patch.supported: true` and PATCH works.
 * `declared-unsupported`: it says false, and PATCH on a user or group (a /Bulk PATCH too) answers 501.
 * `undeclared-501`, `undeclared-405`: it says true, and PATCH answers 501 Not Implemented, or 405 Method Not Allowed.
 */
export const PATCH_ANSWERS = ['supported', 'declared-unsupported', 'undeclared-501', 'undeclared-405'] as const;
export type PatchAnswer = (typeof PATCH_ANSWERS)[number];

/**
 * `list`: RFC ListResponses, every schema, every attribute's mutability (the default). `bare-array`: /schemas and
 * /resourcetypes answer a JSON array of the resources. `lowercase-resources`: a ListResponse whose array is under
 * `resources`. `core-only`: /schemas lists the core User and Group schemas alone, and the User resource type names no
 * extension (the store keeps them as before). `no-mutability`: no attribute says its `mutability`, `returned` or
 * `uniqueness`. `spc-minimal`: /serviceproviderconfig answers `{ schemas }` alone.
 */
/**
 * `listed` (the default): the User resource type lists every extension the store keeps, `required: false`.
 * `no-enterprise`: it doesn't list the enterprise extension (/schemas still describes it); the store doesn't
 * keep it: a POST or PUT carrying it stores the rest, a PATCH op naming it is 400 `invalidPath`. `none`:
 * `schemaExtensions: []`, and the store keeps no extension of the client's. `no-key`: no `schemaExtensions` at
 * all (the store keeps every extension). `required`: each listed `required: true` (enforced on POST as the
 * `requiredExtensions` and `requiredAttributes` switches say). `lowercase-urns`:
 * the URNs it lists in lower case. `by-endpoint`: the User type carries only `endpoint` and `schemaExtensions`
 * (no id, name or schema). `single`: /resourcetypes answers the User resource type alone, not a list.
 * `refused-403`, `refused-404`, `refused-501`: /resourcetypes answers that status (/schemas is served).
 */
export const RESOURCE_TYPES_ANSWERS = [
  'listed', 'no-enterprise', 'none', 'no-key', 'required', 'lowercase-urns', 'by-endpoint', 'single', 'refused-403', 'refused-404', 'refused-501',
] as const;
export type ResourceTypesAnswer = (typeof RESOURCE_TYPES_ANSWERS)[number];

/**
 * `unenforced` (the default): `required: true` is only said. `in-schemas`: a POST whose `schemas` doesn't list a
 * required extension's URN answers 400 invalidValue. `as-object`: one that carries no object under the URN does
 * (an empty one will do). `both`: either refusal.
 */
export const REQUIRED_EXTENSION_CHECKS = ['unenforced', 'in-schemas', 'as-object', 'both'] as const;
export type RequiredExtensionCheck = (typeof REQUIRED_EXTENSION_CHECKS)[number];

export const DISCOVERY_SHAPES = ['list', 'bare-array', 'lowercase-resources', 'core-only', 'no-mutability', 'spc-minimal'] as const;
export type DiscoveryShape = (typeof DISCOVERY_SHAPES)[number];

export const LENIENT: Readonly<ScimStrictness> = {
  noActiveFilter: false,
  noExtensionFilters: false,
  noAndFilters: false,
  noOrFilters: false,
  filteredListsActiveOnly: false,
  noDateHire: false,
  noGroupsOnUsers: false,
  refuseRemove: [],
  refuseRemoveScimType: 'mutability',
  terseErrors: false,
  noSchemas: false,
  discoveryShape: 'list',
  resourceTypes: 'listed',
  maxUrlLength: 0,
  patch: 'supported',
  requiredExtensions: 'unenforced',
  requiredAttributes: [],
};

const BOOLEAN_SWITCHES = Object.keys(LENIENT).filter((k) => typeof LENIENT[k as keyof ScimStrictness] === 'boolean') as Array<keyof ScimStrictness>;
const REFUSE_TYPES = ['mutability', 'invalidPath', 'invalidValue', 'noTarget'] as const;

/**
 * Checks a partial strictness (an admin request body, a test's options) and names the key it rejects,
 * so a typo never leaves a switch silently off.
 */
export function checkStrictness(input: unknown): Partial<ScimStrictness> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('strictness must be an object');
  const out: Partial<ScimStrictness> = {};
  for (const [k, v] of Object.entries(input)) {
    if (BOOLEAN_SWITCHES.includes(k as keyof ScimStrictness)) {
      if (typeof v !== 'boolean') throw new Error(`strict.${k} must be true or false`);
      (out as Record<string, unknown>)[k] = v;
    } else if (k === 'refuseRemove') {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) throw new Error('strict.refuseRemove must be a list of attribute names');
      out.refuseRemove = [...(v as string[])];
    } else if (k === 'discoveryShape') {
      if (!DISCOVERY_SHAPES.includes(v as DiscoveryShape)) throw new Error(`strict.discoveryShape must be one of ${DISCOVERY_SHAPES.join(', ')}`);
      out.discoveryShape = v as DiscoveryShape;
    } else if (k === 'resourceTypes') {
      if (!RESOURCE_TYPES_ANSWERS.includes(v as ResourceTypesAnswer)) throw new Error(`strict.resourceTypes must be one of ${RESOURCE_TYPES_ANSWERS.join(', ')}`);
      out.resourceTypes = v as ResourceTypesAnswer;
    } else if (k === 'requiredExtensions') {
      if (!REQUIRED_EXTENSION_CHECKS.includes(v as RequiredExtensionCheck)) throw new Error(`strict.requiredExtensions must be one of ${REQUIRED_EXTENSION_CHECKS.join(', ')}`);
      out.requiredExtensions = v as RequiredExtensionCheck;
    } else if (k === 'requiredAttributes') {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && /^urn:.+:[^:]+$/.test(x))) throw new Error('strict.requiredAttributes must be a list of <schema URN>:<attribute> names');
      out.requiredAttributes = [...(v as string[])];
    } else if (k === 'maxUrlLength') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error('strict.maxUrlLength must be a whole number of characters (0: no limit)');
      out.maxUrlLength = v;
    } else if (k === 'patch') {
      if (!PATCH_ANSWERS.includes(v as PatchAnswer)) throw new Error(`strict.patch must be one of ${PATCH_ANSWERS.join(', ')}`);
      out.patch = v as PatchAnswer;
    } else if (k === 'refuseRemoveScimType') {
      if (!REFUSE_TYPES.includes(v as (typeof REFUSE_TYPES)[number])) throw new Error(`strict.refuseRemoveScimType must be one of ${REFUSE_TYPES.join(', ')}`);
      out.refuseRemoveScimType = v as ScimStrictness['refuseRemoveScimType'];
    } else {
      throw new Error(`strict.${k} is not a strictness switch (known: ${Object.keys(LENIENT).join(', ')})`);
    }
  }
  return out;
}

/**
 * `hrsync sim --strict` syntax: switch names separated by commas; `refuseRemove=title+department`,
 * `refuseRemoveScimType=invalidPath`, `discoveryShape=bare-array`, `resourceTypes=no-enterprise`, `patch=undeclared-501`,
 * `requiredExtensions=both`, `requiredAttributes=<URN>:employeeNumber` and `maxUrlLength=2000` take values.
 */
export function parseStrictList(text: string): Partial<ScimStrictness> {
  const raw: Record<string, unknown> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = item.split('=', 2);
    if (name === 'refuseRemove' || name === 'requiredAttributes') raw[name] = (value ?? '').split('+').map((s) => s.trim()).filter(Boolean);
    else if (name === 'refuseRemoveScimType' || name === 'discoveryShape' || name === 'resourceTypes' || name === 'patch' || name === 'requiredExtensions') raw[name] = value;
    else if (name === 'maxUrlLength') raw.maxUrlLength = Number(value);
    else if (value !== undefined) throw new Error(`strict switch ${name} takes no value`);
    else raw[name] = true;
  }
  return checkStrictness(raw);
}

/** Fault injection. Rates are probabilities in [0, 1]. */
export interface ScimFaults {
  /** Share of API requests answered with a 5xx instead of being served. */
  errorRate: number;
  /** Latency added to every API request. */
  delayMs: number;
  /** Share of API requests whose connection is destroyed without an answer. */
  dropRate: number;
  /** Share of API requests answered 429 with Retry-After even within the budget. */
  stormRate: number;
  /** Share of writes carrying If-Match during which a concurrent admin edit bumps the version first. */
  conflictRate: number;
  /** While Date.now() is below this (epoch ms), every API request is answered 429. */
  stormUntil?: number;
  /** Retry-After (seconds) of injected 429s. Default 1. */
  retryAfterSeconds?: number;
  /** Apply faults to the token endpoint too. Default false. */
  faultTokenEndpoint?: boolean;
}

export interface ResolvedOptions {
  mode: 'genesys' | 'scim2';
  port: number;
  host: string;
  clientId: string;
  clientSecret: string;
  bearerToken?: string;
  tokenTtlSeconds: number;
  rateLimitPerMinute: number | null;
  rateLimitWindowSeconds: number;
  groups: string[];
  users: Array<Record<string, unknown>>;
  duplicateUserName: '409' | '400';
  deniedPermissions: string[];
  faults: ScimFaults;
  seed: number;
  bulk: { maxOperations: number; maxPayloadSize: number };
  maxPageSize: number;
  strictLargePages: boolean;
  /** One object, changed in place at run time, so every handler sees the current switches. */
  strict: ScimStrictness;
  groupPatchMaxMembers: number | null;
  catalogue: Partial<GenesysCatalogue>;
}

export const NO_FAULTS: ScimFaults = { errorRate: 0, delayMs: 0, dropRate: 0, stormRate: 0, conflictRate: 0 };

export function resolveOptions(opts: ScimSimOptions, randomSecret: () => string): ResolvedOptions {
  const mode = opts.mode ?? 'genesys';
  return {
    mode,
    port: opts.port ?? 0,
    host: opts.host ?? '127.0.0.1',
    clientId: opts.clientId ?? 'hrsync-sim',
    clientSecret: opts.clientSecret ?? randomSecret(),
    bearerToken: opts.bearerToken ?? (mode === 'scim2' ? randomSecret() : undefined),
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 86400,
    rateLimitPerMinute: opts.rateLimitPerMinute === undefined ? 300 : opts.rateLimitPerMinute,
    rateLimitWindowSeconds: opts.rateLimitWindowSeconds ?? 60,
    groups: opts.groups ?? [],
    users: opts.users ?? [],
    duplicateUserName: opts.duplicateUserName ?? '409',
    deniedPermissions: opts.deniedPermissions ?? [],
    faults: { ...NO_FAULTS, ...(opts.faults ?? {}) },
    seed: opts.seed ?? 42,
    bulk: { maxOperations: opts.bulk?.maxOperations ?? 100, maxPayloadSize: opts.bulk?.maxPayloadSize ?? 1048576 },
    maxPageSize: opts.maxPageSize ?? 100,
    strictLargePages: opts.strictLargePages ?? false,
    strict: { ...LENIENT, refuseRemove: [], ...checkStrictness(opts.strict ?? {}) },
    groupPatchMaxMembers: opts.groupPatchMaxMembers ?? null,
    catalogue: structuredClone(opts.catalogue ?? {}),
  };
}
