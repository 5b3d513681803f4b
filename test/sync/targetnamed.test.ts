import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { planActivities } from '../../src/activities/plan';
import { activityDeps } from '../support/activities';
import { startStub } from '../scim/helpers';

describe('plan activities: a failure names the target it came from', () => {
  it('tells a scim2 operator to check SCIM_BEARER_TOKEN, not the settings of every kind', async () => {
    const target = await startStub(() => ({ status: 401, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'token rejected' } }));
    try {
      const acts = planActivities(activityDeps(target.url));
      const err = await new MockActivityEnvironment().run(acts.snapshotTargetPage, { runKey: 'run', runToken: 'token', pass: 'plan' as const, cursor: 'active:1' }).then(
        () => assert.fail('a refused token must fail the page'),
        (e: unknown) => e as Error,
      );
      assert.match(err.message, /^The SCIM target rejected the access token \(user\.list\)/);
      assert.match(err.message, /check SCIM_BEARER_TOKEN/);
      assert.doesNotMatch(err.message, /GENESYS_CLIENT_ID/);
    } finally {
      await target.close();
    }
  });
});
