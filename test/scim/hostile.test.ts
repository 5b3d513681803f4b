import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScimError, ScimInvalidResponseError, ScimTransientError, createScimClient, type ScimClient } from '../../src/scim';
import { MAX_PAUSE_MS, Pacer, PacerWaitTooLongError } from '../../src/scim/pacer';
import { rejectionOf } from './helpers';

type Route = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

const json = (res: http.ServerResponse, status: number, body: unknown, type = 'application/scim+json') => {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
};
const user = (id: string, extra: Record<string, unknown> = {}) => ({ id, userName: `${id}@corp.example`, active: true, ...extra });

/**
 * A SCIM server that answers wrongly on purpose, one way per path prefix. Every request is counted
 * by route, so a test can tell a request retried in place from one that failed at once.
 */
async function startHostile(routes: Record<string, Route>) {
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const route = Object.keys(routes).find((p) => (req.url ?? '').startsWith(p));
    if (!route) return json(res, 404, { detail: 'no such route' });
    const n = (counts.get(route) ?? 0) + 1;
    counts.set(route, n);
    routes[route](req, res, n);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    client: (prefix: string, extra: Record<string, unknown> = {}): ScimClient =>
      createScimClient({ profile: 'scim2', baseUrl: `${base}${prefix}`, bearerToken: 'hostile-token-0123', rateLimitPerMinute: null, timeoutMs: 1_000, ...extra }),
    count: (prefix: string) => [...counts].filter(([route]) => route.startsWith(prefix)).reduce((a, [, n]) => a + n, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('scim client against a hostile server: a clear error per request, never a hang or a crash', function () {
  this.timeout(60_000);
  let hostile: Awaited<ReturnType<typeof startHostile>>;
  before(async () => {
    hostile = await startHostile({
      '/shape/Users': (_q, res) => json(res, 200, { totalResults: 'many', Resources: { id: 1 } }),
      '/resources/Users': (_q, res) => json(res, 200, { totalResults: 3, startIndex: 1 }),
      '/nulls/Users': (_q, res) =>
        json(res, 200, { totalResults: 1, startIndex: 1, itemsPerPage: null, Resources: [user('u1', { title: null, displayName: null, emails: null, name: { givenName: null } })] }),
      '/huge/Users': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/scim+json' });
        res.write('{"totalResults":1,"Resources":[{"id":"u1","userName":"');
        const chunk = 'x'.repeat(64 * 1024);
        let sent = 0;
        const more = () => {
          while (sent < 64 && res.write(chunk)) sent += 1;
          if (sent < 64) res.once('drain', more);
          else res.end('"}]}');
        };
        more();
      },
      '/html/Users': (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Please sign in</body></html>');
      },
      '/drip/Users': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/scim+json' });
        const timer = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(timer));
      },
      '/endless/Users': (req, res) => {
        const start = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('startIndex') ?? 1);
        // Every page says there are 25 more than this one ends with.
        json(res, 200, { totalResults: start + 49, startIndex: start, Resources: Array.from({ length: 25 }, (_, i) => user(`u${start + i}`)) });
      },
      '/flaky/Users': (_q, res, n) => (n < 3 ? json(res, 503, { detail: 'busy' }) : json(res, 200, user('u1'))),
      '/down/Users': (_q, res) => json(res, 503, { detail: 'down' }),
      // A group PATCH answered with a body too large for maxResponseBytes and not a group at all.
      '/bigGroup/Groups': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/scim+json', etag: '"7"' });
        res.end('x'.repeat(2 * 1024 * 1024));
      },
      '/goneGroup/Groups': (_q, res) => json(res, 404, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'group g1 is gone' }),
      '/hours/Users': (_q, res) => {
        res.writeHead(429, { 'content-type': 'application/scim+json', 'retry-after': '7200' });
        res.end('{"detail":"come back later"}');
      },
    });
  });
  after(async () => hostile?.close());

  it('a list of the wrong shape fails naming the fields', async () => {
    const err = await rejectionOf(hostile.client('/shape').listUsers());
    assert.ok(err instanceof ScimInvalidResponseError, String(err));
    assert.match(err.message, /totalResults/);
    assert.match(err.message, /Resources/);
  });

  it('a list that announces users and sends no Resources is an error, not an empty page', async () => {
    const err = await rejectionOf(hostile.client('/resources').listUsers());
    assert.ok(err instanceof ScimInvalidResponseError, String(err));
    assert.match(err.message, /Resources: missing, though totalResults is 3/);
  });

  it('attributes sent as null (RFC 7643 §2.5) read as unassigned', async () => {
    const page = await hostile.client('/nulls').listUsers();
    assert.equal(page.Resources.length, 1);
    assert.equal(page.Resources[0].title, undefined);
    assert.equal(page.Resources[0].name?.givenName, undefined);
  });

  it('a body larger than target.maxResponseBytes fails that request', async () => {
    const err = await rejectionOf(hostile.client('/huge', { maxResponseBytes: 1024 * 1024 }).listUsers());
    assert.ok(err instanceof ScimInvalidResponseError, String(err));
    assert.match(err.message, /larger than target\.maxResponseBytes \(1048576 bytes\)/);
    assert.equal(hostile.count('/huge'), 1, 'not retried: the same answer would come back');
  });

  it('an HTML answer (the wrong content type) is an invalid response', async () => {
    const err = await rejectionOf(hostile.client('/html').getUser('u1'));
    assert.ok(err instanceof ScimInvalidResponseError, String(err));
    assert.match(err.message, /not JSON/);
  });

  it('a slow drip is cut by the request timeout', async () => {
    const err = await rejectionOf(hostile.client('/drip', { readRetries: 1 }).getUser('u1'));
    assert.ok(err instanceof ScimTransientError, String(err));
    assert.match(err.message, /timed out/);
  });

  it('a list whose totals never end stops with a clear error', async () => {
    const client = hostile.client('/endless');
    let read = 0;
    const err = await (async () => {
      try {
        for await (const page of client.iterateUserPages()) read += page.users.length;
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof ScimInvalidResponseError, String(err));
    assert.match(err.message, /the list did not end: \d+ resources read where its first page announced 50/);
    assert.ok(read < 2000, `${read}`);
  });

  it('a GET that meets a 5xx is retried in place, with backoff, before it fails', async () => {
    const got = await hostile.client('/flaky').getUser('u1');
    assert.equal(got.user.id, 'u1');
    assert.equal(hostile.count('/flaky'), 3);
    const err = await rejectionOf(hostile.client('/down', { readRetries: 2 }).getUser('u1'));
    assert.ok(err instanceof ScimTransientError && err.status === 503, String(err));
    assert.equal(hostile.count('/down'), 3, 'the first try and two retries');
    await rejectionOf(hostile.client('/down').patchUser('u1', [{ op: 'replace', path: 'title', value: 'x' }]));
    assert.equal(hostile.count('/down'), 4, 'a write is never sent again in place');
  });

  it('a group PATCH answer nobody reads is drained unparsed; one read for its version, and an error, are parsed', async () => {
    const client = hostile.client('/bigGroup', { maxResponseBytes: 1024 * 1024 });
    assert.deepEqual(await client.patchGroupMembers('g1', { add: ['u1'] }), { version: '"7"' }, 'the version from the ETag');
    const guarded = await rejectionOf(client.patchGroupMembers('g1', { add: ['u1'] }, { ifMatch: '"6"' }));
    assert.ok(guarded instanceof ScimInvalidResponseError, String(guarded));
    const gone = await rejectionOf(hostile.client('/goneGroup').patchGroupMembers('g1', { remove: ['u1'] }));
    assert.ok(gone instanceof ScimError && gone.status === 404, String(gone));
    assert.match(gone.message, /group g1 is gone/);
  });

  it('a Retry-After of hours fails the request saying so, instead of freezing the worker', async () => {
    const err = await rejectionOf(hostile.client('/hours', { readRetries: 0 }).getUser('u1'));
    assert.ok(err instanceof ScimError, String(err));
    assert.match(err.message, /asked to wait 7200 s \(Retry-After\), longer than the 900 s hrsync waits out/);
  });
});

describe('pacer: a server signal cannot pause the worker for hours', () => {
  it('caps the pause it takes from a 429', async () => {
    let now = 0;
    const pacer = new Pacer({ budget: null, maxServerWaitMs: 24 * 3_600_000, now: () => now, sleep: async (ms) => void (now += ms) });
    pacer.pauseFor(6 * 3_600_000);
    await (await pacer.acquire()).release();
    assert.equal(now, MAX_PAUSE_MS, 'waited the cap, not six hours');
    const strict = new Pacer({ budget: null, now: () => 0 });
    strict.pauseFor(6 * 3_600_000);
    const err = await rejectionOf(strict.acquire());
    assert.ok(err instanceof PacerWaitTooLongError && err.waitMs <= MAX_PAUSE_MS, String(err));
  });
});
