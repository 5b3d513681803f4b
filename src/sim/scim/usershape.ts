import { NewUserSchema } from '../../scim/resources/user';
import { URN } from '../../scim/schemas/urns';
import { ScimHttpError } from './errors';
import type { Mode } from './render';
import type { Attrs, Store } from './store';

/** Core attributes Genesys keeps; anything else (name, addresses, nickName...) it ignores silently. */
const GENESYS_CORE = new Set(['userName', 'displayName', 'active', 'title', 'externalId', 'emails', 'phoneNumbers', 'roles']);
const NEVER_STORED = new Set(['id', 'meta', 'groups', 'schemas', 'password']);
/** The immutable authority Genesys adds to every user's externalIds. */
export const GENESYS_AUTHORITY = 'x-pc:scimv2:v1';
const E164_OR_TEL = /^(\+[1-9]\d{6,14}|tel:.+)$/;

export interface ShapedUser {
  attrs: Attrs;
  password?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Turns a client's full user representation (POST or PUT body, or a patched resource) into what the
 * service stores, applying the target's rules: required attributes, read-only and ignored ones,
 * Genesys's `other` email and immutable externalIds authority.
 */
export function shapeUser(input: unknown, mode: Mode, id: string, store: Store): ShapedUser {
  if (!isObject(input)) throw new ScimHttpError(400, 'The request body must be a JSON object', 'invalidSyntax');
  for (const attr of ['userName', 'displayName'] as const) {
    const v = input[attr];
    if (typeof v !== 'string' || v.trim() === '') {
      throw new ScimHttpError(400, `Attribute '${attr}' is required and must be a non-empty string`, 'invalidValue');
    }
  }
  const parsed = NewUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.') || '(body)';
    throw new ScimHttpError(400, `Attribute '${path}' is invalid: ${issue.message}`, 'invalidValue');
  }
  const password = typeof input.password === 'string' ? input.password : undefined;
  const attrs: Attrs = {};
  for (const [k, v] of Object.entries(input)) {
    if (NEVER_STORED.has(k) || v === null || v === undefined) continue;
    const isExtension = k.startsWith('urn:');
    if (mode === 'genesys' && !isExtension && !GENESYS_CORE.has(k)) continue;
    if (isExtension && !isObject(v)) throw new ScimHttpError(400, `Attribute '${k}' must be an object`, 'invalidValue');
    attrs[k] = structuredClone(v);
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
