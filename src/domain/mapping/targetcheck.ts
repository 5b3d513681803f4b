import { z } from 'zod';
import { URN } from '../../scim/model/schemas/urns';
import type { TargetProfile } from '../profile';
import { extendsWith, notExtendedWith, type UserExtensions } from '../resourcetypes';
import { entryName, kindOf, overriddenAttribute, parseTargetPath, patchPath, type AttributeMapping, type TargetPath } from './rules';

/**
 * Does the mapping fit the target? Each entry's path is checked against what the target declares (its
 * /Schemas, or the profile's known schemas when it serves none): an undeclared path, a read-only one, a
 * value of the wrong type or outside a canonical set each make one problem, naming the entry. Pure: prepare
 * and `hrsync mapping check` fetch the schemas, this decides.
 */

export interface SchemaAttribute {
  name: string;
  type: string;
  multiValued: boolean;
  mutability: string;
  /** RFC 7643 §7: the attribute must be present; only `true` says so. */
  required?: boolean;
  subAttributes?: SchemaAttribute[];
  canonicalValues?: string[];
}

/** Schema URN (lower-cased) -> its attributes. */
export type SchemaIndex = ReadonlyMap<string, readonly SchemaAttribute[]>;

const MUTABILITIES = ['readOnly', 'readWrite', 'immutable', 'writeOnly'] as const;
const TYPES = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary'] as const;
/** RFC 7643 spells these in camel case; a server that sends them in another case means the same. */
const canonical = (known: readonly string[]) => (v: string) => known.find((k) => k.toLowerCase() === v.toLowerCase()) ?? v;

// Only `name` is required: the RFC gives the defaults, and Genesys documents every field of an attribute as optional.
const AttributeSchema: z.ZodType<SchemaAttribute> = z.lazy(() =>
  z.looseObject({
    name: z.string(),
    type: z.string().default('string').transform(canonical(TYPES)),
    multiValued: z.boolean().default(false),
    mutability: z.string().default('readWrite').transform(canonical(MUTABILITIES)),
    required: z.unknown().optional().transform((v) => (v === true ? true : undefined)),
    subAttributes: z.array(AttributeSchema).optional(),
    canonicalValues: z.array(z.string()).optional(),
  }),
) as z.ZodType<SchemaAttribute>;
const SchemaResource = z.looseObject({ id: z.string(), attributes: z.array(z.unknown()) });

/**
 * The schemas each profile's target is documented to have. A /Schemas answer that leaves one of them out
 * (or describes it without a usable attribute) says nothing about it, and the profile's known one stands
 * in: a Genesys org whose answer lists the core schema alone still takes department and skills. An RFC
 * server need have only the core one, so there a missing extension means the server lacks it.
 */
const DOCUMENTED: Readonly<Record<TargetProfile, readonly string[]>> = {
  genesys: [URN.user, URN.enterpriseUser, URN.genesysUser],
  scim2: [URN.user],
};

/**
 * The schemas a /Schemas answer declares, each attribute read alone (one malformed attribute costs only
 * itself), with the documented schemas it leaves out from the profile. `null` when it declares no usable
 * User schema: the caller falls back to the profile altogether.
 *
 * An extension the User resource type lists and /Schemas doesn't describe is the profile's known one too
 * (RFC 7643 §4.3's enterprise attributes on any target): the server says its users carry it, and a /Schemas
 * that leaves it out says nothing of its attributes, so it is not read as "the extension has none". An
 * extension the profile doesn't know stays undescribed.
 */
export function schemaIndex(resources: readonly unknown[], profile: TargetProfile, extensions?: UserExtensions): SchemaIndex | null {
  const out = new Map<string, readonly SchemaAttribute[]>();
  for (const r of resources) {
    const parsed = SchemaResource.safeParse(r);
    if (!parsed.success) continue;
    const attrs = parsed.data.attributes.map((a) => AttributeSchema.safeParse(a)).filter((a) => a.success).map((a) => a.data);
    if (attrs.length > 0) out.set(parsed.data.id.toLowerCase(), attrs);
  }
  if (!out.has(URN.user.toLowerCase())) return null;
  for (const urn of DOCUMENTED[profile].map((u) => u.toLowerCase())) if (!out.has(urn)) out.set(urn, PROFILE_SCHEMAS[profile].get(urn) ?? []);
  for (const urn of (extensions?.listed ?? []).map((e) => e.schema.toLowerCase())) {
    const known = PROFILE_SCHEMAS[profile].get(urn);
    if (!out.has(urn) && known) out.set(urn, known);
  }
  return out;
}

/** The phone types Genesys accepts (the reference page; app-specific ones aside). */
export const GENESYS_PHONE_TYPES = ['work', 'work2', 'work3', 'work4', 'home', 'mobile', 'other'] as const;

/**
 * The types a profile is documented to take for a typed attribute (lowercase name), which a mapping is held
 * to whatever the target's /Schemas declare; elsewhere the declared canonical values are the rule.
 */
const DOCUMENTED_TYPES: Readonly<Record<TargetProfile, Readonly<Record<string, readonly string[]>>>> = {
  genesys: { phonenumbers: GENESYS_PHONE_TYPES },
  scim2: {},
};

const s = (name: string, extra: Partial<SchemaAttribute> = {}): SchemaAttribute => ({ name, type: 'string', multiValued: false, mutability: 'readWrite', ...extra });
const multi = (name: string, subs: SchemaAttribute[]): SchemaAttribute => s(name, { type: 'complex', multiValued: true, subAttributes: subs });
const typed = (name: string, types?: readonly string[]) =>
  multi(name, [s('value'), s('display'), s('type', types ? { canonicalValues: [...types] } : {}), s('primary', { type: 'boolean' })]);
const proficiencies = (name: string) => multi(name, [s('name'), s('proficiency', { type: 'decimal' })]);

const ENTERPRISE_RFC = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) => s(n));

/**
 * What each profile is known to declare, for a target that serves no usable /Schemas: Genesys from its
 * reference page (no `name`, no costCenter or organization; its own dateHire and extension), scim2 from RFC 7643.
 */
export const PROFILE_SCHEMAS: Readonly<Record<TargetProfile, SchemaIndex>> = {
  genesys: new Map([
    [URN.user.toLowerCase(), [s('userName'), s('displayName'), s('title'), s('active', { type: 'boolean' }), typed('emails', ['work', 'other']), typed('phoneNumbers', GENESYS_PHONE_TYPES), multi('roles', [s('value')])]],
    [URN.enterpriseUser.toLowerCase(), [s('employeeNumber'), s('division'), s('department'), s('dateHire'), s('manager', { type: 'complex', subAttributes: [s('value')] })]],
    [URN.genesysUser.toLowerCase(), [proficiencies('routingSkills'), proficiencies('routingLanguages')]],
  ]),
  scim2: new Map([
    [
      URN.user.toLowerCase(),
      [
        s('userName'),
        s('name', { type: 'complex', subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) => s(n)) }),
        ...['displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone'].map((n) => s(n)),
        s('active', { type: 'boolean' }),
        typed('emails'),
        typed('phoneNumbers'),
        typed('ims'),
        typed('photos'),
        multi('roles', [s('value'), s('display'), s('type'), s('primary', { type: 'boolean' })]),
        multi('entitlements', [s('value'), s('display'), s('type'), s('primary', { type: 'boolean' })]),
      ],
    ],
    [URN.enterpriseUser.toLowerCase(), [...ENTERPRISE_RFC, s('manager', { type: 'complex', subAttributes: [s('value')] })]],
  ]),
};

const find = (attrs: readonly SchemaAttribute[] | undefined, name: string) => attrs?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** The JSON type a SCIM attribute type takes. */
function jsonTypeOf(scimType: string): 'string' | 'number' | 'boolean' | undefined {
  if (scimType === 'boolean') return 'boolean';
  if (scimType === 'integer' || scimType === 'decimal') return 'number';
  if (scimType === 'complex' || scimType === 'binary') return undefined;
  return 'string';
}

/** The fixed values an entry can produce (constant, default, table values), without the HR-sourced ones. */
function fixedValues(e: AttributeMapping): unknown[] {
  return [e.constant, e.default, ...Object.values(e.lookup ?? {})].filter((v) => v !== undefined);
}

/**
 * Where the entry writes, checked against the declared attribute; problems without the entry's name. A built-in
 * attribute the target doesn't declare (or declares read-only) is simply not written (writableAttributes), so only
 * what the entry itself gets wrong, such as its values' type, is a problem there.
 */
function pathProblems(e: AttributeMapping, p: TargetPath, index: SchemaIndex, profile: TargetProfile, builtIn: boolean, extensions: UserExtensions | undefined): string[] {
  const where = patchPath(p);
  const schema = index.get(p.schema.toLowerCase());
  if (schema === undefined) return builtIn ? [] : [`the target declares no schema ${p.schema}`];
  if (p.schema !== URN.user && extendsWith(extensions, p.schema) === false) return builtIn ? [] : [notExtendedWith(p.schema)];
  const attr = find(schema, p.attribute);
  if (attr === undefined) return builtIn ? [] : [`the target's schemas don't declare ${p.schema === URN.user ? p.attribute : `${p.schema}:${p.attribute}`}`];
  if (attr.mutability === 'readOnly') return builtIn ? [] : [`the target declares ${where} read-only`];
  const kind = kindOf(p);
  const problems: string[] = [];
  let leaf: SchemaAttribute = attr;
  if (kind === 'proficiencies' || kind === 'values') {
    const needs = kind === 'proficiencies' ? ['name', 'proficiency'] : ['value'];
    if (!attr.multiValued || attr.type !== 'complex' || needs.some((n) => find(attr.subAttributes, n) === undefined)) {
      return [`${where} is not a multi-valued attribute with ${needs.join(' and ')}, as the target declares it`];
    }
    return [];
  }
  if (kind === 'typed') {
    if (!attr.multiValued || attr.type !== 'complex') return [`${p.attribute} is not multi-valued on the target: drop the [type eq "${p.type}"]`];
    const sub = find(attr.subAttributes, p.sub as string);
    if (sub === undefined) return [`the target's schemas don't declare ${p.attribute}.${p.sub}`];
    const allowed = DOCUMENTED_TYPES[profile][p.attribute.toLowerCase()] ?? find(attr.subAttributes, 'type')?.canonicalValues;
    if (allowed && allowed.length > 0 && !allowed.some((t) => t.toLowerCase() === (p.type as string).toLowerCase())) {
      problems.push(`type "${p.type}" is not one the target takes for ${p.attribute} (${allowed.join(', ')})`);
    }
    leaf = sub;
  } else if (p.sub !== undefined) {
    if (attr.type !== 'complex' || attr.multiValued) return [`${p.attribute} has no sub-attribute ${p.sub} on the target`];
    const sub = find(attr.subAttributes, p.sub);
    if (sub === undefined) return [`the target's schemas don't declare ${p.attribute}.${p.sub}`];
    leaf = sub;
  } else if (attr.multiValued) {
    return [`${where} is multi-valued on the target: map one entry of it, e.g. ${p.attribute}[type eq "work"].value`];
  } else if (attr.type === 'complex') {
    return [`${where} is complex on the target: map one of its sub-attributes`];
  }
  if (leaf.mutability === 'readOnly' && !builtIn) problems.push(`the target declares ${where} read-only`);
  const json = jsonTypeOf(leaf.type);
  const produced = e.template !== undefined || (e.from !== undefined && e.lookup === undefined) ? ['string'] : [];
  for (const v of fixedValues(e)) produced.push(typeof v);
  const wrong = [...new Set(produced.filter((t) => json !== undefined && t !== json))];
  if (wrong.length > 0 && !(json === 'string' && wrong.every((t) => t === 'number'))) {
    problems.push(`${where} is ${leaf.type} on the target; the entry gives ${wrong.join(' and ')}`);
  }
  if (leaf.canonicalValues && leaf.canonicalValues.length > 0) {
    const outside = fixedValues(e).filter((v) => typeof v === 'string' && !leaf.canonicalValues?.some((c) => c.toLowerCase() === v.toLowerCase()));
    if (outside.length > 0) problems.push(`${outside.map((v) => JSON.stringify(v)).join(', ')} not among the values the target takes for ${where} (${leaf.canonicalValues.join(', ')})`);
  }
  return problems;
}

export interface MappingProblem {
  /** `mapping.attributes[2] "skills by job"`. */
  entry: string;
  message: string;
}

/**
 * Every problem of the mapping on this target. Whether a built-in attribute is written at all is the target
 * decision (writableAttributes); an entry that overrides one is still checked for what it produces. An entry
 * into an extension the User resource type doesn't list (`extensions`, when /ResourceTypes says) is a
 * problem like an entry into a schema the target doesn't declare.
 */
export function checkMappingAgainstTarget(
  entries: readonly AttributeMapping[],
  index: SchemaIndex | null,
  profile: TargetProfile,
  phoneType = 'work',
  extensions?: UserExtensions,
): MappingProblem[] {
  const schemas = index ?? PROFILE_SCHEMAS[profile];
  const out: MappingProblem[] = [];
  entries.forEach((e, i) => {
    const p = parseTargetPath(e.target);
    if (p === undefined) return;
    for (const message of pathProblems(e, p, schemas, profile, overriddenAttribute(p, phoneType) !== undefined, extensions)) out.push({ entry: `mapping.attributes[${i}] ${JSON.stringify(entryName(e))}`, message });
  });
  return out;
}

export function describeProblems(problems: readonly MappingProblem[]): string {
  return problems.map((p) => `${p.entry}: ${p.message}`).join('; ');
}

