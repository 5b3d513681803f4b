import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawEmployee } from '../../src/hr/employee';
import { URN } from '../../src/scim/model/schemas/urns';
import { generateCompany } from '../../sim/hr';
import type { Progress } from '../../src/workflows/contracts';
import { startHarness, type Harness } from '../support/harness';
import { convergenceProblems, countBy, groupsByUser, readReport, userByExternalId } from './support';

/**
 * How the apply activities settle what the target answers, one user at a time: a /Bulk response that
 * mixes successes with 429s and 5xx, a user deleted between a conflict and its refetch, a manager
 * reference whose user vanished, a retried activity that resumes, group memberships that fail, and a
 * userName that belongs to another employee's account.
 */

interface Exchange {
  method: string;
  /** Path without the query string. */
  path: string;
  body: unknown;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Answers a request itself, or changes what is forwarded and what comes back; undefined forwards it as is. */
type Rule = (ex: Exchange, forward: (body?: unknown) => Promise<Answer>) => Promise<Answer | undefined> | Answer | undefined;

interface Proxy {
  url: string;
  target: string;
  rule: Rule | undefined;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

/**
 * A SCIM target between the worker and the simulator: everything is forwarded, except what the current
 * rule answers or rewrites. It plays what the simulator can't: faults per /Bulk operation (the
 * simulator's faults are per request), and a user gone between two requests.
 */
async function startProxy(): Promise<Proxy> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !HOP_BY_HOP.has(k)) headers[k] = v;
        const forward = async (body?: unknown): Promise<Answer> => {
          const sent = body === undefined ? (raw.length ? raw : undefined) : Buffer.from(JSON.stringify(body));
          const answer = await fetch(new URL(req.url ?? '/', proxy.target), { method: req.method, headers, ...(sent ? { body: sent } : {}) });
          const text = await answer.text();
          const kept: Record<string, string> = {};
          answer.headers.forEach((v, k) => {
            if (!HOP_BY_HOP.has(k)) kept[k] = v;
          });
          let parsed: unknown = text === '' ? undefined : text;
          try {
            if (text) parsed = JSON.parse(text);
          } catch {
            // not JSON: relayed as text
          }
          return { status: answer.status, body: parsed, headers: kept };
        };
        const url = new URL(req.url ?? '/', 'http://proxy.invalid');
        const exchange: Exchange = { method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, body: raw.length ? JSON.parse(raw.toString('utf8')) : undefined };
        const answer = (await proxy.rule?.(exchange, forward)) ?? (await forward());
        const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, { 'content-type': 'application/scim+json', ...(answer.headers ?? {}), ...(text ? { 'content-length': String(Buffer.byteLength(text)) } : {}) });
        res.end(text);
      })().catch((err: Error) => {
        if (!res.headersSent) res.writeHead(502);
        res.end(err.message);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: Proxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    target: '',
    rule: undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return proxy;
}

interface BulkOp {
  method: string;
  bulkId?: string;
  path: string;
}
interface BulkResult {
  method: string;
  bulkId?: string;
  status: string;
}

const isBulk = (ex: Exchange) => ex.method === 'POST' && /\/bulk$/i.test(ex.path);
const userIdIn = (path: string) => /\/users\/([^/]+)$/i.exec(path)?.[1];
const scimError = (status: number, detail: string, scimType?: string) => ({ schemas: [URN.error], status: String(status), detail, ...(scimType ? { scimType } : {}) });
const failedResult = (op: BulkOp, status: number): BulkResult & { response: unknown } => ({
  method: op.method,
  ...(op.bulkId ? { bulkId: op.bulkId } : {}),
  status: String(status),
  response: scimError(status, `injected: operation answered ${status}`),
});
const succeeded = (r: BulkResult | undefined) => r !== undefined && Number(r.status) >= 200 && Number(r.status) < 300;

/**
 * Sends the operations `pass` keeps on to the target, and answers the others with `answerFor`; then
 * lets `rewrite` change the target's result of a forwarded operation. A request-level fault of the
 * target is relayed as it is.
 */
async function splitBulk(
  ex: Exchange,
  forward: (body?: unknown) => Promise<Answer>,
  hold: (op: BulkOp, i: number) => number | undefined,
  rewrite: (op: BulkOp, result: BulkResult, i: number) => BulkResult = (_op, r) => r,
): Promise<Answer> {
  const body = ex.body as { Operations: BulkOp[] };
  const held = new Map<BulkOp, number>();
  body.Operations.forEach((op, i) => {
    const status = hold(op, i);
    if (status !== undefined) held.set(op, status);
  });
  const sent = body.Operations.filter((op) => !held.has(op));
  const answer = sent.length ? await forward({ ...body, Operations: sent }) : { status: 200, body: { schemas: [URN.bulkResponse], Operations: [] } };
  if (answer.status !== 200) return answer;
  const results = new Map(((answer.body as { Operations: BulkResult[] }).Operations ?? []).map((r) => [r.bulkId, r]));
  const Operations = body.Operations.map((op, i) => {
    const status = held.get(op);
    if (status !== undefined) return failedResult(op, status);
    const result = results.get(op.bulkId) as BulkResult;
    return rewrite(op, result, i);
  });
  return { ...answer, body: { ...(answer.body as object), Operations } };
}

describe('apply activities: per-user outcomes on a /Bulk target (scim2, behind a fault-injecting proxy)', function () {
  this.timeout(120_000);
  let h: Harness;
  let proxy: Proxy;
  const converged = (except?: ReadonlySet<string>) =>
    assert.deepEqual(convergenceProblems(h.sims.hr.employees(), h.sims, { profile: 'scim2', except }).slice(0, 20), []);

  /** Active employees with an account who manage nobody, by id. */
  function plainEmployees(): RawEmployee[] {
    const all = h.sims.hr.employees();
    const managers = new Set(all.map((e) => String(e.manager_employee_id)));
    return all
      .filter((e) => e.status === 'active' && e.termination_date == null && !managers.has(String(e.id)) && userByExternalId(h.sims, String(e.id)))
      .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  }

  before(async () => {
    proxy = await startProxy();
    h = await startHarness({
      scim: { mode: 'scim2' },
      hr: { employees: 40, seed: 73 },
      // Small HR pages, so that a manager can sit on a later page than their reports.
      env: { SCIM_BASE_URL: `${proxy.url}/api/v2/scim/v2`, HR_PAGE_SIZE: '10' },
    });
    proxy.target = h.sims.scim.apiUrl;
  });
  after(async () => {
    await h?.close();
    await proxy?.close();
  });
  afterEach(() => {
    proxy.rule = undefined;
    h.sims.scim.setFaults({ errorRate: 0, stormRate: 0 });
  });

  it('records every result of a /Bulk response that mixes successes with 429s and 5xx, and converges without duplicates', async () => {
    h.sims.scim.setFaults({ errorRate: 0.04, stormRate: 0.04, retryAfterSeconds: 1 });
    let injected = 0;
    const toldSucceeded = new Set<string>();
    const resent: string[] = [];
    const held = new Set<string>();
    const lost = new Set<string>();
    const sentBefore = new Set<string>();
    const hrIdOf = (op: BulkOp) => String(op.bulkId).replace(/^c-/, '');
    proxy.rule = (ex, forward) => {
      if (!isBulk(ex)) return undefined;
      const ops = (ex.body as { Operations: BulkOp[] }).Operations;
      for (const op of ops) if (op.bulkId && toldSucceeded.has(op.bulkId)) resent.push(op.bulkId);
      // In first-time requests: the first operation is answered 503 and the third 429 (the target never ran
      // them), and the second runs but its answer is lost (a 500 in its place): the user exists, unbeknown to the worker.
      // Until two answers were lost: the simulator's own (seeded) faults may fail a request's second operation too.
      const inject = ops.length >= 3 && lost.size < 2 && injected < 10 && ops.every((op) => !sentBefore.has(String(op.bulkId)));
      for (const op of ops) sentBefore.add(String(op.bulkId));
      if (inject) injected += 1;
      return splitBulk(
        ex,
        forward,
        (op, i) => {
          if (!inject || (i !== 0 && i !== 2)) return undefined;
          held.add(hrIdOf(op));
          return i === 0 ? 503 : 429;
        },
        (op, result, i) => {
          if (inject && i === 1 && succeeded(result)) {
            lost.add(hrIdOf(op));
            return failedResult(op, 500);
          }
          return result;
        },
      ).then((answer) => {
        for (const r of (answer.body as { Operations?: BulkResult[] } | undefined)?.Operations ?? []) if (r.bulkId && succeeded(r)) toldSucceeded.add(r.bulkId);
        return answer;
      });
    };

    const summary = await h.sync({ mode: 'full' });
    assert.ok(injected >= 2, 'mixed responses were answered');
    const stats = h.sims.scim.stats();
    assert.ok(stats.faults.errors + stats.faults.storms > 0, `request faults too: ${JSON.stringify(stats.faults)}`);
    assert.deepEqual(resent, [], 'an operation the target answered with success is never sent again');

    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.outcomes));
    const rows = readReport(summary.reportPath);
    assert.deepEqual(rows.filter((r) => r.outcome === 'failed'), []);
    const byHrId = new Map(rows.map((r) => [r.hr_id, r]));
    assert.equal(lost.size, 2, 'two answers were lost');
    for (const hrId of lost) {
      assert.equal(byHrId.get(hrId)?.outcome, 'applied', hrId);
      assert.equal(byHrId.get(hrId)?.http_status, '200', `${hrId}: the user its lost answer created is adopted`);
    }
    for (const hrId of held) assert.equal(byHrId.get(hrId)?.outcome, 'applied', hrId);
    const accounts = countBy(h.sims.scim.users().filter((u) => u.externalId), (u) => u.externalId as string);
    assert.deepEqual(Object.entries(accounts).filter(([, n]) => n > 1), [], 'no employee has two accounts');
    converged();
  });

  it('reports a user deleted between a version conflict and its refetch as failed, and writes the others', async () => {
    const [x, y] = plainEmployees();
    const xUser = userByExternalId(h.sims, String(x.id))!;
    h.sims.hr.apply({ type: 'title-change', id: x.id, title: 'Refetched Nowhere' });
    h.sims.hr.apply({ type: 'title-change', id: y.id, title: 'Written Anyway' });
    const since = new Date(Date.parse(h.sims.hr.employees().find((e) => e.id === x.id)!.updated_at) - 1).toISOString();
    let conflicts = 0;
    let gets = 0;
    proxy.rule = (ex, forward) => {
      if (isBulk(ex)) return splitBulk(ex, forward, (op) => (op.method === 'PATCH' && userIdIn(op.path) === xUser.id && conflicts++ === 0 ? 412 : undefined));
      if (ex.method === 'GET' && userIdIn(ex.path) === xUser.id) {
        gets += 1;
        return { status: 404, body: scimError(404, `Resource ${xUser.id} not found`) };
      }
      return undefined;
    };
    const summary = await h.sync({ mode: 'delta', since });
    assert.equal(conflicts, 1);
    assert.equal(gets, 1, 'the refetch read the user once');
    assert.equal(summary.outcome, 'completed-with-failures', JSON.stringify(summary.outcomes));
    const rows = new Map(readReport(summary.reportPath).map((r) => [r.hr_id, r]));
    const row = rows.get(String(x.id));
    assert.equal(row?.outcome, 'failed', JSON.stringify(row));
    assert.equal(row?.http_status, '404');
    assert.match(row?.error ?? '', /not found/i);
    assert.equal(rows.get(String(y.id))?.outcome, 'applied');
    assert.equal(userByExternalId(h.sims, String(y.id))?.title, 'Written Anyway');
  });

  it('resolves manager references one by one: a user gone is reported, a retried activity resumes with its counts', async () => {
    const plain = plainEmployees().slice(2, 10);
    const manager = h.sims.hr.apply({ type: 'hire' });
    const since = new Date(Date.parse(manager.updated_at) - 1).toISOString();
    const reports = [0, 1].map(() => h.sims.hr.apply({ type: 'hire', employee: { manager_employee_id: manager.id } }));
    // Read after them, the manager lands on the second HR page (10 a page). Its creation before the HR pages
    // (the joiners who manage someone go first) is refused once: its reports are written before it, and their
    // references wait for the end of the run.
    for (const e of plain) h.sims.hr.apply({ type: 'touch', id: e.id });
    h.sims.hr.apply({ type: 'touch', id: manager.id });

    let gone: string | undefined;
    let unavailable: string | undefined;
    let refusedFirst = false;
    const patches = new Map<string, number>();
    const gets = new Map<string, number>();
    const managerCreate = `c-${manager.id}`;
    proxy.rule = (ex, forward) => {
      if (isBulk(ex) && !refusedFirst && (ex.body as { Operations: BulkOp[] }).Operations.some((op) => op.bulkId === managerCreate)) {
        refusedFirst = true;
        return splitBulk(ex, forward, (op) => (op.bulkId === managerCreate ? 403 : undefined));
      }
      const id = userIdIn(ex.path);
      if (!id) return undefined;
      if (ex.method === 'PATCH') {
        patches.set(id, (patches.get(id) ?? 0) + 1);
        gone ??= id;
        if (id === gone) return { status: 412, body: scimError(412, 'version mismatch') };
        if (unavailable === undefined) {
          unavailable = id;
          return { status: 503, body: scimError(503, 'injected: service unavailable') };
        }
      }
      if (ex.method === 'GET' && id === gone) {
        gets.set(id, (gets.get(id) ?? 0) + 1);
        return { status: 404, body: scimError(404, `Resource ${id} not found`) };
      }
      return undefined;
    };
    const handle = await h.start({ mode: 'delta', since });
    const summary = await handle.result();
    assert.ok(refusedFirst, 'the manager was refused before the HR pages');
    assert.ok(gone && unavailable, 'both references were met');
    assert.equal(patches.get(gone), 1, 'the retried activity resumed after the reference it had settled');
    assert.equal(gets.get(gone), 1);
    assert.equal(patches.get(unavailable), 2, 'the reference that met a 503 was sent again');

    assert.equal(summary.outcome, 'completed-with-failures', JSON.stringify(summary.outcomes));
    const userIdOf = (e: RawEmployee) => userByExternalId(h.sims, String(e.id))?.id;
    const rows = new Map(readReport(summary.reportPath).map((r) => [r.user_id, r]));
    assert.deepEqual(new Set(reports.map(userIdOf)), new Set([gone, unavailable]));
    assert.equal(rows.get(gone)?.outcome, 'pending-reference', JSON.stringify(rows.get(gone)));
    assert.match(rows.get(gone)?.error ?? '', /not found/i);
    assert.equal(rows.get(unavailable)?.outcome, 'applied', JSON.stringify(rows.get(unavailable)));
    const ent = h.sims.scim.users().find((u) => u.id === unavailable)?.[URN.enterpriseUser];
    assert.equal(ent?.manager?.value, userIdOf(manager));
    const progress = await handle.query<Progress>('progress');
    assert.equal(progress.outcomes['pending-reference'], 1, `the resumed activity reports the total: ${JSON.stringify(progress.outcomes)}`);
    // The reference left unset holds the watermark back, so the next delta reads that employee again.
    const current = new Map(h.sims.hr.employees().map((e) => [String(e.id), e.updated_at]));
    const goneReport = reports.find((e) => userIdOf(e) === gone) as RawEmployee;
    const goneAt = Date.parse(String(current.get(String(goneReport.id))));
    assert.ok(summary.watermark !== null && Date.parse(summary.watermark) < goneAt, `watermark ${summary.watermark} before ${new Date(goneAt).toISOString()}`);
  });

  it("sends the memberships of a user whose every attribute was refused, when its chunk's retries are spent", async () => {
    const [, , , , , , , , , , y, x] = plainEmployees();
    const yUser = userByExternalId(h.sims, String(y.id))!;
    const xUser = userByExternalId(h.sims, String(x.id))!;
    const to = y.department_code === 'ENG' ? 'SALES' : 'ENG';
    const team = to === 'ENG' ? 'Engineering Team' : 'Sales Team';
    // Y first: the watermark the failure holds back (X's change) is after Y's, so the next delta would not read Y again.
    h.sims.hr.apply({ type: 'transfer', id: y.id, department_code: to });
    const since = new Date(Date.parse(h.sims.hr.employees().find((e) => e.id === y.id)!.updated_at) - 1).toISOString();
    h.sims.hr.apply({ type: 'title-change', id: x.id, title: 'Never Written' });
    const refused = { status: 400, body: scimError(400, 'attribute "department" cannot be modified', 'mutability') };
    proxy.rule = (ex, forward) => {
      // Y's department is refused, in /Bulk and alone; X's write meets credentials the target no longer takes.
      if (isBulk(ex)) return splitBulk(ex, forward, (op) => (userIdIn(op.path) === yUser.id ? 400 : userIdIn(op.path) === xUser.id ? 401 : undefined));
      if (ex.method === 'PATCH' && userIdIn(ex.path) === yUser.id) return refused;
      return undefined;
    };
    const summary = await h.sync({ mode: 'delta', since });
    assert.equal(summary.outcome, 'completed-with-failures', JSON.stringify(summary.outcomes));
    const rows = new Map(readReport(summary.reportPath).map((r) => [r.hr_id, r]));
    assert.equal(rows.get(String(x.id))?.outcome, 'failed', JSON.stringify(rows.get(String(x.id))));
    const row = rows.get(String(y.id));
    assert.match(row?.warning_codes ?? '', /refused/, JSON.stringify(row));
    // The group change was never refused: it is written at the end of the run, or the row fails and the next delta reads Y again.
    const groups = groupsByUser(h.sims).get(yUser.id) ?? [];
    assert.deepEqual(groups, [team], `${y.id} moved to ${team}; row ${JSON.stringify(row)}`);
    assert.equal(row?.outcome, 'unchanged', JSON.stringify(row));
  });
});

describe('apply activities: adoption and group memberships (Genesys)', function () {
  this.timeout(120_000);
  const company = generateCompany({ size: 12, seed: 19, now: new Date() });
  const managers = new Set(company.map((e) => String(e.manager_employee_id)));
  const clashing = company.find((e) => e.status === 'active' && e.termination_date == null && !managers.has(String(e.id)))!;
  const someoneElse = 'okta-00u9zz';
  let h: Harness;
  before(async () => {
    h = await startHarness({
      hr: { company },
      scim: { users: [{ userName: String(clashing.email).toLowerCase(), displayName: 'Another Person', externalId: someoneElse, active: true }] },
      // Matching by externalId only: the plan does not find the user the userName belongs to, the POST does.
      configure: (c) => void (c.mapping.matchPrecedence = ['externalId']),
    });
  });
  after(async () => h?.close());

  it("does not adopt a user whose externalId is another employee's: the employee's row is failed (uniqueness)", async () => {
    const seeded = h.sims.scim.users().find((u) => u.externalId === someoneElse)!;
    const summary = await h.sync({ mode: 'delta', since: '2000-01-01T00:00:00.000Z' });
    assert.equal(summary.outcome, 'completed-with-failures', JSON.stringify(summary.outcomes));
    const row = readReport(summary.reportPath).find((r) => r.hr_id === String(clashing.id));
    assert.equal(row?.outcome, 'failed', JSON.stringify(row));
    assert.equal(row?.http_status, '409');
    assert.match(row?.error ?? '', /already taken/);
    assert.match(row?.error ?? '', /another employee/);
    assert.deepEqual(h.sims.scim.users().find((u) => u.id === seeded.id), seeded, 'the other account is untouched');
    assert.equal(userByExternalId(h.sims, String(clashing.id)), undefined, 'and no second account was made');
    assert.equal(summary.outcomes.failed, 1, JSON.stringify(summary.outcomes));
  });

  it('counts a failed group membership as a failed write: the watermark stays before it', async () => {
    h.sims.scim.setDeniedPermissions(['directory:group:edit']);
    try {
      const joiner = h.sims.hr.apply({ type: 'hire', employee: { department_code: 'SALES' } });
      const handle = await h.start({ mode: 'delta', since: new Date(Date.parse(joiner.updated_at) - 1).toISOString() });
      const summary = await handle.result();
      assert.equal(summary.employeesRead, 1);
      assert.ok(userByExternalId(h.sims, String(joiner.id)), 'the user was created');
      const [row] = readReport(summary.reportPath);
      assert.equal(row.outcome, 'failed', JSON.stringify(row));
      assert.equal(row.http_status, '403');
      assert.match(row.error, /group membership .*directory:group:edit/);
      assert.equal(summary.outcome, 'completed-with-failures');
      assert.ok(summary.watermark && Date.parse(summary.watermark) < Date.parse(joiner.updated_at), `watermark ${summary.watermark} passed the failed write (${joiner.updated_at})`);
      const progress = await handle.query<Progress>('progress');
      assert.equal(progress.outcomes.failed, 1, JSON.stringify(progress.outcomes));
      assert.equal(progress.outcomes.applied, undefined, JSON.stringify(progress.outcomes));
    } finally {
      h.sims.scim.setDeniedPermissions([]);
    }
  });

  it('counts a user whose conflict fix and group membership both failed once, as failed', async () => {
    const moved = h.sims.hr.employees().find((e) => e.status === 'active' && !e.termination_date && e.department_code !== 'SALES' && userByExternalId(h.sims, String(e.id)))!;
    h.sims.scim.setDeniedPermissions(['directory:group:edit']);
    // Every conditional write meets an edit made just before it: the refetch's write too, so the fix fails.
    h.sims.scim.setFaults({ conflictRate: 1 });
    try {
      const changed = h.sims.hr.apply({ type: 'transfer', id: moved.id, department_code: 'SALES' });
      const handle = await h.start({ mode: 'delta', since: new Date(Date.parse(changed.updated_at) - 1).toISOString() });
      const summary = await handle.result();
      const [row] = readReport(summary.reportPath);
      assert.equal(row.outcome, 'failed', JSON.stringify(row));
      assert.match(row.error, /version conflict persisted/);
      assert.match(row.error, /group membership .*directory:group:edit/);
      const progress = await handle.query<Progress>('progress');
      assert.deepEqual([progress.outcomes.failed, progress.outcomes.applied, progress.outcomes.conflict ?? 0], [1, undefined, 0], JSON.stringify(progress.outcomes));
    } finally {
      h.sims.scim.setDeniedPermissions([]);
      h.sims.scim.setFaults({ conflictRate: 0 });
    }
  });
});
