import { URN } from '../scim/model/schemas/urns';
import { managerOperations } from './attributes';
import { isActionable, type PlannedChange } from './plan';
import { resolveManagerRef } from './manager-ref';
import { warnings as warn } from './warnings';

export { resolveManagerRef };

export interface ManagerOrder {
  /**
   * HR ids of actionable changes in the order to apply them: everything in a wave may run in parallel;
   * a change whose manager is created in this run sits in a later wave than that manager's creation.
   */
  waves: string[][];
  /** Management cycles among this run's creations (A manages B manages A), each starting at its smallest HR id. */
  cycles: string[][];
}


type Orderable = Pick<PlannedChange, 'hrId' | 'action' | 'pendingManagerHrId'>;

/**
 * Orders changes so that a manager created in this run exists before the changes that refer to them,
 * which can then name the manager directly (see `resolvePendingManager`). Cycle members go in the first
 * wave: they are created without the manager reference (see `releaseCycles`).
 */
export function orderByManagers(changes: readonly Orderable[]): ManagerOrder {
  const nodes = changes.filter((c) => isActionable(c));
  const creating = new Set(nodes.filter((c) => c.action === 'create').map((c) => c.hrId));
  const managerOf = new Map<string, string>();
  for (const c of nodes) {
    if (c.pendingManagerHrId !== undefined && creating.has(c.pendingManagerHrId) && c.pendingManagerHrId !== c.hrId) {
      managerOf.set(c.hrId, c.pendingManagerHrId);
    }
  }

  // Each node has at most one outgoing edge (its manager), so every walk ends at a root, a known depth, or a cycle.
  const depth = new Map<string, number>();
  const cycles: string[][] = [];
  for (const { hrId } of nodes) {
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let cur: string | undefined = hrId;
    while (cur !== undefined && !depth.has(cur) && !onPath.has(cur)) {
      onPath.set(cur, path.length);
      path.push(cur);
      cur = managerOf.get(cur);
    }
    let level: number;
    if (cur === undefined) {
      level = -1;
    } else if (depth.has(cur)) {
      level = depth.get(cur) as number;
    } else {
      const start = onPath.get(cur) as number;
      const cycle = path.splice(start);
      for (const id of cycle) depth.set(id, 0);
      cycles.push(rotateToSmallest(cycle));
      level = 0;
    }
    for (let i = path.length - 1; i >= 0; i--) depth.set(path[i], ++level);
  }

  const waves: string[][] = [];
  const placed = new Set<string>();
  for (const { hrId } of nodes) {
    if (placed.has(hrId)) continue;
    placed.add(hrId);
    const d = depth.get(hrId) as number;
    while (waves.length <= d) waves.push([]);
    waves[d].push(hrId);
  }
  return { waves, cycles };
}

function rotateToSmallest(cycle: string[]): string[] {
  let min = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i] < cycle[min]) min = i;
  return [...cycle.slice(min), ...cycle.slice(0, min)];
}

/** A page's changes in the order to write them: managers first (so their reports can name them), cycles released; the rest after. */
export function inApplyOrder(changes: readonly PlannedChange[]): PlannedChange[] {
  const { waves, cycles } = orderByManagers(changes);
  const released = releaseCycles(changes, cycles);
  const byId = new Map(released.map((c) => [c.hrId, c]));
  const ordered = waves.flat().map((id) => byId.get(id) as PlannedChange);
  const inWaves = new Set(waves.flat());
  return [...ordered, ...released.filter((c) => !inWaves.has(c.hrId))];
}

/**
 * A chunk of changes in apply order (see inApplyOrder, managersFirst) cut into the waves that may be written
 * together: a new wave starts where a change needs a manager created earlier in the chunk, so that its write
 * can name the manager's new id. The order is kept; the manager order itself is never worked out again here.
 */
export function writeWaves<C extends Pick<PlannedChange, 'hrId' | 'pendingManagerHrId'>>(ordered: readonly C[]): C[][] {
  const waves: C[][] = [];
  let wave: C[] = [];
  const inWave = new Set<string>();
  for (const c of ordered) {
    if (c.pendingManagerHrId !== undefined && inWave.has(c.pendingManagerHrId)) {
      waves.push(wave);
      wave = [];
      inWave.clear();
    }
    wave.push(c);
    inWave.add(c.hrId);
  }
  if (wave.length) waves.push(wave);
  return waves;
}

/** Chunks of one page written at once: each chunk's changes already go `concurrency` at a time. */
export const CHUNKS_PER_WAVE = 2;

/**
 * A page's write chunks, in order, grouped into the waves of chunks written at the same time, as counts
 * (chunks per wave, summing to the chunks): a chunk joins the wave unless the wave is full or a change on
 * either side needs a manager the other writes (a joiner, whose new id its write can only name once that
 * manager's chunk has landed). Such a pair is written one after the other, as every chunk was before.
 */
export function chunkWaves(chunks: readonly (readonly Pick<PlannedChange, 'hrId' | 'pendingManagerHrId'>[])[], max = CHUNKS_PER_WAVE): number[] {
  const waves: number[] = [];
  const ids = new Set<string>();
  const managers = new Set<string>();
  for (const chunk of chunks) {
    const joins =
      waves.length > 0 &&
      waves[waves.length - 1] < max &&
      !chunk.some((c) => (c.pendingManagerHrId !== undefined && ids.has(c.pendingManagerHrId)) || managers.has(c.hrId));
    if (joins) {
      waves[waves.length - 1]++;
    } else {
      waves.push(1);
      ids.clear();
      managers.clear();
    }
    for (const c of chunk) {
      ids.add(c.hrId);
      if (c.pendingManagerHrId !== undefined) managers.add(c.pendingManagerHrId);
    }
  }
  return waves;
}

/**
 * The run's joiners that manage someone the run writes, managers of managers first: the apply pass creates
 * them before any HR page, so every report names its manager in its own write. `managed` holds the pending
 * manager HR ids of the whole plan. A management cycle across pages keeps its pending references: only a
 * cycle within one page is released, by the page.
 *
 * Each is planned from the plan pass's record, and planned again on its HR page, from HR's latest record
 * and against the user this create answered: the account is all it writes first (its manager with it,
 * when known by then). Its groups, and a manager still unknown, are its HR page's to write or leave for the
 * end of the run; recorded here as well, a move, a new manager or a leave between the passes would leave
 * it in the plan pass's group too, or under the plan pass's manager.
 */
export function managersFirst(creates: readonly PlannedChange[], managed: ReadonlySet<string>): PlannedChange[] {
  const managers = creates.filter((c) => c.action === 'create' && c.userId === undefined && managed.has(c.hrId));
  const { waves } = orderByManagers(managers);
  const byId = new Map(managers.map((c) => [c.hrId, c]));
  return waves.flat().map((id) => withoutGroups(byId.get(id) as PlannedChange));
}

function withoutGroups(change: PlannedChange): PlannedChange {
  return { ...change, groupChanges: { add: [], remove: [] }, changedFields: change.changedFields.filter((f) => f !== 'groups') };
}

/** Cycle members are created without their manager reference, and say why. */
export function releaseCycles(changes: readonly PlannedChange[], cycles: readonly string[][]): PlannedChange[] {
  const cycleOf = new Map<string, string[]>();
  for (const cycle of cycles) for (const id of cycle) cycleOf.set(id, cycle);
  return changes.map((c) => {
    const cycle = cycleOf.get(c.hrId);
    if (cycle === undefined || c.pendingManagerHrId === undefined) return c;
    const { pendingManagerHrId: _dropped, ...rest } = c;
    return {
      ...rest,
      warnings: [...c.warnings, warn.managementCycle(cycle)],
    };
  });
}

/**
 * Fills in a pending manager reference once the manager's user id is known: into the POST body of a
 * user not yet created, otherwise as a PATCH operation. Unchanged when the manager is still unknown.
 */
export function resolvePendingManager(change: PlannedChange, idsByHrId: Readonly<Record<string, string>>): PlannedChange {
  const managerUserId = resolveManagerRef(change.pendingManagerHrId, idsByHrId);
  if (managerUserId === undefined) return change;
  const { pendingManagerHrId: _resolved, ...rest } = change;
  const changedFields = change.changedFields.includes('manager') ? change.changedFields : [...change.changedFields, 'manager'];
  if (change.action === 'create' && change.newUser !== undefined && change.userId === undefined) {
    const enterprise = { ...(change.newUser[URN.enterpriseUser] ?? {}), manager: { value: managerUserId } };
    const schemas = [...new Set([...(change.newUser.schemas ?? [URN.user]), URN.enterpriseUser])];
    return { ...rest, changedFields, newUser: { ...change.newUser, schemas, [URN.enterpriseUser]: enterprise } };
  }
  return { ...rest, changedFields, operations: [...change.operations, ...managerOperations(managerUserId)] };
}

/** A reference record: one left for the end of the run, or `withdrawn` by a later plan of the employee. */
export interface ReferenceRecord {
  hrId: string;
  /** The HR record's `updated_at` the plan was made from. */
  updatedAt?: string;
  withdrawn?: true;
}

/**
 * The references to set at the end of the run, from its records in the order they were recorded: per
 * employee, the one of the latest plan. HR may send an employee twice in a run (on two pages), and the
 * later plan, withdrawing what the earlier left (see withdrawnReferences), has the last word: else the end
 * of the run would set a manager HR no longer names, or fail on one without an account. By the HR record
 * first, where both say theirs (a conflict fix records after the pages it sorts before); of one record, or
 * undated, a reference (its write's) stands against a withdrawal (its plan's); else the later recorded.
 */
export function latestReferences<R extends ReferenceRecord>(records: Iterable<R>): Exclude<R, { withdrawn: true }>[] {
  const latest = new Map<string, R>();
  const later = (a: R, b: R): boolean => {
    if (a.updatedAt === undefined || b.updatedAt === undefined || a.updatedAt === b.updatedAt) return !(a.withdrawn && !b.withdrawn);
    return a.updatedAt > b.updatedAt;
  };
  for (const r of records) {
    const before = latest.get(r.hrId);
    if (!before || later(r, before)) latest.set(r.hrId, r);
  }
  return [...latest.values()].filter((r): r is Exclude<R, { withdrawn: true }> => !r.withdrawn);
}

/**
 * The employees of a page of the apply pass whom this run wrote before (HR sent them on an earlier page
 * too): what an earlier plan of theirs left for the end of the run is withdrawn, before the page's writes
 * record what the latest plan leaves, if anything.
 */
export function withdrawnReferences(
  changes: readonly Pick<PlannedChange, 'hrId' | 'updatedAt'>[],
  writtenBefore: (hrId: string) => string | undefined,
): { hrId: string; userId: string; withdrawn: true; updatedAt?: string }[] {
  const out: { hrId: string; userId: string; withdrawn: true; updatedAt?: string }[] = [];
  for (const c of changes) {
    const userId = writtenBefore(c.hrId);
    if (userId !== undefined) out.push({ hrId: c.hrId, userId, withdrawn: true, ...(c.updatedAt !== undefined ? { updatedAt: c.updatedAt } : {}) });
  }
  return out;
}
