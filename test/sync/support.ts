import { readFileSync } from 'node:fs';
import { parseCsv } from '../../src/runs/csv';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { RawEmployee } from '../../src/hr/employee';
import type { User } from '../../src/scim/model/resources/user';
import type { Simulators } from '../../sim';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The default mapping, spelled out: HR department code -> Genesys department and group. */
const DEPARTMENT: Record<string, [string, string | undefined]> = {
  EXEC: ['Executive', undefined],
  SALES: ['Sales', 'Sales Team'],
  SUPPORT: ['Customer Support', 'Support Team'],
  ENG: ['Engineering', 'Engineering Team'],
  FIN: ['Finance', 'Finance Team'],
  HR: ['Human Resources', 'HR Team'],
  OPS: ['Operations', 'Operations Team'],
  MKT: ['Marketing', 'Marketing Team'],
  LEGAL: ['Legal', 'Legal Team'],
};

export const today = (): string => new Date().toISOString().slice(0, 10);

export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Group displayNames by member user id, from the simulator's own state. */
export function groupsByUser(sims: Simulators): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of sims.scim.groups()) for (const m of g.members ?? []) out.set(m.value, [...(out.get(m.value) ?? []), g.displayName]);
  return out;
}

export interface ConvergeOptions {
  /** scim2 targets also carry name.givenName and name.familyName. */
  profile?: 'genesys' | 'scim2';
  /** HR ids to leave out (e.g. records HR served broken, which the run quarantined). */
  except?: ReadonlySet<string>;
}

/**
 * What each employee's user must look like, written out independently of the mapping code (a test
 * that asked the mapping what to expect would not catch a mapping bug). Returns the differences.
 */
export function convergenceProblems(employees: RawEmployee[], sims: Simulators, opts: ConvergeOptions = {}): string[] {
  const users = sims.scim.users();
  const groups = groupsByUser(sims);
  const day = today();
  const byExternalId = new Map(users.filter((u) => u.externalId).map((u) => [u.externalId as string, u]));
  const problems: string[] = [];
  for (const e of employees) {
    const id = String(e.id);
    if (opts.except?.has(id)) continue;
    const u = byExternalId.get(id);
    const rehired = e.hire_date != null && e.termination_date != null && e.hire_date > e.termination_date;
    const left = e.status === 'terminated' || (!rehired && e.termination_date != null && e.termination_date <= day);
    const startsLater = e.hire_date != null && e.hire_date > day;
    if (startsLater) {
      if (u) problems.push(`${id}: a future hire got an account`);
      continue;
    }
    if (left) {
      if (u && u.active !== false) problems.push(`${id}: a leaver is still active`);
      continue;
    }
    if (!u) {
      problems.push(`${id}: no account`);
      continue;
    }
    const want = (field: string, expected: unknown, actual: unknown) => {
      if (expected !== actual) problems.push(`${id} ${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    };
    want('active', true, u.active);
    want('userName', String(e.email).trim().toLowerCase(), u.userName);
    want('displayName', `${(e.preferred_name ?? e.first_name).trim()} ${e.last_name.trim()}`, u.displayName);
    want('title', e.title ?? undefined, u.title);
    want('work email', String(e.email).trim(), u.emails?.find((m) => m.type === 'work')?.value);
    want('work phone', e.work_phone ?? undefined, u.phoneNumbers?.find((p) => p.type === 'work')?.value);
    const [department, group] = (e.department_code && DEPARTMENT[e.department_code]) || [undefined, undefined];
    if (department) want('department', department, u[ENT]?.department);
    want('employeeNumber', e.employee_number == null ? undefined : String(e.employee_number), u[ENT]?.employeeNumber);
    const managerAccount = e.manager_employee_id == null ? undefined : byExternalId.get(String(e.manager_employee_id));
    want('manager', managerAccount?.id, u[ENT]?.manager?.value);
    if (department) want('groups', group ?? '', (groups.get(u.id) ?? []).join(','));
    if (opts.profile === 'scim2') {
      want('name.givenName', e.first_name.trim(), u.name?.givenName);
      want('name.familyName', e.last_name.trim(), u.name?.familyName);
    }
  }
  return problems;
}

export function userByExternalId(sims: Simulators, hrId: string): User | undefined {
  return sims.scim.users().find((u) => u.externalId === hrId);
}

export interface CsvRow {
  hr_id: string;
  user_id: string;
  user_name: string;
  action: string;
  outcome: string;
  http_status: string;
  changed_fields: string;
  drift: string;
  error: string;
  warning_codes: string;
}

/** The report as records, read with the CLI's own CSV parser. */
export function readReport(file: string): CsvRow[] {
  return parseCsv(readFileSync(file, 'utf8')) as unknown as CsvRow[];
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

/**
 * A fetched history as text a secret could hide in. Payload data are bytes, which JSON.stringify
 * shows base64-encoded (a secret inside would not be found as text), so every byte field is decoded
 * as UTF-8; the JSON form is appended as well.
 */
export function historyText(history: History | unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('utf8'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        parts.push(k);
        walk(x);
      }
    } else if (v !== undefined && v !== null) parts.push(String(v));
  };
  walk(history);
  parts.push(JSON.stringify(history));
  return parts.join('\n');
}

/** Polls until `probe` returns something truthy (a workflow reaching its gate, say); no timing is asserted. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
