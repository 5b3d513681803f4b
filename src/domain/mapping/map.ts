import type { Employee } from '../../hr/employee';
import { addDays, assertIsoDate } from '../dates';
import { canonicalPhone, normaliseEmail, tidyText } from '../normalise';
import { profileKnows, type TargetProfile } from '../profile';
import type { Department, MappingConfig } from './config';
import { evaluateEntry, overriddenAttribute, parseTargetPath, type MappedValue, type TargetPath } from './rules';

/**
 * Where an employee stands on `today`:
 * - `pending-hire`: starts later than the lead time allows; no account yet.
 * - `pre-hire`: starts within the lead time; the account is provisioned (active) ahead of day one.
 * - `active`: employed, with a status that means an active account.
 * - `inactive`: employed, but the status (e.g. `leave`, if configured so) means no active account.
 * - `leaver`: terminated, or the termination date has come.
 */
export type Lifecycle = 'pending-hire' | 'pre-hire' | 'active' | 'inactive' | 'leaver';

/**
 * The user an employee should be, flat and comparable (not the SCIM wire shape).
 * Three states per optional attribute: a value sets it, `null` means HR says "none" (clear it),
 * `undefined` means HR doesn't say (leave the target alone).
 * Which attributes are actually written is decided by `managedAttributes`, at diff time.
 */
export interface DesiredUser {
  hrId: string;
  /** The HR id; the strongest match key. */
  externalId: string;
  /** HR email, lower-cased. */
  userName: string;
  displayName: string;
  /** Only for `scim2` targets. */
  givenName?: string;
  familyName?: string;
  title?: string | null;
  /** HR email as HR cased it. */
  workEmail: string;
  /** E.164 or a tel: URI. */
  workPhone?: string | null;
  department?: string | null;
  employeeNumber?: string;
  division?: string;
  /** YYYY-MM-DD. */
  dateHire?: string;
  /** The manager's HR id; resolved to a user id when diffing. */
  managerHrId?: string | null;
  active: boolean;
  /** Group displayNames from the department; `undefined` leaves memberships alone. */
  groups?: string[];
  lifecycle: Lifecycle;
  /** For a future hire: the first day the account may be created (hire date minus lead days). */
  provisionFrom?: string;
  /**
   * The values of `mapping.attributes` entries on attributes of their own, by the entry's `target`
   * (a list is a set); an entry that says nothing is absent.
   */
  mapped?: Record<string, MappedValue>;
}

export type MappingWarningCode = 'unknown-department' | 'invalid-phone' | 'self-manager' | 'mapping';

export interface MappingWarning {
  hrId: string;
  code: MappingWarningCode;
  /** The HR field the warning is about. */
  field: string;
  message: string;
}

export interface MappingContext {
  profile: TargetProfile;
  /** YYYY-MM-DD, the day the run plans for. */
  today: string;
}

export interface MappingResult {
  desired: DesiredUser;
  warnings: MappingWarning[];
  /** Why the record must be left alone (`mapping.unknownDepartment: quarantine`). */
  quarantine?: string;
}

export function mapEmployee(employee: Employee, config: MappingConfig, ctx: MappingContext): MappingResult {
  assertIsoDate(ctx.today, 'today');
  const hrId = employee.id;
  const warnings: MappingWarning[] = [];
  const warn = (code: MappingWarningCode, field: string, message: string) => warnings.push({ hrId, code, field, message });

  const { lifecycle, active, provisionFrom } = lifecycleOf(employee, config, ctx.today);
  const desired: DesiredUser = {
    hrId,
    externalId: hrId,
    userName: normaliseEmail(employee.email),
    displayName: displayNameOf(employee, config),
    workEmail: employee.email.trim(),
    active,
    lifecycle,
  };
  if (provisionFrom !== undefined) desired.provisionFrom = provisionFrom;

  if (profileKnows(ctx.profile, 'name')) {
    desired.givenName = tidyText(employee.first_name);
    desired.familyName = tidyText(employee.last_name);
  }

  const empty = <T>(v: T | null | undefined): T | null | undefined => (v === null && !config.clearEmptyAttributes ? undefined : v);

  const title = empty(employee.title);
  if (title !== undefined) desired.title = title === null ? null : tidyText(title);

  const phone = empty(employee.work_phone);
  if (typeof phone === 'string') {
    const canonical = canonicalPhone(phone);
    if (canonical === undefined) {
      warn('invalid-phone', 'work_phone', `work_phone ${JSON.stringify(phone)} is neither E.164 (+<country><number>) nor a tel: URI; left unmapped`);
    } else {
      desired.workPhone = canonical;
    }
  } else if (phone === null) {
    desired.workPhone = null;
  }

  let quarantine: string | undefined;
  const code = empty(employee.department_code);
  if (code === null) {
    desired.department = null;
    desired.groups = [];
  } else if (typeof code === 'string') {
    const dept = lookupDepartment(config, code);
    if (dept === undefined) {
      const table = `department_code ${JSON.stringify(code)} is not in the mapping's departments table`;
      if (config.unknownDepartment === 'code') {
        desired.department = tidyText(code);
        // A department this run doesn't write (not managed, or the target doesn't take it) is not "set".
        const set = config.managedAttributes.includes('department') ? 'department set to the code, ' : '';
        warn('unknown-department', 'department_code', `${table}; ${set}groups left as they are`);
      } else if (config.unknownDepartment === 'leave') {
        warn('unknown-department', 'department_code', `${table}; department and groups left as they are`);
      } else {
        quarantine = `${table}: record quarantined (mapping.unknownDepartment: quarantine)`;
        warn('unknown-department', 'department_code', quarantine);
      }
    } else {
      desired.department = dept.name;
      desired.groups = [...new Set(dept.groups)];
    }
  }

  if (employee.employee_number) desired.employeeNumber = employee.employee_number;
  const division = employee.division ?? config.defaultDivision;
  if (division) desired.division = division;
  if (employee.hire_date) desired.dateHire = employee.hire_date;

  const manager = empty(employee.manager_employee_id);
  if (manager === hrId) {
    warn('self-manager', 'manager_employee_id', 'the employee is recorded as their own manager; manager left as it is');
  } else if (manager !== undefined) {
    desired.managerHrId = manager;
  }

  applyEntries(employee, config, desired, warn);
  return { desired, warnings, ...(quarantine ? { quarantine } : {}) };
}

/** `mapping.attributes`: a built-in attribute's entry replaces its value; any other goes into `desired.mapped`. */
function applyEntries(employee: Employee, config: MappingConfig, desired: DesiredUser, warn: (code: MappingWarningCode, field: string, message: string) => void): void {
  for (const entry of config.attributes) {
    const { value, warnings } = evaluateEntry(entry, employee, { clearEmpty: config.clearEmptyAttributes });
    for (const w of warnings) warn('mapping', w.field, w.message);
    const path = parseTargetPath(entry.target) as TargetPath;
    const builtIn = overriddenAttribute(path, config.phoneType);
    if (builtIn === undefined) {
      if (value !== undefined) (desired.mapped ??= {})[entry.target] = value;
      continue;
    }
    if (value === undefined || Array.isArray(value)) continue;
    const text = value === null ? null : tidyText(String(value));
    if (builtIn === 'phone') desired.workPhone = text;
    else if (builtIn === 'title' || builtIn === 'department') desired[builtIn] = text;
    else if (text === null) {
      if (builtIn !== 'displayName') delete desired[builtIn];
    } else desired[builtIn] = text;
  }
}

function lifecycleOf(
  employee: Employee,
  config: MappingConfig,
  today: string,
): { lifecycle: Lifecycle; active: boolean; provisionFrom?: string } {
  const hire = employee.hire_date ?? undefined;
  const termination = employee.termination_date ?? undefined;
  // A termination date before the (latest) hire date belongs to an earlier employment: a rehire.
  const terminationApplies = termination !== undefined && !(hire !== undefined && hire > termination);
  if (employee.status === 'terminated' || (terminationApplies && termination <= today)) {
    return { lifecycle: 'leaver', active: false };
  }
  if (!config.activeStatuses.includes(employee.status)) return { lifecycle: 'inactive', active: false };
  if (hire !== undefined && hire > today) {
    const provisionFrom = addDays(hire, -config.hireLeadDays);
    if (today < provisionFrom) return { lifecycle: 'pending-hire', active: false, provisionFrom };
    return { lifecycle: 'pre-hire', active: true, provisionFrom };
  }
  return { lifecycle: 'active', active: true };
}

/**
 * `preferred_name` is taken as the name the person goes by, followed by the last name; when HR already
 * put the full name there ("Bob Smith"), it isn't doubled.
 */
function displayNameOf(employee: Employee, config: MappingConfig): string {
  const last = tidyText(employee.last_name);
  const preferred = config.usePreferredName && employee.preferred_name ? tidyText(employee.preferred_name) : undefined;
  if (preferred !== undefined && preferred.toLowerCase().endsWith(` ${last.toLowerCase()}`)) return preferred;
  return `${preferred ?? tidyText(employee.first_name)} ${last}`;
}

function lookupDepartment(config: MappingConfig, code: string): Department | undefined {
  // Own keys only: a code such as "constructor" must not find Object.prototype.
  if (Object.hasOwn(config.departments, code)) return config.departments[code];
  const wanted = code.trim().toUpperCase();
  const key = Object.keys(config.departments).find((k) => k.toUpperCase() === wanted);
  return key === undefined ? undefined : config.departments[key];
}
