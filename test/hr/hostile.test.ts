import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { hrPages, type HrPageRead } from '../../src/activities/hr';
import { createHrConnector, HrMalformedPageError, HrRateLimitedError, HrTransientError } from '../../src/hr';
import { RunStore } from '../../src/staging/runstore';

const record = (id: string) => ({ id, first_name: 'A', last_name: 'B', email: `${id}@corp.example`, updated_at: '2026-01-01T00:00:00Z' });

/** An HR API that answers wrongly on purpose, by the query it gets. */
async function startHostileHr(answer: (url: URL, res: http.ServerResponse) => void) {
  const server = http.createServer((req, res) => answer(new URL(req.url ?? '/', 'http://hr'), res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

describe('HR connector against a hostile HR API', function () {
  this.timeout(30_000);
  let hr: Awaited<ReturnType<typeof startHostileHr>>;
  before(async () => {
    hr = await startHostileHr((url, res) => {
      const cursor = url.searchParams.get('cursor');
      const size = Number(url.searchParams.get('page_size'));
      switch (url.searchParams.get('updated_after')) {
        case 'cycle': // A -> B -> A -> ...
          return send(res, 200, { data: [record(cursor ?? 'first')], next_cursor: cursor === 'A' ? 'B' : 'A' });
        case 'oversized':
          return send(res, 200, { data: Array.from({ length: size + 1 }, (_, i) => record(String(i))), next_cursor: null });
        case 'huge':
          return send(res, 200, { data: [{ ...record('1'), title: 'x'.repeat(2 * 1024 * 1024) }], next_cursor: null });
        case 'hours':
          return send(res, 429, { error: 'slow down' }, { 'retry-after': '86400' });
        case 'garbled':
          return send(res, 429, { error: 'slow down' }, { 'retry-after': 'soon 1' });
        default:
          return send(res, 404, {});
      }
    });
  });
  after(async () => hr?.close());

  it('stops a cursor cycle (A, B, A) with a clear error instead of paging forever', async () => {
    const store = new RunStore(mkdtempSync(path.join(os.tmpdir(), 'hrsync-cycle-')));
    store.begin('run', 'token');
    const { readHrPage } = hrPages({ hr: createHrConnector({ baseUrl: hr.baseUrl }), store });
    const read = (cursor: string | null): Promise<HrPageRead> => readHrPage({ runKey: 'run', pass: 'plan' as const, cursor, updatedAfter: 'cycle' });
    assert.equal((await read(null)).nextCursor, 'A');
    assert.equal((await read('A')).nextCursor, 'B');
    assert.equal((await read('A')).nextCursor, 'B', 'a retried page is no cycle');
    await assert.rejects(read('B'), (e: Error) => /next_cursor "A", a page this read has already read: paging would never end/.test(e.message));
  });

  it('refuses a page with more records than page_size asked for', async () => {
    const err = await createHrConnector({ baseUrl: hr.baseUrl, pageSize: 10 }).readPage({ cursor: null, updatedAfter: 'oversized' }).catch((e: unknown) => e);
    assert.ok(err instanceof HrMalformedPageError, String(err));
    assert.match(err.message, /11 records, more than the 10 a page may hold/);
  });

  it('fails a body larger than hr.maxResponseBytes', async () => {
    const err = await createHrConnector({ baseUrl: hr.baseUrl, maxResponseBytes: 1024 * 1024 }).readPage({ cursor: null, updatedAfter: 'huge' }).catch((e: unknown) => e);
    assert.ok(err instanceof HrMalformedPageError, String(err));
    assert.match(err.message, /larger than hr\.maxResponseBytes \(1048576 bytes\)/);
  });

  it('does not wait out a Retry-After of a day', async () => {
    const err = await createHrConnector({ baseUrl: hr.baseUrl }).readPage({ cursor: null, updatedAfter: 'hours' }).catch((e: unknown) => e);
    assert.ok(err instanceof HrTransientError, String(err));
    assert.match(err.message, /asked to wait 86400 s, longer than the 900 s hrsync waits out/);
  });

  it('waits the default second when Retry-After is not a delay or an HTTP-date, never no time at all', async () => {
    const err = await createHrConnector({ baseUrl: hr.baseUrl }).readPage({ cursor: null, updatedAfter: 'garbled' }).catch((e: unknown) => e);
    assert.ok(err instanceof HrRateLimitedError, String(err));
    assert.equal(err.retryAfterMs, 1000);
  });

  it('rejects strings longer than the schema allows, naming the field', async () => {
    const { validateRecords } = await import('../../src/hr');
    const { rejected } = validateRecords([{ ...record('1'), title: 'x'.repeat(257) }, { ...record('2'), email: `${'a'.repeat(250)}@x.io` }]);
    assert.match(rejected[0].reason, /^title: Too big/);
    assert.match(rejected[1].reason, /^email: Too big/);
  });
});
