import { z } from 'zod';
import { EmployeeStatusSchema } from '../../hr/employee';
import { AttributeMappingsSchema } from './rules';

/** Which HR value finds an employee's user: HR `id` = externalId, `employee_number`, `email` = userName. */
export const MatchKeySchema = z.enum(['externalId', 'employeeNumber', 'userName']);
export type MatchKey = z.infer<typeof MatchKeySchema>;

/**
 * The attributes hrsync owns. Anything not listed is never written, so a team that manages, say,
 * titles by hand can take `title` out and keep its edits.
 * `name` (givenName/familyName) only reaches `scim2` targets: Genesys has no `name`. `dateHire` only reaches
 * Genesys: it is Genesys's own enterprise attribute, not RFC 7643's.
 * `externalId` is not managed by default: on users found by userName it may belong to another
 * identity provider. New users always get it.
 */
export const ManagedAttributeSchema = z.enum([
  'userName',
  'displayName',
  'title',
  'phone',
  'email',
  'department',
  'employeeNumber',
  'manager',
  'division',
  'dateHire',
  'active',
  'groups',
  'name',
  'externalId',
]);
export type ManagedAttribute = z.infer<typeof ManagedAttributeSchema>;

/** Every attribute but `externalId` (see above). */
export const DEFAULT_MANAGED_ATTRIBUTES: readonly ManagedAttribute[] = ManagedAttributeSchema.options.filter((a) => a !== 'externalId');

export const DepartmentSchema = z.strictObject({
  /** The SCIM `department` value. */
  name: z.string().trim().min(1),
  /** Group displayNames the department's people belong to. These are the only groups hrsync ever removes anyone from. */
  groups: z.array(z.string().trim().min(1)).default([]),
});
export type Department = z.infer<typeof DepartmentSchema>;

function defaultDepartments(): Record<string, Department> {
  return {
    EXEC: { name: 'Executive', groups: [] },
    SALES: { name: 'Sales', groups: ['Sales Team'] },
    SUPPORT: { name: 'Customer Support', groups: ['Support Team'] },
    ENG: { name: 'Engineering', groups: ['Engineering Team'] },
    FIN: { name: 'Finance', groups: ['Finance Team'] },
    HR: { name: 'Human Resources', groups: ['HR Team'] },
    OPS: { name: 'Operations', groups: ['Operations Team'] },
    MKT: { name: 'Marketing', groups: ['Marketing Team'] },
    LEGAL: { name: 'Legal', groups: ['Legal Team'] },
  };
}

/** Used inside a SCIM filter (`emails[type eq "work"]`), so it must be a plain token. */
const valueType = z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a SCIM type token such as "work"');

export const MappingConfigSchema = z
  .strictObject({
    matchPrecedence: z
      .array(MatchKeySchema)
      .min(1)
      .refine((keys) => new Set(keys).size === keys.length, 'a match key may appear only once')
      .default(['externalId', 'employeeNumber', 'userName']),
    /** HR `department_code` -> department name and groups. Codes are looked up exactly, then upper-cased. */
    departments: z.record(z.string().trim().min(1), DepartmentSchema).default(defaultDepartments),
    /**
     * An HR department code the table lacks: `code` sets the department to the code itself, `leave` leaves the
     * target's department as it is, `quarantine` leaves the whole record alone (skipped, with the reason on its row).
     * Groups are never touched for such a code.
     */
    unknownDepartment: z.enum(['code', 'leave', 'quarantine']).default('code'),
    /** HR statuses whose people have an active account; the rest are deactivated. */
    activeStatuses: z.array(EmployeeStatusSchema).min(1).default(['active', 'leave']),
    /** Create a future hire this many days before their start date. */
    hireLeadDays: z.number().int().min(0).max(366).default(0),
    /** Genesys division (by name) for employees whose HR record has none. Unset: leave their division alone. */
    defaultDivision: z.string().trim().min(1).optional(),
    phoneType: valueType.default('work'),
    /** Never `other`: on Genesys that email mirrors userName and cannot be changed. */
    emailType: valueType
      .refine((t) => t.toLowerCase() !== 'other', 'the "other" email is owned by Genesys (it mirrors userName)')
      .default('work'),
    managedAttributes: z
      .array(ManagedAttributeSchema)
      .default(() => [...DEFAULT_MANAGED_ATTRIBUTES]),
    /** displayName from `preferred_name` (when HR has one) rather than `first_name`, followed by `last_name`. */
    usePreferredName: z.boolean().default(true),
    /**
     * When HR sends an empty title, phone, department or manager: clear it on the target (true),
     * or treat it as "HR doesn't say" and leave the target alone (false).
     */
    clearEmptyAttributes: z.boolean().default(true),
    /**
     * The declarative mapping: target attribute path <- HR field, constant, template or lookup, with transforms
     * and a `when` flag (see rules.ts and the README). An entry on a built-in attribute (title, displayName,
     * department, employeeNumber, division, dateHire) gives its value; any other path is an attribute of its own.
     */
    attributes: AttributeMappingsSchema.default([]),
  });
export type MappingConfig = z.infer<typeof MappingConfigSchema>;
export type MappingConfigInput = z.input<typeof MappingConfigSchema>;

/** The defaults: right for the HR contract and a Genesys target. */
export function defaultMappingConfig(): MappingConfig {
  return MappingConfigSchema.parse({});
}

export function isManaged(config: MappingConfig, attribute: ManagedAttribute): boolean {
  return config.managedAttributes.includes(attribute);
}

/** Every group displayName the departments table mentions: the groups hrsync manages. */
export function managedGroupNames(config: MappingConfig): string[] {
  const names = new Set<string>();
  for (const dept of Object.values(config.departments)) for (const g of dept.groups) names.add(g);
  return [...names].sort();
}
