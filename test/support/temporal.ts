import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { findTemporalBinary } from '../../src/temporal/binary';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/temporal/searchattributes';

/**
 * One real Temporal dev server (the `temporal` CLI, no download) for the whole mocha run, started
 * on first use and stopped by the root hook in test/support/hooks.ts.
 */
let env: Promise<TestWorkflowEnvironment> | undefined;
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export function testEnv(): Promise<TestWorkflowEnvironment> {
  env ??= TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: findTemporalBinary() },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });
  return env;
}

/** The workflows, bundled once per run (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietLogger });
  return bundle;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

export async function stopTestEnv(): Promise<void> {
  if (env) await (await env).teardown();
  env = undefined;
}
