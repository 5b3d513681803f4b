import { z } from 'zod';

/**
 * How many deactivations a run may make before a person must approve. Past either limit the run waits
 * at the gate. Conservative on purpose: a broken HR export looks exactly like a wave of leavers.
 */
export const GateConfigSchema = z.strictObject({
  /** More deactivations than this need approval. */
  maxCount: z.coerce.number().int().min(0).default(25),
  /** More than this percentage of the target's active users needs approval. */
  maxPercent: z.coerce.number().min(0).max(100).default(5),
});
export type GateConfig = z.infer<typeof GateConfigSchema>;

export interface DeactivationGateInput {
  /** Deactivations the plan holds. */
  deactivations: number;
  /** Active users in the target (the people who could be deactivated). */
  population: number;
  config: GateConfig;
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
