import { z } from 'zod';
import type { PlannedChange } from './plan';

/**
 * How many deactivations a run may make before a person must approve. Past either limit the run waits
 * at the gate. Conservative on purpose: a broken HR export looks exactly like a wave of leavers.
 */
export const GateConfigSchema = z.strictObject({
  /** More deactivations than this need approval. */
  maxCount: z.coerce.number().int().min(0).default(25),
  /** More than this percentage of the target's active users needs approval. */
  maxPercent: z.coerce.number().min(0).max(100).default(5),
  /**
   * Mass changes other than deactivations: more users than this losing their manager, their department,
   * a group membership (with none gained), or reactivated, need approval too. An export with a column
   * gone blank looks exactly like a company-wide reorganisation.
   */
  maxManagerClears: z.coerce.number().int().min(0).default(25),
  maxDepartmentClears: z.coerce.number().int().min(0).default(25),
  maxGroupRemovals: z.coerce.number().int().min(0).default(25),
  maxReactivations: z.coerce.number().int().min(0).default(25),
});
export type GateConfig = z.infer<typeof GateConfigSchema>;

export interface DeactivationGateInput {
  /** Deactivations the plan holds. */
  deactivations: number;
  /** Active users in the target (the people who could be deactivated). */
  population: number;
  config: Pick<GateConfig, 'maxCount' | 'maxPercent'>;
  /** `full` runs read all of HR; a delta run's small read says nothing about HR being empty. */
  mode?: 'full' | 'delta';
  /** Employees HR returned in this run. */
  hrRecords?: number;
}

export interface GateDecision {
  required: boolean;
  reason: string;
}

export function evaluateDeactivationGate(input: DeactivationGateInput): GateDecision {
  const { deactivations, population, config } = input;
  if (input.mode === 'full' && input.hrRecords === 0 && population > 0) {
    return { required: true, reason: `HR returned no employees in a full run against ${population} active users` };
  }
  if (deactivations <= 0) return { required: false, reason: 'no deactivations' };
  if (population <= 0) {
    return { required: true, reason: `${deactivations} deactivations but the target reports no active users; the counts disagree` };
  }
  const percent = (deactivations / population) * 100;
  const share = `${deactivations} of ${population} active users (${percent.toFixed(1)}%)`;
  if (deactivations >= population) return { required: true, reason: `${share}: the plan deactivates everyone` };
  if (deactivations > config.maxCount) return { required: true, reason: `${share} exceeds the limit of ${config.maxCount}` };
  if (percent > config.maxPercent) return { required: true, reason: `${share} exceeds the limit of ${config.maxPercent}%` };
  return { required: false, reason: `${share} is within the limits (${config.maxCount}, ${config.maxPercent}%)` };
}

export type MassChange = 'managerClears' | 'departmentClears' | 'groupRemovals' | 'reactivations';
export type MassChangeCounts = Partial<Record<MassChange, number>>;

const MASS_CHANGES: readonly { kind: MassChange; limit: keyof GateConfig; what: string }[] = [
  { kind: 'managerClears', limit: 'maxManagerClears', what: 'lose their manager' },
  { kind: 'departmentClears', limit: 'maxDepartmentClears', what: 'lose their department' },
  { kind: 'groupRemovals', limit: 'maxGroupRemovals', what: 'lose a group membership (gaining none)' },
  { kind: 'reactivations', limit: 'maxReactivations', what: 'be reactivated' },
];

/** The mass changes a page of the plan holds, counted per user. */
export function massChangesOf(changes: readonly PlannedChange[]): MassChangeCounts {
  const counts: MassChangeCounts = {};
  const add = (k: MassChange) => (counts[k] = (counts[k] ?? 0) + 1);
  for (const c of changes) {
    if (c.action === 'reactivate') add('reactivations');
    if (c.action !== 'update' && c.action !== 'reactivate') continue;
    if (c.changedFields.includes('manager') && c.managerHrId === null) add('managerClears');
    if (c.changedFields.includes('department') && c.desired?.department === null) add('departmentClears');
    if (c.groupChanges.remove.length > 0 && c.groupChanges.add.length === 0) add('groupRemovals');
  }
  return counts;
}

/**
 * Mass changes past their limits wait for approval, like deactivations. A limit the config does not
 * hold (a run planned before these limits existed) is no limit.
 */
export function evaluateMassChanges(counts: MassChangeCounts, config: Partial<GateConfig>): GateDecision {
  const over = MASS_CHANGES.filter((m) => config[m.limit] !== undefined && (counts[m.kind] ?? 0) > (config[m.limit] as number));
  if (over.length === 0) return { required: false, reason: 'no mass change past its limit' };
  const reason = over.map((m) => `${counts[m.kind]} users would ${m.what}, more than sync.gate.${m.limit} (${config[m.limit]})`).join('; ');
  return { required: true, reason };
}

/** The gate's whole verdict: deactivations first, then the other mass changes; either stops the run. */
export function evaluateGate(input: DeactivationGateInput & { config: Partial<GateConfig>; massChanges?: MassChangeCounts }): GateDecision {
  const deactivations = evaluateDeactivationGate(input);
  const mass = evaluateMassChanges(input.massChanges ?? {}, input.config);
  if (!mass.required) return deactivations;
  return { required: true, reason: deactivations.required ? `${deactivations.reason}; ${mass.reason}` : mass.reason };
}
