import assert from 'node:assert/strict';
import { parse } from 'scim2-parse-filter';
import {
  GENESYS_REGIONS,
  Pacer,
  ScimForbiddenError,
  ScimInvalidRequestError,
  ScimNotFoundError,
  ScimRateLimitedError,
  ScimTransientError,
  ScimUniquenessError,
  ScimUnsupportedError,
  ScimVersionConflictError,
  and,
  classifyHttpFailure,
  eq,
  filterString,
  genesysDomain,
  genesysEndpoints,
  planBulkChunks,
  valuePath,
  withoutName,
  bulkRequest,
  type BulkOperation,
} from '../../src/scim';
import { PacerWaitTooLongError } from '../../src/scim/pacer';
import { isPatchUnavailable, type ScimOperation } from '../../src/scim/errors';

describe('scim profile: Genesys regions', () => {
  it('maps every documented region name to its domain and hosts', () => {
    const expected: Record<string, string> = {
      'us-east-1': 'mypurecloud.com', 'us-east-2': 'use2.us-gov-pure.cloud', 'us-west-2': 'usw2.pure.cloud',
      'ca-central-1': 'cac1.pure.cloud', 'eu-west-1': 'mypurecloud.ie', 'eu-west-2': 'euw2.pure.cloud',
      'eu-central-1': 'mypurecloud.de', 'eu-central-2': 'euc2.pure.cloud', 'ap-southeast-2': 'mypurecloud.com.au',
      'ap-northeast-1': 'mypurecloud.jp', 'ap-northeast-2': 'apne2.pure.cloud', 'ap-northeast-3': 'apne3.pure.cloud',
      'ap-south-1': 'aps1.pure.cloud', 'ap-southeast-1': 'apse1.pure.cloud', 'sa-east-1': 'sae1.pure.cloud',
      'me-central-1': 'mec1.pure.cloud', 'mx-central-1': 'mxc1.pure.cloud', 'eu-east-1': 'edee1.eusc-pure.cloud',
    };
    assert.deepEqual({ ...GENESYS_REGIONS }, expected);
    for (const [region, domain] of Object.entries(expected)) {
      assert.equal(genesysDomain(region), domain);
      assert.equal(genesysDomain(domain), domain, 'a domain is accepted as is');
      assert.deepEqual(genesysEndpoints({ region }), {
        scimBaseUrl: `https://api.${domain}/api/v2/scim/v2`,
        tokenUrl: `https://login.${domain}/oauth/token`,
      });
    }
  });

  it('accepts hosts and URLs, rejects unknown regions, and lets apiUrl/loginUrl win', () => {
    assert.equal(genesysDomain('https://api.mypurecloud.de/'), 'mypurecloud.de');
    assert.equal(genesysDomain('login.usw2.pure.cloud'), 'usw2.pure.cloud');
    assert.throws(() => genesysDomain('mars-north-1'), /unknown Genesys Cloud region/);
    assert.deepEqual(genesysEndpoints({ region: 'eu-west-1', apiUrl: 'http://127.0.0.1:9/', loginUrl: 'http://127.0.0.1:8' }), {
      scimBaseUrl: 'http://127.0.0.1:9/api/v2/scim/v2',
      tokenUrl: 'http://127.0.0.1:8/oauth/token',
    });
    assert.equal(genesysEndpoints({ apiUrl: 'https://api.mypurecloud.ie' }).tokenUrl, 'https://login.mypurecloud.ie/oauth/token');
    assert.throws(() => genesysEndpoints({ apiUrl: 'http://127.0.0.1:9' }), /loginUrl/);
  });
});

describe('scim filter building', () => {
  it('escapes quotes and keeps apostrophes, so the filter parses back to the same value', () => {
    const value = `o'brien"x@corp.com`;
    const text = filterString(eq('userName', value));
    assert.equal(text, 'userName eq "o\'brien\\"x@corp.com"');
    const back = parse(text);
    assert.equal(back.op, 'eq');
    assert.equal((back as { compValue: unknown }).compValue, value);
  });

  it('builds value paths and and-expressions', () => {
    assert.equal(filterString(valuePath('members', eq('value', 'a"b'))), 'members[value eq "a\\"b"]');
    assert.equal(filterString(and(eq('externalId', 'E1'), eq('active', false))), 'externalId eq "E1" and active eq false');
  });
});

describe('scim error classification', () => {
  const op = 'user.patch' as const;
  const scimBody = (status: number, scimType?: string, detail?: string) => ({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), scimType, detail,
  });

  it('treats the three version-conflict dialects alike', () => {
    assert.ok(classifyHttpFailure({ operation: op, status: 400, body: scimBody(400, 'invalidVers') }) instanceof ScimVersionConflictError);
    assert.ok(classifyHttpFailure({ operation: op, status: 412, body: undefined }) instanceof ScimVersionConflictError);
    assert.ok(classifyHttpFailure({ operation: op, status: 409, body: scimBody(409, undefined, 'version mismatch') }) instanceof ScimVersionConflictError);
  });

  it('reads a bare 409 on a create as a duplicate (a create has no version to conflict on)', () => {
    assert.ok(classifyHttpFailure({ operation: 'user.create', status: 409, body: undefined }) instanceof ScimUniquenessError);
    assert.ok(classifyHttpFailure({ operation: 'user.patch', status: 409, body: undefined }) instanceof ScimVersionConflictError);
  });

  it('reads a 409 by its scimType (RFC 7644 §3.3, §3.12): uniqueness is a duplicate, another is not', () => {
    const cases: [string, 'user.create' | 'user.patch', unknown, typeof ScimUniquenessError | typeof ScimVersionConflictError | typeof ScimInvalidRequestError][] = [
      ['a create, uniqueness', 'user.create', scimBody(409, 'uniqueness'), ScimUniquenessError],
      ['a create, no scimType', 'user.create', scimBody(409), ScimUniquenessError],
      ['a create, no body at all', 'user.create', undefined, ScimUniquenessError],
      ['a create, no scimType but worded as a duplicate', 'user.create', scimBody(409, undefined, 'userName already exists'), ScimUniquenessError],
      ['a create, mutability: refused, not a duplicate', 'user.create', scimBody(409, 'mutability', 'externalId is read-only'), ScimInvalidRequestError],
      ['a create, invalidValue: refused, not a duplicate', 'user.create', scimBody(409, 'invalidValue'), ScimInvalidRequestError],
      ['a create, invalidVers: a create has no version, so refused', 'user.create', scimBody(409, 'invalidVers'), ScimInvalidRequestError],
      ['a patch, uniqueness', 'user.patch', scimBody(409, 'uniqueness'), ScimUniquenessError],
      ['a patch, no scimType: a version conflict', 'user.patch', scimBody(409), ScimVersionConflictError],
      ['a patch, another scimType: a version conflict, as before', 'user.patch', scimBody(409, 'invalidVers'), ScimVersionConflictError],
    ];
    for (const [what, operation, body, kind] of cases) {
      const err = classifyHttpFailure({ operation, status: 409, body });
      assert.ok(err instanceof kind, `${what}: ${err.constructor.name}`);
      assert.equal(err.retryable, false, what);
      assert.equal(err.status, 409, what);
    }
  });

  it('reads 501 (not implemented) and 405 (method not allowed) as unsupported: never retried; on a PATCH, PATCH is unavailable', () => {
    const cases: [string, ScimOperation, number, boolean][] = [
      ['a PATCH of a user answered 501', 'user.patch', 501, true],
      ['a PATCH of a group answered 405', 'group.patch', 405, true],
      ['a POST answered 501', 'user.create', 501, false],
      ['a PUT answered 405', 'user.replace', 405, false],
      ['a GET answered 501', 'user.get', 501, false],
    ];
    for (const [what, operation, status, patchUnavailable] of cases) {
      const err = classifyHttpFailure({ operation, status, body: scimBody(status, undefined, 'Not Implemented') });
      assert.ok(err instanceof ScimUnsupportedError, `${what}: ${err.constructor.name}`);
      assert.equal(err.retryable, false, what);
      assert.equal(isPatchUnavailable(err), patchUnavailable, what);
    }
    for (const status of [500, 502, 503, 504]) assert.ok(classifyHttpFailure({ operation: op, status, body: undefined }) instanceof ScimTransientError, String(status));
  });

  it('recognises uniqueness as 409 or 400, by scimType or by wording', () => {
    for (const f of [
      { status: 409, body: scimBody(409, 'uniqueness') },
      { status: 400, body: scimBody(400, 'uniqueness') },
      { status: 409, body: scimBody(409, undefined, 'userName must be unique') },
      { status: 409, body: { message: 'User already exists' } },
    ]) {
      const err = classifyHttpFailure({ operation: 'user.create', ...f });
      assert.ok(err instanceof ScimUniquenessError, JSON.stringify(f));
      assert.equal(err.retryable, false);
    }
  });

  it('names the Genesys permission a 403 most likely lacks', () => {
    const cases = { 'user.create': 'directory:user:add', 'user.patch': 'directory:user:edit', 'user.replace': 'directory:user:edit', 'user.delete': 'directory:user:delete', 'group.patch': 'directory:group:edit', 'group.replace': 'directory:group:edit' } as const;
    for (const [operation, permission] of Object.entries(cases)) {
      const err = classifyHttpFailure({ operation: operation as keyof typeof cases, status: 403, body: undefined });
      assert.ok(err instanceof ScimForbiddenError);
      assert.match(err.message, new RegExp(permission));
      assert.equal(err.permission, permission);
    }
  });

  it('classifies the rest by status', () => {
    const rl = classifyHttpFailure({ operation: op, status: 429, body: { code: 'too.many.requests.retry.after' }, retryAfterMs: 7000 });
    assert.ok(rl instanceof ScimRateLimitedError);
    assert.equal(rl.retryAfterMs, 7000);
    assert.equal(rl.retryable, true);
    const t = classifyHttpFailure({ operation: op, status: 503, body: undefined });
    assert.ok(t instanceof ScimTransientError);
    assert.equal(t.retryable, true);
    assert.ok(classifyHttpFailure({ operation: op, status: 404, body: undefined }) instanceof ScimNotFoundError);
    const bad = classifyHttpFailure({ operation: op, status: 400, body: scimBody(400, 'invalidPath', 'no such path') });
    assert.ok(bad instanceof ScimInvalidRequestError);
    assert.equal(bad.kind, 'invalid-request');
    assert.equal(bad.scimType, 'invalidPath');
    assert.equal(bad.detail, 'no such path');
  });
});

describe('scim Genesys writes without name', () => {
  it('drops name operations and the name key of path-less values', () => {
    const out = withoutName([
      { op: 'replace', path: 'name.givenName', value: 'A' },
      { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:name', value: { givenName: 'A' } },
      { op: 'replace', value: { name: { givenName: 'A' }, title: 'Boss' } },
      { op: 'replace', value: { name: { givenName: 'A' } } },
      { op: 'replace', path: 'displayName', value: 'A B' },
      { op: 'replace', path: 'nameSuffix', value: 'x' },
    ]);
    assert.deepEqual(out, [
      { op: 'replace', value: { title: 'Boss' } },
      { op: 'replace', path: 'displayName', value: 'A B' },
      { op: 'replace', path: 'nameSuffix', value: 'x' },
    ]);
  });
});

describe('scim bulk splitting', () => {
  const op = (i: number, pad = 0): BulkOperation => ({ method: 'POST', bulkId: `b${i}`, path: '/Users', data: { userName: `u${i}`, x: 'y'.repeat(pad) } });

  it('respects maxOperations and keeps the order', () => {
    const ops = Array.from({ length: 7 }, (_, i) => op(i));
    const plan = planBulkChunks(ops, { maxOperations: 3, maxPayloadSize: 1e9 });
    assert.deepEqual(plan.chunks, [[0, 1, 2], [3, 4, 5], [6]]);
    assert.deepEqual(plan.oversized, []);
  });

  it('respects maxPayloadSize exactly, and sets aside an operation too large on its own', () => {
    const ops = [op(0, 100), op(1, 100), op(2, 5000), op(3, 100), op(4, 100)];
    const limit = Buffer.byteLength(JSON.stringify(bulkRequest([ops[0], ops[1]])));
    const plan = planBulkChunks(ops, { maxOperations: 100, maxPayloadSize: limit });
    assert.deepEqual(plan.oversized, [2]);
    assert.deepEqual(plan.chunks, [[0, 1], [3, 4]]);
    for (const c of plan.chunks) {
      assert.ok(Buffer.byteLength(JSON.stringify(bulkRequest(c.map((i) => ops[i])))) <= limit);
    }
  });
});

describe('scim pacer (simulated clock)', () => {
  function fakeClock() {
    let t = 1_000_000;
    // The sleep yields a macrotask first, so callers whose turn came run before the clock moves on.
    const sleep = async (ms: number) => {
      await new Promise((resolve) => setImmediate(resolve));
      t += ms;
    };
    return { now: () => t, sleep, get t() { return t; } };
  }

  it('never lets more than the budget into any window, and spreads requests out', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ budget: { requests: 10, perMs: 1000 }, now: clock.now, sleep: clock.sleep });
    const sent: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const permit = await pacer.acquire();
      sent.push(clock.t);
      permit.release();
    }
    for (let i = 0; i + 10 < sent.length; i += 1) assert.ok(sent[i + 10] - sent[i] >= 1000, `window starting at request ${i}`);
    assert.ok(sent[sent.length - 1] - sent[0] >= 4000, '50 requests at 10/s take at least 4 s');
  });

  it('shares the budget fairly among concurrent callers', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ budget: { requests: 5, perMs: 1000 }, now: clock.now, sleep: clock.sleep });
    const sent: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const permit = await pacer.acquire();
        sent.push(clock.t);
        permit.release();
      }),
    );
    sent.sort((a, b) => a - b);
    for (let i = 0; i + 5 < sent.length; i += 1) assert.ok(sent[i + 5] - sent[i] >= 1000);
  });

  it('with no budget, sends at once', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ budget: null, now: clock.now, sleep: clock.sleep });
    const start = clock.t;
    for (let i = 0; i < 100; i += 1) (await pacer.acquire()).release();
    assert.equal(clock.t, start);
  });

  it('pauses until the reset when inin-ratelimit headers show the window almost spent', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ budget: null, now: clock.now, sleep: clock.sleep });
    const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
    (await pacer.acquire()).release(headers({ 'inin-ratelimit-count': '10', 'inin-ratelimit-allowed': '300', 'inin-ratelimit-reset': '30' }));
    const t0 = clock.t;
    (await pacer.acquire()).release(headers({ 'inin-ratelimit-count': '300', 'inin-ratelimit-allowed': '300', 'inin-ratelimit-reset': '3' }));
    assert.equal(clock.t, t0, 'plenty left: no pause');
    await pacer.acquire();
    assert.equal(clock.t, t0 + 3000, 'spent: waits for the reset');
  });

  it('rejects instead of sleeping through a long server pause, and keeps serving afterwards', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ budget: null, maxServerWaitMs: 5000, now: clock.now, sleep: clock.sleep });
    pacer.pauseFor(60_000);
    await assert.rejects(pacer.acquire(), (e: unknown) => e instanceof PacerWaitTooLongError && e.waitMs === 60_000);
    pacer.pauseFor(0);
    await clock.sleep(60_000);
    (await pacer.acquire()).release();
  });
});
