import type { PatchOperation } from '../scim/model/messages/patchop';
import type { NewUser, User } from '../scim/model/resources/user';
import { URN } from '../scim/model/schemas/urns';
import { eq, filterString } from '../scim/model/types/filter';
import type { ManagedAttribute, MappingConfig } from './mapping/config';
import type { DesiredUser } from './mapping/map';
import {
  entryName,
  itemKey,
  itemLabel,
  kindOf,
  overriddenAttribute,
  ownedItems,
  parseTargetPath,
  patchPath,
  type AttributeMapping,
  type MappedValue,
  type SetItem,
  type TargetPath,
} from './mapping/rules';
import { normaliseEmail, normaliseText, phoneDigits } from './normalise';
import { profileKnows, type TargetProfile } from './profile';

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
  /** Extensions the target requires every user to carry (URNs, see requiredExtensions): a create carries each. */
  requiredExtensions?: readonly string[];
}

type Value = string | boolean;

interface AttributeRule {
  /** The name used in `changedFields` and drift rows. */
  field: string;
  managedBy: ManagedAttribute;
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
): AttributeRule {
  return {
    field,
    managedBy,
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
  singular('name.givenName', 'name', 'name.givenName', (d) => d.givenName, (u) => u.name?.givenName, sameText),
  singular('name.familyName', 'name', 'name.familyName', (d) => d.familyName, (u) => u.name?.familyName, sameText),
  singular('title', 'title', 'title', (d) => d.title, (u) => u.title, sameText),
  typed('email', 'email', 'emails', (c) => c.emailType, (d) => d.workEmail, sameEmail),
  typed('phone', 'phone', 'phoneNumbers', (c) => c.phoneType, (d) => d.workPhone, samePhone),
  singular('department', 'department', `${ENTERPRISE}:department`, (d) => d.department, (u) => ent(u)?.department, sameText),
  singular('employeeNumber', 'employeeNumber', `${ENTERPRISE}:employeeNumber`, (d) => d.employeeNumber, (u) => ent(u)?.employeeNumber, sameText),
  singular('division', 'division', `${ENTERPRISE}:division`, (d) => d.division, (u) => ent(u)?.division, sameText),
  // Genesys's own (see PROFILE_ATTRIBUTES): a generic target never gets it.
  singular('dateHire', 'dateHire', `${ENTERPRISE}:dateHire`, (d) => d.dateHire, (u) => ent(u)?.dateHire, sameDate),
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
  return ctx.config.managedAttributes.includes(rule.managedBy) && profileKnows(ctx.profile, rule.managedBy);
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
  for (const { entry, path } of ownEntries(ctx.config)) {
    const c = compareEntry(entry, path, desired, user);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** The entries on attributes of their own (not a built-in's value), each with its parsed path. */
export function ownEntries(config: MappingConfig): { entry: AttributeMapping; path: TargetPath }[] {
  return config.attributes
    .map((entry) => ({ entry, path: parseTargetPath(entry.target) as TargetPath }))
    .filter(({ path }) => overriddenAttribute(path, config.phoneType) === undefined);
}

const pick = (o: unknown, key: string): unknown => {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const rec = o as Record<string, unknown>;
  if (key in rec) return rec[key];
  const found = Object.keys(rec).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : rec[found];
};

/** The attribute the path's top names, on a SCIM user (extension attributes inside their URN's object). */
function attributeOf(user: User, p: TargetPath): unknown {
  return p.schema === URN.user ? pick(user, p.attribute) : pick(pick(user, p.schema), p.attribute);
}

function typedEntryOf(user: User, p: TargetPath): unknown {
  const list = attributeOf(user, p);
  return Array.isArray(list) ? list.find((x) => String(pick(x, 'type') ?? '').toLowerCase() === (p.type as string).toLowerCase()) : undefined;
}

function currentSingle(user: User, p: TargetPath): string | number | boolean | undefined {
  const v = p.type !== undefined ? pick(typedEntryOf(user, p), p.sub as string) : p.sub !== undefined ? pick(attributeOf(user, p), p.sub) : attributeOf(user, p);
  if (typeof v === 'string') return present(v);
  return typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

function currentItems(user: User, p: TargetPath, kind: 'proficiencies' | 'values'): SetItem[] {
  const list = attributeOf(user, p);
  if (!Array.isArray(list)) return [];
  return list.flatMap((x): SetItem[] => {
    const key = pick(x, kind === 'proficiencies' ? 'name' : 'value');
    if (typeof key !== 'string' || key.trim() === '') return [];
    if (kind === 'values') return [{ value: key }];
    const p2 = pick(x, 'proficiency');
    return [{ name: key, proficiency: typeof p2 === 'number' ? p2 : 0 }];
  });
}

const showItems = (items: readonly SetItem[]) =>
  items
    .map((i) => ('name' in i ? `${i.name} (${i.proficiency})` : i.value))
    .sort()
    .join('; ');

/** The operations that bring a set to what the mapping wants: only owned items are removed, one op per item. */
export function setOperations(
  p: TargetPath,
  kind: 'proficiencies' | 'values',
  want: readonly SetItem[],
  have: readonly SetItem[],
  owned: Set<string> | 'all',
): PatchOperation[] {
  const base = patchPath(p);
  const wanted = new Map(want.map((i) => [itemKey(i), i]));
  const had = new Map(have.map((i) => [itemKey(i), i]));
  const keyAttr = kind === 'proficiencies' ? 'name' : 'value';
  const removeOf = (i: SetItem): PatchOperation => ({ op: 'remove', path: `${base}[${filterString(eq(keyAttr, itemLabel(i)))}]` });
  const addOf = (i: SetItem): PatchOperation => ({ op: 'add', path: base, value: [i] });
  const ops: PatchOperation[] = [];
  for (const [k, i] of had) {
    const w = wanted.get(k);
    const mine = owned === 'all' || owned.has(k);
    if (w === undefined && mine) ops.push(removeOf(i));
    else if (w !== undefined && 'name' in w && 'name' in i && w.proficiency !== i.proficiency) ops.push(removeOf(i));
  }
  for (const [k, w] of wanted) {
    const i = had.get(k);
    if (i === undefined || ('name' in w && 'name' in i && w.proficiency !== i.proficiency)) ops.push(addOf(w));
  }
  return ops;
}

/** One entry on an attribute of its own, compared with the user; `undefined` when it says nothing or acts at create only. */
function compareEntry(entry: AttributeMapping, path: TargetPath, desired: DesiredUser, user: User): Comparison | undefined {
  if (entry.when === 'create') return undefined;
  const want: MappedValue | undefined = desired.mapped?.[entry.target];
  if (want === undefined) return undefined;
  const field = entryName(entry);
  const kind = kindOf(path);
  if (kind === 'proficiencies' || kind === 'values') {
    const have = currentItems(user, path, kind);
    const ops = setOperations(path, kind, Array.isArray(want) ? want : [], have, ownedItems(entry));
    return { field, differs: ops.length > 0, expected: showItems(Array.isArray(want) ? want : []), actual: showItems(have), operations: () => ops };
  }
  if (Array.isArray(want)) return undefined;
  const have = currentSingle(user, path);
  // A phone entry compares by digits, like the built-in phone: `+1 555-0100` is `+15550100`.
  const same = path.attribute.toLowerCase() === 'phonenumbers' ? samePhone : sameText;
  const differs = want === null ? have !== undefined : have === undefined || !same(String(want), String(have));
  const operations = (): PatchOperation[] => {
    if (path.type === undefined) return want === null ? [{ op: 'remove', path: patchPath(path) }] : [{ op: 'replace', path: patchPath(path), value: want }];
    const base = path.schema === URN.user ? path.attribute : `${path.schema}:${path.attribute}`;
    if (want === null) return [{ op: 'remove', path: `${base}[type eq "${path.type}"]` }];
    if (typedEntryOf(user, path) !== undefined) return [{ op: 'replace', path: patchPath(path), value: want }];
    return [{ op: 'add', path: base, value: [{ type: path.type, [path.sub as string]: want }] }];
  };
  return { field, differs, expected: want === null ? null : String(want), actual: have === undefined ? undefined : String(have), operations };
}

/** The entries' values in a new user's POST body (`when: create` ones too): the user starts as the mapping says. */
export function addMappedToNewUser(user: NewUser, desired: DesiredUser, config: MappingConfig): void {
  const body = user as Record<string, unknown>;
  for (const { entry, path } of ownEntries(config)) {
    const v = desired.mapped?.[entry.target];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    let holder = body;
    if (path.schema !== URN.user) {
      const ext = body[path.schema];
      holder = ext && typeof ext === 'object' ? (ext as Record<string, unknown>) : {};
      body[path.schema] = holder;
      if (!(user.schemas ?? []).includes(path.schema)) user.schemas = [...(user.schemas ?? [URN.user]), path.schema];
    }
    if (path.type !== undefined) {
      const list = Array.isArray(holder[path.attribute]) ? (holder[path.attribute] as unknown[]) : [];
      holder[path.attribute] = [...list, { type: path.type, [path.sub as string]: v }];
    } else if (path.sub !== undefined) {
      const obj = holder[path.attribute];
      holder[path.attribute] = { ...(obj && typeof obj === 'object' ? obj : {}), [path.sub]: v };
    } else {
      holder[path.attribute] = v;
    }
  }
}
