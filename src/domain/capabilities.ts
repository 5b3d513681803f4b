import type { PatchOperation } from '../scim/model/messages/patchop';
import type { NewUser } from '../scim/model/resources/user';
import { URN } from '../scim/model/schemas/urns';
import { type ManagedAttribute, type MappingConfig, type MatchKey } from './mapping/config';
import { PROFILE_ATTRIBUTES, profileKnows, type TargetProfile } from './profile';
import { checkMappingAgainstTarget, schemaIndex, type MappingProblem, type SchemaIndex } from './mapping/targetcheck';
import { parseTargetPath, type AttributeMapping } from './mapping/rules';
import { declaresGroups, extendsWith, notExtendedWith, requiredExtensions, sameUrn, userExtensions, type UserExtensions } from './resourcetypes';

export { declaresGroups, requiredExtensions, userExtensions, type UserExtensions };

/**
 * What a target supports, decided from what it declares (/Schemas, /ResourceTypes) and what a run learns
 * from its refusals. Pure: the activities fetch and record, this decides.
 */

/**
 * The schema attribute each managed attribute writes, as `<schema URN>:<name>`. `externalId` is a common
 * attribute (RFC 7643 §3.1) that schemas don't list; `groups` is written on the Group resource.
 */
const SCHEMA_ATTRIBUTE: Readonly<Record<ManagedAttribute, string | null>> = {
  userName: `${URN.user}:userName`,
  displayName: `${URN.user}:displayName`,
  title: `${URN.user}:title`,
  phone: `${URN.user}:phoneNumbers`,
  email: `${URN.user}:emails`,
  department: `${URN.enterpriseUser}:department`,
  employeeNumber: `${URN.enterpriseUser}:employeeNumber`,
  manager: `${URN.enterpriseUser}:manager`,
  division: `${URN.enterpriseUser}:division`,
  dateHire: `${URN.enterpriseUser}:dateHire`,
  active: `${URN.user}:active`,
  name: `${URN.user}:name`,
  externalId: null,
  groups: null,
};

/** Declared attributes, `<schema URN>:<name>` (lower-cased) -> mutability. */
export type DeclaredAttributes = Record<string, string>;

/**
 * The top-level attributes a /Schemas answer declares, with their mutability (as `schemaIndex` reads the
 * answer, with the extensions the User resource type lists). `null` when the answer is unusable (no User
 * schema among the resources): the caller falls back to the profile's known set.
 */
export function declaredAttributes(resources: readonly unknown[], profile: TargetProfile, extensions?: UserExtensions): DeclaredAttributes | null {
  const index = schemaIndex(resources, profile, extensions);
  if (index === null) return null;
  const out: DeclaredAttributes = {};
  for (const [urn, attrs] of index) for (const a of attrs) out[`${urn}:${a.name}`.toLowerCase()] = a.mutability;
  return out;
}

export interface UnsupportedAttribute {
  attribute: ManagedAttribute;
  reason: string;
}

/**
 * Attributes not written, one entry per reason in the order first met: an extension the User resource type
 * doesn't list takes all its attributes, and a reader is told so once.
 */
export function byReason(unsupported: readonly { attribute: string; reason: string }[]): { reason: string; attributes: string[] }[] {
  const grouped = new Map<string, string[]>();
  for (const u of unsupported) grouped.set(u.reason, [...(grouped.get(u.reason) ?? []), u.attribute]);
  return [...grouped].map(([reason, attributes]) => ({ reason, attributes }));
}

export interface WritableDecision {
  /** The managed attributes this run writes, sorted. */
  writable: ManagedAttribute[];
  /** Mapped attributes the target doesn't take: named once in the run's summary. */
  unsupported: UnsupportedAttribute[];
  /** Where the decision came from. */
  source: 'schemas' | 'profile';
}

/**
 * Which managed attributes are writable on this target. An attribute the profile doesn't know is simply
 * not the profile's (like `name` on Genesys) and is not reported; one of an extension the User resource
 * type doesn't list, or one the target's schemas leave out or declare readOnly, is reported. userName is
 * always written: a create needs it.
 */
export function writableAttributes(input: {
  managed: readonly ManagedAttribute[];
  profile: TargetProfile;
  declared: DeclaredAttributes | null;
  groups?: boolean;
  /** What the User resource type extends with; without it (no usable /ResourceTypes), /Schemas alone decide. */
  extensions?: UserExtensions;
}): WritableDecision {
  const writable: ManagedAttribute[] = [];
  const unsupported: UnsupportedAttribute[] = [];
  for (const a of [...new Set(input.managed)].sort()) {
    if (!profileKnows(input.profile, a)) continue;
    if (a === 'groups' && input.groups === false) {
      unsupported.push({ attribute: a, reason: 'the target has no Group resource type' });
      continue;
    }
    const path = SCHEMA_ATTRIBUTE[a];
    const urn = path?.slice(0, path.lastIndexOf(':'));
    // Before /Schemas: a server may describe the enterprise schema and still not extend its users with it.
    if (urn !== undefined && urn !== URN.user && extendsWith(input.extensions, urn) === false) {
      unsupported.push({ attribute: a, reason: notExtendedWith(urn) });
      continue;
    }
    if (input.declared === null || path === null || a === 'userName') {
      writable.push(a);
      continue;
    }
    const mutability = input.declared[path.toLowerCase()];
    if (mutability === undefined) unsupported.push({ attribute: a, reason: `the target's schemas don't declare ${path}` });
    else if (mutability === 'readOnly') unsupported.push({ attribute: a, reason: `the target's schemas declare ${path} read-only` });
    else writable.push(a);
  }
  return { writable, unsupported, source: input.declared === null ? 'profile' : 'schemas' };
}

/** What discovery answered: each list as sent, absent when the target doesn't serve it (see ScimClient.discover). */
export interface Discovered {
  schemas?: readonly unknown[];
  resourceTypes?: readonly unknown[];
  /** /ResourceTypes answered one resource type, not a list: the others are not known to be missing. */
  resourceTypesSingle?: boolean;
}

/**
 * RFC 7643 §6: a resource of a type that requires an extension "MUST include this schema extension and also
 * include any attributes declared as required in this schema extension". Every create carries the extension;
 * the attributes the target's /Schemas declare required in it (§7 `required`) that the mapping doesn't write
 * (neither a managed attribute written nor an entry) would have every create refused: one problem per
 * extension, naming them, before anything is written.
 */
function requiredAttributeProblems(
  index: SchemaIndex | null,
  required: readonly string[],
  writable: readonly ManagedAttribute[],
  entries: readonly AttributeMapping[],
): MappingProblem[] {
  const written = new Set<string>();
  for (const a of writable) if (SCHEMA_ATTRIBUTE[a]) written.add((SCHEMA_ATTRIBUTE[a] as string).toLowerCase());
  for (const e of entries) {
    const p = parseTargetPath(e.target);
    if (p) written.add(`${p.schema}:${p.attribute}`.toLowerCase());
  }
  const problems: MappingProblem[] = [];
  for (const urn of required) {
    const missing = (index?.get(urn.toLowerCase()) ?? []).filter((a) => a.required === true && a.mutability !== 'readOnly' && !written.has(`${urn}:${a.name}`.toLowerCase()));
    if (missing.length === 0) continue;
    const names = missing.map((a) => a.name).join(', ');
    problems.push({
      entry: `the required extension ${urn}`,
      message: `the target requires ${names} in it and the mapping doesn't write ${missing.length === 1 ? 'it' : 'them'}: every create would be refused (map ${missing.length === 1 ? 'it' : 'them'} in mapping.attributes, or manage the built-in one in mapping.managedAttributes)`,
    });
  }
  return problems;
}

/**
 * Everything a run (and `hrsync mapping check`) decides from discovery, in one place: what the User resource
 * type extends with (and which extensions every create carries), the managed attributes written, and the
 * mapping entries the target can't take.
 */
export function decideTarget(input: {
  discovered: Discovered;
  profile: TargetProfile;
  managed: readonly ManagedAttribute[];
  entries: readonly AttributeMapping[];
  phoneType?: string;
}): { attributes: WritableDecision; problems: MappingProblem[]; extensions: UserExtensions | undefined; requiredExtensions: string[] } {
  const { discovered: d, profile } = input;
  const extensions = d.resourceTypes ? userExtensions(d.resourceTypes) : undefined;
  const attributes = writableAttributes({
    managed: input.managed,
    profile,
    declared: d.schemas ? declaredAttributes(d.schemas, profile, extensions) : null,
    ...(d.resourceTypes && !d.resourceTypesSingle ? { groups: declaresGroups(d.resourceTypes) } : {}),
    ...(extensions ? { extensions } : {}),
  });
  const index = d.schemas ? schemaIndex(d.schemas, profile, extensions) : null;
  const required = requiredExtensions(extensions);
  const problems = [
    ...checkMappingAgainstTarget(input.entries, index, profile, input.phoneType, extensions),
    ...requiredAttributeProblems(index, required, attributes.writable, input.entries),
  ];
  return { attributes, problems, extensions, requiredExtensions: required };
}

const ENTERPRISE_PREFIX = `${URN.enterpriseUser}:`.toLowerCase();
const CORE_PREFIX = `${URN.user}:`.toLowerCase();

/** The managed attribute a PATCH operation writes (by its path), or undefined when it can't tell. */
export function attributeOfOperation(op: PatchOperation): ManagedAttribute | undefined {
  if (op.path === undefined) return undefined;
  let p = op.path.toLowerCase();
  if (p.startsWith(ENTERPRISE_PREFIX)) p = p.slice(ENTERPRISE_PREFIX.length);
  else if (p.startsWith(CORE_PREFIX)) p = p.slice(CORE_PREFIX.length);
  const head = p.split(/[.[]/)[0];
  const byHead: Record<string, ManagedAttribute> = {
    username: 'userName',
    displayname: 'displayName',
    title: 'title',
    phonenumbers: 'phone',
    emails: 'email',
    department: 'department',
    employeenumber: 'employeeNumber',
    manager: 'manager',
    division: 'division',
    datehire: 'dateHire',
    active: 'active',
    name: 'name',
    externalid: 'externalId',
  };
  return byHead[head];
}

/**
 * An operation's form for learning refusals: `remove title`, `replace department`. An add of named set items
 * (skills, languages, roles) carries the names, `add routingSkills "Billing"`: each is refused, and reported, on its own.
 */
export function operationForm(op: PatchOperation): string {
  const names = Array.isArray(op.value) ? op.value.map(itemName).filter((n): n is string => n !== undefined) : [];
  if (names.length === 0 || attributeOfOperation(op) !== undefined) return `${op.op} ${attributeOfOperation(op) ?? shortPath(op.path) ?? '(no path)'}`;
  return `${op.op} ${shortPath(op.path) ?? '(no path)'} ${names.map((n) => JSON.stringify(n)).join(', ')}`;
}

/** A set item's name: `{name}` (skills, languages) or an untyped `{value}` (roles). */
function itemName(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.name === 'string') return o.name;
  return typeof o.value === 'string' && o.type === undefined ? o.value : undefined;
}

/** An extension path without its schema URN, for people to read: `routingSkills[name eq "X"]`. */
function shortPath(path: string | undefined): string | undefined {
  return path?.replace(/^urn:[^[]*:(?=[A-Za-z][\w-]*(\[|\.|$))/, '');
}

/**
 * Takes out of a POST body the set items (skills, languages, roles) an error detail names in quotes, as
 * Genesys names an unknown skill or role; returns their forms (`create with routingSkills "X"`), empty when none.
 */
export function dropNamedItems(body: Record<string, unknown>, detail: string | undefined): string[] {
  if (!detail) return [];
  const dropped: string[] = [];
  const scan = (holder: Record<string, unknown>) => {
    for (const [key, list] of Object.entries(holder)) {
      if (!Array.isArray(list)) continue;
      holder[key] = list.filter((item) => {
        const name = itemName(item);
        if (name === undefined || !detail.includes(JSON.stringify(name))) return true;
        dropped.push(createForm(`${key} ${JSON.stringify(name)}`));
        return false;
      });
    }
  };
  scan(body);
  for (const [k, v] of Object.entries(body)) if (k.startsWith('urn:') && v && typeof v === 'object' && !Array.isArray(v)) scan(v as Record<string, unknown>);
  return dropped;
}

/** Does `text` name `word` as a word of its own (not inside a longer name)? Case-insensitive. */
function mentions(text: string, word: string): boolean {
  return new RegExp(`(^|[^a-z0-9])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`, 'i').test(text);
}

/**
 * The operations an error detail names by path (`... invalidPath urn:...:enterprise:2.0:User:dateHire`),
 * as indices into `ops`. A detail that names none (a terse server) gives `[]`: the caller splits instead.
 */
export function operationsNamedIn(detail: string | undefined, ops: readonly PatchOperation[]): number[] {
  if (!detail) return [];
  const text = detail.toLowerCase();
  const named: number[] = [];
  ops.forEach((op, i) => {
    if (op.path === undefined) return;
    const path = op.path.toLowerCase();
    // The full path, or its attribute part after the schema URN (`...:User:dateHire` -> `datehire`).
    const bare = path.replace(/^urn:[^[]*:/, '').split(/[[]/)[0];
    if (mentions(text, path) || (bare.length > 3 && mentions(text, bare))) named.push(i);
  });
  return named;
}

/** Refusals of an operation's path, not of its value: the same form would be refused for anyone. */
const PATH_REFUSAL_SCIM_TYPES: ReadonlySet<string> = new Set(['invalidPath', 'mutability', 'noTarget']);

/** SCIM errors that refuse an operation (not the request as a whole): find the ops, apply the rest. */
export const REFUSAL_SCIM_TYPES: ReadonlySet<string> = new Set([...PATH_REFUSAL_SCIM_TYPES, 'invalidValue']);

/**
 * Does a refusal stick for the rest of the run? Refused for its path, the form is not sent again; refused for
 * its value (invalidValue, or a bare 400) it may suit the next user.
 */
export function refusalSticks(scimType: string | undefined): boolean {
  return scimType !== undefined && PATH_REFUSAL_SCIM_TYPES.has(scimType);
}

/** A refused `replace`/`add` (or create) answered invalidPath: the target has no such attribute. */
export function refusedAsUnknownAttribute(form: string, scimType: string | undefined): boolean {
  return scimType === 'invalidPath' && !form.startsWith('remove ');
}

/**
 * The mapping a run writes with now: the configured managed attributes the target takes, as prepare decided
 * (without a decision, from a run folder an older build prepared: the profile's known set), less those the
 * target has since refused as an unknown path, which are out of writes and drift.
 */
export function mappingForTarget(
  config: MappingConfig,
  target: { profile: TargetProfile; decided: readonly string[] | undefined; unknown: Iterable<string> },
): MappingConfig {
  const writable = new Set<string>(target.decided ?? PROFILE_ATTRIBUTES[target.profile]);
  for (const a of target.unknown) writable.delete(a);
  return { ...config, managedAttributes: config.managedAttributes.filter((a) => writable.has(a)) };
}

/** A filter form a lookup uses, named for the report: `filter on employeeNumber`, `and-combined filter`. */
export type FilterForm = `filter on ${MatchKey}` | 'and-combined filter' | 'or-combined filter' | 'filter on active';

export function filterFormOf(key: MatchKey): FilterForm {
  return `filter on ${key}`;
}

/** The form in which a create is refused for an attribute (or a set item): learned, and then left out of the run's later creates. */
export function createForm(what: string): string {
  return `create with ${what}`;
}

/**
 * What a create may leave out when the target refuses it, in this order, and the names an error detail calls
 * it by. Never userName, displayName or externalId: without them there is no user, or none linked to HR.
 */
const DROPPABLE: readonly { attribute: ManagedAttribute; names: readonly string[]; key: string; enterprise?: true }[] = [
  { attribute: 'title', names: ['title'], key: 'title' },
  { attribute: 'phone', names: ['phoneNumbers'], key: 'phoneNumbers' },
  { attribute: 'email', names: ['emails'], key: 'emails' },
  { attribute: 'name', names: ['name', 'givenName', 'familyName'], key: 'name' },
  { attribute: 'active', names: ['active'], key: 'active' },
  ...(['department', 'employeeNumber', 'division', 'dateHire', 'manager'] as const).map((a) => ({ attribute: a, names: [a], key: a, enterprise: true as const })),
];

function holds(body: NewUser, d: (typeof DROPPABLE)[number]): boolean {
  const holder = (d.enterprise ? body[URN.enterpriseUser] : body) as Record<string, unknown> | undefined;
  return holder?.[d.key] !== undefined;
}

/**
 * The POST body without the attributes `leaveOut` picks, and which it held. An emptied enterprise extension goes
 * too, unless the target requires it (`required`, URNs): then it stays, empty, as every create carries it.
 */
export function withoutCreateAttributes(
  body: NewUser,
  leaveOut: (attribute: ManagedAttribute) => boolean,
  required: readonly string[] = [],
): { user: NewUser; dropped: ManagedAttribute[] } {
  const user = structuredClone(body);
  const dropped: ManagedAttribute[] = [];
  for (const d of DROPPABLE) {
    if (!leaveOut(d.attribute) || !holds(user, d)) continue;
    dropped.push(d.attribute);
    if (!d.enterprise) {
      delete (user as Record<string, unknown>)[d.key];
      continue;
    }
    const ent = user[URN.enterpriseUser] as Record<string, unknown>;
    delete ent[d.key];
    if (Object.keys(ent).length === 0 && !required.some((urn) => sameUrn(urn, URN.enterpriseUser))) {
      delete (user as Record<string, unknown>)[URN.enterpriseUser];
      user.schemas = (user.schemas ?? []).filter((s) => s !== URN.enterpriseUser);
    }
  }
  return { user, dropped };
}

/** The attribute a refused create's error detail names, among those the body holds and may leave out; undefined when none. */
export function createAttributeNamedIn(detail: string | undefined, body: NewUser): ManagedAttribute | undefined {
  if (!detail) return undefined;
  return DROPPABLE.find((d) => d.names.some((n) => mentions(detail, n)) && holds(body, d))?.attribute;
}
