import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from '../support/harness';
import { historyText } from './support';

/**
 * Tokens are fetched and cached inside the worker; neither they nor the client secret may reach
 * Temporal history. Every access token the simulator issued is captured by a recording proxy in front
 * of the login host, so the check covers the real tokens, refreshed ones included.
 */
describe('sync workflow: no secret or token in workflow history', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ hr: { employees: 100, seed: 71 }, recordTokens: true });
  });
  after(async () => h?.close());

  it('keeps the client secret and every issued access token out of the history of full, delta and dry runs', async () => {
    const secret = h.sims.endpoints().scim.clientSecret;
    const runs = [await h.start({ mode: 'full' })];
    await runs[0].result();
    // Force a refresh: the next run's first call gets a 401 and fetches a second token.
    h.sims.scim.expireTokens();
    const [someone] = h.sims.hr.employees().filter((e) => e.status === 'active');
    h.sims.hr.apply({ type: 'title-change', id: someone.id, title: 'Token Tester' });
    runs.push(await h.start({ mode: 'delta' }));
    await runs[1].result();
    runs.push(await h.start({ mode: 'full', dryRun: true }));
    await runs[2].result();

    const tokens = h.issuedTokens();
    assert.ok(tokens.length >= 2, `the worker fetched its token and a refreshed one through the proxy (${tokens.length})`);
    for (const handle of runs) {
      const text = historyText(await handle.fetchHistory());
      assert.ok(text.includes('syncWorkflow') && text.includes('prepareRun'), 'the history was fetched');
      assert.ok(text.includes(`"targetName":"${h.config.target.name}"`), 'payloads were decoded: an activity result is readable');
      assert.equal(text.includes(secret), false, `${handle.workflowId}: the client secret is in the history`);
      for (const token of tokens) assert.equal(text.includes(token), false, `${handle.workflowId}: an access token is in the history`);
      const summary = (await handle.result()) as { reportPath: string };
      const report = readFileSync(summary.reportPath, 'utf8');
      assert.equal(report.includes(secret) || tokens.some((t) => report.includes(t)), false, 'nor in the report');
    }
  });
});
