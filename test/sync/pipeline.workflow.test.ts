import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { startHarness, type Harness } from '../support/harness';
import type { RawEmployee } from '../../src/hr/employee';
import type { SyncSummary } from '../../src/workflows/contracts';
import { progressQuery } from '../../src/workflows/sync';
import { convergenceProblems, eventually } from './support';

/**
 * An HR API between the worker and the simulator whose every page after the first starts with the last
 * record of the page before, with a new email: paging that moved (an offset paging that met an insert),
 * or a record changed while it was read. The apply pass plans each page while the one before it is
 * written, so the repeated employee's plan would not see the user the page before creates.
 */
async function startRepeatingHr(): Promise<{ url: string; target: string; repeated: Map<string, string>; close: () => Promise<void> }> {
  // The record that ended the page answering each next_cursor.
  const lastBefore = new Map<string, RawEmployee>();
  const repeated = new Map<string, string>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', hr.target);
      const cursor = url.searchParams.get('cursor');
      const before = cursor ? lastBefore.get(cursor) : undefined;
      // Room on the page for the repeated record.
      if (before) url.searchParams.set('page_size', String(Number(url.searchParams.get('page_size')) - 1));
      const answer = await fetch(url, { headers: { authorization: req.headers.authorization ?? '' } });
      const body = (await answer.json()) as { data: RawEmployee[]; next_cursor: string | null };
      const last = body.data[body.data.length - 1];
      if (body.next_cursor && last) lastBefore.set(body.next_cursor, last);
      if (before) {
        const email = `moved.${before.email}`;
        repeated.set(String(before.id), email);
        body.data = [{ ...before, email }, ...body.data];
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    })().catch((err: Error) => {
      res.writeHead(502);
      res.end(err.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hr = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    target: '',
    repeated,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return hr;
}

/** planHrPage activities still in flight when a chunk of the page before was scheduled for writing. */
function plannedWhileWriting(events: readonly temporal.api.history.v1.IHistoryEvent[]): number {
  const planning = new Set<string>();
  const overlapped = new Set<string>();
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (scheduled === 'planHrPage') planning.add(String(e.eventId));
    if (scheduled === 'applyChanges') for (const p of planning) overlapped.add(p);
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
    if (closed) planning.delete(String(closed.scheduledEventId));
  }
  return overlapped.size;
}

describe('sync workflow: the apply pass plans the next HR page while this one is written', function () {
  this.timeout(180_000);
  let h: Harness;
  let hr: Awaited<ReturnType<typeof startRepeatingHr>>;
  before(async () => {
    hr = await startRepeatingHr();
    h = await startHarness({
      hr: { employees: 60, seed: 91 },
      env: { HR_PAGE_SIZE: '12', HRSYNC_CHUNK_SIZE: '4' },
      configure: (c) => {
        hr.target = c.hr.baseUrl;
        c.hr.baseUrl = hr.url;
      },
    });
  });
  after(async () => {
    await h?.close();
    await hr?.close();
  });

  it('an employee HR sends on two pages in a row gets one account, as the later page says', async () => {
    const handle = await h.start({ mode: 'full' });
    const summary = (await handle.result()) as SyncSummary;
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
    assert.ok(plannedWhileWriting((await handle.fetchHistory()).events ?? []) >= 3, 'HR pages were planned while the page before was written');
    assert.ok(hr.repeated.size >= 4, `HR repeated ${hr.repeated.size} employees`);
    const accounts = new Map<string, number>();
    for (const u of h.sims.scim.users()) if (u.externalId) accounts.set(u.externalId, (accounts.get(u.externalId) ?? 0) + 1);
    assert.deepEqual([...accounts].filter(([, n]) => n > 1), [], 'no employee has a second account');
    const asHrSaysLast = h.sims.hr.employees().map((e) => (hr.repeated.has(String(e.id)) ? { ...e, email: hr.repeated.get(String(e.id)) as string } : e));
    assert.deepEqual(convergenceProblems(asHrSaysLast, h.sims).slice(0, 10), []);
  });

  it('a cancel while a page is written and the next one planned ends the run cancelled, with its partial report', async () => {
    // Slow HR pages, so that the cancel meets a page planned ahead, and slow writes, so that the poll meets a
    // page being written (its chunks go two at a time).
    h.sims.hr.setFaults({ delayMs: 400 });
    h.sims.scim.setFaults({ delayMs: 150 });
    const handle = await h.start({ mode: 'full' });
    await eventually(async () => (await handle.query(progressQuery)).phase.startsWith('apply: writing'), 'the apply pass writing an HR page');
    await handle.cancel();
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure, String(err));
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'writeReport');
    assert.equal(scheduled.length, 1, 'the partial report is written once');
    h.sims.hr.setFaults({ delayMs: 0 });
    h.sims.scim.setFaults({ delayMs: 0 });
  });
});

/**
 * A SCIM target between the worker and the simulator that refuses the first POST of each manager, for
 * good: the managers created first fail, and are created on their own HR page instead, while the page
 * after it, with some of their reports, is planned.
 */
async function startRefusingFirstCreates(managers: ReadonlySet<string>): Promise<{ url: string; target: string; refused: Set<string>; close: () => Promise<void> }> {
  const refused = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const userName = req.method === 'POST' && /\/users$/i.test(req.url ?? '') ? (JSON.parse(body.toString('utf8')) as { userName?: string }).userName : undefined;
        if (userName && managers.has(userName.toLowerCase()) && !refused.has(userName)) {
          refused.add(userName);
          res.writeHead(400, { 'content-type': 'application/scim+json' });
          res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: 'injected: not now' }));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
        const answer = await fetch(new URL(req.url ?? '/', target.target), { method: req.method, headers, ...(body.length ? { body } : {}) });
        const kept: Record<string, string> = {};
        answer.headers.forEach((v, k) => {
          if (!['connection', 'transfer-encoding', 'content-length', 'keep-alive'].includes(k)) kept[k] = v;
        });
        res.writeHead(answer.status, kept);
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch((err: Error) => {
        if (!res.headersSent) res.writeHead(502);
        res.end(err.message);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    target: '',
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return target;
}

describe('sync workflow: a manager created on an HR page while the next page is planned', function () {
  this.timeout(180_000);
  let h: Harness;
  let scim: Awaited<ReturnType<typeof startRefusingFirstCreates>>;
  const managers = new Set<string>();
  before(async () => {
    scim = await startRefusingFirstCreates(managers);
    h = await startHarness({
      hr: { employees: 60, seed: 92 },
      env: { HR_PAGE_SIZE: '12', HRSYNC_CHUNK_SIZE: '4' },
      configure: (c) => {
        if (c.target.kind !== 'genesys' || !c.target.apiUrl) throw new Error('the harness targets the Genesys simulator');
        scim.target = c.target.apiUrl;
        c.target.apiUrl = scim.url;
      },
    });
    const employees = h.sims.hr.employees();
    const managing = new Set(employees.map((e) => String(e.manager_employee_id)));
    for (const e of employees) if (managing.has(String(e.id))) managers.add(e.email.toLowerCase());
  });
  after(async () => {
    await h?.close();
    await scim?.close();
  });

  it('names them in their reports, whichever page the reports are on', async () => {
    const summary = await h.sync({ mode: 'full' });
    assert.ok(['succeeded', 'completed-with-failures'].includes(summary.outcome), JSON.stringify(summary));
    assert.ok(scim.refused.size >= 5, `${scim.refused.size} managers refused when created first`);
    assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims).slice(0, 10), []);
  });
});
