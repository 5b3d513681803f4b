import { randomUUID } from 'node:crypto';
import { URN } from '../../src/scim/model/schemas/urns';

export type Attrs = Record<string, unknown>;

export interface UserRecord {
  id: string;
  version: number;
  created: string;
  lastModified: string;
  /** What the client can read back, minus id, meta, groups (computed) and password (never returned). */
  attrs: Attrs;
  hasPassword: boolean;
}

export interface GroupRecord {
  id: string;
  version: number;
  created: string;
  lastModified: string;
  displayName: string;
  externalId?: string;
  /** User ids, in the order they joined. */
  members: string[];
}

/** Many ids per key (externalId, employeeNumber, email, manager and division need not be unique). */
class MultiIndex {
  private readonly map = new Map<string, Set<string>>();

  add(key: string | undefined, id: string): void {
    if (key === undefined) return;
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(id);
  }

  remove(key: string | undefined, id: string): void {
    if (key === undefined) return;
    const set = this.map.get(key);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) this.map.delete(key);
  }

  get(key: string): string[] {
    return [...(this.map.get(key) ?? [])];
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const lower = (v: unknown): string | undefined => str(v)?.toLowerCase();

function enterprise(attrs: Attrs): Record<string, unknown> {
  const e = attrs[URN.enterpriseUser];
  return e && typeof e === 'object' ? (e as Record<string, unknown>) : {};
}

export const keysOf = {
  userName: (a: Attrs) => lower(a.userName),
  externalId: (a: Attrs) => str(a.externalId),
  employeeNumber: (a: Attrs) => str(enterprise(a).employeeNumber),
  manager: (a: Attrs) => {
    const m = enterprise(a).manager;
    return m && typeof m === 'object' ? str((m as Record<string, unknown>).value) : undefined;
  },
  division: (a: Attrs) => lower(enterprise(a).division),
  emails: (a: Attrs): string[] =>
    Array.isArray(a.emails)
      ? a.emails.map((e) => lower((e as Record<string, unknown> | null)?.value)).filter((v): v is string => !!v)
      : [],
};

/**
 * Users and groups with their versions, indexed so that the eq filters a sync uses never scan a
 * 100,000-user org. Callers validate; the store only keeps things consistent.
 */
export class Store {
  private readonly users = new Map<string, UserRecord>();
  private readonly groups = new Map<string, GroupRecord>();
  private readonly byUserName = new Map<string, string>();
  private readonly byExternalId = new MultiIndex();
  private readonly byEmployeeNumber = new MultiIndex();
  private readonly byEmail = new MultiIndex();
  private readonly byManager = new MultiIndex();
  private readonly byDivision = new MultiIndex();
  private readonly groupsOfUser = new Map<string, Set<string>>();
  private orderCache: { all: string[]; active: string[] } | undefined;

  // ---- users

  user(id: string): UserRecord | undefined {
    return this.users.get(id);
  }

  userIdByUserName(userName: string): string | undefined {
    return this.byUserName.get(userName.toLowerCase());
  }

  idsBy(index: 'externalId' | 'employeeNumber' | 'email' | 'manager' | 'division', key: string): string[] {
    switch (index) {
      case 'externalId': return this.byExternalId.get(key);
      case 'employeeNumber': return this.byEmployeeNumber.get(key);
      case 'email': return this.byEmail.get(key.toLowerCase());
      case 'manager': return this.byManager.get(key);
      case 'division': return this.byDivision.get(key.toLowerCase());
    }
  }

  /** User ids in creation order; the active ones only when asked. Cached until a write changes them. */
  userIds(activeOnly: boolean): string[] {
    if (!this.orderCache) {
      const all: string[] = [];
      const active: string[] = [];
      for (const u of this.users.values()) {
        all.push(u.id);
        if (u.attrs.active !== false) active.push(u.id);
      }
      this.orderCache = { all, active };
    }
    return activeOnly ? this.orderCache.active : this.orderCache.all;
  }

  allUsers(): UserRecord[] {
    return [...this.users.values()];
  }

  get userCount(): number {
    return this.users.size;
  }

  createUser(attrs: Attrs, hasPassword: boolean, id: string = randomUUID()): UserRecord {
    const now = new Date().toISOString();
    const rec: UserRecord = { id, version: 1, created: now, lastModified: now, attrs, hasPassword };
    this.users.set(id, rec);
    this.index(rec);
    this.orderCache = undefined;
    return rec;
  }

  /** Replaces a user's attributes and bumps its version: every write is a new version. */
  replaceUser(rec: UserRecord, attrs: Attrs, hasPassword = rec.hasPassword): UserRecord {
    const activeChanged = (rec.attrs.active !== false) !== (attrs.active !== false);
    this.unindex(rec);
    rec.attrs = attrs;
    rec.hasPassword = hasPassword;
    this.index(rec);
    this.bumpUser(rec);
    if (activeChanged) this.orderCache = undefined;
    return rec;
  }

  bumpUser(rec: UserRecord): void {
    rec.version += 1;
    rec.lastModified = new Date().toISOString();
  }

  deleteUser(rec: UserRecord): void {
    this.unindex(rec);
    this.users.delete(rec.id);
    for (const gid of this.groupsOfUser.get(rec.id) ?? []) {
      const g = this.groups.get(gid);
      if (g) this.setMembers(g, g.members.filter((m) => m !== rec.id));
    }
    this.groupsOfUser.delete(rec.id);
    this.orderCache = undefined;
  }

  groupIdsOf(userId: string): string[] {
    return [...(this.groupsOfUser.get(userId) ?? [])];
  }

  private index(rec: UserRecord): void {
    const a = rec.attrs;
    const un = keysOf.userName(a);
    if (un !== undefined) this.byUserName.set(un, rec.id);
    this.byExternalId.add(keysOf.externalId(a), rec.id);
    this.byEmployeeNumber.add(keysOf.employeeNumber(a), rec.id);
    this.byManager.add(keysOf.manager(a), rec.id);
    this.byDivision.add(keysOf.division(a), rec.id);
    for (const e of keysOf.emails(a)) this.byEmail.add(e, rec.id);
  }

  private unindex(rec: UserRecord): void {
    const a = rec.attrs;
    const un = keysOf.userName(a);
    if (un !== undefined && this.byUserName.get(un) === rec.id) this.byUserName.delete(un);
    this.byExternalId.remove(keysOf.externalId(a), rec.id);
    this.byEmployeeNumber.remove(keysOf.employeeNumber(a), rec.id);
    this.byManager.remove(keysOf.manager(a), rec.id);
    this.byDivision.remove(keysOf.division(a), rec.id);
    for (const e of keysOf.emails(a)) this.byEmail.remove(e, rec.id);
  }

  // ---- groups

  group(id: string): GroupRecord | undefined {
    return this.groups.get(id);
  }

  allGroups(): GroupRecord[] {
    return [...this.groups.values()];
  }

  createGroup(displayName: string, id: string = randomUUID()): GroupRecord {
    const now = new Date().toISOString();
    const g: GroupRecord = { id, version: 1, created: now, lastModified: now, displayName, members: [] };
    this.groups.set(id, g);
    return g;
  }

  /** Sets a group's members (deduplicated, order kept) and keeps each user's computed `groups` in step. */
  setMembers(g: GroupRecord, members: string[]): void {
    const next = [...new Set(members)];
    for (const uid of g.members) this.groupsOfUser.get(uid)?.delete(g.id);
    for (const uid of next) {
      let set = this.groupsOfUser.get(uid);
      if (!set) this.groupsOfUser.set(uid, (set = new Set()));
      set.add(g.id);
    }
    g.members = next;
    this.bumpGroup(g);
  }

  /** Adds members not yet in the group, in order (what setMembers does with the list and them, without the list). */
  addMembers(g: GroupRecord, members: readonly string[]): void {
    const present = new Set(g.members);
    for (const uid of members) {
      if (present.has(uid)) continue;
      present.add(uid);
      g.members.push(uid);
      let set = this.groupsOfUser.get(uid);
      if (!set) this.groupsOfUser.set(uid, (set = new Set()));
      set.add(g.id);
    }
    this.bumpGroup(g);
  }

  bumpGroup(g: GroupRecord): void {
    g.version += 1;
    g.lastModified = new Date().toISOString();
  }
}
