import type { Client } from '@temporalio/client';
import type { WorkerConfig } from '../config';
import { createHrConnector, type HrConnector } from '../hr';
import { mappedHrFields } from '../domain/mapping/rules';
import { createScimClient, type ScimClient } from '../scim';
import { RunStore } from '../staging/runstore';
import { applyActivities } from './apply';
import { planActivities } from './plan';
import { prepareActivities, targetName } from './prepare';
import { reportActivities } from './report';

/** What the activities are built from. Tests inject their own clients; the worker builds them from config. */
export interface ActivityDeps {
  config: WorkerConfig;
  scim?: ScimClient;
  hr?: HrConnector;
  /** For the watermark, read from Temporal's visibility. */
  temporal?: Client;
  store?: RunStore;
  now?: () => Date;
}

export { targetName };

export function scimClientFor(config: WorkerConfig): ScimClient {
  const { name: _name, ...target } = config.target;
  return createScimClient({ ...target, membersPerPatch: config.sync.groupBatchSize });
}

export function hrConnectorFor(config: WorkerConfig): HrConnector {
  return createHrConnector({ ...config.hr, mappedFields: mappedHrFields(config.mapping.attributes) });
}

/**
 * The activity implementations, thin adapters around the clients: one module per concern (prepare and
 * token, HR pages, mapping and planning, writes, report). Tokens stay inside these clients, in this
 * worker's memory; nothing secret is ever an activity argument or result.
 */
export function createActivities(deps: ActivityDeps) {
  const { config } = deps;
  const scim = deps.scim ?? scimClientFor(config);
  const hr = deps.hr ?? hrConnectorFor(config);
  const store = deps.store ?? new RunStore(config.reportDir);
  const now = deps.now ?? (() => new Date());
  return {
    async describeTarget(): Promise<{ kind: string; name: string }> {
      return { kind: config.target.kind, name: targetName(config) };
    },
    ...prepareActivities({ config, scim, temporal: deps.temporal, now, store }),
    ...planActivities({ config, scim, hr, store }),
    ...applyActivities({ config, scim, store }),
    ...reportActivities({ reportDir: config.reportDir, store }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
