import assert from 'node:assert/strict';
import type { RawEmployee } from '../../src/hr/employee';
import { MappingConfigSchema, defaultMappingConfig, managedGroupNames, type MappingConfigInput } from '../../src/domain/mapping/config';
import { mapEmployee, type DesiredUser, type MappingWarningCode } from '../../src/domain/mapping/map';
import type { TargetProfile } from '../../src/domain/profile';
import { TODAY, config, employee } from './fixtures';

describe('domain: mapping config', () => {
  it('defaults fit the HR contract and a Genesys target', () => {
    const c = defaultMappingConfig();
    assert.deepEqual(c.matchPrecedence, ['externalId', 'employeeNumber', 'userName']);
    assert.deepEqual(Object.keys(c.departments).sort(), ['ENG', 'EXEC', 'FIN', 'HR', 'LEGAL', 'MKT', 'OPS', 'SALES', 'SUPPORT']);
    for (const [code, d] of Object.entries(c.departments)) assert.equal(d.groups.length, code === 'EXEC' ? 0 : 1);
    assert.deepEqual(c.activeStatuses, ['active', 'leave']);
    assert.equal(c.hireLeadDays, 0);
    assert.equal(c.defaultDivision, undefined);
    assert.equal(c.phoneType, 'work');
    assert.equal(c.emailType, 'work');
    assert.ok(c.managedAttributes.includes('name'));
    assert.ok(!c.managedAttributes.includes('externalId'));
    assert.equal(managedGroupNames(c).length, 8);
  });

  it('defaults are fresh objects each time', () => {
    const a = defaultMappingConfig();
    a.departments.SALES.groups.push('Mutated');
    a.managedAttributes.pop();
    assert.deepEqual(defaultMappingConfig().departments.SALES.groups, ['Sales Team']);
    assert.ok(defaultMappingConfig().managedAttributes.includes('name'));
  });

  const rejected: { name: string; input: unknown; mentions: string }[] = [
    { name: 'unknown top-level key', input: { matchPrecendence: ['userName'] }, mentions: 'matchPrecendence' },
    { name: 'unknown department key', input: { departments: { X: { name: 'X', grups: [] } } }, mentions: 'grups' },
    { name: 'unknown match key', input: { matchPrecedence: ['email'] }, mentions: 'matchPrecedence' },
    { name: 'unknown unknownDepartment choice', input: { unknownDepartment: 'drop' }, mentions: 'unknownDepartment' },
    { name: 'repeated match key', input: { matchPrecedence: ['userName', 'userName'] }, mentions: 'only once' },
    { name: 'unknown managed attribute', input: { managedAttributes: ['location'] }, mentions: 'managedAttributes' },
    { name: 'the Genesys-owned other email', input: { emailType: 'other' }, mentions: 'mirrors userName' },
    { name: 'a type that would break a filter', input: { phoneType: 'work"] or [' }, mentions: 'phoneType' },
    { name: 'negative lead days', input: { hireLeadDays: -1 }, mentions: 'hireLeadDays' },
    { name: 'department without a name', input: { departments: { X: { groups: [] } } }, mentions: 'departments.X.name' },
  ];
  for (const c of rejected) {
    it(`rejects ${c.name}, naming it`, () => {
      const r = MappingConfigSchema.safeParse(c.input);
      assert.equal(r.success, false);
      const text = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
      assert.match(text, new RegExp(c.mentions.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    });
  }

  it('survives a JSON round trip unchanged (it crosses activity boundaries)', () => {
    const c = config({ hireLeadDays: 7, defaultDivision: 'Home' });
    assert.deepEqual(MappingConfigSchema.parse(JSON.parse(JSON.stringify(c))), c);
  });
});

interface MapCase {
  name: string;
  input: Partial<RawEmployee>;
  config?: MappingConfigInput;
  profile?: TargetProfile;
  today?: string;
  /** Properties the desired user must have (undefined: must be absent). */
  expected: Partial<DesiredUser>;
  warnings?: MappingWarningCode[];
}

const cases: MapCase[] = [
  {
    name: 'a plain active employee',
    input: { title: 'Analyst', department_code: 'ENG', employee_number: 1001, hire_date: '2020-01-02' },
    expected: {
      hrId: 'E1',
      externalId: 'E1',
      userName: 'ada.lovelace@example.com',
      workEmail: 'Ada.Lovelace@example.com',
      displayName: 'Ada Lovelace',
      title: 'Analyst',
      department: 'Engineering',
      groups: ['Engineering Team'],
      employeeNumber: '1001',
      dateHire: '2020-01-02',
      active: true,
      lifecycle: 'active',
      givenName: undefined,
      familyName: undefined,
    },
  },
  { name: 'status leave is active by default', input: { status: 'leave' }, expected: { active: true, lifecycle: 'active' } },
  {
    name: 'status leave is inactive when not configured active',
    input: { status: 'leave' },
    config: { activeStatuses: ['active'] },
    expected: { active: false, lifecycle: 'inactive' },
  },
  { name: 'terminated', input: { status: 'terminated' }, expected: { active: false, lifecycle: 'leaver' } },
  {
    name: 'terminated status wins over a future termination date',
    input: { status: 'terminated', termination_date: '2024-07-01' },
    expected: { active: false, lifecycle: 'leaver' },
  },
  { name: 'termination date today', input: { termination_date: TODAY }, expected: { active: false, lifecycle: 'leaver' } },
  { name: 'termination date passed', input: { termination_date: '2024-01-31' }, expected: { active: false, lifecycle: 'leaver' } },
  { name: 'termination date tomorrow (notice period)', input: { termination_date: '2024-06-16' }, expected: { active: true, lifecycle: 'active' } },
  {
    name: 'rehire: old termination before the new hire date',
    input: { hire_date: '2024-03-01', termination_date: '2023-12-31' },
    expected: { active: true, lifecycle: 'active', dateHire: '2024-03-01' },
  },
  {
    name: 'rehire starting in the future',
    input: { hire_date: '2024-09-01', termination_date: '2023-12-31' },
    expected: { active: false, lifecycle: 'pending-hire', provisionFrom: '2024-09-01' },
  },
  { name: 'hire date today', input: { hire_date: TODAY }, expected: { active: true, lifecycle: 'active' } },
  {
    name: 'future hire, no lead time',
    input: { hire_date: '2024-06-16' },
    expected: { active: false, lifecycle: 'pending-hire', provisionFrom: '2024-06-16' },
  },
  {
    name: 'future hire within the lead time',
    input: { hire_date: '2024-06-20' },
    config: { hireLeadDays: 5 },
    expected: { active: true, lifecycle: 'pre-hire', provisionFrom: '2024-06-15' },
  },
  {
    name: 'future hire beyond the lead time, across a month end',
    input: { hire_date: '2024-07-03' },
    config: { hireLeadDays: 14 },
    expected: { active: false, lifecycle: 'pending-hire', provisionFrom: '2024-06-19' },
  },
  { name: 'preferred name', input: { preferred_name: 'Addie' }, expected: { displayName: 'Addie Lovelace' } },
  {
    name: 'preferred name ignored when configured',
    input: { preferred_name: 'Addie' },
    config: { usePreferredName: false },
    expected: { displayName: 'Ada Lovelace' },
  },
  { name: 'preferred name that is already a full name', input: { preferred_name: 'Addie  lovelace' }, expected: { displayName: 'Addie lovelace' } },
  { name: 'blank preferred name', input: { preferred_name: '   ' }, expected: { displayName: 'Ada Lovelace' } },
  {
    name: 'names with apostrophes, particles and extra spaces',
    input: { first_name: " Seán  Óg ", last_name: "O'Brien  van der Berg" },
    expected: { displayName: "Seán Óg O'Brien van der Berg" },
  },
  {
    name: 'decomposed accents become composed',
    input: { first_name: 'Jose\u0301', last_name: 'Mun\u0303oz' },
    profile: 'scim2',
    expected: { displayName: 'Jos\u00e9 Mu\u00f1oz', givenName: 'Jos\u00e9', familyName: 'Mu\u00f1oz' },
  },
  { name: 'non-Latin names', input: { first_name: '雷', last_name: '李' }, expected: { displayName: '雷 李' } },
  {
    name: 'scim2 gets given and family names (legal first name)',
    input: { preferred_name: 'Addie' },
    profile: 'scim2',
    expected: { givenName: 'Ada', familyName: 'Lovelace', displayName: 'Addie Lovelace' },
  },
  {
    name: 'unknown department (default `code`): warning, the department is the code, groups untouched',
    input: { department_code: 'NOPE', title: 'Analyst' },
    expected: { department: 'NOPE', groups: undefined, title: 'Analyst', active: true },
    warnings: ['unknown-department'],
  },
  {
    name: 'unknown department, `leave`: warning, department and groups untouched, the rest maps',
    input: { department_code: 'NOPE', title: 'Analyst' },
    config: { unknownDepartment: 'leave' },
    expected: { department: undefined, groups: undefined, title: 'Analyst', active: true },
    warnings: ['unknown-department'],
  },
  {
    name: 'unknown department, `quarantine`: warning, nothing of the department set',
    input: { department_code: 'NOPE' },
    config: { unknownDepartment: 'quarantine' },
    expected: { department: undefined, groups: undefined },
    warnings: ['unknown-department'],
  },
  {
    name: 'department code in another case',
    input: { department_code: 'sales' },
    expected: { department: 'Sales', groups: ['Sales Team'] },
  },
  {
    name: 'department code that names an Object.prototype member',
    input: { department_code: 'constructor' },
    expected: { department: 'constructor', groups: undefined },
    warnings: ['unknown-department'],
  },
  { name: 'department explicitly empty clears it', input: { department_code: null }, expected: { department: null, groups: [] } },
  {
    name: 'department explicitly empty, clearing disabled',
    input: { department_code: null },
    config: { clearEmptyAttributes: false },
    expected: { department: undefined, groups: undefined },
  },
  { name: 'department absent leaves it alone', input: {}, expected: { department: undefined, groups: undefined } },
  {
    name: 'department with several groups, deduplicated',
    input: { department_code: 'X' },
    config: { departments: { X: { name: 'X Dept', groups: ['A', 'B', 'A'] } } },
    expected: { department: 'X Dept', groups: ['A', 'B'] },
  },
  { name: 'E.164 phone', input: { work_phone: '+14155550100' }, expected: { workPhone: '+14155550100' } },
  { name: 'international phone with separators', input: { work_phone: '+44 (20) 7946-0958' }, expected: { workPhone: '+442079460958' } },
  { name: 'tel: URI kept', input: { work_phone: 'tel:+1-415-555-0100;ext=12' }, expected: { workPhone: 'tel:+1-415-555-0100;ext=12' } },
  { name: 'TEL: URI scheme is case-insensitive', input: { work_phone: 'TEL:+14155550100' }, expected: { workPhone: 'tel:+14155550100' } },
  { name: 'local tel: URI with a phone context', input: { work_phone: 'tel:7042;phone-context=example.com' }, expected: { workPhone: 'tel:7042;phone-context=example.com' } },
  { name: 'national number: warning, unmapped', input: { work_phone: '(415) 555-0100' }, expected: { workPhone: undefined }, warnings: ['invalid-phone'] },
  { name: 'too many digits: warning', input: { work_phone: '+1234567890123456' }, expected: { workPhone: undefined }, warnings: ['invalid-phone'] },
  { name: 'letters: warning', input: { work_phone: '+1 555 CALL NOW' }, expected: { workPhone: undefined }, warnings: ['invalid-phone'] },
  { name: 'phone explicitly empty clears it', input: { work_phone: null }, expected: { workPhone: null } },
  { name: 'title explicitly empty clears it', input: { title: null }, expected: { title: null } },
  { name: 'title tidied', input: { title: '  Senior   Analyst ' }, expected: { title: 'Senior Analyst' } },
  { name: 'manager', input: { manager_employee_id: 42 }, expected: { managerHrId: '42' } },
  { name: 'no manager (explicit null) clears it', input: { manager_employee_id: null }, expected: { managerHrId: null } },
  { name: 'manager not sent', input: {}, expected: { managerHrId: undefined } },
  { name: 'own manager: warning, left alone', input: { manager_employee_id: 'E1' }, expected: { managerHrId: undefined }, warnings: ['self-manager'] },
  { name: 'HR division', input: { division: 'EMEA' }, config: { defaultDivision: 'Home' }, expected: { division: 'EMEA' } },
  { name: 'no HR division, default configured', input: {}, config: { defaultDivision: 'Home' }, expected: { division: 'Home' } },
  { name: 'no HR division, no default: unmapped', input: { division: null }, expected: { division: undefined } },
  { name: 'employee number as text', input: { employee_number: ' A-77 ' }, expected: { employeeNumber: 'A-77' } },
];

describe('domain: mapEmployee', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { desired, warnings } = mapEmployee(employee(c.input), config(c.config), { profile: c.profile ?? 'genesys', today: c.today ?? TODAY });
      for (const [key, value] of Object.entries(c.expected)) {
        assert.deepEqual(desired[key as keyof DesiredUser], value, `desired.${key}`);
      }
      assert.deepEqual(
        warnings.map((w) => w.code),
        c.warnings ?? [],
      );
      for (const w of warnings) assert.equal(w.hrId, 'E1');
      assert.deepEqual(JSON.parse(JSON.stringify(desired)), stripUndefined(desired), 'plain JSON data');
    });
  }

  it('names the code in an unknown-department warning', () => {
    const { warnings } = mapEmployee(employee({ department_code: 'NOPE' }), config(), { profile: 'genesys', today: TODAY });
    assert.equal(warnings[0].field, 'department_code');
    assert.match(warnings[0].message, /"NOPE"/);
  });

  it('rejects a today that is not a calendar date', () => {
    assert.throws(() => mapEmployee(employee(), config(), { profile: 'genesys', today: '2024-02-30' }), /today/);
  });
});

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
