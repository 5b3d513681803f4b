import { EmployeeSchema, type Employee, type RawEmployee } from '../../src/hr/employee';
import type { User } from '../../src/scim/model/resources/user';
import { URN } from '../../src/scim/model/schemas/urns';
import { MappingConfigSchema, type MappingConfig, type MappingConfigInput } from '../../src/domain/mapping/config';
import type { DesiredUser } from '../../src/domain/mapping/map';

export const TODAY = '2024-06-15';

/** An employee as the HR connector hands it over (validated), with sensible defaults. */
export function employee(overrides: Partial<RawEmployee> = {}): Employee {
  return EmployeeSchema.parse({
    id: 'E1',
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'Ada.Lovelace@example.com',
    status: 'active',
    updated_at: '2024-06-01T00:00:00Z',
    ...overrides,
  });
}

export function config(overrides: MappingConfigInput = {}): MappingConfig {
  return MappingConfigSchema.parse(overrides);
}

type Enterprise = NonNullable<User[typeof URN.enterpriseUser]>;

/** A SCIM user as Genesys returns it; `enterprise` fills the enterprise extension. */
export function user(overrides: Partial<User> = {}, enterprise?: Enterprise): User {
  const u: User = {
    id: 'u1',
    userName: 'ada.lovelace@example.com',
    active: true,
    meta: { version: '"3"' },
    ...overrides,
  };
  if (enterprise !== undefined) u[URN.enterpriseUser] = enterprise;
  return u;
}

/** A desired user with every attribute set; tests take away what they don't want. */
export function desired(overrides: Partial<DesiredUser> = {}): DesiredUser {
  return {
    hrId: 'E1',
    externalId: 'E1',
    userName: 'ada.lovelace@example.com',
    displayName: 'Ada Lovelace',
    title: 'Analyst',
    workEmail: 'ada.lovelace@example.com',
    workPhone: '+15550100',
    department: 'Engineering',
    employeeNumber: '1001',
    division: 'Home',
    dateHire: '2020-01-02',
    active: true,
    groups: ['Engineering Team'],
    lifecycle: 'active',
    ...overrides,
  };
}

/** The user that `desired()` describes, in SCIM shape, on a Genesys target. */
export function matchingUser(overrides: Partial<User> = {}, enterprise: Partial<Enterprise> = {}): User {
  return user(
    {
      externalId: 'E1',
      displayName: 'Ada Lovelace',
      title: 'Analyst',
      emails: [
        { type: 'other', value: 'ada.lovelace@example.com' },
        { type: 'work', value: 'ada.lovelace@example.com', primary: true },
      ],
      phoneNumbers: [{ type: 'work', value: '+15550100' }],
      groups: [{ value: 'g-eng', display: 'Engineering Team' }],
      ...overrides,
    },
    { department: 'Engineering', employeeNumber: '1001', division: 'Home', dateHire: '2020-01-02', ...enterprise },
  );
}

export const ENTERPRISE = URN.enterpriseUser;

export const GROUP_IDS: Record<string, string> = {
  'Sales Team': 'g-sales',
  'Support Team': 'g-support',
  'Engineering Team': 'g-eng',
  'Finance Team': 'g-fin',
  'HR Team': 'g-hr',
  'Operations Team': 'g-ops',
  'Marketing Team': 'g-mkt',
  'Legal Team': 'g-legal',
  'All Staff': 'g-all',
};
