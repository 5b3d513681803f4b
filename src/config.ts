import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Secret } from './secret';
import { MappingConfigSchema } from './domain/mapping/config';
import { GateConfigSchema } from './domain/gate';
import { GENESYS_REGIONS, genesysDomain } from './scim/profile';
import { decodeKeyMaterial } from './temporal/codec';

/**
 * hrsync's configuration: a file (JSON or YAML, path in HRSYNC_CONFIG or --config) overlaid with
 * environment variables. Secrets come from the environment (NAME or NAME_FILE) or, in the file, as
 * `{ env: NAME }` / `{ file: PATH }`; they are held as `Secret`, which prints as "[redacted]".
 * Bad config fails at start-up with the exact key and reason.
 */

export class ConfigError extends Error {
  constructor(readonly problems: string[], source?: string) {
    super(`Invalid configuration${source ? ` (${source})` : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The environment that `{ env: NAME }` secrets resolve against, set for the duration of a (synchronous) load. */
let secretEnv: NodeJS.ProcessEnv = process.env;

const SecretSchema = z
  .union([
    z.string().min(1, 'must not be empty'),
    z.strictObject({ env: z.string().min(1) }),
    z.strictObject({ file: z.string().min(1) }),
  ])
  .transform((v, ctx) => {
    if (typeof v === 'string') return new Secret(v);
    if ('env' in v) {
      const value = secretEnv[v.env];
      if (!value) {
        ctx.issues.push({ code: 'custom', input: v, message: `environment variable ${v.env} is not set` });
        return z.NEVER;
      }
      return new Secret(value);
    }
    try {
      return new Secret(readFileSync(v.file, 'utf8').trim());
    } catch (err) {
      ctx.issues.push({ code: 'custom', input: v, message: `cannot read secret file ${v.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
      return z.NEVER;
    }
  });

const HttpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const PositiveInt = z.coerce.number().int().positive();

/** Written into every encrypted payload, so it names the key, never holds it. */
const EncryptionKeyId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'use 1-64 letters, digits, dot, colon, dash or underscore');

/**
 * AES-256-GCM payload encryption: `key` (base64 of 32 bytes) under `keyId` encrypts; `previousKeys` only
 * decrypt, so history written before a key rotation stays readable. Each key is checked here, by id.
 */
const EncryptionConfigSchema = z
  .strictObject({
    keyId: EncryptionKeyId,
    key: SecretSchema,
    previousKeys: z.array(z.strictObject({ id: EncryptionKeyId, key: SecretSchema })).default([]),
  })
  .superRefine((e, ctx) => {
    const keys = [{ id: e.keyId, key: e.key, path: ['key'] }, ...e.previousKeys.map((k, i) => ({ ...k, path: ['previousKeys', i, 'key'] }))];
    const seen = new Set<string>();
    for (const k of keys) {
      const decoded = decodeKeyMaterial(k.key.reveal());
      if ('problem' in decoded) {
        ctx.addIssue({ code: 'custom', path: k.path, message: `encryption key "${k.id}" ${decoded.problem} (make one with: openssl rand -base64 32)` });
      }
      if (seen.has(k.id)) ctx.addIssue({ code: 'custom', path: k.path.slice(0, -1).concat('id'), message: `key id "${k.id}" is used twice` });
      seen.add(k.id);
    }
  });

export const TemporalConfigSchema = z.strictObject({
  /** host:port of the Temporal frontend (dev server, cluster or Temporal Cloud). */
  address: z.string().regex(/^[^\s:/]+:\d+$/, 'expected host:port').default('127.0.0.1:7233'),
  namespace: z.string().min(1).default('default'),
  taskQueue: z.string().min(1).default('hrsync'),
  /** Temporal Cloud API key; implies TLS. */
  apiKey: SecretSchema.optional(),
  tls: z
    .strictObject({
      enabled: z.stringbool().or(z.boolean()).optional(),
      clientCertPath: z.string().min(1).optional(),
      clientKeyPath: z.string().min(1).optional(),
      serverRootCaCertPath: z.string().min(1).optional(),
      serverName: z.string().min(1).optional(),
    })
    .refine((t) => Boolean(t.clientCertPath) === Boolean(t.clientKeyPath), {
      message: 'clientCertPath and clientKeyPath go together',
      path: ['clientKeyPath'],
    })
    .optional(),
  /** Base URL of the Temporal Web UI, used to print links to runs. */
  webUiUrl: HttpUrl.default('http://localhost:8233'),
  /** End-to-end encryption of payloads (employee data) in Temporal; client and workers need the same keys. */
  encryption: EncryptionConfigSchema.optional(),
});
export type TemporalConfig = z.infer<typeof TemporalConfigSchema>;

export const HrConfigSchema = z.strictObject({
  baseUrl: HttpUrl,
  apiToken: SecretSchema.optional(),
  pageSize: PositiveInt.max(1000).default(100),
  timeoutMs: PositiveInt.default(30_000),
  /** A page body larger than this fails its request (a broken or hostile HR API must not exhaust the worker's memory). */
  maxResponseBytes: PositiveInt.default(64 * 1024 * 1024),
});
export type HrConfig = z.infer<typeof HrConfigSchema>;

const targetCommon = {
  /** A short name for the org, used in workflow ids and search attributes (never PII). */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'use 1-40 letters, digits, dot, dash or underscore').optional(),
  /** Requests per minute per token; 0 turns pacing off (only for targets without a limit). */
  rateLimitPerMinute: z.coerce.number().int().min(0).optional(),
  timeoutMs: PositiveInt.default(30_000),
  /** A response body larger than this fails its request: a target must not exhaust the worker's memory. */
  maxResponseBytes: PositiveInt.default(64 * 1024 * 1024),
};

const genesysTargetShape = {
  kind: z.literal('genesys'),
  ...targetCommon,
  /** A region name (us-east-1) or a domain (mypurecloud.com). */
  region: z
    .string()
    .min(1)
    .refine((r) => {
      try {
        genesysDomain(r);
        return true;
      } catch {
        return false;
      }
    }, `unknown Genesys Cloud region or domain; use a region name such as ${Object.keys(GENESYS_REGIONS).slice(0, 3).join(', ')} or a domain such as mypurecloud.de`)
    .optional(),
  apiUrl: HttpUrl.optional(),
  loginUrl: HttpUrl.optional(),
  clientId: z.string().min(1),
  clientSecret: SecretSchema,
};

const scim2TargetShape = {
  kind: z.literal('scim2'),
  ...targetCommon,
  baseUrl: HttpUrl,
  bearerToken: SecretSchema.optional(),
  tokenUrl: HttpUrl.optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: SecretSchema.optional(),
};

export const GenesysTargetSchema = z.strictObject(genesysTargetShape).refine((t) => t.region || (t.apiUrl && t.loginUrl), {
  message: 'set region, or both apiUrl and loginUrl',
  path: ['region'],
});

export const Scim2TargetSchema = z.strictObject(scim2TargetShape).refine((t) => t.bearerToken || (t.tokenUrl && t.clientId && t.clientSecret), {
  message: 'set bearerToken, or tokenUrl with clientId and clientSecret',
  path: ['bearerToken'],
});

export const TargetConfigSchema = z.discriminatedUnion('kind', [GenesysTargetSchema, Scim2TargetSchema]);
export type TargetConfig = z.infer<typeof TargetConfigSchema>;

/** How a run reads, writes and waits. */
export const SyncConfigSchema = z.strictObject({
  /** Changes per apply activity (a bulk target also caps it at its maxOperations). */
  chunkSize: PositiveInt.max(1000).default(25),
  /** Requests in flight at once on a target without /Bulk; the rate budget paces them anyway. */
  concurrency: PositiveInt.max(32).default(4),
  /**
   * Members per group PATCH. A run sends its memberships at the end, per group, in batches of this size.
   * Genesys documents no limit (see genesys-scim.md); a "too many" answer halves it for the rest of the run.
   */
  groupBatchSize: PositiveInt.max(1000).default(100),
  /** Refetch-and-retry attempts after a version conflict, per user. */
  conflictRetries: PositiveInt.max(20).default(3),
  /** The next delta reads this far behind the last watermark, for clock skew between HR and us. */
  watermarkOverlapSeconds: z.coerce.number().int().min(0).default(120),
  /**
   * Continue as new after this many pages (HR pages, target snapshot pages, orphan pages), keeping each run's
   * history short; 0 leaves it to Temporal's suggestion (at 4 MiB or about 4,000 events).
   */
  maxPagesPerRun: z.coerce.number().int().min(0).default(0),
  /** Deactivations past these limits wait for approve/reject. */
  gate: GateConfigSchema.default(GateConfigSchema.parse({})),
  /** With no answer at the gate for this long, the run is rejected and writes nothing. */
  approvalTimeoutSeconds: PositiveInt.default(24 * 3600),
  /**
   * An activity that has not heartbeated for this long is retried on another worker: the time a worker's
   * crash costs a run. Activities heartbeat at least every few seconds while they work.
   */
  heartbeatTimeoutSeconds: PositiveInt.min(5).max(3600).default(120),
  /**
   * A failed, cancelled or terminated run keeps its working files (reportDir/.runs/) this many days after it
   * closed, for a reset; the next run of the target then removes them. A run that ends well removes its own.
   */
  keepFailedRunsDays: z.coerce.number().int().min(0).default(7),
});
export type SyncConfig = z.infer<typeof SyncConfigSchema>;

const sections = {
  temporal: TemporalConfigSchema.default(TemporalConfigSchema.parse({})),
  reportDir: z.string().min(1).default('reports'),
  sync: SyncConfigSchema.default(SyncConfigSchema.parse({})),
  mapping: MappingConfigSchema.default(MappingConfigSchema.parse({})),
};

/**
 * A secret as the CLI sees it: its form is checked, but it is never resolved (the CLI needs no secret of
 * the worker's, and may run where the worker's environment variables and files are not).
 */
const UnresolvedSecretSchema = z.union([z.string().min(1, 'must not be empty'), z.strictObject({ env: z.string().min(1) }), z.strictObject({ file: z.string().min(1) })]);

const SECRET_KEYS = new Set(['apiToken', 'clientSecret', 'bearerToken']);

/** A worker section, checked key by key on the client: no key is required there, an unknown one is an error. */
function clientView<T extends z.core.$ZodLooseShape>(shape: T) {
  const lenient = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, SECRET_KEYS.has(k) ? UnresolvedSecretSchema : v])) as T;
  return z.strictObject(lenient).partial();
}

/**
 * The CLI talks to Temporal only: of the target it keeps no more than the kind, the name (for workflow ids
 * and search attributes) and the rate budget (for ETAs). It still checks the whole file, so a typo in a
 * section only the worker reads fails here too; what it doesn't keep it drops (no secret of the worker's
 * ever sits in the client's config).
 */
const ClientTargetSchema = z
  .discriminatedUnion('kind', [clientView(genesysTargetShape).required({ kind: true }), clientView(scim2TargetShape).required({ kind: true })])
  .transform((t): { kind: 'genesys' | 'scim2'; name?: string; rateLimitPerMinute?: number } => ({
    kind: t.kind,
    ...(t.name !== undefined ? { name: t.name } : {}),
    ...(t.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: t.rateLimitPerMinute } : {}),
  }));

export const ClientConfigSchema = z.strictObject({
  ...sections,
  /** The worker's business: checked, and dropped. */
  hr: clientView(HrConfigSchema.shape).optional().transform((): unknown => undefined),
  target: ClientTargetSchema.optional(),
});
export type ClientConfig = z.infer<typeof ClientConfigSchema>;

/** What a worker needs: everything. */
export const WorkerConfigSchema = z.strictObject({
  ...sections,
  hr: HrConfigSchema,
  target: TargetConfigSchema,
});
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

/**
 * The target's name in workflow ids, schedule ids and the HrsyncTarget search attribute: `target.name`,
 * else the target's kind (`genesys` when the config names no target). The CLI and the worker both use
 * this, on the same config, so their runs, schedules and listings agree.
 */
export function targetName(cfg: { target?: { name?: string; kind?: string } }): string {
  return cfg.target?.name ?? cfg.target?.kind ?? 'genesys';
}

type Path = readonly string[];
interface EnvBinding {
  env: string;
  path: Path;
  secret?: boolean;
  /** Only applies when the target kind matches. */
  kind?: 'genesys' | 'scim2';
}

/** Every environment variable hrsync reads, and the config key it sets. */
export const ENV_BINDINGS: readonly EnvBinding[] = [
  { env: 'TEMPORAL_ADDRESS', path: ['temporal', 'address'] },
  { env: 'TEMPORAL_NAMESPACE', path: ['temporal', 'namespace'] },
  { env: 'TEMPORAL_API_KEY', path: ['temporal', 'apiKey'], secret: true },
  { env: 'TEMPORAL_TLS', path: ['temporal', 'tls', 'enabled'] },
  { env: 'TEMPORAL_TLS_CLIENT_CERT_PATH', path: ['temporal', 'tls', 'clientCertPath'] },
  { env: 'TEMPORAL_TLS_CLIENT_KEY_PATH', path: ['temporal', 'tls', 'clientKeyPath'] },
  { env: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', path: ['temporal', 'tls', 'serverRootCaCertPath'] },
  { env: 'TEMPORAL_TLS_SERVER_NAME', path: ['temporal', 'tls', 'serverName'] },
  { env: 'HRSYNC_TASK_QUEUE', path: ['temporal', 'taskQueue'] },
  { env: 'HRSYNC_WEB_UI_URL', path: ['temporal', 'webUiUrl'] },
  { env: 'HRSYNC_ENCRYPTION_KEY_ID', path: ['temporal', 'encryption', 'keyId'] },
  { env: 'HRSYNC_ENCRYPTION_KEY', path: ['temporal', 'encryption', 'key'], secret: true },
  { env: 'HRSYNC_REPORT_DIR', path: ['reportDir'] },
  { env: 'HRSYNC_CHUNK_SIZE', path: ['sync', 'chunkSize'] },
  { env: 'HRSYNC_CONCURRENCY', path: ['sync', 'concurrency'] },
  { env: 'HRSYNC_GROUP_BATCH_SIZE', path: ['sync', 'groupBatchSize'] },
  { env: 'HRSYNC_MAX_PAGES_PER_RUN', path: ['sync', 'maxPagesPerRun'] },
  { env: 'HRSYNC_GATE_MAX_COUNT', path: ['sync', 'gate', 'maxCount'] },
  { env: 'HRSYNC_GATE_MAX_PERCENT', path: ['sync', 'gate', 'maxPercent'] },
  { env: 'HRSYNC_APPROVAL_TIMEOUT_SECONDS', path: ['sync', 'approvalTimeoutSeconds'] },
  { env: 'HRSYNC_KEEP_FAILED_RUNS_DAYS', path: ['sync', 'keepFailedRunsDays'] },
  { env: 'HRSYNC_HEARTBEAT_TIMEOUT_SECONDS', path: ['sync', 'heartbeatTimeoutSeconds'] },
  { env: 'HR_BASE_URL', path: ['hr', 'baseUrl'] },
  { env: 'HR_API_TOKEN', path: ['hr', 'apiToken'], secret: true },
  { env: 'HR_PAGE_SIZE', path: ['hr', 'pageSize'] },
  { env: 'SCIM_TARGET', path: ['target', 'kind'] },
  { env: 'HRSYNC_TARGET_NAME', path: ['target', 'name'] },
  { env: 'SCIM_RATE_LIMIT_PER_MINUTE', path: ['target', 'rateLimitPerMinute'] },
  { env: 'GENESYS_REGION', path: ['target', 'region'], kind: 'genesys' },
  { env: 'GENESYS_API_URL', path: ['target', 'apiUrl'], kind: 'genesys' },
  { env: 'GENESYS_LOGIN_URL', path: ['target', 'loginUrl'], kind: 'genesys' },
  { env: 'GENESYS_CLIENT_ID', path: ['target', 'clientId'], kind: 'genesys' },
  { env: 'GENESYS_CLIENT_SECRET', path: ['target', 'clientSecret'], kind: 'genesys', secret: true },
  { env: 'SCIM_BASE_URL', path: ['target', 'baseUrl'], kind: 'scim2' },
  { env: 'SCIM_BEARER_TOKEN', path: ['target', 'bearerToken'], kind: 'scim2', secret: true },
  { env: 'SCIM_TOKEN_URL', path: ['target', 'tokenUrl'], kind: 'scim2' },
  { env: 'SCIM_CLIENT_ID', path: ['target', 'clientId'], kind: 'scim2' },
  { env: 'SCIM_CLIENT_SECRET', path: ['target', 'clientSecret'], kind: 'scim2', secret: true },
];

type Raw = Record<string, unknown>;

function setPath(obj: Raw, p: Path, value: unknown): void {
  let cur = obj;
  for (const key of p.slice(0, -1)) {
    const next = cur[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as Raw;
  }
  cur[p[p.length - 1]] = value;
}

function readConfigFile(file: string): Raw {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`HRSYNC_CONFIG: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let parsed: unknown;
  try {
    parsed = path.extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError([`${file} is not valid ${path.extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`]);
  }
  if (parsed == null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError([`${file}: the top level must be a mapping of keys`]);
  return parsed as Raw;
}

function overlayEnv(raw: Raw, env: NodeJS.ProcessEnv): Raw {
  const merged: Raw = structuredClone(raw);
  const kindFromEnv = env.SCIM_TARGET;
  const fileTarget = merged.target as Raw | undefined;
  const kind = kindFromEnv ?? (fileTarget?.kind as string | undefined) ?? 'genesys';
  for (const b of ENV_BINDINGS) {
    if (b.kind && b.kind !== kind) continue;
    const value = env[b.env];
    if (b.secret && value === undefined && env[`${b.env}_FILE`]) {
      setPath(merged, b.path, { file: env[`${b.env}_FILE`] });
      continue;
    }
    if (value === undefined || value === '') continue;
    setPath(merged, b.path, value);
  }
  const target = merged.target as Raw | undefined;
  if (target && target.kind === undefined) target.kind = kind;
  return merged;
}

function describeKey(p: PropertyKey[]): string {
  const key = p.map(String).join('.');
  const binding = ENV_BINDINGS.find((b) => b.path.join('.') === key);
  return binding ? `${key} (env ${binding.env})` : key || '(top level)';
}

function getPath(obj: unknown, p: PropertyKey[]): unknown {
  return p.reduce<unknown>((cur, key) => (cur && typeof cur === 'object' ? (cur as Record<PropertyKey, unknown>)[key] : undefined), obj);
}

/** Values of keys like these are never quoted back: they may be secrets. */
const SECRET_LIKE = /secret|token|key|password/i;

/** What the user wrote, for the message: short scalars only, and never a secret. */
function quoted(p: PropertyKey[], value: unknown): string | undefined {
  if (p.some((k) => SECRET_LIKE.test(String(k)))) return undefined;
  // A URL may carry user:password@.
  if (typeof value === 'string' && /\/\/[^/\s]*@/.test(value)) return undefined;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

const ARTICLE: Record<string, string> = { number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping of keys', array: 'a list', int: 'a whole number' };

/** The keys a (nested) schema accepts at `p`, for "did you mean". */
function keysAt(schema: unknown, p: PropertyKey[]): string[] {
  let cur = schema as { _zod?: { def: Record<string, unknown> } } | undefined;
  const unwrap = () => {
    for (let guard = 0; cur?._zod && guard < 10; guard++) {
      const def = cur._zod.def as { type: string; innerType?: unknown; in?: unknown; options?: unknown[] };
      if (def.innerType) cur = def.innerType as typeof cur;
      else if (def.type === 'pipe') cur = def.in as typeof cur;
      else break;
    }
  };
  const shapeOf = (): Record<string, unknown> => {
    unwrap();
    const def = cur?._zod?.def as { shape?: Record<string, unknown>; options?: unknown[] } | undefined;
    if (def?.shape) return def.shape;
    if (def?.options) return Object.assign({}, ...def.options.map((o) => ((cur = o as typeof cur), shapeOf())));
    return {};
  };
  for (const k of p) {
    const next = shapeOf()[String(k)];
    if (!next) return [];
    cur = next as typeof cur;
  }
  return Object.keys(shapeOf());
}

/** Edits (insert, delete, change, swap two neighbours) from a to b, ignoring case. */
function editDistance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[x.length][y.length];
}

/** The known key nearest to a mistyped one, if it is near enough to be the one meant. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(key, k);
    if (!best || d < best.d) best = { key: k, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.key.length / 3)) ? best.key : undefined;
}

function formatIssues(error: z.ZodError, raw: Raw, schema: z.ZodType): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(schema, issue.path);
      return issue.keys
        .map((k) => {
          const near = nearestKey(k, known);
          return `${describeKey([...issue.path, k])}: unknown key${near ? ` (did you mean ${[...issue.path.map(String), near].join('.')}?)` : ''}`;
        })
        .join('; ');
    }
    const given = getPath(raw, issue.path);
    if (issue.code !== 'custom' && given === undefined) return `${describeKey(issue.path)}: required`;
    const shown = quoted(issue.path, given);
    if (issue.code === 'invalid_type') {
      return `${describeKey(issue.path)}: expected ${ARTICLE[issue.expected] ?? issue.expected}${shown ? `, got ${shown}` : ''}`;
    }
    const message = issue.message.replace(/^Invalid input: /, '');
    return `${describeKey(issue.path)}: ${message}${shown && !message.includes(shown) ? ` (got ${shown})` : ''}`;
  });
}

export interface LoadOptions {
  /** Path of the config file; defaults to HRSYNC_CONFIG. */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

function load<S extends z.ZodType>(schema: S, opts: LoadOptions): z.infer<S> {
  const env = opts.env ?? process.env;
  const file = opts.file ?? env.HRSYNC_CONFIG;
  const raw = overlayEnv(file ? readConfigFile(file) : {}, env);
  secretEnv = env;
  let result;
  try {
    result = schema.safeParse(raw);
  } finally {
    secretEnv = process.env;
  }
  if (!result.success) throw new ConfigError(formatIssues(result.error, raw, schema), file);
  return result.data;
}

export function loadClientConfig(opts: LoadOptions = {}): ClientConfig {
  return load(ClientConfigSchema, opts);
}

export function loadWorkerConfig(opts: LoadOptions = {}): WorkerConfig {
  return load(WorkerConfigSchema, opts);
}

/** The configuration as JSON with every secret shown as "[redacted]". */
export function describeConfig(config: ClientConfig | WorkerConfig): string {
  return JSON.stringify(config, null, 2);
}
