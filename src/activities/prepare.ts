import type { Client } from '@temporalio/client';
import { managedGroupNames } from '../domain/mapping/config';
import type { WorkerConfig } from '../config';
import type { ScimClient } from '../scim/client';
import { SA } from '../temporal/searchattributes';
import type { RunFacts, SyncMode } from '../workflows/contracts';
import { classified } from './failures';

export interface PrepareDeps {
  config: WorkerConfig;
  scim: ScimClient;
  /** For the watermark: the last successful run's high-water mark lives in Temporal's visibility. */
  temporal?: Client;
  now: () => Date;
}

export function targetName(config: WorkerConfig): string {
  return config.target.name ?? config.target.kind;
}

/**
 * The last successful run's watermark for this target, from Temporal's own visibility store: runs that
 * failed, were cancelled or rejected never set HrsyncWatermark, so they never advance it.
 */
export async function lastWatermark(temporal: Client, target: string): Promise<string | null> {
  // Only runs that set a watermark: dry runs and rejected runs also complete, and must not crowd it out of the window.
  const query = `WorkflowType = 'syncWorkflow' AND ExecutionStatus = 'Completed' AND ${SA.target.name} = '${target.replace(/'/g, "\\'")}' AND ${SA.watermark.name} IS NOT NULL`;
  let best: Date | null = null;
  let seen = 0;
  for await (const wf of temporal.workflow.list({ query })) {
    const mark = wf.typedSearchAttributes.get(SA.watermark);
    if (mark && (best === null || mark > best)) best = mark;
    if (++seen >= 50) break;
  }
  return best ? best.toISOString() : null;
}

export function prepareActivities(deps: PrepareDeps) {
  const { config, scim } = deps;
  return {
    /**
     * Fetches the token (it stays in this worker), learns what the target can do, finds the mapped
     * groups, counts the active population for the gate, and fixes the run's HR window.
     */
    async prepareRun(input: { mode: SyncMode; since: string | null }): Promise<RunFacts> {
      return classified(async () => {
        await scim.warmUp();
        const caps = await scim.discover();
        const groupIds: Record<string, string> = {};
        const missingGroups: string[] = [];
        if (config.mapping.managedAttributes.includes('groups')) {
          for (const name of managedGroupNames(config.mapping)) {
            const group = await scim.findGroupByDisplayName(name);
            if (group) groupIds[name] = group.id;
            else missingGroups.push(name);
          }
        }
        const population = (await scim.listUsers({ count: 1, ...(config.target.kind === 'scim2' ? { filter: 'active eq true' } : {}) })).totalResults;
        const previousWatermark = deps.temporal ? await lastWatermark(deps.temporal, targetName(config)) : null;
        let updatedAfter: string | null = null;
        if (input.mode === 'delta') {
          if (input.since) updatedAfter = new Date(input.since).toISOString();
          else if (previousWatermark) updatedAfter = new Date(Date.parse(previousWatermark) - config.sync.watermarkOverlapSeconds * 1000).toISOString();
        }
        return {
          targetName: targetName(config),
          profile: config.target.kind,
          bulk: { supported: caps.bulk.supported, maxOperations: caps.bulk.maxOperations },
          chunkSize: config.sync.chunkSize,
          conflictRetries: config.sync.conflictRetries,
          gate: { ...config.sync.gate, timeoutSeconds: config.sync.approvalTimeoutSeconds },
          today: deps.now().toISOString().slice(0, 10),
          population,
          groupIds,
          missingGroups,
          updatedAfter,
          previousWatermark,
          watermarkOverlapMs: config.sync.watermarkOverlapSeconds * 1000,
          maxPagesPerRun: config.sync.maxPagesPerRun,
          heartbeatTimeoutSeconds: config.sync.heartbeatTimeoutSeconds,
        };
      });
    },
  };
}
