import assert from 'node:assert/strict';
import type { RawEmployee } from '../../src/hr/employee';
import type { User } from '../../src/scim/model/resources/user';
import type { Group } from '../../src/scim/model/resources/group';
import type { Simulators } from '../../sim';
import { lifecycleBatch } from '../../sim/hr/batch';
import type { RequestLogEntry } from '../../sim/scim/stats';
import type { SyncSummary } from '../../src/workflows/contracts';
import type { ScimStrictness } from '../../sim/scim/options';
import { startHarness, type Harness } from '../support/harness';
import type { IndependentScim } from '../support/independent-scim';
import { convergenceProblems, readReport, today, type CsvRow } from './support';

/**
 * The core scenarios on a target's defaults (no config file): an initial full sync, a repeat that writes
 * nothing, a day of HR changes as a delta, and a repeat of that. Shared by the per-target test files.
 */

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const DEFAULT_CODES = new Set(['EXEC', 'SALES', 'SUPPORT', 'ENG', 'FIN', 'HR', 'OPS', 'MKT', 'LEGAL']);

/** What a target exposes to the checks: its users and groups as its own state says, and its own count of writes. */
export interface TargetState {
  users(): User[] | Promise<User[]>;
  groups(): Group[] | Promise<Group[]>;
  resetLog(): void;
  /** Requests that changed something since the last reset, by the target's own count. */
  writes(): number;
  /** The requests since the last reset, where the target logs them. */
  log?(): RequestLogEntry[];
}

/** The convergence checks of `support.ts` against any target's state, plus duplicates and unknown department codes. */
export async function problemsOn(target: TargetState, employees: RawEmployee[], opts: Parameters<typeof convergenceProblems>[2] = {}): Promise<string[]> {
  const users = await target.users();
  const groups = await target.groups();
  const state = { scim: { users: () => users, groups: () => groups } };
  const problems = convergenceProblems(employees, state as unknown as Simulators, opts);
  const byExternalId = new Map(users.filter((u) => u.externalId).map((u) => [u.externalId as string, u]));
  const seen = new Map<string, number>();
  for (const u of users) {
    seen.set(u.userName.toLowerCase(), (seen.get(u.userName.toLowerCase()) ?? 0) + 1);
    if (u.externalId) seen.set(`x:${u.externalId}`, (seen.get(`x:${u.externalId}`) ?? 0) + 1);
  }
  for (const [k, n] of seen) if (n > 1) problems.push(`${n} accounts share ${k.startsWith('x:') ? `externalId ${k.slice(2)}` : `userName ${k}`}`);
  // An unknown department code still sets a department: the code itself (mapping.unknownDepartment: code).
  for (const e of employees) {
    const code = e.department_code;
    const u = byExternalId.get(String(e.id));
    if (!code || DEFAULT_CODES.has(code) || !u || u.active === false || opts.except?.has(String(e.id))) continue;
    if (u[ENT]?.department !== code) problems.push(`${e.id} department: expected the HR code ${JSON.stringify(code)}, got ${JSON.stringify(u[ENT]?.department)}`);
  }
  return problems;
}

/** Requests that changed something: 2xx writes. */
export function successfulWrites(log: readonly RequestLogEntry[]): RequestLogEntry[] {
  return log.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.route !== '/oauth/token' && typeof r.status === 'number' && r.status < 300);
}

/** Requests whose decoded path and query match `pattern`. */
export function requestsMatching(log: readonly RequestLogEntry[], pattern: RegExp): RequestLogEntry[] {
  return log.filter((r) => pattern.test(decodeURIComponent(r.path.replace(/\+/g, ' '))));
}

export interface ScenarioOptions {
  h: Harness;
  target: TargetState;
  profile: 'genesys' | 'scim2';
  /** HR ids whose convergence the scenario checks itself (a refused attribute stays as it was). */
  except?: () => ReadonlySet<string>;
  /** HR changes beyond the day's batch, applied before the delta. */
  extraChanges?: (h: Harness) => void | Promise<void>;
}

export interface ScenarioResult {
  full: SyncSummary;
  repeat: SyncSummary;
  delta: SyncSummary;
  deltaRows: CsvRow[];
  /** The delta's requests, as the target logged them. */
  deltaLog: RequestLogEntry[];
}

/** Runs the four runs of the scenario and checks each; returns what the caller checks further. */
export async function convergesOnDefaults(o: ScenarioOptions): Promise<ScenarioResult> {
  const { h, target } = o;
  const converged = async (what: string) => {
    const problems = await problemsOn(target, h.sims.hr.employees(), { profile: o.profile, except: o.except?.() });
    assert.deepEqual(problems.slice(0, 20), [], `${what}: not converged`);
  };

  const unknownCodes = h.sims.hr.employees().filter((e) => e.department_code && !DEFAULT_CODES.has(e.department_code) && e.status !== 'terminated');
  assert.ok(unknownCodes.length > 0, 'the company has no department code the default table lacks: the check would prove nothing');

  const full = await h.sync({ mode: 'full' });
  assert.equal(full.outcome, 'succeeded', JSON.stringify(full));
  await converged('initial full sync');

  target.resetLog();
  const repeat = await h.sync({ mode: 'full' });
  assert.equal(repeat.outcome, 'succeeded', JSON.stringify(repeat));
  assert.equal(target.writes(), 0, 'the repeat full run wrote');
  assert.equal(repeat.drift, 0, 'drift after a repeat');

  for (const event of lifecycleBatch(h.sims.hr.employees(), today())) h.sims.hr.apply(event);
  await o.extraChanges?.(h);
  target.resetLog();
  const delta = await h.sync({ mode: 'delta' });
  const deltaLog = target.log?.() ?? [];
  assert.equal(delta.outcome, 'succeeded', JSON.stringify(delta));
  assert.ok((delta.outcomes.applied ?? 0) > 0, 'the delta wrote something');
  await converged('delta');

  target.resetLog();
  const again = await h.sync({ mode: 'delta' });
  assert.equal(again.outcome, 'succeeded', JSON.stringify(again));
  assert.equal(target.writes(), 0, 'the repeat delta wrote');

  return { full, repeat, delta, deltaRows: readReport(delta.reportPath), deltaLog };
}

/** The target state and request log of the simulator, for the scenario. */
export function simTarget(h: Harness): ScenarioOptions['target'] {
  return {
    users: () => h.sims.scim.users(),
    groups: () => h.sims.scim.groups(),
    resetLog: () => h.sims.scim.resetStats(),
    writes: () => successfulWrites(h.sims.scim.requests(2000)).length,
    log: () => h.sims.scim.requests(2000),
  };
}

/** Employees with an active account (among `users`) who are plain reports (not anyone's manager), in a stable order. */
export function plainReports(h: Harness, users: readonly User[] = h.sims.scim.users()): RawEmployee[] {
  const all = h.sims.hr.employees();
  const managers = new Set(all.map((e) => String(e.manager_employee_id)));
  const accounts = new Set(users.filter((u) => u.active !== false).map((u) => u.externalId));
  return all
    .filter((e) => e.status === 'active' && !e.termination_date && !managers.has(String(e.id)) && accounts.has(String(e.id)) && e.manager_employee_id != null)
    .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
}

/**
 * A harness per test on the simulator in `mode`, playing the strictness a test asks for, closed after each
 * test: what each strictness-mode suite starts from.
 */
export function strictHarnesses(mode: 'genesys' | 'scim2', seed: number): (strict: Partial<ScimStrictness>, opts?: { strangers?: number }) => Promise<Harness> {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  return async (strict, opts = {}) => {
    const users = opts.strangers ? strangers(opts.strangers) : undefined;
    h = await startHarness({ scim: { mode, strict, ...(users ? { users } : {}) }, hr: { employees: 50, seed }, configure: (c) => void (c.sync.watermarkOverlapSeconds = 0) });
    return h;
  };
}

/**
 * Accounts hrsync doesn't manage (no externalId): they make a target large without touching what a run plans, so
 * that a delta's lookups stay cheaper than reading the target (see domain/readonce) and the lookups are what runs.
 */
export function strangers(n: number): { userName: string; displayName: string }[] {
  return Array.from({ length: n }, (_, i) => ({ userName: `stranger.${i}@elsewhere.com`, displayName: `Stranger ${i}` }));
}

/** Strangers enough that a small delta keeps asking even one term a query. */
export const ASKING = { strangers: 1200 };

/**
 * The refused-`remove` scenario: after the initial sync, HR clears one employee's manager (and changes their
 * title) and terminates another whose manager is cleared too; the run must converge on everything else.
 */
export async function refusedRemoveScenario(h: Harness, profile: ScenarioOptions['profile'], title: string): Promise<ScenarioResult & { cleared: string; leaver: string }> {
  let cleared = '';
  let leaver = '';
  const r = await convergesOnDefaults({
    h,
    target: simTarget(h),
    profile,
    except: () => new Set([cleared]),
    extraChanges: (x) => {
      const [a, b] = plainReports(x).slice(-2);
      cleared = String(a.id);
      leaver = String(b.id);
      x.sims.hr.apply({ type: 'manager-change', id: a.id, manager_employee_id: null });
      x.sims.hr.apply({ type: 'title-change', id: a.id, title });
      x.sims.hr.apply({ type: 'manager-change', id: b.id, manager_employee_id: null });
      x.sims.hr.apply({ type: 'terminate', id: b.id });
    },
  });
  return { ...r, cleared, leaver };
}

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The worker and simulated HR on hrsync's defaults, aimed at an independent server through the generic
 * profile, and that server seen as the run's target: its users and groups, its writes by its own count.
 */
export async function onIndependentServer(scim: IndependentScim): Promise<{ h: Harness; target: TargetState }> {
  const h = await startHarness({
    scim: { mode: 'scim2' },
    hr: { employees: 60, seed: 97 },
    env: { SCIM_TARGET: 'scim2', SCIM_BASE_URL: scim.baseUrl, SCIM_BEARER_TOKEN: scim.bearerToken },
    configure: (c) => void (c.sync.watermarkOverlapSeconds = 0),
  });
  const target: TargetState = {
    users: async () => (await scim.users()) as unknown as User[],
    groups: async () => (await scim.groups()) as unknown as Group[],
    resetLog: () => scim.resetStats(),
    writes: () => WRITES.reduce((n, m) => n + (scim.stats().byMethod[m] ?? 0), 0),
  };
  return { h, target };
}
