import { URN } from '../../scim/schemas/urns';
import { ScimHttpError } from './errors';
import type { ScimStrictness } from './options';
import type { Mode } from './render';
import { AttrDef, findAttr, userSchemas } from './schema';
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
 * (others are ignored), Genesys's `other` email and immutable externalIds authority.
 */
export function shapeUser(input: unknown, mode: Mode, id: string, store: Store, strict: ScimStrictness): ShapedUser {
  if (!isObject(input)) throw new ScimHttpError(400, 'The request body must be a JSON object', 'invalidSyntax');
  for (const attr of ['userName', 'displayName'] as const) {
    const v = input[attr];
    if (typeof v !== 'string' || v.trim() === '') {
      throw new ScimHttpError(400, `Attribute '${attr}' is required and must be a non-empty string`, 'invalidValue');
    }
  }
  if (input.password !== undefined && typeof input.password !== 'string') throw invalid('password', 'expected a string');
  const password = typeof input.password === 'string' ? input.password : undefined;
  const [core, ...extensions] = userSchemas(mode, strict);
  const attrs = keepDeclared(Object.fromEntries(Object.entries(input).filter(([k]) => !k.startsWith('urn:'))), core.attributes, '');
  for (const [k, v] of Object.entries(input)) {
    if (!k.startsWith('urn:') || v === null || v === undefined) continue;
    const ext = extensions.find((e) => e.id.toLowerCase() === k.toLowerCase());
    if (!ext) continue;
    if (!isObject(v)) throw new ScimHttpError(400, `Attribute '${k}' must be an object`, 'invalidValue');
    const kept = keepDeclared(v, ext.attributes, `${ext.id}:`);
    if (Object.keys(kept).length > 0) attrs[ext.id] = kept;
  }
  if (mode === 'genesys') applyGenesysRules(attrs, id);
  checkManager(attrs, store);
  return { attrs, password };
}

function applyGenesysRules(attrs: Attrs, id: string): void {
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
