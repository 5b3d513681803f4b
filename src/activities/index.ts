import type { WorkerConfig } from '../config';

/** What the activities are built from; tests inject their own. */
export interface ActivityDeps {
  config: WorkerConfig;
}

export function targetName(config: WorkerConfig): string {
  return config.target.name ?? config.target.kind;
}

/** Builds the activity implementations around the clients they need. */
export function createActivities(deps: ActivityDeps) {
  return {
    async describeTarget(): Promise<{ kind: string; name: string }> {
      return { kind: deps.config.target.kind, name: targetName(deps.config) };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
