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
const nullableText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === '' ? null : s))
    .nullish();

/**
 * Longest values accepted, so that a broken or hostile export cannot fill history, reports and the target
 * with megabytes per field: generous for real data (an email is at most 254 characters by RFC 5321).
 */
const MAX = { id: 128, name: 256, email: 254, code: 64, text: 256, phone: 64 } as const;

/** HR ids come as strings or integers; downstream they are always compared as strings. */
const identifier = z
  .union([z.string().trim().min(1).max(MAX.id), z.number().int()], { error: `expected a non-empty string (at most ${MAX.id} characters) or an integer` })
  .transform(String);

export const EmployeeStatusSchema = z.enum(['active', 'leave', 'terminated']);
export type EmployeeStatus = z.infer<typeof EmployeeStatusSchema>;

/**
 * One employee as the HR REST API sends it (see docs/architecture: the HR API contract), with only the
 * fields the mapping uses: the rest (salary, photo, home address and the like) is dropped here, so it
 * never reaches Temporal history, logs or reports.
 *
 * `email` is kept as HR sent it (only surrounding spaces trimmed): the case is the person's. To match
 * employees to users or to find duplicates, compare `matchKeyOfEmail(email)` instead.
 * `hire_date` and `termination_date` may lie in the future (a future start, a notice period).
 */
export const EmployeeSchema = z.object({
  id: identifier,
  first_name: z.string().trim().min(1).max(MAX.name),
  last_name: z.string().trim().min(1).max(MAX.name),
  preferred_name: nullableText(MAX.name),
  email: z.string().trim().max(MAX.email).pipe(z.email()),
  department_code: nullableText(MAX.code),
  manager_employee_id: identifier.nullish(),
  status: EmployeeStatusSchema.default('active'),
  title: nullableText(MAX.text),
  work_phone: nullableText(MAX.phone),
  employee_number: identifier.nullish(),
  division: nullableText(MAX.text),
  hire_date: isoDate.nullish(),
  termination_date: isoDate.nullish(),
  updated_at: isoInstant,
});
export type Employee = z.infer<typeof EmployeeSchema>;

/** A list field (the languages someone speaks): bounded like the text fields. */
const textList = z.array(z.string().trim().min(1).max(MAX.text)).max(100);

/** Fields beyond the contract that mappings commonly name, with their shapes. */
const MAPPED_EXTRAS: Record<string, z.ZodType> = {
  job_code: nullableText(MAX.code),
  location: nullableText(MAX.text),
  cost_center: nullableText(MAX.code),
  languages: z.union([textList, nullableText(MAX.text)]).nullish(),
};
/** Any other field a mapping names: text, a number, true/false or a list of text, bounded. */
const mappedExtra = z.union([nullableText(MAX.text), z.number(), z.boolean(), textList]).nullish();

const schemas = new Map<string, z.ZodType<Employee>>();

/**
 * The employee schema that also keeps the fields a mapping names (`mappedHrFields`): what a mapping names
 * passes, bounded; every other field of the export is still dropped.
 */
export function employeeSchemaFor(fields: readonly string[]): z.ZodType<Employee> {
  const extra = [...new Set(fields)].filter((f) => !Object.hasOwn(EmployeeSchema.shape, f)).sort();
  if (extra.length === 0) return EmployeeSchema;
  const key = extra.join(',');
  let schema = schemas.get(key);
  if (!schema) {
    schema = EmployeeSchema.extend(Object.fromEntries(extra.map((f) => [f, MAPPED_EXTRAS[f] ?? mappedExtra]))) as unknown as z.ZodType<Employee>;
    schemas.set(key, schema);
  }
  return schema;
}
/** What the HR API sends before validation: the contract's fields, and whatever else the export holds. */
export type RawEmployee = z.input<typeof EmployeeSchema> & { [field: string]: unknown };

/**
 * The key two emails are compared by: trimmed and lower-cased. Strictly the local part is case-sensitive,
 * but no mail system in practice treats it so, and Genesys userNames are unique case-insensitively.
 */
export function matchKeyOfEmail(email: string): string {
  return email.trim().toLowerCase();
}
