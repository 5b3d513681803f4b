import assert from 'node:assert/strict';
import { startHrSimulator, type HrSimulator } from '../../../sim/hr';

async function call(sim: HrSimulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, unknown> & unknown[] };
}

describe('HR simulator', function () {
  let sim: HrSimulator;
  afterEach(async () => {
    await sim?.close();
  });

  it('serves the contract: data and an opaque next_cursor, 100 by default, null at the end', async () => {
    sim = await startHrSimulator({ employees: 150 });
    const first = await call(sim, 'GET', '/api/v1/employees');
    assert.equal(first.status, 200);
    assert.equal((first.json.data as unknown[]).length, 100);
    assert.equal(typeof first.json.next_cursor, 'string');
    const second = await call(sim, 'GET', `/api/v1/employees?cursor=${encodeURIComponent(first.json.next_cursor as string)}`);
    assert.equal((second.json.data as unknown[]).length, 50);
    assert.equal(second.json.next_cursor, null);
    assert.deepEqual(sim.stats(), { requests: 2, byStatus: { '200': 2 } });
  });

  it('answers 400 for a bad page_size, updated_after or cursor, and 401 without the token', async () => {
    sim = await startHrSimulator({ employees: 10, maxPageSize: 50, apiToken: 'tok' });
    const auth = { authorization: 'Bearer tok' };
    assert.equal((await call(sim, 'GET', '/api/v1/employees?page_size=51', undefined, auth)).status, 400);
    assert.equal((await call(sim, 'GET', '/api/v1/employees?page_size=0', undefined, auth)).status, 400);
    assert.equal((await call(sim, 'GET', '/api/v1/employees?page_size=50', undefined, auth)).status, 200);
    assert.equal((await call(sim, 'GET', '/api/v1/employees?updated_after=last-tuesday', undefined, auth)).status, 400);
    assert.equal((await call(sim, 'GET', '/api/v1/employees?cursor=zzz', undefined, auth)).status, 400);
    const denied = await call(sim, 'GET', '/api/v1/employees', undefined, { authorization: 'Bearer nope' });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('www-authenticate'), 'Bearer');
    assert.equal((await call(sim, 'GET', '/__sim/employees')).status, 200, 'admin routes need no token');
  });

  it('applies lifecycle events over HTTP, and refuses impossible ones', async () => {
    sim = await startHrSimulator({ employees: 40, seed: 2 });
    const everyone = (await call(sim, 'GET', '/__sim/employees')).json as unknown as Array<Record<string, unknown>>;
    assert.equal(everyone.length, 40);
    const ceo = everyone.find((e) => e.manager_employee_id === null)!;
    const worker = everyone.find((e) => e.manager_employee_id === ceo.id)!;

    const hired = await call(sim, 'POST', '/__sim/events', { type: 'hire', startDate: '2099-02-01', employee: { department_code: 'R&D-X', manager_employee_id: worker.id } });
    assert.equal(hired.status, 200);
    assert.deepEqual([hired.json.hire_date, hired.json.department_code, hired.json.manager_employee_id, hired.json.status], ['2099-02-01', 'R&D-X', worker.id, 'active']);
    assert.ok(!everyone.some((e) => String(e.email).toLowerCase() === String(hired.json.email).toLowerCase()), 'a new, unique email');

    const batch = await call(sim, 'POST', '/__sim/events', [
      { type: 'leave', id: worker.id },
      { type: 'promotion', id: worker.id, title: 'Lead', department_code: 'OPS' },
    ]);
    assert.deepEqual(
      (batch.json as unknown as Array<Record<string, unknown>>).map((e) => [e.status, e.title, e.department_code]),
      [['leave', worker.title, worker.department_code], ['leave', 'Lead', 'OPS']],
    );
    assert.equal(sim.apply({ type: 'return', id: String(worker.id) }).status, 'active');
    const gone = sim.apply({ type: 'terminate', id: String(worker.id), date: '2020-01-01' });
    assert.deepEqual([gone.status, gone.termination_date], ['terminated', '2020-01-01']);
    const back = sim.apply({ type: 'rehire', id: String(worker.id) });
    assert.deepEqual([back.status, back.termination_date], ['active', null]);

    assert.equal((await call(sim, 'POST', '/__sim/events', { type: 'manager-change', id: ceo.id, manager_employee_id: hired.json.id })).status, 409, 'a cycle');
    assert.equal((await call(sim, 'POST', '/__sim/events', { type: 'touch', id: 'nobody' })).status, 404);
    const invalid = await call(sim, 'POST', '/__sim/events', { type: 'transfer', id: worker.id });
    assert.equal(invalid.status, 400);
    assert.match(String(invalid.json.message), /department_code/);
    assert.equal((await call(sim, 'POST', '/__sim/events', { type: 'hire', employee: { id: ceo.id } })).status, 409, 'id taken');
    assert.equal(sim.stats().requests, 0, 'admin calls are not API requests');
  });

  it('injects faults deterministically from the seed, never on admin routes', async () => {
    const statuses = async (seed: number) => {
      sim = await startHrSimulator({ employees: 5, seed, faults: { errorRate: 0.3, rateLimitRate: 0.2 } });
      const seen = [];
      for (let i = 0; i < 30; i++) seen.push((await call(sim, 'GET', '/api/v1/employees')).status);
      for (let i = 0; i < 5; i++) assert.equal((await call(sim, 'GET', '/__sim/stats')).status, 200);
      const stats = sim.stats();
      await sim.close();
      return { seen, stats };
    };
    const a = await statuses(77);
    const b = await statuses(77);
    assert.deepEqual(a, b);
    assert.equal(a.stats.requests, 30);
    assert.ok(a.seen.includes(429) && a.seen.some((s) => s >= 500) && a.seen.includes(200), String(a.seen));

    sim = await startHrSimulator({ employees: 5 });
    const set = await call(sim, 'POST', '/__sim/faults', { rateLimitRate: 1 });
    assert.equal(set.json.rateLimitRate, 1);
    const limited = await call(sim, 'GET', '/api/v1/employees');
    assert.deepEqual([limited.status, limited.headers.get('retry-after')], [429, '1']);
    assert.equal((await call(sim, 'POST', '/__sim/faults', { rateLimitRate: 2 })).status, 400);
  });

  it('breaks served copies of records, never the records it holds', async () => {
    sim = await startHrSimulator({ employees: 30, faults: { malformedRecordRate: 1 } });
    const served = (await call(sim, 'GET', '/api/v1/employees')).json.data as Array<Record<string, unknown>>;
    const held = new Map(sim.employees().map((e) => [String(e.id), e]));
    assert.equal(served.length, 30);
    assert.ok(served.every((s) => JSON.stringify(s) !== JSON.stringify(held.get(String(s.id)))));
    assert.ok(sim.employees().every((e) => typeof e.email === 'string' && typeof e.first_name === 'string'));
  });
});
