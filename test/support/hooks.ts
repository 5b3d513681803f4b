import { Runtime, DefaultLogger } from '@temporalio/worker';
import { stopTestEnv } from './temporal';

// Keep the SDK's own logging to warnings so test output stays readable.
Runtime.install({ logger: new DefaultLogger('WARN') });

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await stopTestEnv();
  },
};
