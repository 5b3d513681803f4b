import { randomUUID } from 'node:crypto';
import { activityInfo, ApplicationFailure, log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { decideTarget } from '../domain/capabilities';
import { managedGroupNames } from '../domain/mapping/config';
import { describeProblems } from '../domain/mapping/targetcheck';
import { readWindowStart } from '../domain/watermark';
import { targetName, type WorkerConfig } from '../config';
import type { RunStore } from '../staging/runstore';
import { recordPatchDeclaredUnsupported, recordTargetDecision } from './learning';
import type { ScimClient } from '../scim/client';
import { SA } from '../temporal/searchattributes';
import type { RunFacts, SyncMode } from '../workflows/contracts';
import { classified } from './failures';
import { sweepRunFolders } from './retention';

export { targetName };

export interface PrepareDeps {
  config: WorkerConfig;
  scim: ScimClient;
  store: RunStore;
  /** For the watermark: the last successful run's high-water mark lives in Temporal's visibility. */
  temporal?: Client;
  now: () => Date;
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
    async prepareRun(input: { runKey: string; mode: SyncMode; since: string | null }): Promise<RunFacts> {
      return classified(async () => {
        // The first run id of the chain: a retry of this activity keeps it, a new run under the same workflow id does not.
        const runToken = activityInfo().workflowExecution?.runId ?? randomUUID();
        deps.store.begin(input.runKey, runToken);
        if (deps.temporal) {
          // Housekeeping, never the run's failure: what a sweep can't do now, the next run's does.
          await sweepRunFolders({ store: deps.store, temporal: deps.temporal, keepDays: config.sync.keepFailedRunsDays }).catch((err: unknown) =>
            log.warn('could not sweep the working folders of closed runs', { error: (err as Error).message }),
          );
        }
        await scim.warmUp();
        const caps = await scim.discover();
        const { attributes, problems, requiredExtensions } = decideTarget({
          discovered: caps,
          profile: config.target.kind,
          managed: config.mapping.managedAttributes,
          entries: config.mapping.attributes,
          phoneType: config.mapping.phoneType,
        });
        // Before anything is read or written: a mapping the target can't take fails the run, naming the entry.
        if (problems.length > 0) {
          throw ApplicationFailure.create({ type: 'mapping-config', nonRetryable: true, message: `the mapping does not fit the target: ${describeProblems(problems)}` });
        }
        // The activities of this run (on any worker) write with this decision: see TargetLearning.mapping.
        recordTargetDecision(deps.store, input.runKey, attributes, requiredExtensions);
        if (!caps.patch) recordPatchDeclaredUnsupported(deps.store, input.runKey);
        for (const u of attributes.unsupported) log.warn('mapped attribute not written: the target does not take it', { attribute: u.attribute, reason: u.reason });
        const groupIds: Record<string, string> = {};
        const missingGroups: string[] = [];
        if (attributes.writable.includes('groups')) {
          for (const name of managedGroupNames(config.mapping)) {
            const group = await scim.findGroupByDisplayName(name);
            if (group) groupIds[name] = group.id;
            else missingGroups.push(name);
          }
        }
        // Unfiltered: not every target filters on `active`. On Genesys this counts active users; elsewhere, everyone.
        const population = (await scim.listUsers({ count: 1 })).totalResults;
        const previousWatermark = deps.temporal ? await lastWatermark(deps.temporal, targetName(config)) : null;
        const updatedAfter = readWindowStart({ mode: input.mode, since: input.since, previousWatermark, overlapMs: config.sync.watermarkOverlapSeconds * 1000 });
        return {
          targetName: targetName(config),
          profile: config.target.kind,
          bulk: { supported: caps.bulk.supported, maxOperations: caps.bulk.maxOperations },
          attributes,
          chunkSize: config.sync.chunkSize,
          groupBatchSize: config.sync.groupBatchSize,
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
          runToken,
          heartbeatTimeoutSeconds: config.sync.heartbeatTimeoutSeconds,
        };
      }, config.target.kind);
    },
  };
}
