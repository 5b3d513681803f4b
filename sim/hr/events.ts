import { z } from 'zod';
import type { RawEmployee } from '../../src/hr/employee';
import { dateOf, makePerson, phoneOf, titleOf } from './company';
import type { Random } from './random';
import type { EmployeeStore } from './store';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const id = z.union([z.string().min(1), z.number().int()]).transform(String);

/** Lifecycle events the HR simulator can apply: each one stamps the employee's updated_at with "now". */
export const LifecycleEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hire'),
    /** Fields to use instead of generated ones (an `id` too). */
    employee: z.record(z.string(), z.unknown()).optional(),
    /** The start date; a future one is a future-dated hire. Defaults to today. */
    startDate: date.optional(),
  }),
  z.object({ type: z.literal('transfer'), id, department_code: z.string().min(1) }),
  z.object({ type: z.literal('manager-change'), id, manager_employee_id: id.nullable() }),
  z.object({ type: z.literal('title-change'), id, title: z.string() }),
  /** A new job: the job code a mapping may turn into skills, and optionally a new title. */
  z.object({ type: z.literal('job-change'), id, job_code: z.string().min(1), title: z.string().optional() }),
  z.object({ type: z.literal('promotion'), id, title: z.string(), department_code: z.string().min(1).optional() }),
  z.object({ type: z.literal('leave'), id }),
  z.object({ type: z.literal('return'), id }),
  /** A date in the future gives notice: termination_date is set, and the employee stays as they are until then. */
  z.object({ type: z.literal('terminate'), id, date: date.optional() }),
  z.object({ type: z.literal('rehire'), id }),
  /** An HR no-op save: only updated_at changes. */
  z.object({ type: z.literal('touch'), id }),
]);
export type LifecycleEvent = z.input<typeof LifecycleEventSchema>;

/** An event that can't be applied; `status` is what the admin endpoint answers. */
export class LifecycleEventError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
    this.name = 'LifecycleEventError';
  }
}

export interface EventContext {
  store: EmployeeStore;
  random: Random;
  /** Lower-cased emails already in use, so that generated hires stay unique. */
  emails: Set<string>;
  nextId(): string;
}

export function applyEvent(input: unknown, ctx: EventContext): RawEmployee {
  const parsed = LifecycleEventSchema.safeParse(input);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
    throw new LifecycleEventError(`invalid lifecycle event: ${reason}`, 400);
  }
  const event = parsed.data;
  const { store } = ctx;
  const today = dateOf(Date.now());

  if (event.type === 'hire') return hire(event.employee ?? {}, event.startDate ?? today, ctx);
  if (!store.has(event.id)) throw new LifecycleEventError(`no employee with id ${event.id}`, 404);

  switch (event.type) {
    case 'transfer':
      return store.update(event.id, (r) => void (r.department_code = event.department_code));
    case 'manager-change':
      if (event.manager_employee_id !== null) assertCanManage(store, event.manager_employee_id, event.id);
      return store.update(event.id, (r) => void (r.manager_employee_id = event.manager_employee_id));
    case 'title-change':
      return store.update(event.id, (r) => void (r.title = event.title));
    case 'job-change':
      return store.update(event.id, (r) => {
        (r as Record<string, unknown>).job_code = event.job_code;
        if (event.title !== undefined) r.title = event.title;
      });
    case 'promotion':
      return store.update(event.id, (r) => {
        r.title = event.title;
        if (event.department_code !== undefined) r.department_code = event.department_code;
      });
    case 'leave':
      return store.update(event.id, (r) => void (r.status = 'leave'));
    case 'return':
      return store.update(event.id, (r) => void (r.status = 'active'));
    case 'terminate': {
      const on = event.date ?? today;
      return store.update(event.id, (r) => {
        r.termination_date = on;
        if (on <= today) r.status = 'terminated';
      });
    }
    case 'rehire':
      return store.update(event.id, (r) => {
        r.status = 'active';
        r.termination_date = null;
        r.hire_date = today;
      });
    case 'touch':
      return store.update(event.id, () => undefined);
  }
}

function hire(overrides: Record<string, unknown>, startDate: string, ctx: EventContext): RawEmployee {
  const { store, random } = ctx;
  const newId = overrides.id === undefined ? ctx.nextId() : String(overrides.id);
  if (store.has(newId)) throw new LifecycleEventError(`an employee with id ${newId} already exists`, 409);

  const managerId = 'manager_employee_id' in overrides ? (overrides.manager_employee_id as string | null) : someManager(ctx);
  if (managerId !== null && managerId !== undefined) assertCanManage(store, String(managerId), newId);
  const manager = managerId ? store.peek(String(managerId)) : undefined;
  const department = (overrides.department_code as string | undefined) ?? manager?.department_code ?? 'OPS';
  const person = makePerson(random, ctx.emails);
  const division = 'Home';
  const record: RawEmployee = {
    id: newId,
    first_name: person.first_name,
    last_name: person.last_name,
    preferred_name: person.preferred_name,
    email: person.email,
    department_code: department,
    manager_employee_id: managerId ?? null,
    status: 'active',
    title: titleOf(random, 3, false, department),
    work_phone: phoneOf(random, division),
    employee_number: `EN${newId}`,
    division,
    location: 'Remote',
    hire_date: startDate,
    termination_date: null,
    updated_at: new Date(0).toISOString(),
    ...overrides,
  };
  if (typeof record.email === 'string') ctx.emails.add(record.email.trim().toLowerCase());
  return store.insert({ ...record, id: newId });
}

/** The manager of a random active employee: someone who manages, without scanning the company. */
function someManager(ctx: EventContext): string | null {
  const { store, random } = ctx;
  for (let attempt = 0; attempt < 20 && store.size > 0; attempt++) {
    const managerId = store.nth(random.int(0, store.size - 1))?.manager_employee_id;
    if (managerId !== null && managerId !== undefined && store.peek(String(managerId))?.status === 'active') return String(managerId);
  }
  for (const e of store.values()) if (e.manager_employee_id === null || e.manager_employee_id === undefined) return String(e.id);
  return null;
}

/** HR systems refuse a manager who doesn't exist or who reports (however indirectly) to the employee. */
function assertCanManage(store: EmployeeStore, managerId: string, employeeId: string): void {
  if (!store.has(managerId)) throw new LifecycleEventError(`no employee with id ${managerId} to be the manager`, 404);
  let current: string | null = managerId;
  for (let steps = 0; current !== null && steps <= store.size; steps++) {
    if (current === employeeId) throw new LifecycleEventError(`${managerId} reports to ${employeeId}: that would make a cycle`, 409);
    const next: RawEmployee['manager_employee_id'] = store.peek(current)?.manager_employee_id;
    current = next === null || next === undefined ? null : String(next);
  }
}
