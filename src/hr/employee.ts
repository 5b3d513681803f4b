import { z } from 'zod';

/** A calendar date: the shape alone lets "2024-02-31" through, and HR exports do contain such dates. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'expected a real calendar date');
const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 timestamp');

/**
 * Optional text. HR exports send "" as often as null for "no value", so a blank string means "absent"
 * rather than failing the whole record.
 */
const nullableText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? null : s))
  .nullish();

/** HR ids come as strings or integers; downstream they are always compared as strings. */
const identifier = z
  .union([z.string().trim().min(1), z.number().int()], { error: 'expected a non-empty string or an integer' })
  .transform(String);

export const EmployeeStatusSchema = z.enum(['active', 'leave', 'terminated']);
export type EmployeeStatus = z.infer<typeof EmployeeStatusSchema>;

/**
 * One employee as the HR REST API sends it (see docs/architecture: the HR API contract).
 * Unknown fields are kept so that a mapping config can use them.
 *
 * `email` is kept as HR sent it (only surrounding spaces trimmed): the case is the person's. To match
 * employees to users or to find duplicates, compare `matchKeyOfEmail(email)` instead.
 * `hire_date` and `termination_date` may lie in the future (a future start, a notice period).
 */
export const EmployeeSchema = z.looseObject({
  id: identifier,
  first_name: z.string().trim().min(1),
  last_name: z.string().trim().min(1),
  preferred_name: nullableText,
  email: z.string().trim().pipe(z.email()),
  department_code: nullableText,
  manager_employee_id: identifier.nullish(),
  status: EmployeeStatusSchema.default('active'),
  title: nullableText,
  work_phone: nullableText,
  employee_number: identifier.nullish(),
  division: nullableText,
  location: nullableText,
  /** Extra fields a mapping commonly names (see mapping.attributes); HR may send others, kept for a mapping too. */
  job_code: nullableText,
  cost_center: nullableText,
  /** The languages someone speaks: a list, or text a mapping splits. */
  languages: z.union([z.array(z.string().trim().min(1)), nullableText]).nullish(),
  hire_date: isoDate.nullish(),
  termination_date: isoDate.nullish(),
  updated_at: isoInstant,
});
export type Employee = z.infer<typeof EmployeeSchema>;
/** What the HR API sends before validation. */
export type RawEmployee = z.input<typeof EmployeeSchema>;

/**
 * The key two emails are compared by: trimmed and lower-cased. Strictly the local part is case-sensitive,
 * but no mail system in practice treats it so, and Genesys userNames are unique case-insensitively.
 */
export function matchKeyOfEmail(email: string): string {
  return email.trim().toLowerCase();
}
