import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 timestamp');
const nullableText = z.string().trim().min(1).nullish();

export const EmployeeStatusSchema = z.enum(['active', 'leave', 'terminated']);
export type EmployeeStatus = z.infer<typeof EmployeeStatusSchema>;

/**
 * One employee as the HR REST API sends it (see docs/architecture: the HR API contract).
 * Unknown fields are kept so that a mapping config can use them.
 */
export const EmployeeSchema = z.looseObject({
  id: z.union([z.string().trim().min(1), z.number().int()]).transform(String),
  first_name: z.string().trim().min(1),
  last_name: z.string().trim().min(1),
  preferred_name: nullableText,
  email: z.string().trim().pipe(z.email()),
  department_code: nullableText,
  manager_employee_id: z.union([z.string().trim().min(1), z.number().int()]).transform(String).nullish(),
  status: EmployeeStatusSchema.default('active'),
  title: nullableText,
  work_phone: nullableText,
  employee_number: z.union([z.string().trim().min(1), z.number().int()]).transform(String).nullish(),
  division: nullableText,
  location: nullableText,
  hire_date: isoDate.nullish(),
  termination_date: isoDate.nullish(),
  updated_at: isoInstant,
});
export type Employee = z.infer<typeof EmployeeSchema>;
/** What the HR API sends before validation. */
export type RawEmployee = z.input<typeof EmployeeSchema>;
