import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createHrConnector,
  HrMalformedPageError,
  HrPermanentError,
  HrRateLimitedError,
  HrTransientError,
  matchKeyOfEmail,
  mergeDuplicates,
  type Employee,
  type HrConnector,
  type HrError,
  type RawEmployee,
} from '../../src/hr';
import { generateCompany, startHrSimulator, type HrSimulator } from '../../sim/hr';

const NOW = '2026-01-15T00:00:00.000Z';

async function readAll(hr: HrConnector, updatedAfter?: string, pageSize?: number) {
  const employees: Employee[] = [];
  const rejected = [];
  const highWaterMarks: (string | null)[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await hr.readPage({ cursor, updatedAfter, pageSize });
    pages++;
    employees.push(...page.employees);
    rejected.push(...page.rejected);
    highWaterMarks.push(page.highWaterMark);
    cursor = page.nextCursor;
  } while (cursor !== null && pages < 10_000);
  return { employees, rejected, pages, highWaterMarks };
}

async function failureOf(p: Promise<unknown>): Promise<HrError> {
  try {
    await p;
  } catch (e) {
    return e as HrError;
  }
  assert.fail('expected the read to fail');
}

function good(id: string, extra: Partial<RawEmployee> = {}): RawEmployee {
  return {
    id,
    first_name: 'Good',
    last_name: `Record ${id}`,
    email: `good.${id}@corp.example`,
    status: 'active',
    updated_at: `2025-01-01T00:00:${id.padStart(2, '0').slice(-2)}.000Z`,
    ...extra,
  };
}

describe('HR connector against the HR simulator', function () {
  let sim: HrSimulator;
  afterEach(async () => {
    await sim?.close();
  });

  it('pages through the whole company, every employee once, with a high-water mark per page', async () => {
    sim = await startHrSimulator({ company: generateCompany({ size: 1000, seed: 7, now: NOW }) });
    const hr = createHrConnector({ baseUrl: sim.baseUrl, pageSize: 37 });
    const { employees, rejected, pages, highWaterMarks } = await readAll(hr);
    assert.equal(pages, Math.ceil(1000 / 37));
    assert.deepEqual(rejected, []);
    assert.deepEqual(new Set(employees.map((e) => e.id)), new Set(sim.employees().map((e) => String(e.id))));
    assert.equal(employees.length, 1000);
    // Pages come in (updated_at, id) order, so each page's mark is at least the one before.
    const marks = highWaterMarks.map((m) => Date.parse(m ?? ''));
    for (let i = 1; i < marks.length; i++) assert.ok(marks[i] >= marks[i - 1], `page ${i} went back in time`);
    const latest = Math.max(...employees.map((e) => Date.parse(e.updated_at)));
    assert.equal(marks[marks.length - 1], latest);
  });

  it('reads only records updated strictly after updated_after', async () => {
    sim = await startHrSimulator({ company: generateCompany({ size: 300, seed: 3, now: NOW }) });
    const all = sim.employees();
    const cutoff = all[150].updated_at as string;
    const expected = all.filter((e) => Date.parse(e.updated_at as string) > Date.parse(cutoff)).map((e) => String(e.id));
    const hr = createHrConnector({ baseUrl: sim.baseUrl, pageSize: 40 });
    const { employees } = await readAll(hr, cutoff);
    assert.deepEqual(employees.map((e) => e.id).sort(), expected.sort());
    assert.ok(!employees.some((e) => e.id === String(all[150].id)), 'the record at the cutoff itself is not after it');
    assert.ok(expected.length > 100 && expected.length < 200);
    const future = await hr.readPage({ cursor: null, updatedAfter: '2999-01-01T00:00:00Z' });
    assert.deepEqual({ n: future.employees.length, next: future.nextCursor, mark: future.highWaterMark }, { n: 0, next: null, mark: null });
  });

  it('rejects each bad record with its id and the exact reason, and keeps its page-mates', async () => {
    const broken = [
      { ...good('11'), email: undefined },
      { ...good('12'), email: 'not-an-email' },
      { ...good('13'), first_name: 42 },
      { ...good('14'), status: 'retired' },
      { ...good('15'), hire_date: '2024-02-31' },
      { ...good('16'), updated_at: 'yesterday' },
      { ...good('17'), id: null },
      { ...good('18'), first_name: '', last_name: undefined },
    ] as unknown as RawEmployee[];
    const company = [good('1'), ...broken.slice(0, 4), good('2'), ...broken.slice(4), good('3')];
    sim = await startHrSimulator({ company });
    const hr = createHrConnector({ baseUrl: sim.baseUrl });
    const page = await hr.readPage({ cursor: null });
    assert.deepEqual(page.employees.map((e) => e.id).sort(), ['1', '2', '3']);
    const reasons = Object.fromEntries(page.rejected.map((r) => [String(r.id), r.reason]));
    assert.deepEqual(reasons, {
      '11': 'email: Invalid input: expected string, received undefined',
      '12': 'email: Invalid email address',
      '13': 'first_name: Invalid input: expected string, received number',
      '14': 'status: Invalid option: expected one of "active"|"leave"|"terminated"',
      '15': 'hire_date: expected a real calendar date',
      '16': 'updated_at: expected an ISO 8601 timestamp',
      null: 'id: expected a non-empty string (at most 128 characters) or an integer',
      '18': 'first_name: Too small: expected string to have >=1 characters; last_name: Invalid input: expected string, received undefined',
    });
    const r12 = page.rejected.find((r) => r.id === '12');
    assert.equal((r12?.raw as { email?: string }).email, 'not-an-email', 'a small raw record is kept for the report');
  });

  it('rejects records the simulator breaks on purpose, and the rest of each page goes on', async () => {
    sim = await startHrSimulator({ employees: 400, seed: 5, faults: { malformedRecordRate: 0.2 } });
    const hr = createHrConnector({ baseUrl: sim.baseUrl, pageSize: 50 });
    const { employees, rejected } = await readAll(hr);
    assert.equal(employees.length + rejected.length, 400);
    assert.ok(rejected.length > 40 && rejected.length < 130, `about a fifth rejected, got ${rejected.length}`);
    for (const r of rejected) assert.match(r.reason, /^(email|first_name|status|updated_at|hire_date): /);
    assert.ok(rejected.every((r) => r.id !== null));
  });

  it('accepts tricky but valid records: names, extra fields (dropped), emails, future dates, statuses', async () => {
    const company: RawEmployee[] = [
      good('1', { last_name: "O'Brien", preferred_name: '"Bobby"' }),
      good('2', { first_name: 'José', last_name: 'Müller', status: 'leave' }),
      good('3', { first_name: '太郎', last_name: '山田', status: 'terminated', termination_date: '2099-12-31' }),
      good('4', { first_name: 'Sam 🚀', last_name: 'x'.repeat(120), hire_date: '2099-01-01' }),
      good('5', { email: '  Mixed.Case+hr@Corp.Example ', cost_center: 'CC-42', custom: { nested: true } }),
      good('6', { title: '', work_phone: null, status: undefined }),
    ];
    sim = await startHrSimulator({ company });
    const hr = createHrConnector({ baseUrl: sim.baseUrl });
    const page = await hr.readPage({ cursor: null });
    assert.deepEqual(page.rejected, []);
    const byId = new Map(page.employees.map((e) => [e.id, e]));
    assert.equal(byId.get('1')?.last_name, "O'Brien");
    assert.equal(byId.get('1')?.preferred_name, '"Bobby"');
    assert.equal(byId.get('2')?.first_name, 'José');
    assert.equal(byId.get('2')?.status, 'leave');
    assert.equal(byId.get('3')?.termination_date, '2099-12-31');
    assert.equal(byId.get('3')?.status, 'terminated');
    assert.equal(byId.get('4')?.first_name, 'Sam 🚀');
    assert.equal(byId.get('4')?.last_name.length, 120);
    const five = byId.get('5');
    assert.equal(five?.email, 'Mixed.Case+hr@Corp.Example', 'the original case is kept');
    assert.equal(matchKeyOfEmail(five?.email ?? ''), 'mixed.case+hr@corp.example');
    assert.deepEqual(Object.keys(five ?? {}).filter((k) => k === 'cost_center' || k === 'custom'), [], 'fields no mapping uses are dropped: they never reach history');
    assert.equal(byId.get('6')?.title, null, 'a blank title means no title');
    assert.equal(byId.get('6')?.status, 'active', 'no status means active (the tutorial contract has none)');
  });

  it('sends the bearer token, and never shows it in an error', async () => {
    sim = await startHrSimulator({ employees: 20, apiToken: 's3cr3t-token' });
    const withToken = createHrConnector({ baseUrl: sim.baseUrl, apiToken: { reveal: () => 's3cr3t-token' } });
    assert.equal((await withToken.readPage({ cursor: null })).employees.length, 20);
    const without = await failureOf(createHrConnector({ baseUrl: sim.baseUrl }).readPage({ cursor: null }));
    assert.ok(without instanceof HrPermanentError);
    assert.equal(without.status, 401);
    assert.match(without.message, /401.*token/);
  });

  it('redacts the token even when the server echoes it back', async () => {
    const echo = http.createServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `bad header ${req.headers.authorization}` }));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const hr = createHrConnector({ baseUrl: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`, apiToken: 'echo-me-not' });
      const e = await failureOf(hr.readPage({ cursor: 'abc' }));
      assert.equal(e.kind, 'permanent');
      assert.match(e.message, /bad header Bearer \[redacted\]/);
      assert.ok(!e.message.includes('echo-me-not'));
      assert.ok(!JSON.stringify(e).includes('echo-me-not'));
    } finally {
      echo.closeAllConnections();
      await new Promise((r) => echo.close(r));
    }
  });

  describe('classifies failures', function () {
    let cursor: string;
    let hr: HrConnector;
    beforeEach(async () => {
      sim = await startHrSimulator({ employees: 30, seed: 9 });
      hr = createHrConnector({ baseUrl: sim.baseUrl, pageSize: 10, timeoutMs: 5_000 });
      cursor = (await hr.readPage({ cursor: null })).nextCursor as string;
      assert.ok(cursor);
    });

    it('5xx is transient', async () => {
      sim.setFaults({ errorRate: 1 });
      const e = await failureOf(hr.readPage({ cursor }));
      assert.ok(e instanceof HrTransientError);
      assert.equal(e.kind, 'transient');
      assert.ok([500, 502, 503].includes(e.status ?? 0));
      assert.equal(e.cursor, cursor);
    });

    it('429 is rate-limited, with Retry-After in ms', async () => {
      sim.setFaults({ rateLimitRate: 1 });
      const e = await failureOf(hr.readPage({ cursor }));
      assert.ok(e instanceof HrRateLimitedError);
      assert.equal(e.kind, 'rate-limited');
      assert.equal(e.retryAfterMs, 1000);
    });

    it('a truncated body is a permanent malformed-page error naming the cursor', async () => {
      sim.setFaults({ truncateRate: 1 });
      const e = await failureOf(hr.readPage({ cursor }));
      assert.ok(e instanceof HrMalformedPageError);
      assert.equal(e.kind, 'permanent');
      assert.equal(e.cursor, cursor);
      assert.ok(e.message.includes(cursor), e.message);
      assert.match(e.message, /not JSON/);
    });

    it('an empty answer ("" or {}) is never an empty page', async () => {
      sim.setFaults({ emptyRate: 1 });
      const messages = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const e = await failureOf(hr.readPage({ cursor }));
        assert.ok(e instanceof HrMalformedPageError);
        assert.ok(e.message.includes(cursor));
        messages.add(/empty body/.test(e.message) ? 'empty' : /without a "data" array/.test(e.message) ? '{}' : e.message);
      }
      assert.deepEqual([...messages].sort(), ['empty', '{}']);
    });

    it('a timeout is transient', async () => {
      sim.setFaults({ delayMs: 2_000 });
      const slow = createHrConnector({ baseUrl: sim.baseUrl, timeoutMs: 50 });
      const e = await failureOf(slow.readPage({ cursor }));
      assert.ok(e instanceof HrTransientError);
      assert.match(e.message, /within 50 ms/);
    });

    it('other 4xx are permanent: a page_size over the maximum, an unknown cursor, a wrong path', async () => {
      const tooBig = await failureOf(hr.readPage({ cursor: null, pageSize: 5000 }));
      assert.ok(tooBig instanceof HrPermanentError);
      assert.equal(tooBig.status, 400);
      assert.match(tooBig.message, /page_size/);
      const badCursor = await failureOf(hr.readPage({ cursor: 'not-a-cursor' }));
      assert.equal(badCursor.status, 400);
      assert.equal(badCursor.kind, 'permanent');
      const wrongPath = await failureOf(createHrConnector({ baseUrl: `${sim.baseUrl}/nope` }).readPage({ cursor: null }));
      assert.equal(wrongPath.status, 404);
      assert.equal(wrongPath.kind, 'permanent');
    });

    it('a reset connection and a refused one are transient', async () => {
      const rude = http.createServer((req) => req.socket.destroy());
      await new Promise<void>((r) => rude.listen(0, '127.0.0.1', r));
      const port = (rude.address() as AddressInfo).port;
      try {
        const reset = await failureOf(createHrConnector({ baseUrl: `http://127.0.0.1:${port}` }).readPage({ cursor }));
        assert.ok(reset instanceof HrTransientError, reset.message);
      } finally {
        await new Promise((r) => rude.close(r));
      }
      const refused = await failureOf(createHrConnector({ baseUrl: `http://127.0.0.1:${port}` }).readPage({ cursor: null }));
      assert.ok(refused instanceof HrTransientError, refused.message);
      assert.match(refused.message, /ECONNREFUSED/);
    });
  });

  describe('lifecycle events', function () {
    it('bump updated_at and show up in the next delta, and nothing else does', async () => {
      sim = await startHrSimulator({ company: generateCompany({ size: 200, seed: 11, now: NOW }) });
      const hr = createHrConnector({ baseUrl: sim.baseUrl, pageSize: 50 });
      const full = await readAll(hr);
      const watermark = full.highWaterMarks.at(-1) as string;
      const [a, b, c] = full.employees.filter((e) => e.manager_employee_id !== null && e.status === 'active');

      sim.apply({ type: 'transfer', id: a.id, department_code: 'LAB7' });
      sim.apply({ type: 'terminate', id: b.id, date: '2099-06-30' });
      sim.apply({ type: 'touch', id: c.id });
      const hired = sim.apply({ type: 'hire', startDate: '2099-01-15' });

      const delta = await readAll(hr, watermark);
      assert.deepEqual(
        delta.employees.map((e) => e.id),
        [a.id, b.id, c.id, String(hired.id)],
      );
      const [ta, tb, tc, th] = delta.employees;
      assert.equal(ta.department_code, 'LAB7');
      assert.deepEqual([tb.status, tb.termination_date], ['active', '2099-06-30'], 'future notice: still active until then');
      assert.deepEqual({ ...tc, updated_at: c.updated_at }, c, 'a touch changes only updated_at');
      assert.equal(th.hire_date, '2099-01-15');
      const stamps = delta.employees.map((e) => Date.parse(e.updated_at));
      assert.ok(stamps.every((s, i) => s > Date.parse(watermark) && (i === 0 || s > stamps[i - 1])));
      assert.equal((await readAll(hr, delta.highWaterMarks.at(-1) as string)).employees.length, 0);
    });

    it('stamps strictly increasing updated_at even within one millisecond', async () => {
      sim = await startHrSimulator({ employees: 20 });
      const id = String(sim.employees()[0].id);
      const stamps = Array.from({ length: 50 }, () => Date.parse(sim.apply({ type: 'touch', id }).updated_at as string));
      for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i] > stamps[i - 1]);
      const delta = await readAll(createHrConnector({ baseUrl: sim.baseUrl }), new Date(stamps[48]).toISOString());
      assert.deepEqual(delta.employees.map((e) => Date.parse(e.updated_at)), [stamps[49]]);
    });

    it('a record changed mid-read comes again later; nothing unchanged is skipped; mergeDuplicates keeps the later', async () => {
      sim = await startHrSimulator({ company: generateCompany({ size: 120, seed: 13, now: NOW }) });
      const hr = createHrConnector({ baseUrl: sim.baseUrl, pageSize: 25 });
      const seen: Employee[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await hr.readPage({ cursor });
        seen.push(...page.employees);
        cursor = page.nextCursor;
        if (++pages === 2) {
          sim.apply({ type: 'title-change', id: seen[3].id, title: 'Chief Renamer' }); // already read
          const unread = sim.employees().slice(-30, -20); // not read yet
          for (const e of unread) sim.apply({ type: 'touch', id: String(e.id) });
        }
      } while (cursor !== null);
      const { employees, duplicates } = mergeDuplicates(seen);
      assert.equal(employees.length, 120);
      assert.equal(duplicates.length, 1);
      assert.equal(duplicates[0].id, seen[3].id);
      assert.ok(Date.parse(duplicates[0].kept_updated_at) > Date.parse(duplicates[0].dropped_updated_at));
      assert.equal(employees.find((e) => e.id === seen[3].id)?.title, 'Chief Renamer');
    });
  });
});
