import { scimPatch, ScimError, ScimPatchOperation, ScimResource } from 'scim-patch';
import { URN } from '../../src/scim/model/schemas/urns';
import { ScimHttpError, ScimType } from './errors';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

const EXTENSIONS = [URN.enterpriseUser, URN.genesysUser];
const CORE_PREFIXES = [`${URN.user}:`, `${URN.group}:`];
const KNOWN_ATTRS = [
  'id', 'meta', 'schemas', 'externalId', 'userName', 'displayName', 'name', 'nickName', 'title', 'userType', 'active',
  'emails', 'phoneNumbers', 'roles', 'groups', 'members', 'password', 'addresses', 'ims', 'photos', 'entitlements',
  'x509Certificates', 'preferredLanguage', 'locale', 'timezone', 'profileUrl',
  'employeeNumber', 'department', 'division', 'dateHire', 'manager', 'costCenter', 'organization',
  'routingSkills', 'routingLanguages', 'externalIds',
];
const CANONICAL = new Map(KNOWN_ATTRS.map((a) => [a.toLowerCase(), a]));

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Validates a PatchOp body (RFC 7644 §3.5.2) and returns its operations with lower-case op names. */
export function readPatchOp(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw new ScimHttpError(400, 'The request body must be a PatchOp object', 'invalidSyntax');
  if (!Array.isArray(body.schemas) || !body.schemas.includes(URN.patchOp)) {
    throw new ScimHttpError(400, `schemas must contain ${URN.patchOp}`, 'invalidSyntax');
  }
  const ops = body.Operations ?? body.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw new ScimHttpError(400, 'Operations must be a non-empty array', 'invalidSyntax');
  return ops.map((raw, i) => {
    if (!isObject(raw)) throw new ScimHttpError(400, `Operations[${i}] must be an object`, 'invalidSyntax');
    const op = String(raw.op ?? '').toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw new ScimHttpError(400, `Operations[${i}].op '${String(raw.op)}' is not add, replace or remove`, 'invalidSyntax');
    }
    if (raw.path !== undefined && typeof raw.path !== 'string') {
      throw new ScimHttpError(400, `Operations[${i}].path must be a string`, 'invalidPath');
    }
    const path = typeof raw.path === 'string' && raw.path.trim() !== '' ? raw.path.trim() : undefined;
    if (op === 'remove' && !path) throw new ScimHttpError(400, `Operations[${i}]: remove requires a path`, 'noTarget');
    if (op !== 'remove' && !('value' in raw)) {
      throw new ScimHttpError(400, `Operations[${i}]: ${op} requires a value`, 'invalidValue');
    }
    return { op, path, value: raw.value };
  });
}

/** The first attribute a path names, without any core-schema URN prefix, e.g. `emails` for `emails[type eq "work"].value`. */
export function topAttribute(path: string): string {
  const p = stripCorePrefix(path);
  const ext = splitExtension(p);
  if (ext) return ext.urn;
  return p.split(/[[.]/)[0];
}

export function stripCorePrefix(path: string): string {
  for (const prefix of CORE_PREFIXES) {
    if (path.toLowerCase().startsWith(prefix.toLowerCase())) return path.slice(prefix.length);
  }
  return path;
}

export function splitExtension(path: string): { urn: string; rest: string } | undefined {
  for (const urn of EXTENSIONS) {
    if (!path.toLowerCase().startsWith(urn.toLowerCase())) continue;
    const rest = path.slice(urn.length);
    if (rest === '') return { urn, rest: '' };
    if (rest[0] === ':') return { urn, rest: rest.slice(1) };
  }
  return undefined;
}

/** Attribute names are case-insensitive (RFC 7643 §2.1); the stored object uses one spelling. */
function canonicalPath(path: string): string {
  const m = /^([A-Za-z$][\w$-]*)(.*)$/s.exec(path);
  if (!m) return path;
  return (CANONICAL.get(m[1].toLowerCase()) ?? m[1]) + m[2];
}

/**
 * Applies PATCH operations with the scim-patch library, filling what it lacks: extension URN prefixes
 * whose filter values contain `:`, a no-path value keyed by an extension URN, and attribute-name case.
 * Mutates and returns `resource`.
 */
export function applyPatch(resource: Record<string, unknown>, operations: PatchOperation[]): Record<string, unknown> {
  for (const op of operations) {
    for (const single of expand(op)) applyOne(resource, single);
  }
  return resource;
}

/** A no-path add/replace whose value names extensions becomes one op per extension attribute. */
function expand(op: PatchOperation): PatchOperation[] {
  if (op.path !== undefined) {
    const p = stripCorePrefix(op.path);
    const ext = splitExtension(p);
    if (ext && ext.rest === '' && op.op !== 'remove' && isObject(op.value)) {
      return Object.entries(op.value).map(([k, v]) => ({ op: op.op, path: `${ext.urn}:${k}`, value: v }));
    }
    return [{ ...op, path: p }];
  }
  if (!isObject(op.value)) throw new ScimHttpError(400, `${op.op} without a path needs an object value`, 'invalidValue');
  const out: PatchOperation[] = [];
  const core: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op.value)) {
    const p = stripCorePrefix(k);
    const ext = splitExtension(p);
    if (ext && ext.rest === '' && isObject(v)) {
      for (const [ek, ev] of Object.entries(v)) out.push({ op: op.op, path: `${ext.urn}:${ek}`, value: ev });
    } else if (ext) {
      out.push({ op: op.op, path: p, value: v });
    } else {
      core[canonicalPath(p)] = v;
    }
  }
  if (Object.keys(core).length > 0) out.unshift({ op: op.op, value: core });
  return out;
}

function applyOne(resource: Record<string, unknown>, op: PatchOperation): void {
  if (op.path === undefined) {
    run(resource, { op: op.op, value: op.value } as ScimPatchOperation, op);
    return;
  }
  const ext = splitExtension(op.path);
  if (!ext) {
    run(resource, { ...op, path: canonicalPath(op.path) } as ScimPatchOperation, op);
    return;
  }
  if (ext.rest === '') {
    // Only `remove` reaches here: expand() split add/replace into attributes.
    delete resource[ext.urn];
    return;
  }
  const sub = isObject(resource[ext.urn]) ? (resource[ext.urn] as Record<string, unknown>) : {};
  run(sub, { ...op, path: canonicalPath(ext.rest) } as ScimPatchOperation, op);
  if (Object.keys(sub).length > 0) resource[ext.urn] = sub;
  else delete resource[ext.urn];
}

function run(target: Record<string, unknown>, op: ScimPatchOperation, original: PatchOperation): void {
  try {
    scimPatch(target as unknown as ScimResource, [op], { mutateDocument: true, treatMissingAsAdd: true });
  } catch (e) {
    if (e instanceof ScimHttpError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    let scimType: ScimType = 'invalidSyntax';
    if (e instanceof ScimError && e.scimCode === 'noTarget') scimType = 'noTarget';
    else if (/path/i.test(message)) scimType = 'invalidPath';
    throw new ScimHttpError(400, `${message} (op ${original.op}${original.path ? ` path ${original.path}` : ''})`, scimType);
  }
}
