import { z } from 'zod';
import { URN } from '../../scim/model/schemas/urns';
import { canonicalPhone, normaliseText } from '../normalise';

/**
 * The declarative mapping: `mapping.attributes`, a list of entries that each set one target attribute from
 * HR. An entry names its target by a SCIM path and takes its value from exactly one source (an HR field,
 * optionally through a lookup table; a constant; a template), then a few transforms, a default, a condition
 * and a `when` flag. Pure: parsing, static checks and evaluation; checks against a target's /Schemas are in
 * `targetcheck.ts`.
 */

/** Genesys's documented limits on its extension's skills and languages (the reference page). */
export const GENESYS_MAX_ITEMS = 50;
export const GENESYS_PROFICIENCY = { min: 0, max: 5 } as const;

/** A parsed target path: `title`, `name.givenName`, `phoneNumbers[type eq "mobile"].value`, `urn:…:User:costCenter`. */
export interface TargetPath {
  /** The schema URN the attribute belongs to (the core User URN for unprefixed paths). */
  schema: string;
  attribute: string;
  /** `[type eq "…"]` of a typed multi-valued entry. */
  type?: string;
  sub?: string;
}

/**
 * What an entry's value is, decided by its path:
 * - `single`: one value (string, number or boolean);
 * - `typed`: one entry of a multi-valued attribute picked by its type (`phoneNumbers[type eq "mobile"].value`);
 * - `proficiencies`: a set of `{name, proficiency}` (Genesys routingSkills, routingLanguages);
 * - `values`: a set of `{value}` (roles, entitlements).
 */
export type TargetKind = 'single' | 'typed' | 'proficiencies' | 'values';

export interface ProficiencyItem {
  name: string;
  proficiency: number;
}
export interface ValueItem {
  value: string;
}
export type SetItem = ProficiencyItem | ValueItem;
/** What an entry evaluates to: `null` means "should be absent", a list is a set. */
export type MappedValue = string | number | boolean | null | SetItem[];

const PATH = /^(?:(urn:[A-Za-z0-9:._-]+):)?([A-Za-z][\w-]*)(?:\[type eq "([A-Za-z0-9_-]+)"\])?(?:\.([A-Za-z][\w-]*))?$/;

export function parseTargetPath(raw: string): TargetPath | undefined {
  const m = PATH.exec(raw.trim());
  if (!m) return undefined;
  const [, urn, attribute, type, sub] = m;
  if (type !== undefined && sub === undefined) return undefined;
  const schema = urn === undefined || urn.toLowerCase() === URN.user.toLowerCase() ? URN.user : urn;
  return { schema, attribute, ...(type !== undefined ? { type } : {}), ...(sub !== undefined ? { sub } : {}) };
}

const SETS_OF_VALUES = new Set(['roles', 'entitlements']);
const SETS_OF_PROFICIENCIES = new Set(['routingskills', 'routinglanguages']);

export function kindOf(p: TargetPath): TargetKind {
  if (p.type !== undefined) return 'typed';
  if (p.sub !== undefined) return 'single';
  if (p.schema === URN.genesysUser && SETS_OF_PROFICIENCIES.has(p.attribute.toLowerCase())) return 'proficiencies';
  if (p.schema === URN.user && SETS_OF_VALUES.has(p.attribute.toLowerCase())) return 'values';
  return 'single';
}

/** The path as the PATCH operations write it: core attributes bare, extension attributes URN-prefixed. */
export function patchPath(p: TargetPath): string {
  const base = p.schema === URN.user ? p.attribute : `${p.schema}:${p.attribute}`;
  if (p.type !== undefined) return `${base}[type eq "${p.type}"].${p.sub}`;
  return p.sub !== undefined ? `${base}.${p.sub}` : base;
}

/**
 * Paths hrsync sets itself, from rules that are more than a value (identity, lifecycle, references,
 * memberships, the owned email and phone entries): `managedAttributes` and the other mapping keys govern them.
 */
const RESERVED = new Set(['username', 'externalid', 'active', 'emails', 'groups', 'password', 'id', 'meta', 'schemas']);
const RESERVED_ENTERPRISE = new Set(['manager']);
const RESERVED_GENESYS = new Set(['externalids']);

/**
 * Built-in attributes an entry may take over: the entry then gives the value, and the built-in rule (its
 * comparison, `managedAttributes`, the target's support) still decides the write. Keyed by `patchPath`, lower-cased.
 */
export const OVERRIDABLE = {
  title: 'title',
  displayname: 'displayName',
  [`${URN.enterpriseUser}:department`.toLowerCase()]: 'department',
  [`${URN.enterpriseUser}:employeenumber`.toLowerCase()]: 'employeeNumber',
  [`${URN.enterpriseUser}:division`.toLowerCase()]: 'division',
  [`${URN.enterpriseUser}:datehire`.toLowerCase()]: 'dateHire',
} as const satisfies Record<string, string>;
export type OverridableAttribute = (typeof OVERRIDABLE)[keyof typeof OVERRIDABLE];

/**
 * The built-in attribute an entry on this path gives the value of, if any. The phone entry hrsync owns
 * (`phoneNumbers[type eq "<mapping.phoneType>"].value`) is the built-in `phone`.
 */
export function overriddenAttribute(p: TargetPath, phoneType?: string): OverridableAttribute | 'phone' | undefined {
  if (phoneType !== undefined && p.schema === URN.user && p.attribute.toLowerCase() === 'phonenumbers' && p.type?.toLowerCase() === phoneType.toLowerCase() && p.sub?.toLowerCase() === 'value') return 'phone';
  return (OVERRIDABLE as Record<string, OverridableAttribute>)[patchPath(p).toLowerCase()];
}

const DATE_FORMAT = /^(?=.*YYYY)(?=.*MM)(?=.*DD)[YMD\-./ ]+$/;
const TransformSchema = z.union([
  z.enum(['lower', 'upper', 'trim', 'e164']),
  z.strictObject({ date: z.string().regex(DATE_FORMAT, 'a date format made of YYYY, MM and DD, e.g. "DD.MM.YYYY"') }),
  z.strictObject({ split: z.string().min(1) }),
]);
export type Transform = z.infer<typeof TransformSchema>;

const HrField = z.string().regex(/^[a-z][a-z0-9_]*$/, 'an HR field name such as job_code');
const TableItem = z.union([z.string(), z.record(z.string(), z.unknown())]);
const TableValue = z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(TableItem)]);

const ConditionSchema = z
  .strictObject({
    field: HrField,
    /** The field's value (trimmed, case-insensitive) is this one, or one of these. */
    equals: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    /** The field has a value (true) or is empty (false). */
    present: z.boolean().optional(),
  })
  .refine((c) => (c.equals === undefined) !== (c.present === undefined), 'give exactly one of equals, present');

const EntrySchema = z
  .strictObject({
    /** Named in messages and reports; defaults to the target path. */
    name: z.string().trim().min(1).optional(),
    target: z.string().trim().min(1),
    /** An HR field; with `lookup`, the field whose value is looked up. */
    from: HrField.optional(),
    constant: TableValue.optional(),
    /** `{field}` placeholders; `{a|b}` takes the first that has a value. */
    template: z.string().min(1).optional(),
    /** value -> target value, matched exactly, then case-insensitively. A list value (split) is looked up item by item. */
    lookup: z.record(z.string(), TableValue).optional(),
    /** When the value is empty, or the lookup has no row for it. */
    default: TableValue.optional(),
    transforms: z.array(TransformSchema).default([]),
    /** The proficiency of skill or language names given as plain strings. */
    proficiency: z.number().min(GENESYS_PROFICIENCY.min).max(GENESYS_PROFICIENCY.max).default(0),
    /** `create`: set once on the new user, then left to people in the target. */
    when: z.enum(['always', 'create']).default('always'),
    if: ConditionSchema.optional(),
  })
  .superRefine((e, outer) => {
    // Every message names the entry, as the operator named it.
    const label = JSON.stringify(e.name ?? e.target);
    const ctx = { addIssue: (i: { code: 'custom'; path: PropertyKey[]; message: string }) => outer.addIssue({ ...i, message: `${label}: ${i.message}` }) };
    const sources = (['from', 'constant', 'template'] as const).filter((k) => e[k] !== undefined);
    if (sources.length !== 1) ctx.addIssue({ code: 'custom', path: [], message: `give exactly one source: from, constant or template (got ${sources.join(', ') || 'none'})` });
    if (e.lookup !== undefined && e.from === undefined) ctx.addIssue({ code: 'custom', path: ['lookup'], message: 'a lookup needs `from`, the HR field it looks up' });
    const builtIn = parseTargetPath(e.target);
    if (builtIn !== undefined && overriddenAttribute(builtIn) !== undefined && e.when === 'create') {
      ctx.addIssue({ code: 'custom', path: ['when'], message: `${e.target} is a built-in attribute, always kept in step; when: create is for attributes of their own` });
    }
    const path = parseTargetPath(e.target);
    if (path === undefined) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'not a target path: use `title`, `name.givenName`, `phoneNumbers[type eq "mobile"].value` or `urn:…:User:costCenter`' });
      return;
    }
    const attr = path.attribute.toLowerCase();
    const reserved =
      (path.schema === URN.user && RESERVED.has(attr)) ||
      (path.schema === URN.enterpriseUser && RESERVED_ENTERPRISE.has(attr)) ||
      (path.schema === URN.genesysUser && RESERVED_GENESYS.has(attr)) ||
      (path.schema === URN.user && attr === 'name' && path.sub !== undefined && ['givenname', 'familyname'].includes(path.sub.toLowerCase()));
    if (reserved) ctx.addIssue({ code: 'custom', path: ['target'], message: `${e.target} is set by hrsync itself: govern it with mapping.managedAttributes and the other mapping keys` });
    const kind = kindOf(path);
    const check = (v: unknown, where: PropertyKey[]) => {
      for (const problem of valueProblems(v, kind, path)) ctx.addIssue({ code: 'custom', path: where, message: problem });
    };
    if (e.constant !== undefined) check(e.constant, ['constant']);
    if (e.default !== undefined) check(e.default, ['default']);
    for (const [k, v] of Object.entries(e.lookup ?? {})) check(v, ['lookup', k]);
  });
export type AttributeMapping = z.infer<typeof EntrySchema>;
export type AttributeMappingInput = z.input<typeof EntrySchema>;

const ProficiencyItemSchema = z.strictObject({
  name: z.string().trim().min(1),
  proficiency: z.number().min(GENESYS_PROFICIENCY.min, 'proficiency must be 0 to 5').max(GENESYS_PROFICIENCY.max, 'proficiency must be 0 to 5'),
});
const ValueItemSchema = z.strictObject({ value: z.string().trim().min(1) });

/** What is wrong with a constant, default or table value for an attribute of this kind. */
function valueProblems(v: unknown, kind: TargetKind, path: TargetPath): string[] {
  if (kind === 'single' || kind === 'typed') {
    if (Array.isArray(v)) return [`${patchPath(path)} takes one value, not a list`];
    return v !== null && typeof v === 'object' ? [`${patchPath(path)} takes text, a number or true/false, not an object`] : [];
  }
  const items = Array.isArray(v) ? v : [v];
  const problems: string[] = [];
  if (path.schema === URN.genesysUser && items.length > GENESYS_MAX_ITEMS) problems.push(`at most ${GENESYS_MAX_ITEMS} ${path.attribute} (Genesys's limit), got ${items.length}`);
  items.forEach((item, i) => {
    if (typeof item === 'string') return;
    const parsed = (kind === 'proficiencies' ? ProficiencyItemSchema : ValueItemSchema).safeParse(item);
    if (!parsed.success) {
      const shape = kind === 'proficiencies' ? '{name, proficiency 0-5}' : '{value}';
      problems.push(`item ${i + 1}: expected a name or ${shape}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'item'} ${x.message}`).join('; ')}`);
    }
  });
  return problems;
}

export const AttributeMappingsSchema = z.array(EntrySchema).superRefine((entries, ctx) => {
  const seen = new Map<string, number>();
  entries.forEach((e, i) => {
    const p = parseTargetPath(e.target);
    if (p === undefined) return;
    const key = patchPath(p).toLowerCase();
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'target'], message: `${e.target} is already mapped by entry ${(seen.get(key) as number) + 1}: one entry per attribute` });
    else seen.set(key, i);
  });
});

/** The name an entry goes by in messages: its own, else its target. */
export function entryName(e: AttributeMapping): string {
  return e.name ?? e.target;
}

/** Every HR field the entries read: the HR record keeps these, beside the contract's own. */
export function mappedHrFields(entries: readonly AttributeMapping[]): string[] {
  const fields = new Set<string>();
  for (const e of entries) {
    if (e.from) fields.add(e.from);
    if (e.if) fields.add(e.if.field);
    for (const m of e.template?.matchAll(/\{([^}]+)\}/g) ?? []) for (const f of m[1].split('|')) fields.add(f.trim());
  }
  return [...fields].sort();
}

export interface EntryWarning {
  field: string;
  message: string;
}

/** An HR record as the mapping reads it: any field, by name. */
export type HrRecord = Readonly<Record<string, unknown>>;

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

function fieldText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function conditionHolds(c: NonNullable<AttributeMapping['if']>, hr: HrRecord): boolean {
  const v = fieldText(hr[c.field]);
  if (c.present !== undefined) return c.present === (v !== undefined);
  const wanted = (Array.isArray(c.equals) ? c.equals : [c.equals as string]).map((x) => x.trim().toLowerCase());
  return v !== undefined && wanted.includes(v.trim().toLowerCase());
}

function template(text: string, hr: HrRecord): string {
  return text.replace(/\{([^}]+)\}/g, (_, alts: string) => {
    for (const f of alts.split('|')) {
      const v = fieldText(hr[f.trim()]);
      if (v !== undefined) return normaliseText(v);
    }
    return '';
  });
}

function formatDate(v: string, format: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v.trim());
  if (!m) return undefined;
  return format.replace('YYYY', m[1]).replace('MM', m[2]).replace('DD', m[3]);
}

type Working = unknown;

function transform(v: Working, t: Transform, warn: (m: string) => void): Working {
  if (Array.isArray(v)) return v.map((x) => transform(x, t, warn)).filter((x) => !isEmpty(x));
  if (typeof v !== 'string') return v;
  if (t === 'lower') return v.toLowerCase();
  if (t === 'upper') return v.toUpperCase();
  if (t === 'trim') return v.trim().replace(/\s+/g, ' ');
  if (t === 'e164') {
    const phone = canonicalPhone(v);
    if (phone === undefined) warn(`${JSON.stringify(v)} is neither E.164 (+<country><number>) nor a tel: URI`);
    return phone;
  }
  if ('date' in t) {
    const d = formatDate(v, t.date);
    if (d === undefined) warn(`${JSON.stringify(v)} is not a YYYY-MM-DD date`);
    return d;
  }
  return v.split(t.split).map((s) => s.trim()).filter((s) => s !== '');
}

function lookUp(table: Record<string, unknown>, key: unknown): unknown {
  const k = fieldText(key);
  if (k === undefined) return undefined;
  if (Object.hasOwn(table, k)) return table[k];
  const wanted = k.trim().toLowerCase();
  const found = Object.keys(table).find((x) => x.trim().toLowerCase() === wanted);
  return found === undefined ? undefined : table[found];
}

/** A table value as the set it stands for. */
function toItems(v: unknown, kind: 'proficiencies' | 'values', proficiency: number): SetItem[] {
  const list = Array.isArray(v) ? v : isEmpty(v) ? [] : [v];
  const out = new Map<string, SetItem>();
  for (const x of list) {
    let item: SetItem | undefined;
    if (kind === 'proficiencies') {
      if (typeof x === 'string') item = { name: normaliseText(x), proficiency };
      else if (x && typeof x === 'object' && typeof (x as ProficiencyItem).name === 'string') {
        const p = x as ProficiencyItem;
        item = { name: normaliseText(p.name), proficiency: typeof p.proficiency === 'number' ? p.proficiency : proficiency };
      }
    } else if (typeof x === 'string') item = { value: normaliseText(x) };
    else if (x && typeof x === 'object' && typeof (x as ValueItem).value === 'string') item = { value: normaliseText((x as ValueItem).value) };
    if (item !== undefined && itemLabel(item) !== '' && !out.has(itemKey(item))) out.set(itemKey(item), item);
  }
  return [...out.values()];
}

/** Names compare case-insensitively (Genesys skill, language and role names are unique that way). */
export function itemKey(item: SetItem): string {
  return ('name' in item ? item.name : item.value).normalize('NFC').trim().toLowerCase();
}

export function itemLabel(item: SetItem): string {
  return 'name' in item ? item.name : item.value;
}

export interface Evaluation {
  /** `undefined`: the entry says nothing (leave the attribute alone). */
  value: MappedValue | undefined;
  warnings: EntryWarning[];
}

/**
 * One entry on one HR record: source, transforms, lookup, default, then the value for the attribute's kind.
 * An empty single value is `null` (clear it) when `clearEmpty`, else left alone; an empty set is `[]`
 * (remove what hrsync owns). A set over Genesys's limit is left alone, with a warning.
 */
export function evaluateEntry(e: AttributeMapping, hr: HrRecord, opts: { clearEmpty: boolean }): Evaluation {
  const warnings: EntryWarning[] = [];
  const field = e.from ?? (e.template !== undefined ? 'template' : 'constant');
  const warn = (message: string) => warnings.push({ field, message: `${entryName(e)}: ${message}` });
  const path = parseTargetPath(e.target) as TargetPath;
  const kind = kindOf(path);

  let v: Working;
  if (e.if !== undefined && !conditionHolds(e.if, hr)) {
    v = undefined;
    if (e.default === undefined) return { value: undefined, warnings };
  } else {
    v = e.constant !== undefined ? structuredClone(e.constant) : e.template !== undefined ? template(e.template, hr) : hr[e.from as string];
    if (typeof v === 'string') v = normaliseText(v);
    for (const t of e.transforms) v = transform(v, t, warn);
    // A value a transform could not read is left alone rather than cleared.
    if (warnings.length > 0 && isEmpty(v)) return { value: undefined, warnings };
    if (e.lookup !== undefined && !isEmpty(v)) {
      const table = e.lookup;
      if (Array.isArray(v)) {
        const found = v.map((x) => ({ x, hit: lookUp(table, x) }));
        const missing = found.filter((f) => f.hit === undefined).map((f) => String(f.x));
        if (missing.length > 0 && e.default === undefined) warn(`no lookup row for ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
        v = found.flatMap((f) => (f.hit === undefined ? (e.default === undefined ? [] : [e.default]) : [f.hit])).flat();
      } else {
        const hit = lookUp(table, v);
        // No row and no default: warned, and the attribute left as it is rather than cleared.
        if (hit === undefined && e.default === undefined) {
          warn(`no lookup row for ${JSON.stringify(v)}`);
          return { value: undefined, warnings };
        }
        v = hit;
      }
    }
  }
  if (isEmpty(v) && e.default !== undefined) v = structuredClone(e.default);

  if (kind === 'proficiencies' || kind === 'values') {
    const items = toItems(v, kind, e.proficiency);
    if (path.schema === URN.genesysUser && items.length > GENESYS_MAX_ITEMS) {
      warn(`${items.length} ${path.attribute} is more than Genesys's ${GENESYS_MAX_ITEMS}: left as they are`);
      return { value: undefined, warnings };
    }
    return { value: items, warnings };
  }
  if (Array.isArray(v)) v = v.length === 0 ? undefined : v.map(String).join(', ');
  if (isEmpty(v)) return { value: e.constant === undefined && !opts.clearEmpty ? undefined : null, warnings };
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { value: v, warnings };
  warn('the value is not text, a number or true/false: left unmapped');
  return { value: undefined, warnings };
}

/**
 * The set items an entry can ever produce, by key: what hrsync may remove from a user. A table or a constant
 * bounds it; a direct copy of an HR list (no table) makes HR the whole truth of that attribute (`'all'`).
 */
export function ownedItems(e: AttributeMapping): Set<string> | 'all' {
  const path = parseTargetPath(e.target) as TargetPath;
  const kind = kindOf(path);
  if (kind !== 'proficiencies' && kind !== 'values') return new Set();
  if (e.from !== undefined && e.lookup === undefined) return 'all';
  if (e.template !== undefined) return 'all';
  const sources = [e.constant, e.default, ...Object.values(e.lookup ?? {})].filter((x) => x !== undefined);
  return new Set(sources.flatMap((s) => toItems(s, kind, e.proficiency).map(itemKey)));
}
