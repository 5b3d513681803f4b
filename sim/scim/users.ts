import { randomUUID } from 'node:crypto';
import { URN } from '../../src/scim/model/schemas/urns';
import { ScimHttpError, notFound } from './errors';
import { checkIfMatch, notModified, paging, requirePermission, SimCore, SimRequest, SimResponse, header } from './core';
import { compileUserFilter } from './filter';
import { applyPatch, readPatchOp, topAttribute } from './patch';
import { projection } from './projection';
import { listPage, renderUser, userLocation, versionTag } from './render';
import type { UserRecord } from './store';
import { checkRequiredExtensions } from './required';
import { checkPatchServed, checkUserPatch } from './strictness';
import { shapeUser } from './usershape';

const LARGE_PAGE = 25;

function userResponse(core: SimCore, rec: UserRecord, status: number, req?: SimRequest): SimResponse {
  let body = renderUser(core.render, rec);
  if (req) body = projection(req.query.get('attributes'), req.query.get('excludedAttributes')).apply(body);
  const headers: Record<string, string> = { ETag: versionTag(core.opts.mode, rec.version) };
  if (status === 201) headers.Location = userLocation(core.render, rec.id);
  return { status, body, headers };
}

function findUser(core: SimCore, id: string): UserRecord {
  const rec = core.store.user(id);
  if (!rec) throw notFound('User', id);
  return rec;
}

function checkUnique(core: SimCore, userName: string, selfId?: string): void {
  const holder = core.store.userIdByUserName(userName);
  if (holder !== undefined && holder !== selfId) {
    throw new ScimHttpError(Number(core.opts.duplicateUserName), `userName '${userName}' is already in use`, 'uniqueness');
  }
}

export function listUsers(core: SimCore, req: SimRequest): SimResponse {
  const { startIndex, count } = paging(core, req.query);
  const proj = projection(req.query.get('attributes'), req.query.get('excludedAttributes'));
  const filterText = req.query.get('filter');
  if (core.opts.mode === 'genesys' && core.opts.strictLargePages && count > LARGE_PAGE) {
    const heavy = ['externalId', 'roles', 'routingSkills', 'routingLanguages'].filter(
      (a) => !proj.excludes(a) && !(a.startsWith('routing') && proj.excludes(URN.genesysUser)),
    );
    if (heavy.length > 0) {
      throw new ScimHttpError(429, `Pages over ${LARGE_PAGE} need excludedAttributes=${heavy.join(',')}`, undefined, { 'Retry-After': '1' });
    }
  }
  let ids: string[];
  if (!filterText || filterText.trim() === '') {
    ids = core.store.userIds(core.opts.mode === 'genesys');
  } else {
    const q = compileUserFilter(filterText, core.opts.mode, core.store, core.opts.strict);
    const pool = q.candidates ?? core.store.userIds(false);
    const activeOnly = core.opts.strict.filteredListsActiveOnly && !q.mentionsActive;
    ids = pool.filter((id) => {
      const rec = core.store.user(id);
      if (!rec || !q.tests.every((t) => t(rec))) return false;
      if (activeOnly && rec.attrs.active === false) return false;
      return q.generic ? q.generic(renderUser(core.render, rec)) : true;
    });
  }
  return { status: 200, body: listPage(ids, startIndex, count, (id) => proj.apply(renderUser(core.render, core.store.user(id)!))) };
}

export function getUser(core: SimCore, req: SimRequest, id: string): SimResponse {
  const rec = findUser(core, id);
  if (notModified(header(req.headers, 'if-none-match'), rec.version)) {
    return { status: 304, headers: { ETag: versionTag(core.opts.mode, rec.version) } };
  }
  return userResponse(core, rec, 200, req);
}

export function createUser(core: SimCore, body: unknown): SimResponse {
  requirePermission(core, 'directory:user:add');
  const id = randomUUID();
  checkRequiredExtensions(body, core.opts.mode, core.opts.strict);
  const shaped = shapeUser(body, core.opts.mode, id, core.store, core.opts.strict, core.opts.catalogue);
  if (shaped.password !== undefined) requirePermission(core, 'directory:user:setPassword');
  checkUnique(core, shaped.attrs.userName as string);
  const rec = core.store.createUser(shaped.attrs, shaped.password !== undefined, id);
  return userResponse(core, rec, 201);
}

function guardedWrite(core: SimCore, id: string, permission: string, ifMatch: string | undefined): UserRecord {
  requirePermission(core, permission);
  const rec = findUser(core, id);
  checkIfMatch(core, ifMatch, () => rec.version, () => core.store.bumpUser(rec));
  return rec;
}

export function replaceUser(core: SimCore, id: string, body: unknown, ifMatch?: string): SimResponse {
  const rec = guardedWrite(core, id, 'directory:user:edit', ifMatch);
  if (body && typeof body === 'object' && 'id' in body && (body as { id: unknown }).id !== id) {
    throw new ScimHttpError(400, `Attribute 'id' is immutable`, 'mutability');
  }
  return store(core, rec, shapeUser(body, core.opts.mode, id, core.store, core.opts.strict, core.opts.catalogue));
}

export function patchUser(core: SimCore, id: string, body: unknown, ifMatch?: string): SimResponse {
  checkPatchServed(core.opts.strict, '/users/:id');
  const ops = readPatchOp(body);
  const rec = guardedWrite(core, id, 'directory:user:edit', ifMatch);
  for (const op of ops) {
    const targets = op.path ? [topAttribute(op.path)] : Object.keys((op.value as object) ?? {});
    for (const t of targets) {
      const name = t.toLowerCase();
      if (name === 'groups' && core.opts.strict.noGroupsOnUsers) {
        throw new ScimHttpError(400, `attribute "${op.path ?? t}" is not supported`, 'invalidPath');
      }
      if (name === 'groups') {
        throw new ScimHttpError(400, `Attribute 'groups' is read-only: change membership through /groups`, 'mutability');
      }
      if (name === 'id' && (op.path || (op.value as Record<string, unknown>)[t] !== id)) {
        throw new ScimHttpError(400, `Attribute 'id' is immutable`, 'mutability');
      }
    }
  }
  checkUserPatch(core.opts.strict, ops);
  const resource: Record<string, unknown> = { schemas: [URN.user], id, ...structuredClone(rec.attrs) };
  applyPatch(resource, ops);
  return store(core, rec, shapeUser(resource, core.opts.mode, id, core.store, core.opts.strict, core.opts.catalogue));
}

function store(core: SimCore, rec: UserRecord, shaped: ReturnType<typeof shapeUser>): SimResponse {
  if (shaped.password !== undefined) requirePermission(core, 'directory:user:setPassword');
  checkUnique(core, shaped.attrs.userName as string, rec.id);
  core.store.replaceUser(rec, shaped.attrs, rec.hasPassword || shaped.password !== undefined);
  return userResponse(core, rec, 200);
}

export function deleteUser(core: SimCore, id: string, ifMatch?: string): SimResponse {
  const rec = guardedWrite(core, id, 'directory:user:delete', ifMatch);
  core.store.deleteUser(rec);
  return { status: 204 };
}

/** Simulates an administrator's edit in the Genesys UI: applies changes, bumps the version. */
export function touchUser(core: SimCore, id: string, changes: Record<string, unknown> = {}): UserRecord {
  const rec = findUser(core, id);
  if (Object.keys(changes).length === 0) {
    core.store.bumpUser(rec);
    return rec;
  }
  const merged = { ...structuredClone(rec.attrs), ...structuredClone(changes) };
  const shaped = shapeUser(merged, core.opts.mode, id, core.store, core.opts.strict, core.opts.catalogue);
  checkUnique(core, shaped.attrs.userName as string, rec.id);
  core.store.replaceUser(rec, shaped.attrs);
  return rec;
}
