import { URN } from '../../src/scim/model/schemas/urns';
import { ScimHttpError } from './errors';
import type { GenesysCatalogue, ScimStrictness } from './options';
import type { Mode } from './render';
import { AttrDef, findAttr, userSchemas, userTypeExtensions } from './schema';
import type { Attrs, Store } from './store';

/** Never kept from a client: the service's own (id, meta), computed (groups) or write-only (password). */
const NEVER_STORED = new Set(['id', 'meta', 'groups', 'schemas', 'password']);
/** The immutable authority Genesys adds to every user's externalIds. */
export const GENESYS_AUTHORITY = 'x-pc:scimv2:v1';
const E164_OR_TEL = /^(\+[1-9]\d{6,14}|tel:.+)$/;

export interface ShapedUser {
  attrs: Attrs;
  password?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

const invalid = (path: string, why: string) => new ScimHttpError(400, `Attribute '${path}' is invalid: ${why}`, 'invalidValue');

/**
 * One value checked against its definition (the simulator's own schema, not the client's): the
 * cleaned copy keeps declared, writable sub-attributes only; a wrong type is 400 invalidValue naming the path.
 */
function checkValue(v: unknown, def: AttrDef, path: string, single = false): unknown {
  if (def.multiValued && !single) {
    if (!Array.isArray(v)) throw invalid(path, 'expected an array');
    return v.map((x, i) => checkValue(x, def, `${path}[${i}]`, true));
  }
  switch (def.type) {
    case 'complex': {
      if (!isObject(v)) throw invalid(path, 'expected an object');
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const sub = findAttr(def.subAttributes ?? [], k);
        if (!sub || sub.mutability === 'readOnly' || x === null || x === undefined) continue;
        out[sub.name] = checkValue(x, sub, `${path.replace(/\[\d+\]$/, '')}.${sub.name}`);
      }
      return out;
    }
    case 'boolean':
      if (typeof v !== 'boolean') throw invalid(path, 'expected true or false');
      return v;
    case 'decimal':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v) || (def.type === 'integer' && !Number.isInteger(v))) throw invalid(path, `expected a ${def.type}`);
      return v;
    default:
      if (typeof v !== 'string') throw invalid(path, 'expected a string');
      return v;
  }
}

/** Declared attributes of one schema, checked; undeclared and read-only ones are dropped, as the server ignores them. */
function keepDeclared(input: Record<string, unknown>, defs: AttrDef[], prefix: string): Attrs {
  const out: Attrs = {};
  for (const [k, v] of Object.entries(input)) {
    if (NEVER_STORED.has(k) || v === null || v === undefined) continue;
    const def = findAttr(defs, k);
    if (!def || def.mutability === 'readOnly' || def.mutability === 'writeOnly') continue;
    out[def.name] = checkValue(v, def, `${prefix}${def.name}`);
  }
  return out;
}

/**
 * Turns a client's full user representation (POST or PUT body, or a patched resource) into what the
 * service stores, applying the target's rules: required attributes, the attributes its schemas declare
 * and the extensions its User resource type extends with (others are ignored), Genesys's `other` email and
 * immutable externalIds authority.
 */
export function shapeUser(input: unknown, mode: Mode, id: string, store: Store, strict: ScimStrictness, catalogue: Partial<GenesysCatalogue> = {}): ShapedUser {
  if (!isObject(input)) throw new ScimHttpError(400, 'The request body must be a JSON object', 'invalidSyntax');
  for (const attr of ['userName', 'displayName'] as const) {
    const v = input[attr];
    if (typeof v !== 'string' || v.trim() === '') {
      throw new ScimHttpError(400, `Attribute '${attr}' is required and must be a non-empty string`, 'invalidValue');
    }
  }
  if (input.password !== undefined && typeof input.password !== 'string') throw invalid('password', 'expected a string');
  const password = typeof input.password === 'string' ? input.password : undefined;
  const [core] = userSchemas(mode, strict);
  const extensions = userTypeExtensions(mode, strict);
  const attrs = keepDeclared(Object.fromEntries(Object.entries(input).filter(([k]) => !k.startsWith('urn:'))), core.attributes, '');
  for (const [k, v] of Object.entries(input)) {
    if (!k.startsWith('urn:') || v === null || v === undefined) continue;
    const ext = extensions.find((e) => e.id.toLowerCase() === k.toLowerCase());
    if (!ext) continue;
    if (!isObject(v)) throw new ScimHttpError(400, `Attribute '${k}' must be an object`, 'invalidValue');
    const kept = keepDeclared(v, ext.attributes, `${ext.id}:`);
    if (Object.keys(kept).length > 0) attrs[ext.id] = kept;
  }
  if (mode === 'genesys') applyGenesysRules(attrs, id, catalogue);
  checkManager(attrs, store);
  return { attrs, password };
}

/** Genesys's documented limits on routing skills and languages. */
const MAX_ROUTING = 50;

/**
 * A routing list as Genesys keeps it: one entry per name (case-insensitive, the last one written wins), proficiency
 * 0 to 5, at most 50, every name known to the org when the catalogue lists them.
 */
function checkRouting(ext: Record<string, unknown>, key: 'routingSkills' | 'routingLanguages', known: string[] | undefined): void {
  if (!Array.isArray(ext[key])) return;
  const what = key === 'routingSkills' ? 'routing skill' : 'routing language';
  const byName = new Map<string, Record<string, unknown>>();
  for (const item of ext[key] as Array<Record<string, unknown>>) {
    const name = typeof item?.name === 'string' ? item.name.trim() : '';
    if (name === '') throw invalid(key, `every ${what} needs a name`);
    const p = item.proficiency ?? 0;
    if (typeof p !== 'number' || p < 0 || p > 5) throw invalid(`${key}.proficiency`, `proficiency of ${what} "${name}" must be 0 to 5, got ${JSON.stringify(p)}`);
    const canonical = known?.find((k) => k.toLowerCase() === name.toLowerCase());
    if (known !== undefined && canonical === undefined) throw invalid(key, `unknown ${what} "${name}"`);
    byName.delete(name.toLowerCase());
    byName.set(name.toLowerCase(), { name: canonical ?? name, proficiency: p });
  }
  if (byName.size > MAX_ROUTING) throw invalid(key, `at most ${MAX_ROUTING} ${what}s, got ${byName.size}`);
  ext[key] = [...byName.values()];
}

function checkRoles(attrs: Attrs, known: string[] | undefined): void {
  if (!Array.isArray(attrs.roles)) return;
  const byName = new Map<string, Record<string, unknown>>();
  for (const r of attrs.roles as Array<Record<string, unknown>>) {
    const name = typeof r?.value === 'string' ? r.value.trim() : '';
    if (name === '') throw invalid('roles', 'every role needs a value (its name)');
    const canonical = known?.find((k) => k.toLowerCase() === name.toLowerCase());
    if (known !== undefined && canonical === undefined) throw invalid('roles', `unknown role "${name}"`);
    byName.set(name.toLowerCase(), { value: canonical ?? name });
  }
  attrs.roles = [...byName.values()];
}

function applyGenesysRules(attrs: Attrs, id: string, catalogue: Partial<GenesysCatalogue>): void {
  checkRoles(attrs, catalogue.roles);
  const userName = attrs.userName as string;
  const emails = Array.isArray(attrs.emails) ? (attrs.emails as Array<Record<string, unknown>>) : [];
  // `other` always mirrors userName and cannot be changed by the client.
  attrs.emails = [
    ...emails.filter((e) => String(e?.type ?? '').toLowerCase() !== 'other'),
    { type: 'other', value: userName },
  ];
  if (Array.isArray(attrs.phoneNumbers)) {
    for (const p of attrs.phoneNumbers as Array<Record<string, unknown>>) {
      if (typeof p?.value === 'string' && !E164_OR_TEL.test(p.value)) {
        throw new ScimHttpError(400, `Attribute 'phoneNumbers.value' must be E.164 or a tel: URI, got '${p.value}'`, 'invalidValue');
      }
    }
  }
  const ext = isObject(attrs[URN.genesysUser]) ? (attrs[URN.genesysUser] as Record<string, unknown>) : {};
  const ids = Array.isArray(ext.externalIds) ? (ext.externalIds as Array<Record<string, unknown>>) : [];
  checkRouting(ext, 'routingSkills', catalogue.skills);
  checkRouting(ext, 'routingLanguages', catalogue.languages);
  ext.externalIds = [
    ...ids.filter((x) => !String(x?.authority ?? '').startsWith(GENESYS_AUTHORITY)),
    { authority: GENESYS_AUTHORITY, value: id },
  ];
  attrs[URN.genesysUser] = ext;
}

function checkManager(attrs: Attrs, store: Store): void {
  const ent = attrs[URN.enterpriseUser];
  if (!isObject(ent) || ent.manager === undefined) return;
  const manager = ent.manager;
  if (!isObject(manager)) throw new ScimHttpError(400, `Attribute 'manager' must be an object {value}`, 'invalidValue');
  if (manager.value === undefined || manager.value === '') {
    delete ent.manager;
    return;
  }
  if (typeof manager.value !== 'string' || !store.user(manager.value)) {
    throw new ScimHttpError(400, `Attribute 'manager.value': no user with id '${String(manager.value)}'`, 'invalidValue');
  }
  // The service keeps the reference only; displayName is its own, computed on read.
  ent.manager = { value: manager.value };
}
