import { URN } from '../../src/scim/model/schemas/urns';
import { ScimHttpError, notFound } from './errors';
import { checkIfMatch, header, notModified, paging, requirePermission, SimCore, SimRequest, SimResponse } from './core';
import { compileGroupFilter } from './filter';
import { applyPatch, readPatchOp, topAttribute, type PatchOperation } from './patch';
import { projection } from './projection';
import { listPage, renderGroup, versionTag } from './render';
import type { GroupRecord } from './store';
import { checkPatchServed, memberValueCount } from './strictness';

function groupResponse(core: SimCore, g: GroupRecord, status: number, req?: SimRequest): SimResponse {
  let body = renderGroup(core.render, g);
  if (req) body = projection(req.query.get('attributes'), req.query.get('excludedAttributes')).apply(body);
  return { status, body, headers: { ETag: versionTag(core.opts.mode, g.version) } };
}

function findGroup(core: SimCore, id: string): GroupRecord {
  const g = core.store.group(id);
  if (!g) throw notFound('Group', id);
  return g;
}

export function listGroups(core: SimCore, req: SimRequest): SimResponse {
  const { startIndex, count } = paging(core, req.query);
  const proj = projection(req.query.get('attributes'), req.query.get('excludedAttributes'));
  const text = req.query.get('filter');
  const test = text && text.trim() !== '' ? compileGroupFilter(text, core.opts.strict) : () => true;
  const all = core.store.allGroups().filter(test);
  return { status: 200, body: listPage(all, startIndex, count, (g) => proj.apply(renderGroup(core.render, g))) };
}

export function getGroup(core: SimCore, req: SimRequest, id: string): SimResponse {
  const g = findGroup(core, id);
  if (notModified(header(req.headers, 'if-none-match'), g.version)) {
    return { status: 304, headers: { ETag: versionTag(core.opts.mode, g.version) } };
  }
  return groupResponse(core, g, 200, req);
}

function guardedWrite(core: SimCore, id: string, ifMatch: string | undefined): GroupRecord {
  requirePermission(core, 'directory:group:edit');
  const g = findGroup(core, id);
  checkIfMatch(core, ifMatch, () => g.version, () => core.store.bumpGroup(g));
  return g;
}

/** Member values must be ids of existing users; display and $ref sent by the client are not kept. */
function memberIds(core: SimCore, members: unknown): string[] {
  if (members === undefined || members === null) return [];
  if (!Array.isArray(members)) throw new ScimHttpError(400, `Attribute 'members' must be an array`, 'invalidValue');
  return members.map((m) => {
    const value = m && typeof m === 'object' ? (m as Record<string, unknown>).value : undefined;
    if (typeof value !== 'string') throw new ScimHttpError(400, `Attribute 'members.value' must be a user id`, 'invalidValue');
    if (!core.store.user(value)) throw new ScimHttpError(400, `Attribute 'members.value': no user with id '${value}'`, 'invalidValue');
    return value;
  });
}

function save(core: SimCore, g: GroupRecord, next: Record<string, unknown>): SimResponse {
  const displayName = next.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw new ScimHttpError(400, `Attribute 'displayName' is required`, 'invalidValue');
  }
  const members = memberIds(core, next.members);
  g.displayName = displayName;
  g.externalId = typeof next.externalId === 'string' ? next.externalId : undefined;
  // setMembers bumps the version: every write is a new version, even one that changes nothing.
  core.store.setMembers(g, members);
  return groupResponse(core, g, 200);
}

export function replaceGroup(core: SimCore, id: string, body: unknown, ifMatch?: string): SimResponse {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ScimHttpError(400, 'The request body must be a Group object', 'invalidSyntax');
  }
  const g = guardedWrite(core, id, ifMatch);
  return save(core, g, body as Record<string, unknown>);
}

export function patchGroup(core: SimCore, id: string, body: unknown, ifMatch?: string): SimResponse {
  checkPatchServed(core.opts.strict, '/groups/:id');
  const ops = readPatchOp(body).map((op) => {
    // Clients send {value, display}; members are kept as bare {value} so add de-duplicates and remove-by-value matches.
    const onMembers = op.path !== undefined && topAttribute(op.path).toLowerCase() === 'members' && !op.path.includes('[');
    if (onMembers && Array.isArray(op.value)) {
      return { ...op, value: op.value.map((m) => (m && typeof m === 'object' ? { value: (m as Record<string, unknown>).value } : m)) };
    }
    return op;
  });
  const max = core.opts.groupPatchMaxMembers;
  const carried = memberValueCount(ops);
  if (max !== null && carried > max) {
    throw new ScimHttpError(400, `A group PATCH may carry at most ${max} members values; this one carries ${carried}`, 'tooMany');
  }
  const g = guardedWrite(core, id, ifMatch);
  const added = memberAddsOnly(ops);
  if (added) {
    // The common batch (hrsync's memberships): members added, applied to the member list itself instead of
    // to a copy of the whole group through the generic patch, which costs the group's size on every call.
    // The same group comes out: the members before, then the new ones in the order sent.
    core.store.addMembers(g, memberIds(core, added));
    return groupResponse(core, g, 200);
  }
  const resource: Record<string, unknown> = {
    schemas: [URN.group],
    id: g.id,
    displayName: g.displayName,
    ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
    members: g.members.map((value) => ({ value })),
  };
  applyPatch(resource, ops);
  if (resource.id !== g.id) throw new ScimHttpError(400, `Attribute 'id' is immutable`, 'mutability');
  if (Array.isArray(resource.members)) {
    resource.members = resource.members.map((m) => (m && typeof m === 'object' ? { value: (m as Record<string, unknown>).value } : m));
  }
  return save(core, g, resource);
}

/** The values of a PATCH whose every operation adds an array of members (path `members`, no filter); else undefined. */
function memberAddsOnly(ops: readonly PatchOperation[]): unknown[] | undefined {
  const values: unknown[] = [];
  for (const op of ops) {
    if (op.op !== 'add' || op.path?.toLowerCase() !== 'members' || !Array.isArray(op.value)) return undefined;
    values.push(...(op.value as unknown[]));
  }
  return values;
}

export function groupWriteNotAllowed(method: string): never {
  throw new ScimHttpError(405, `${method} is not supported on groups: groups must already exist in the organization`);
}
