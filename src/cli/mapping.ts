import { Command } from 'commander';
import { hrConnectorFor, scimClientFor } from '../activities';
import { ConfigError, type WorkerConfig } from '../config';
import { byReason, decideTarget, type UserExtensions, type WritableDecision } from '../domain/capabilities';
import { diffUser, toNewUser } from '../domain/diff';
import { mapEmployee } from '../domain/mapping/map';
import { entryName, mappedHrFields } from '../domain/mapping/rules';
import type { MappingProblem } from '../domain/mapping/targetcheck';
import { employeeKey } from '../domain/matching';
import type { Employee } from '../hr/employee';
import { EXIT, UsageError, exitOnUsageError } from '../runs/outcome';
import type { ScimClient } from '../scim/client';
import type { PatchOperation } from '../scim/model/messages/patchop';
import type { NewUser, User } from '../scim/model/resources/user';
import { workerConfig } from './common';
import { consoleOutput, type Output } from './sync';

/**
 * `hrsync mapping check` and `hrsync mapping preview <hr-id>`: the mapping against the target, and one
 * employee through it, reading HR and the target as the worker would and writing nothing. They need the
 * worker's config (HR and target credentials), not Temporal.
 */

export interface MappingCheck {
  ok: boolean;
  /** Where the target's attributes came from: its /Schemas, or the profile's known set. */
  source: WritableDecision['source'];
  /** What the User resource type extends with, when /ResourceTypes says (else /Schemas alone decide). */
  extensions?: UserExtensions['listed'];
  problems: MappingProblem[];
  /** Built-in attributes the target doesn't take: left out of writes, as in a run. */
  unsupported: WritableDecision['unsupported'];
  entries: { name: string; target: string; when: string }[];
  hrFields: string[];
}

async function targetView(config: WorkerConfig, scim: ScimClient) {
  await scim.warmUp();
  const caps = await scim.discover();
  return decideTarget({
    discovered: caps,
    profile: config.target.kind,
    managed: config.mapping.managedAttributes,
    entries: config.mapping.attributes,
    phoneType: config.mapping.phoneType,
  });
}

export async function checkMapping(config: WorkerConfig, scim: ScimClient = scimClientFor(config)): Promise<MappingCheck> {
  const { attributes, problems, extensions } = await targetView(config, scim);
  return {
    ok: problems.length === 0,
    source: attributes.source,
    ...(extensions ? { extensions: extensions.listed } : {}),
    problems,
    unsupported: attributes.unsupported,
    entries: config.mapping.attributes.map((e) => ({ name: entryName(e), target: e.target, when: e.when })),
    hrFields: mappedHrFields(config.mapping.attributes),
  };
}

/**
 * A worker's start with declared entries: a mapping the target can't take stops it, naming the entries, before it
 * polls. A target it can't reach now doesn't: each run checks again in prepare.
 */
export async function checkMappingAtStart(config: WorkerConfig, warn: (line: string) => void = console.error): Promise<void> {
  if (config.mapping.attributes.length === 0) return;
  let result: MappingCheck;
  try {
    result = await checkMapping(config);
  } catch (err) {
    warn(`hrsync: could not check the mapping against the target now (${(err as Error).message}); every run checks it before writing`);
    return;
  }
  if (!result.ok) throw new ConfigError(result.problems.map((p) => `${p.entry}: ${p.message}`), 'the mapping against the target');
}

export function checkLines(c: MappingCheck): string[] {
  const lines = [c.ok ? 'mapping fits the target' : 'mapping does not fit the target:'];
  for (const p of c.problems) lines.push(`  ${p.entry}: ${p.message}`);
  lines.push(`target attributes from: ${c.source === 'schemas' ? 'its /Schemas' : "the profile's known set (no usable /Schemas)"}`);
  lines.push(`User resource type extends with: ${extensionsLine(c.extensions)}`);
  for (const e of c.entries) lines.push(`  ${e.name} -> ${e.target}${e.when === 'create' ? ' (at create only)' : ''}`);
  if (c.hrFields.length > 0) lines.push(`HR fields the mapping reads: ${c.hrFields.join(', ')}`);
  for (const { reason, attributes } of byReason(c.unsupported)) lines.push(`not written: ${attributes.join(', ')} (${reason})`);
  return lines;
}

function extensionsLine(listed: MappingCheck['extensions']): string {
  if (listed === undefined) return "not said (no usable /ResourceTypes, or no schemaExtensions): /Schemas alone decide";
  if (listed.length === 0) return 'no extension';
  return listed.map((e) => `${e.schema}${e.required ? ' (required)' : ''}`).join(', ');
}

export interface MappingPreview {
  employee: Employee;
  warnings: string[];
  quarantine?: string;
  /** The user the mapping produces, as a create would send it. */
  produced: NewUser;
  /** The target's user the employee matches, if any. */
  current: User | null;
  matchedBy?: string;
  /** What a sync would send to the current user (empty: in step; a create when there is none). */
  operations: PatchOperation[];
  problems: MappingProblem[];
}

/** Pages HR until the employee turns up: the HR API has no read by id. */
async function findEmployee(config: WorkerConfig, hrId: string): Promise<Employee | undefined> {
  const hr = hrConnectorFor(config);
  let cursor: string | null = null;
  do {
    const page = await hr.readPage({ cursor });
    const found = page.employees.find((e) => e.id === hrId);
    if (found) return found;
    if (page.rejected.some((r) => r.id === hrId)) throw new UsageError(`HR record ${hrId} is malformed: ${page.rejected.find((r) => r.id === hrId)?.reason ?? ''}`);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return undefined;
}

export async function previewMapping(config: WorkerConfig, hrId: string, today: string, scim: ScimClient = scimClientFor(config)): Promise<MappingPreview> {
  const employee = await findEmployee(config, hrId);
  if (!employee) throw new UsageError(`HR has no employee with id ${hrId}`);
  const { attributes, problems, requiredExtensions } = await targetView(config, scim);
  const mapping = { ...config.mapping, managedAttributes: config.mapping.managedAttributes.filter((a) => attributes.writable.includes(a)) };
  const { desired, warnings, quarantine } = mapEmployee(employee, mapping, { profile: config.target.kind, today });
  let current: User | null = null;
  let matchedBy: string | undefined;
  for (const key of config.mapping.matchPrecedence) {
    const value = employeeKey(employee, key);
    if (value === undefined) continue;
    const found = await scim.findUsers({ by: key, value });
    if (found.length > 0) {
      [current] = found;
      matchedBy = key;
      break;
    }
  }
  let managerUserId: string | null | undefined;
  if (typeof desired.managerHrId === 'string') managerUserId = (await scim.findUsers({ by: 'externalId', value: desired.managerHrId }))[0]?.id;
  else if (desired.managerHrId === null) managerUserId = null;
  const ctx = { config: mapping, profile: config.target.kind, requiredExtensions, ...(managerUserId !== undefined ? { managerUserId } : {}) };
  return {
    employee,
    warnings: warnings.map((w) => w.message),
    ...(quarantine ? { quarantine } : {}),
    produced: toNewUser(desired, ctx),
    current,
    ...(matchedBy ? { matchedBy } : {}),
    operations: current ? diffUser(desired, current, ctx) : [],
    problems,
  };
}

export function previewLines(p: MappingPreview): string[] {
  const json = (v: unknown) => JSON.stringify(v, null, 2).split('\n').map((l) => `  ${l}`);
  const lines = [`HR record ${p.employee.id}:`, ...json(p.employee)];
  for (const w of p.warnings) lines.push(`warning: ${w}`);
  if (p.quarantine) lines.push(`quarantined: ${p.quarantine}`);
  for (const x of p.problems) lines.push(`mapping problem: ${x.entry}: ${x.message}`);
  lines.push('the user the mapping produces:', ...json(p.produced));
  if (!p.current) {
    lines.push('no user on the target matches: a sync would create it');
    return lines;
  }
  lines.push(`current user ${p.current.id} (found by ${p.matchedBy}):`, ...json(p.current));
  if (p.operations.length === 0) lines.push('in step: a sync would write nothing');
  else lines.push('operations a sync would send:', ...p.operations.map((o) => `  ${o.op} ${o.path ?? ''}${o.value !== undefined ? ` ${JSON.stringify(o.value)}` : ''}`));
  return lines;
}

export function mappingCommand(io: Output = consoleOutput): Command {
  const cmd = new Command('mapping').description('check the mapping against the target, or preview one employee through it (writes nothing)');
  cmd
    .command('check')
    .description("validate the config's mapping against the target's schemas: every problem names its entry")
    .option('--json', 'print the result as one JSON line')
    .action(async (opts: { json?: boolean }, sub: Command) => {
      const config = workerConfig(sub);
      const result = await checkMapping(config);
      if (opts.json) io.out(JSON.stringify(result));
      else for (const line of checkLines(result)) io.out(line);
      process.exitCode = result.ok ? EXIT.ok : EXIT.usage;
    });
  cmd
    .command('preview')
    .description('show the HR record, the user the mapping produces, and the operations against the current user')
    .argument('<hr-id>', 'the HR id of the employee')
    .option('--json', 'print the preview as one JSON line')
    .action(async (hrId: string, opts: { json?: boolean }, sub: Command) => {
      const config = workerConfig(sub);
      process.exitCode = await exitOnUsageError(async () => {
        const result = await previewMapping(config, hrId, new Date().toISOString().slice(0, 10));
        if (opts.json) io.out(JSON.stringify(result));
        else for (const line of previewLines(result)) io.out(line);
        return result.problems.length === 0 ? EXIT.ok : EXIT.usage;
      });
    });
  return cmd;
}
