import type { User } from '../../src/scim/model/resources/user';
import type { Group } from '../../src/scim/model/resources/group';
import { URN } from '../../src/scim/model/schemas/urns';
import type { ScimStrictness } from './options';
import type { GroupRecord, Store, UserRecord } from './store';

export type Mode = 'genesys' | 'scim2';

export interface RenderContext {
  mode: Mode;
  /** e.g. http://127.0.0.1:PORT/api/v2/scim/v2 */
  scimBase: string;
  store: Store;
  /** The simulator's switches (the same object, changed in place). */
  strict: ScimStrictness;
}

/** Genesys sends a strong `"N"`; generic RFC 7644 servers usually a weak `W/"N"`. */
export function versionTag(mode: Mode, version: number): string {
  return mode === 'genesys' ? `"${version}"` : `W/"${version}"`;
}

/** The number inside `"N"`, `W/"N"` or `N`; undefined when it is none of those. */
export function parseVersionTag(tag: string): number | undefined {
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(tag);
  return m ? Number(m[1]) : undefined;
}

function collection(ctx: RenderContext, kind: 'users' | 'groups'): string {
  return ctx.mode === 'genesys' ? kind : kind === 'users' ? 'Users' : 'Groups';
}

export function userLocation(ctx: RenderContext, id: string): string {
  return `${ctx.scimBase}/${collection(ctx, 'users')}/${id}`;
}

export function groupLocation(ctx: RenderContext, id: string): string {
  return `${ctx.scimBase}/${collection(ctx, 'groups')}/${id}`;
}

const CORE_ORDER = ['externalId', 'userName', 'name', 'displayName', 'title', 'active', 'emails', 'phoneNumbers', 'roles'];

/**
 * A user as the API returns it. The `admin` view (sim.users(), /__sim/users) always shows memberships,
 * even when `noGroupsOnUsers` keeps them out of API responses.
 */
export function renderUser(ctx: RenderContext, rec: UserRecord, view: 'api' | 'admin' = 'api'): User {
  const schemas: string[] = [URN.user];
  for (const ext of [URN.enterpriseUser, URN.genesysUser]) {
    if (ctx.mode === 'genesys' || rec.attrs[ext] !== undefined) schemas.push(ext);
  }
  const attrs = structuredClone(rec.attrs);
  const body: Record<string, unknown> = { schemas, id: rec.id };
  // Core attributes first, in the order RFC 7643 lists them, then anything else, then extensions.
  for (const k of CORE_ORDER) if (attrs[k] !== undefined) body[k] = attrs[k];
  if (body.active === undefined) body.active = true;
  for (const [k, v] of Object.entries(attrs)) if (!k.startsWith('urn:') && body[k] === undefined) body[k] = v;
  for (const [k, v] of Object.entries(attrs)) if (k.startsWith('urn:')) body[k] = v;
  const groupIds = ctx.store.groupIdsOf(rec.id);
  const hideGroups = view === 'api' && ctx.strict.noGroupsOnUsers;
  if (!hideGroups && (groupIds.length > 0 || ctx.mode === 'genesys')) {
    body.groups = groupIds.map((gid) => {
      const g = ctx.store.group(gid);
      return { value: gid, display: g?.displayName, $ref: groupLocation(ctx, gid) };
    });
  }
  body.meta = {
    resourceType: 'User',
    created: rec.created,
    lastModified: rec.lastModified,
    location: userLocation(ctx, rec.id),
    version: versionTag(ctx.mode, rec.version),
  };
  return body as User;
}

export function renderGroup(ctx: RenderContext, g: GroupRecord): Group {
  const body: Record<string, unknown> = { schemas: [URN.group], id: g.id, displayName: g.displayName };
  if (g.externalId !== undefined) body.externalId = g.externalId;
  body.members = g.members.map((uid) => ({
    value: uid,
    display: ctx.store.user(uid)?.attrs.displayName,
    $ref: userLocation(ctx, uid),
    type: 'User',
  }));
  body.meta = {
    resourceType: 'Group',
    created: g.created,
    lastModified: g.lastModified,
    location: groupLocation(ctx, g.id),
    version: versionTag(ctx.mode, g.version),
  };
  return body as Group;
}

/** A ListResponse of one page (1-based `startIndex`) of `all`, each item rendered only if it is on the page. */
export function listPage<T>(all: readonly T[], startIndex: number, count: number, render: (item: T) => unknown) {
  const page = all.slice(startIndex - 1, startIndex - 1 + count);
  return { schemas: [URN.listResponse], totalResults: all.length, startIndex, itemsPerPage: page.length, Resources: page.map(render) };
}
