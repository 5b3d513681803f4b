import type { RawEmployee } from '../../src/hr/employee';
import type { LifecycleEvent } from './events';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A realistic day of HR changes for a company: joiners (one starting next month), movers, a manager
 * change, a promotion, someone going on leave, leavers (one with notice) and a rehire. Deterministic for
 * a given company, so the demo tells the same story every time.
 */
export function lifecycleBatch(employees: readonly RawEmployee[], today: string): LifecycleEvent[] {
  const active = employees.filter((e) => e.status === 'active' && e.manager_employee_id != null && !e.termination_date);
  const terminated = employees.filter((e) => e.status === 'terminated');
  const pick = (i: number) => active[(i * 37) % active.length];
  // Reporting to the head of the company can never make a cycle.
  const head = employees.find((e) => e.manager_employee_id == null && e.status !== 'terminated');
  const events: LifecycleEvent[] = [
    { type: 'hire' },
    { type: 'hire', employee: { manager_employee_id: String(pick(1).id), department_code: 'SUPPORT' } },
    { type: 'hire', startDate: addDays(today, 30) },
    { type: 'transfer', id: String(pick(2).id), department_code: 'SALES' },
    { type: 'transfer', id: String(pick(3).id), department_code: 'ENG' },
    ...(head ? [{ type: 'manager-change' as const, id: String(pick(4).id), manager_employee_id: String(head.id) }] : []),
    { type: 'promotion', id: String(pick(5).id), title: 'Team Lead' },
    { type: 'leave', id: String(pick(6).id) },
    { type: 'terminate', id: String(pick(7).id) },
    { type: 'terminate', id: String(pick(8).id), date: addDays(today, 14) },
    { type: 'touch', id: String(pick(9).id) },
  ];
  if (terminated.length > 0) events.push({ type: 'rehire', id: String(terminated[0].id) });
  return events;
}
