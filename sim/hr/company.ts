import type { EmployeeStatus, RawEmployee } from '../../src/hr/employee';
import { seededRandom, shuffle, type Random } from './random';

/**
 * Department codes the HR system uses, with the names a mapping would give them. The mapping defaults
 * and the demo share this list; the codes in UNKNOWN_DEPARTMENT_CODES are deliberately left out of it.
 */
export const DEPARTMENTS = {
  EXEC: 'Executive',
  SALES: 'Sales',
  SUPPORT: 'Customer Support',
  ENG: 'Engineering',
  FIN: 'Finance',
  HR: 'Human Resources',
  OPS: 'Operations',
  MKT: 'Marketing',
  LEGAL: 'Legal',
} as const;
export type DepartmentCode = keyof typeof DEPARTMENTS;

/** Codes a default mapping won't know, so that unmapped departments get exercised. */
export const UNKNOWN_DEPARTMENT_CODES = ['R&D-X', 'LAB7'] as const;

/** Genesys divisions by name: nearly everyone is in Home. */
export const DIVISIONS = ['Home', 'EMEA'] as const;

export const EMAIL_DOMAIN = 'corp.example';

export interface CompanyOptions {
  size: number;
  seed: number;
  /**
   * The instant every date is in the past of. Defaults to today at 00:00 UTC, so a seed gives the same
   * company all day; pass it for the same bytes on any day.
   */
  now?: Date | string | number;
}

const MAIN_DEPARTMENTS: readonly DepartmentCode[] = ['SALES', 'SUPPORT', 'ENG', 'FIN', 'HR', 'OPS', 'MKT', 'LEGAL'];
const DAY_MS = 86_400_000;
/** Ids are fixed-width numbers so that they sort the same as text and as numbers. */
const ID_BASE = 1_000_000;

const FIRST_NAMES = [
  'Ava', 'Liam', 'Olivia', 'Noah', 'Emma', 'Oliver', 'Sophia', 'Elijah', 'Isabella', 'James', 'Mia', 'Lucas',
  'Amelia', 'Mason', 'Harper', 'Ethan', 'Evelyn', 'Logan', 'Abigail', 'Aiden', 'Emily', 'Jacob', 'Ella', 'Jackson',
  'Grace', 'Samuel', 'Chloe', 'David', 'Nora', 'Daniel', 'Lily', 'Henry', 'Zoe', 'Owen', 'Hannah', 'Wyatt', 'Priya',
  'Arjun', 'Mei', 'Wei', 'Fatima', 'Omar', 'Aisha', 'Kenji', 'Yuki', 'Ines', 'Mateo', 'Lucia', 'Sven', 'Freya',
  'Kwame', 'Amara', 'Diego', 'Camila', 'Ivan', 'Olga', 'Tariq', 'Leila', 'Ravi', 'Anika',
];
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez',
  'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen',
  'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall',
  'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Patel', 'Kim', 'Chen', 'Singh', 'Okafor', 'Larsen',
  'Novak', 'Rossi', 'Schmidt', 'Kowalski',
];
const LOCATIONS: Record<(typeof DIVISIONS)[number], readonly string[]> = {
  Home: ['New York', 'Chicago', 'Austin', 'Denver', 'San Francisco', 'Raleigh', 'Remote'],
  EMEA: ['London', 'Dublin', 'Berlin', 'Paris', 'Amsterdam'],
};
const ROLE_TITLES: Record<DepartmentCode, readonly string[]> = {
  EXEC: ['Chief of Staff', 'Executive Assistant'],
  SALES: ['Account Executive', 'Sales Development Representative', 'Account Manager', 'Sales Engineer'],
  SUPPORT: ['Support Agent', 'Customer Care Specialist', 'Technical Support Engineer', 'Escalation Specialist'],
  ENG: ['Software Engineer', 'Site Reliability Engineer', 'QA Engineer', 'Data Engineer'],
  FIN: ['Financial Analyst', 'Accountant', 'Payroll Specialist'],
  HR: ['HR Generalist', 'Recruiter', 'People Partner'],
  OPS: ['Operations Analyst', 'Workforce Planner', 'Facilities Coordinator'],
  MKT: ['Marketing Specialist', 'Content Writer', 'Product Marketing Manager'],
  LEGAL: ['Counsel', 'Paralegal', 'Compliance Analyst'],
};

/** Names that break naive code: quoting, encodings, lengths. Each is still a valid record. */
interface TrickyName {
  first: string;
  last: string;
  preferred?: string;
  /** The ASCII an email would use for this person. */
  emailAs?: string;
  plusTag?: string;
  mixedCaseEmail?: boolean;
}
const TRICKY_NAMES: readonly TrickyName[] = [
  { first: 'Liam', last: "O'Brien", emailAs: 'liam.obrien' },
  { first: 'Robert', last: 'Tables', preferred: '"Bobby"' },
  { first: 'José', last: 'Müller', emailAs: 'jose.muller' },
  { first: '太郎', last: '山田', emailAs: 'taro.yamada' },
  { first: 'Hubert', last: `Wolfeschlegelsteinhausenbergerdorff ${'Vonnerschwartzenbergerhausen '.repeat(3)}Senior`, emailAs: 'hubert.wolfeschlegel' },
  { first: 'Sam 🚀', last: 'Rocket', preferred: '🌟 Sammy', emailAs: 'sam.rocket' },
  { first: 'Ann', last: 'Plus', plusTag: 'hr' },
  { first: 'Zoë', last: "D'Angelo-Nuñez", emailAs: 'zoe.dangelo-nunez' },
  { first: 'Дмитрий', last: 'Иванов', emailAs: 'dmitry.ivanov' },
  { first: 'Mary', last: 'Case', mixedCaseEmail: true },
  { first: 'Łukasz', last: 'Ångström', preferred: "Luke 'the Duke'", emailAs: 'lukasz.angstrom' },
  { first: '花子', last: '佐藤', emailAs: 'hanako.sato' },
];
/** About 1% of records, on purpose. */
const TRICKY_SHARE = 0.01;

/**
 * Generates a company with a real management tree: one CEO (manager null), managers over managers, spans
 * of 3 to 12 (the last manager filled may get fewer). Records come in random order, not managers first,
 * and ids are shuffled too, so nothing downstream can lean on an order. Deterministic from the seed.
 */
export function generateCompany(options: CompanyOptions): RawEmployee[] {
  const size = Math.trunc(options.size);
  if (!(size >= 1)) throw new RangeError(`company size must be at least 1, got ${options.size}`);
  const random = seededRandom(options.seed);
  const now = nowOf(options.now);

  // The tree, breadth first: node 0 is the CEO; managers take the next 3..12 nodes as reports.
  const parent = new Int32Array(size).fill(-1);
  const depth = new Int32Array(size);
  const reports = new Int32Array(size);
  for (let manager = 0, next = 1; next < size; manager++) {
    const span = manager === 0 ? Math.min(MAIN_DEPARTMENTS.length, size - 1) : random.int(3, 12);
    for (let k = 0; k < span && next < size; k++, next++) {
      parent[next] = manager;
      depth[next] = depth[manager] + 1;
      reports[manager]++;
    }
  }

  const ids = shuffle(Array.from({ length: size }, (_, i) => i), random).map((n) => String(ID_BASE + n + 1));
  const emails = new Set<string>();
  const departments: string[] = new Array(size);
  const employees: RawEmployee[] = new Array(size);
  const trickyEvery = Math.round(1 / TRICKY_SHARE);
  let trickyCount = 0;

  for (let i = 0; i < size; i++) {
    const isManager = reports[i] > 0;
    const level = depth[i];
    let department: string;
    if (i === 0) department = 'EXEC';
    else if (level === 1) department = MAIN_DEPARTMENTS[(i - 1) % MAIN_DEPARTMENTS.length];
    else if (!isManager && random.chance(0.01)) department = random.pick(UNKNOWN_DEPARTMENT_CODES);
    else if (!isManager && random.chance(0.03)) department = random.pick(MAIN_DEPARTMENTS);
    else department = departments[parent[i]];
    departments[i] = department;

    // Spread evenly rather than by chance, so small companies get some too.
    const tricky = i % trickyEvery === trickyEvery - 1 ? TRICKY_NAMES[trickyCount++ % TRICKY_NAMES.length] : undefined;
    const person = makePerson(random, emails, tricky);
    const status: EmployeeStatus = isManager || i === 0 ? 'active' : random.chance(0.03) ? 'leave' : random.chance(0.03) ? 'terminated' : 'active';
    const division = random.chance(0.95) ? 'Home' : 'EMEA';
    const hireAt = i === 0 ? now - 15 * 365 * DAY_MS : now - random.int(7, 12 * 365) * DAY_MS;
    const terminationAt = status === 'terminated' ? hireAt + random.int(1, Math.max(1, Math.floor((now - hireAt) / DAY_MS) - 1)) * DAY_MS : null;
    const lastChange = terminationAt ?? hireAt;
    const updatedAt = lastChange + Math.floor(random.next() * Math.max(1, now - 60_000 - lastChange));

    employees[i] = {
      id: ids[i],
      first_name: person.first_name,
      last_name: person.last_name,
      preferred_name: person.preferred_name,
      email: person.email,
      department_code: department,
      manager_employee_id: i === 0 ? null : ids[parent[i]],
      status,
      title: titleOf(random, level, isManager, department),
      work_phone: random.chance(0.95) ? phoneOf(random, division) : null,
      employee_number: `EN${String(i + 1).padStart(6, '0')}`,
      division,
      location: random.pick(LOCATIONS[division]),
      hire_date: dateOf(hireAt),
      termination_date: terminationAt === null ? null : dateOf(terminationAt),
      updated_at: new Date(updatedAt).toISOString(),
    };
  }
  forceUnknownDepartments(employees, reports, random);
  return shuffle(employees, random);
}

export interface Person {
  first_name: string;
  last_name: string;
  preferred_name: string | null;
  email: string;
}

/**
 * A name and an email not yet in `emails` (compared lower-cased), which it then adds. Shared with the
 * simulator's hire event so that new hires look like everyone else.
 */
export function makePerson(random: Random, emails: Set<string>, tricky?: TrickyName): Person {
  const first = tricky?.first ?? random.pick(FIRST_NAMES);
  const last = tricky?.last ?? random.pick(LAST_NAMES);
  const preferred = tricky?.preferred ?? (random.chance(0.05) ? first.slice(0, 3) : null);
  const stem = tricky?.emailAs ?? `${asciiOf(first)}.${asciiOf(last)}`;
  let local = stem;
  for (let n = 2; emails.has(`${local}@${EMAIL_DOMAIN}`); n++) local = `${stem}${n}`;
  emails.add(`${local}@${EMAIL_DOMAIN}`);
  let email = `${local}@${EMAIL_DOMAIN}`;
  if (tricky?.plusTag) email = `${local}+${tricky.plusTag}@${EMAIL_DOMAIN}`;
  if (tricky?.mixedCaseEmail) email = `${local.replace(/(^|\.)([a-z])/g, (_, dot: string, c: string) => dot + c.toUpperCase())}@Corp.Example`;
  return { first_name: first, last_name: last, preferred_name: preferred, email };
}

export function titleOf(random: Random, level: number, isManager: boolean, department: string): string {
  const name = DEPARTMENTS[department as DepartmentCode] ?? department;
  if (level === 0) return 'Chief Executive Officer';
  if (level === 1) return `VP, ${name}`;
  if (isManager) return level === 2 ? `Director, ${name}` : `${name} Manager`;
  const roles = ROLE_TITLES[department as DepartmentCode] ?? ['Research Scientist', 'Lab Technician'];
  return `${random.chance(0.25) ? 'Senior ' : ''}${random.pick(roles)}`;
}

/** E.164: +1 NANP numbers at home, UK and German ones in EMEA. */
export function phoneOf(random: Random, division: string): string {
  const digits = (n: number): string => Array.from({ length: n }, () => random.int(0, 9)).join('');
  if (division === 'EMEA') return random.chance(0.5) ? `+44207946${digits(4)}` : `+4930${random.int(1, 9)}${digits(7)}`;
  return `+1${random.int(2, 9)}${digits(2)}${random.int(2, 9)}${digits(2)}${digits(4)}`;
}

export function dateOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function nowOf(now: CompanyOptions['now']): number {
  if (now === undefined) return Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const at = new Date(now).getTime();
  if (Number.isNaN(at)) throw new RangeError(`not a date: ${String(now)}`);
  return at;
}

function asciiOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z0-9-]/g, '')
    .toLowerCase();
}

/** Large enough companies always carry each unknown code at least once, so mappings meet them. */
function forceUnknownDepartments(employees: RawEmployee[], reports: Int32Array, random: Random): void {
  if (employees.length < 50) return;
  for (const code of UNKNOWN_DEPARTMENT_CODES) {
    if (employees.some((e) => e.department_code === code)) continue;
    let i = random.int(1, employees.length - 1);
    const taken = (j: number): boolean => reports[j] > 0 || (UNKNOWN_DEPARTMENT_CODES as readonly unknown[]).includes(employees[j].department_code);
    while (taken(i)) i = (i % (employees.length - 1)) + 1;
    employees[i].department_code = code;
  }
}
