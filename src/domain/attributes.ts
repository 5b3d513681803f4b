import type { PatchOperation } from '../scim/messages/patchop';
import type { User } from '../scim/resources/user';
import { URN } from '../scim/schemas/urns';
import type { ManagedAttribute, MappingConfig } from './mapping/config';
import type { DesiredUser } from './mapping/map';
import { normaliseEmail, normaliseText, phoneDigits } from './normalise';
import type { TargetProfile } from './profile';

/**
 * One table of the attributes hrsync writes: how to read each from a desired user and from a SCIM user,
 * how to compare them, and which PATCH operations change it. Diff and drift both walk this table,
 * so "what we would change" and "what still differs" are the same question.
 */

export interface DiffContext {
  config: MappingConfig;
  profile: TargetProfile;
  /**
   * The manager's target user id, resolved from `desired.managerHrId`: a string sets it, `null` clears it,
   * `undefined` leaves the manager alone (HR doesn't say, or the manager's user isn't known yet).
   */
  managerUserId?: string | null;
}

type Value = string | boolean;

interface AttributeRule {
  /** The name used in `changedFields` and drift rows. */
  field: string;
  managedBy: ManagedAttribute;
  profiles?: readonly TargetProfile[];
  /** `undefined`: nothing to say; `null`: should be absent. */
  desired(d: DesiredUser, ctx: DiffContext): Value | null | undefined;
  /** `undefined` when the user doesn't have it. */
  current(u: User, ctx: DiffContext): Value | undefined;
  same(want: Value, have: Value): boolean;
  operations(want: Value | null, u: User, ctx: DiffContext): PatchOperation[];
}

export const ENTERPRISE = URN.enterpriseUser;
export const MANAGER_PATH = `${ENTERPRISE}:manager`;

/** Set or clear a manager. `{value}` rather than `manager.value`: some servers reject the sub-attribute path. */
export function managerOperations(managerUserId: string | null): PatchOperation[] {
  return managerUserId === null
    ? [{ op: 'remove', path: MANAGER_PATH }]
    : [{ op: 'replace', path: MANAGER_PATH, value: { value: managerUserId } }];
}

/** The leaver action, built once: `active: false`, reversible, and always its own write. */
export const DEACTIVATE: PatchOperation = { op: 'replace', path: 'active', value: false };
const REACTIVATE: PatchOperation = { op: 'replace', path: 'active', value: true };

/** Is this the deactivation (a leaver's own write, sent first and alone)? */
export function isDeactivation(op: PatchOperation): boolean {
  return op.op === 'replace' && op.path === 'active' && op.value === false;
}

const sameText = (a: Value, b: Value) => normaliseText(String(a)) === normaliseText(String(b));
const sameEmail = (a: Value, b: Value) => normaliseEmail(String(a)) === normaliseEmail(String(b));
const samePhone = (a: Value, b: Value) => phoneDigits(String(a)) === phoneDigits(String(b));
const sameExact = (a: Value, b: Value) => a === b;
/** Tolerates a target that answers a date with a time attached. */
const sameDate = (a: Value, b: Value) => normaliseText(String(a)).slice(0, 10) === normaliseText(String(b)).slice(0, 10);

/** Absent and blank are the same thing on the target side. */
function present(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** A single-valued attribute: `replace` sets it (RFC 7644 treats a replace of an absent attribute as add). */
function singular(
  field: string,
  managedBy: ManagedAttribute,
  path: string,
  desired: AttributeRule['desired'],
  current: (u: User) => unknown,
  same: AttributeRule['same'],
  profiles?: readonly TargetProfile[],
): AttributeRule {
  return {
    field,
    managedBy,
    profiles,
    desired,
    current: (u) => present(current(u)),
    same,
    operations: (want) => (want === null ? [{ op: 'remove', path }] : [{ op: 'replace', path, value: want }]),
  };
}

function typedEntry(entries: User['emails'], type: string) {
  return entries?.find((e) => e.type?.toLowerCase() === type.toLowerCase());
}

/**
 * An entry of a multi-valued attribute picked by type (work email, work phone). Only that entry is touched:
 * on Genesys the `other` email mirrors userName and must be left alone.
 */
function typed(
  field: string,
  managedBy: ManagedAttribute,
  attribute: 'emails' | 'phoneNumbers',
  typeOf: (c: MappingConfig) => string,
  desired: AttributeRule['desired'],
  same: AttributeRule['same'],
): AttributeRule {
  return {
    field,
    managedBy,
    desired,
    current: (u, ctx) => present(typedEntry(u[attribute], typeOf(ctx.config))?.value),
    same,
    operations: (want, u, ctx) => {
      const type = typeOf(ctx.config);
      const filter = `${attribute}[type eq "${type}"]`;
      if (want === null) return [{ op: 'remove', path: filter }];
      if (typedEntry(u[attribute], type) !== undefined) return [{ op: 'replace', path: `${filter}.value`, value: want }];
      // A filtered replace on a missing entry fails on many servers: add the entry instead.
      const entry: Record<string, unknown> = { type, value: want };
      if (attribute === 'emails' && !(u.emails ?? []).some((e) => e.primary === true)) entry.primary = true;
      return [{ op: 'add', path: attribute, value: [entry] }];
    },
  };
}

const ent = (u: User) => u[ENTERPRISE];

export const ATTRIBUTE_RULES: readonly AttributeRule[] = [
  singular('userName', 'userName', 'userName', (d) => d.userName, (u) => u.userName, sameEmail),
  singular('externalId', 'externalId', 'externalId', (d) => d.externalId, (u) => u.externalId, sameExact),
  singular('displayName', 'displayName', 'displayName', (d) => d.displayName, (u) => u.displayName, sameText),
  singular('name.givenName', 'name', 'name.givenName', (d) => d.givenName, (u) => u.name?.givenName, sameText, ['scim2']),
  singular('name.familyName', 'name', 'name.familyName', (d) => d.familyName, (u) => u.name?.familyName, sameText, ['scim2']),
  singular('title', 'title', 'title', (d) => d.title, (u) => u.title, sameText),
  typed('email', 'email', 'emails', (c) => c.emailType, (d) => d.workEmail, sameEmail),
  typed('phone', 'phone', 'phoneNumbers', (c) => c.phoneType, (d) => d.workPhone, samePhone),
  singular('department', 'department', `${ENTERPRISE}:department`, (d) => d.department, (u) => ent(u)?.department, sameText),
  singular('employeeNumber', 'employeeNumber', `${ENTERPRISE}:employeeNumber`, (d) => d.employeeNumber, (u) => ent(u)?.employeeNumber, sameText),
  singular('division', 'division', `${ENTERPRISE}:division`, (d) => d.division, (u) => ent(u)?.division, sameText),
  // Genesys's own: RFC 7643 §4.3 has no dateHire, so a generic target never gets it.
  singular('dateHire', 'dateHire', `${ENTERPRISE}:dateHire`, (d) => d.dateHire, (u) => ent(u)?.dateHire, sameDate, ['genesys']),
  {
    field: 'manager',
    managedBy: 'manager',
    // HR silent about the manager, or the manager's user not known: leave it alone.
    desired: (d, ctx) => (d.managerHrId === undefined ? undefined : d.managerHrId === null ? null : ctx.managerUserId),
    current: (u) => present(ent(u)?.manager?.value),
    same: sameExact,
    operations: (want) => managerOperations(want === null ? null : String(want)),
  },
  {
    field: 'active',
    managedBy: 'active',
    desired: (d) => d.active,
    // RFC 7643: a user without `active` is active.
    current: (u) => u.active ?? true,
    same: sameExact,
    operations: (want) => [want === true ? REACTIVATE : DEACTIVATE],
  },
];

export interface Comparison {
  field: string;
  differs: boolean;
  /** `null` means "should be absent". */
  expected: Value | null;
  actual: Value | undefined;
  operations: () => PatchOperation[];
}

/** Is this attribute ours to write, for this target? */
export function applies(rule: AttributeRule, ctx: DiffContext): boolean {
  return ctx.config.managedAttributes.includes(rule.managedBy) && (rule.profiles === undefined || rule.profiles.includes(ctx.profile));
}

/** Every managed attribute the desired user says something about, compared with the user. */
export function compareAttributes(desired: DesiredUser, user: User, ctx: DiffContext): Comparison[] {
  const out: Comparison[] = [];
  for (const rule of ATTRIBUTE_RULES) {
    if (!applies(rule, ctx)) continue;
    const want = rule.desired(desired, ctx);
    if (want === undefined) continue;
    const have = rule.current(user, ctx);
    const differs = want === null ? have !== undefined : have === undefined || !rule.same(want, have);
    out.push({ field: rule.field, differs, expected: want, actual: have, operations: () => rule.operations(want, user, ctx) });
  }
  return out;
}
