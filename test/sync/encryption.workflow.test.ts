import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import type { RawEmployee } from '../../src/hr/employee';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../src/temporal/codec';
import { encryptionKeys } from '../../src/temporal/dataconverter';
import type { SyncSummary } from '../../src/workflows/contracts';
import { startHarness, type Harness } from '../support/harness';
import { testEnv } from '../support/temporal';
import { convergenceProblems, historyText, userByExternalId } from './support';

/** Every Payload in a fetched history (raw, as the server stores it), with where it sits. */
function payloadsIn(history: unknown): { path: string; payload: Payload }[] {
  const found: { path: string; payload: Payload }[] = [];
  const walk = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return;
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${at}[${i}]`));
    const o = v as Record<string, unknown>;
    if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') {
      found.push({ path: at, payload: o as Payload });
      return;
    }
    for (const [k, x] of Object.entries(o)) walk(x, `${at}.${k}`);
  };
  walk(history, 'history');
  return found;
}

const encoding = (p: Payload) => Buffer.from(p.metadata?.encoding ?? []).toString('utf8');
const bytesText = (payloads: Payload[]) => payloads.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');

/**
 * What identifies a person: email, display name, work phone (each long enough never to turn up in
 * ciphertext by chance).
 */
function personalData(employees: RawEmployee[]): string[] {
  return employees.flatMap((e) => [String(e.email).trim(), `${(e.preferred_name ?? e.first_name).trim()} ${e.last_name.trim()}`, ...(e.work_phone ? [e.work_phone] : [])]);
}

/**
 * With temporal.encryption set, activity arguments and results reach Temporal only as ciphertext: the
 * client and the worker share the codec, and what the server stores (read back raw with fetchHistory)
 * holds neither the run's facts (the target's name stands for them) nor, in any run, an employee's
 * email or name: activities pass references to the run store, never records. The same search finds the
 * target's name in an unencrypted run, so the check is known to look in the right place.
 */
describe('sync workflow: payloads encrypted end to end (temporal.encryption)', function () {
  this.timeout(300_000);
  const key = randomBytes(32).toString('base64');
  const env = { HRSYNC_ENCRYPTION_KEY_ID: 'test-2026', HRSYNC_ENCRYPTION_KEY: key };
  const hr = { employees: 50, seed: 83 };
  let h: Harness | undefined;
  let plain: Harness | undefined;
  after(async () => {
    await h?.close();
    await plain?.close();
  });

  it('a full sync converges, its history holds no employee email or name, and the summary reads back through the codec', async () => {
    h = await startHarness({ hr, env, encrypted: true });
    const handle = await h.start({ mode: 'full' });
    const summary = (await handle.result()) as SyncSummary;
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.equal(summary.employeesRead, 50);
    assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims).slice(0, 10), []);
    const active = h.sims.hr.employees().filter((e) => e.status === 'active' && (!e.hire_date || e.hire_date <= new Date().toISOString().slice(0, 10)));
    for (const e of active.slice(0, 2)) {
      const user = userByExternalId(h.sims, String(e.id));
      assert.equal(user?.userName, String(e.email).toLowerCase(), `user of ${e.id}`);
      assert.equal(user?.active, true);
    }

    const history = await handle.fetchHistory();
    const payloads = payloadsIn(history);
    assert.ok(payloads.length > 20, `the history was read (${payloads.length} payloads)`);
    // Search attributes must stay readable for the server to index them: they hold the target name and counts only.
    // The SDK writes a patch marker's id (`patched('…')`) as it is: the name of a code change, no data.
    const clear = payloads.filter((p) => encoding(p.payload) !== ENCRYPTED_ENCODING).map((p) => p.path);
    const allowed = (at: string) => at.includes('.searchAttributes.indexedFields.') || at.includes('.markerRecordedEventAttributes.details.patch-data.');
    assert.deepEqual(clear.filter((at) => !allowed(at)), [], 'unencrypted payloads');
    const needles = personalData(h.sims.hr.employees());
    const text = historyText(history);
    const facts = `"targetName":"${h.config.target.name}"`;
    assert.equal(text.includes(facts), false, 'the run facts are readable in the encrypted history');
    assert.deepEqual(needles.filter((n) => text.includes(n)), [], 'employee data readable in the encrypted history');

    // It is all there, sealed: the configured key opens it, and even opened it holds no employee record.
    const encryption = h.config.temporal.encryption;
    assert.ok(encryption);
    const codec = new AesGcmPayloadCodec(encryptionKeys(encryption));
    const opened = bytesText(await codec.decode(payloads.map((p) => p.payload)));
    assert.ok(opened.includes(facts), 'the run facts not found in the decrypted history');
    assert.deepEqual(needles.filter((n) => opened.includes(n)), [], 'employee data in the decrypted history');

    // The summary, read through the harness client (with the codec), is intact; a client without the key can't read it.
    const again = (await h.client.workflow.getHandle(handle.workflowId).result()) as SyncSummary;
    assert.deepEqual(again, summary);
    assert.equal(again.workflowId, handle.workflowId);
    assert.ok((again.planned.create ?? 0) > 0 && (again.outcomes.applied ?? 0) > 0, JSON.stringify(again));
    const stranger = (await testEnv()).client;
    await assert.rejects(stranger.workflow.getHandle(handle.workflowId).result(), /binary\/encrypted/);
  });

  it('the same search finds the run facts in the history of an unencrypted run (so the check above can fail), and no employee record', async () => {
    plain = await startHarness({ hr });
    const handle = await plain.start({ mode: 'full' });
    assert.equal(((await handle.result()) as SyncSummary).outcome, 'succeeded');
    const history = await handle.fetchHistory();
    const needles = personalData(plain.sims.hr.employees());
    const text = historyText(history);
    assert.ok(text.includes(`"targetName":"${plain.config.target.name}"`), 'the run facts not found in the unencrypted history');
    assert.deepEqual(needles.filter((n) => text.includes(n)), [], 'employee data in the history: activities pass references, not records');
    // The 50 employees are one HR page: as records, that page alone would be tens of KB in one payload.
    const largest = Math.max(...payloadsIn(history).map((p) => p.payload.data?.length ?? 0));
    assert.ok(largest < 4096, `the largest payload in the history is ${largest} bytes`);
  });
});
