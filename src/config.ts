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
});
export type HrConfig = z.infer<typeof HrConfigSchema>;

const targetCommon = {
  /** A short name for the org, used in workflow ids and search attributes (never PII). */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'use 1-40 letters, digits, dot, dash or underscore').optional(),
  /** Requests per minute per token; 0 turns pacing off (only for targets without a limit). */
  rateLimitPerMinute: z.coerce.number().int().min(0).optional(),
  timeoutMs: PositiveInt.default(30_000),
};

export const GenesysTargetSchema = z
  .strictObject({
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
  })
  .refine((t) => t.region || (t.apiUrl && t.loginUrl), {
    message: 'set region, or both apiUrl and loginUrl',
    path: ['region'],
  });

export const Scim2TargetSchema = z
  .strictObject({
    kind: z.literal('scim2'),
    ...targetCommon,
    baseUrl: HttpUrl,
    bearerToken: SecretSchema.optional(),
    tokenUrl: HttpUrl.optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: SecretSchema.optional(),
  })
  .refine((t) => t.bearerToken || (t.tokenUrl && t.clientId && t.clientSecret), {
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
});
export type SyncConfig = z.infer<typeof SyncConfigSchema>;

const sections = {
  temporal: TemporalConfigSchema.default(TemporalConfigSchema.parse({})),
  reportDir: z.string().min(1).default('reports'),
  sync: SyncConfigSchema.default(SyncConfigSchema.parse({})),
  mapping: MappingConfigSchema.default(MappingConfigSchema.parse({})),
};

/**
 * The CLI talks to Temporal only: of the target it needs no more than the kind, the name (for workflow
 * ids and search attributes) and the rate budget (for ETAs). The workers check the rest; the client
 * drops it (unknown keys are stripped, so no secret of the worker's ever sits in the client's config).
 */
const ClientTargetSchema = z.object({
  kind: z.enum(['genesys', 'scim2']).default('genesys'),
  name: targetCommon.name,
  rateLimitPerMinute: targetCommon.rateLimitPerMinute,
});

export const ClientConfigSchema = z.strictObject({
  ...sections,
  /** The worker's business: accepted in a shared config file, and dropped. */
  hr: z.unknown().optional().transform((): unknown => undefined),
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
  { env: 'HRSYNC_MAX_PAGES_PER_RUN', path: ['sync', 'maxPagesPerRun'] },
  { env: 'HRSYNC_GATE_MAX_COUNT', path: ['sync', 'gate', 'maxCount'] },
  { env: 'HRSYNC_GATE_MAX_PERCENT', path: ['sync', 'gate', 'maxPercent'] },
  { env: 'HRSYNC_APPROVAL_TIMEOUT_SECONDS', path: ['sync', 'approvalTimeoutSeconds'] },
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

function formatIssues(error: z.ZodError, raw: Raw): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${describeKey([...issue.path, k])}: unknown key`).join('; ');
    }
    if (issue.code !== 'custom' && getPath(raw, issue.path) === undefined) return `${describeKey(issue.path)}: required`;
    return `${describeKey(issue.path)}: ${issue.message}`;
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
  if (!result.success) throw new ConfigError(formatIssues(result.error, raw), file);
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
