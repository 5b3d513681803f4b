import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, redact } from '../../src/logging';
import { temporalLogger } from '../../src/logging/temporal';
import { parseCsv, column } from '../../src/runs/csv';
import { compactTimestamp, parseSince, runWorkflowId, targetNameOf, webUiLink } from '../../src/runs/naming';
import {
  callsRemaining,
  endedLines,
  etaSeconds,
  etaText,
  exitCodeFor,
  formatDuration,
  paceMeter,
  retryLine,
  settledOutcome,
  stepOf,
  summaryJson,
  summaryLines,
} from '../../src/runs/outcome';
import { operatorMessage } from '../../src/activities/failures';
import { HrPermanentError, HrTransientError } from '../../src/hr/errors';
import { ScimForbiddenError, ScimUnauthorizedError } from '../../src/scim/errors';
import { groupMembers, membershipCalls, writeCalls } from '../../src/domain/writes';
import type { PlannedChange } from '../../src/domain/plan';
import type { Progress } from '../../src/workflows/contracts';
import { buildPlanView, planLines } from '../../src/runs/plan';
import { buildSchedules, dailyWindow, parseDuration, parseTimeOfDay, ScheduleSpecError } from '../../src/schedules/spec';
import { Secret } from '../../src/secret';
import type { SyncSummary } from '../../src/workflows/contracts';

const summary = (over: Partial<SyncSummary> = {}): SyncSummary => ({
  workflowId: 'hrsync-acme-full-dry-run-20261126T174500Z',
  mode: 'full',
  dryRun: true,
  outcome: 'dry-run',
  planned: { create: 2, update: 1, deactivate: 1, none: 5 },
  outcomes: { planned: 4 },
  employeesRead: 8,
  rejectedRecords: 0,
  apiCalls: 12,
  drift: 0,
  reportPath: '/tmp/r.csv',
  watermark: null,
  ...over,
});

describe('ops: schedule specs (pure)', () => {
  it('parses durations and times of day, naming the option on bad input', () => {
    assert.equal(parseDuration('15m'), 900_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('0'), 0);
    assert.throws(() => parseDuration('15 minutes', '--delta-every'), /--delta-every: expected a duration/);
    assert.deepEqual(parseTimeOfDay('02:30'), { hour: 2, minute: 30 });
    assert.throws(() => parseTimeOfDay('24:00'), /--full-at/);
  });

  it('builds a 15-minute delta and a daily full run, overlap SKIP, explicit catch-up window, readable workflow ids', () => {
    const s = buildSchedules({ target: 'acme', taskQueue: 'q', timezone: 'Europe/Berlin', fullAt: '03:00' });
    assert.equal(s.delta.scheduleId, 'hrsync-acme-delta');
    assert.equal(s.full.scheduleId, 'hrsync-acme-full');
    assert.deepEqual(s.delta.spec.intervals, [{ every: 900_000 }]);
    assert.deepEqual(s.full.spec.calendars?.map((c) => [c.hour, c.minute]), [[3, 0]]);
    assert.equal(s.full.spec.timezone, 'Europe/Berlin');
    for (const k of ['delta', 'full'] as const) {
      assert.equal(s[k].policies?.overlap, 'SKIP');
      assert.equal(s[k].policies?.catchupWindow, 600_000);
      assert.equal(s[k].action.workflowType, 'syncWorkflow');
      assert.equal(s[k].action.workflowId, `hrsync-acme-${k}`);
      assert.deepEqual(s[k].action.args, [{ mode: k }]);
      assert.equal(s[k].spec.jitter, undefined);
    }
    // The delta skips the hour after the full run, in the same time zone.
    assert.deepEqual(s.delta.spec.skip?.map((c) => [c.hour, c.minute]), [[3, '*']]);
    assert.equal(s.delta.spec.timezone, 'Europe/Berlin');
  });

  it('adds jitter only when asked, and rejects a bad time zone, a jitter as long as the interval, a too-short catch-up window', () => {
    assert.equal(buildSchedules({ target: 'a', taskQueue: 'q', jitter: '1m' }).delta.spec.jitter, 60_000);
    assert.throws(() => buildSchedules({ target: 'a', taskQueue: 'q', timezone: 'Mars/Olympus' }), (e: Error) => e instanceof ScheduleSpecError && /--timezone/.test(e.message));
    assert.throws(() => buildSchedules({ target: 'a', taskQueue: 'q', jitter: '15m' }), /--jitter/);
    assert.throws(() => buildSchedules({ target: 'a', taskQueue: 'q', catchupWindow: '1s' }), /--catchup-window/);
    assert.throws(() => buildSchedules({ target: 'a b', taskQueue: 'q' }), /--target/);
  });

  it('covers a quiet window hour by hour, across midnight', () => {
    const w = dailyWindow({ hour: 23, minute: 30 }, 90 * 60_000, 'x');
    assert.deepEqual(w.map((c) => [c.hour, c.minute]), [[0, '*'], [23, { start: 30, end: 59 }]]);
    assert.deepEqual(dailyWindow({ hour: 2, minute: 0 }, 0, 'x'), []);
    assert.deepEqual(dailyWindow({ hour: 2, minute: 10 }, 20 * 60_000, 'x').map((c) => [c.hour, c.minute]), [[2, { start: 10, end: 29 }]]);
  });
});

describe('ops: naming, outcomes, plan (pure)', () => {
  it('makes readable workflow ids and Web UI links; target from --target, else the rule the worker uses', () => {
    const at = new Date('2026-11-26T17:45:00.123Z');
    assert.equal(compactTimestamp(at), '20261126T174500Z');
    assert.equal(runWorkflowId('acme', 'delta', false, at), 'hrsync-acme-delta-20261126T174500Z');
    assert.equal(runWorkflowId('acme', 'full', true, at), 'hrsync-acme-full-dry-run-20261126T174500Z');
    assert.equal(webUiLink({ webUiUrl: 'http://localhost:8233/', namespace: 'default' }, 'hrsync-acme-delta-x'), 'http://localhost:8233/namespaces/default/workflows/hrsync-acme-delta-x');
    assert.equal(targetNameOf({}), 'genesys');
    assert.equal(targetNameOf({ target: { kind: 'scim2' } }), 'scim2');
    assert.equal(targetNameOf({ target: { kind: 'scim2', name: 'acme' } }), 'acme');
    assert.equal(targetNameOf({}, 'acme'), 'acme');
    assert.throws(() => targetNameOf({}, 'a/b'), /target name/);
  });

  it('validates --since as an ISO instant', () => {
    assert.equal(parseSince('2026-01-02T03:04:05+01:00'), '2026-01-02T02:04:05.000Z');
    assert.throws(() => parseSince('2026-01-02'), /--since/);
    assert.throws(() => parseSince('yesterday'), /--since/);
    assert.throws(() => parseSince('2999-01-01T00:00:00Z'), /future/);
  });

  it('maps outcomes to exit codes and computes the ETA from the rate budget', () => {
    assert.equal(exitCodeFor({ status: 'COMPLETED', summary: summary({ outcome: 'succeeded' }) }), 0);
    assert.equal(exitCodeFor({ status: 'COMPLETED', summary: summary({ outcome: 'completed-with-failures' }) }), 0);
    assert.equal(exitCodeFor({ status: 'COMPLETED', summary: summary({ outcome: 'rejected' }) }), 3);
    assert.equal(exitCodeFor({ status: 'FAILED' }), 1);
    assert.equal(exitCodeFor({ status: 'TERMINATED' }), 1);
    assert.equal(etaSeconds({ writesRemaining: 600 }, 300), 120);
    assert.equal(etaSeconds({ writesRemaining: 0 }, 300), null);
    assert.equal(formatDuration(3725), '1h02m');
    const line = JSON.parse(summaryJson(summary()));
    assert.equal(line.workflowId, 'hrsync-acme-full-dry-run-20261126T174500Z');
    assert.deepEqual(Object.keys(line).slice(0, 3), ['workflowId', 'outcome', 'mode']);
  });

  it('parses the report CSV (quotes, commas, newlines) and builds the plan view with the first N per action', () => {
    const csv = 'hr_id,user_id,user_name,action,outcome,http_status,changed_fields,drift,error\n' +
      'E1,,a@x.io,create,planned,,"userName,title",,\n' +
      'E2,u2,b@x.io,update,planned,,title,,"note with ""quotes""\nand a newline"\n' +
      'E3,,c@x.io,create,planned,,userName,,\n' +
      'E4,u4,d@x.io,none,planned,,,,\n';
    const rows = parseCsv(csv);
    assert.equal(rows.length, 4);
    assert.equal(column(rows[1], 'userName'), 'b@x.io');
    assert.equal(rows[1].error, 'note with "quotes"\nand a newline');
    const view = buildPlanView(summary(), csv, 300, 1);
    assert.equal(view.writes, 4);
    assert.equal(view.samples.create?.length, 1);
    assert.equal(view.samples.create?.[0].changedFields, 'userName,title');
    assert.equal(view.samples.none, undefined);
    const text = planLines(view).join('\n');
    assert.match(text, /create\s+2/);
    assert.match(text, /about 4 for 4 writes .*, at 300\/min: 1 s/);
    const counted = buildPlanView(summary({ callsToMake: 600 }), csv, 300, 1);
    assert.equal(counted.calls, 600);
    assert.match(planLines(counted).join('\n'), /about 600 for 4 writes .*, at 300\/min: 2\.0 min/);
    assert.doesNotMatch(text, /does not take/);
    const withNotices = planLines(buildPlanView(summary({ notices: ['attribute dateHire not written: not declared'] }), csv, 300, 1)).join('\n');
    assert.match(withNotices, /What the target does not take \(left out of every write\):\n {2}attribute dateHire not written: not declared/);
  });
});

describe("ops: the operator's view (pure)", () => {
  it('settles an outcome the search attribute left open from the execution status', () => {
    const cases: [string, string | undefined, string | undefined][] = [
      ['TERMINATED', 'running', 'terminated'],
      ['FAILED', 'running', 'failed'],
      ['TIMED_OUT', 'awaiting-approval', 'timed-out'],
      ['CANCELLED', undefined, 'cancelled'],
      ['FAILED', 'failed', 'failed'],
      ['COMPLETED', 'succeeded', 'succeeded'],
      ['RUNNING', 'running', 'running'],
      ['CONTINUED_AS_NEW', 'running', 'running'],
      ['TERMINATED', 'cancelled', 'cancelled'],
    ];
    for (const [status, attribute, shown] of cases) assert.equal(settledOutcome(status, attribute), shown, `${status} / ${attribute}`);
  });

  it('says why an activity is retried, and how a run that has no summary ended', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const r = { activity: 'planHrPage', step: stepOf('planHrPage'), attempt: 3, maximumAttempts: 10, lastFailure: 'HR unreachable: ECONNREFUSED 127.0.0.1:8081', nextAttemptAt: '2026-12-01T10:00:20Z' };
    assert.equal(retryLine(r, now), 'HR unreachable: ECONNREFUSED 127.0.0.1:8081, attempt 3 of 10, next in 20 s');
    assert.equal(retryLine({ ...r, maximumAttempts: 0, nextAttemptAt: undefined }, now), 'HR unreachable: ECONNREFUSED 127.0.0.1:8081, attempt 3, running again now');
    assert.equal(stepOf('somethingNew'), 'somethingNew');
    assert.deepEqual(endedLines({ workflowId: 'w', status: 'FAILED', outcome: 'failed', failure: 'boom', failedIn: 'reading HR', reportPath: '/r/w.csv' }), [
      'outcome: failed (run w ended failed)',
      'cause: boom',
      'failed in: reading HR',
      'report (partial: what was done before it stopped): /r/w.csv',
    ]);
    const gate = { required: true, reason: '3 deactivations', decision: 'rejected' as const, by: 'alice', note: 'HR export truncated' };
    assert.ok(summaryLines(summary({ gate })).includes('gate: 3 deactivations -> rejected by alice: "HR export truncated"'));
  });

  it('words failures for the operator, naming the setting or permission, never a secret', () => {
    const token = new ScimUnauthorizedError({ operation: 'token', status: 401, request: 'POST /oauth/token', reason: 'the token endpoint rejected the client credentials (invalid_client)' });
    assert.equal(operatorMessage(token, 'genesys'), 'Genesys refused the client credentials (invalid_client): check GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET [HTTP 401]');
    assert.match(operatorMessage(token, 'scim2'), /^The SCIM target refused the client credentials \(invalid_client\): check SCIM_CLIENT_ID \/ SCIM_CLIENT_SECRET/);
    assert.match(operatorMessage(token), /^The target refused the client credentials \(invalid_client\): check GENESYS_CLIENT_ID \/ GENESYS_CLIENT_SECRET \(genesys\) or SCIM_CLIENT_ID/);
    assert.match(operatorMessage(new ScimUnauthorizedError({ operation: 'user.list', status: 401 }), 'scim2'), /rejected the access token \(user\.list\).*check SCIM_BEARER_TOKEN/);
    assert.equal(
      operatorMessage(new ScimForbiddenError({ operation: 'user.create', status: 403 }), 'genesys'),
      "Genesys refused user.create: the OAuth client's role lacks the permission directory:user:add (grant it, or the SCIM Integration role) [HTTP 403]",
    );
    const refused = new HrTransientError('HR API request for the first page (no cursor) failed (ECONNREFUSED): request to http://127.0.0.1:8081/api/v1/employees?page_size=100 failed, reason: connect ECONNREFUSED 127.0.0.1:8081');
    assert.equal(operatorMessage(refused), 'HR unreachable: ECONNREFUSED 127.0.0.1:8081 (check HR_BASE_URL and that the HR API is up)');
    assert.equal(operatorMessage(new HrPermanentError('HR API answered 401 for the first page', { status: 401 })), 'HR refused the API token [HTTP 401]: check HR_API_TOKEN');
    const other = new HrPermanentError('HR API answered 404 for the first page', { status: 404 });
    assert.equal(operatorMessage(other), other.message);
  });

  it('counts the calls still to make: the plan\'s count less what the apply pass made; the ETA at the pacer or the observed pace', () => {
    const p = (over: Partial<Progress>): Progress => ({
      phase: 'apply', pass: 'apply', pagesRead: 1, employeesRead: 1, rejectedRecords: 0, planned: {}, outcomes: {}, apiCalls: 0, writesRemaining: 100, awaitingApproval: false, ...over,
    });
    assert.equal(callsRemaining(p({})), 100, 'a run that records no count: its writes');
    assert.equal(callsRemaining(p({ callsToMake: 150, apiCalls: 40 })), 150, 'still planning');
    assert.equal(callsRemaining(p({ callsToMake: 150, callsAtApply: 40, apiCalls: 100 })), 90);
    assert.equal(callsRemaining(p({ callsToMake: 150, callsAtApply: 40, apiCalls: 400 })), 0);
    assert.equal(etaSeconds(p({ callsToMake: 150, callsAtApply: 0, apiCalls: 0 }), 300), 30);
    assert.equal(etaSeconds(p({ callsToMake: 150, callsAtApply: 0, apiCalls: 0 }), 300, 2), 75, 'slower than the pacer: the observed pace');
    assert.equal(etaSeconds(p({ callsToMake: 150, callsAtApply: 0, apiCalls: 0 }), 300, 50), 30, 'faster: the pacer still holds it');
    assert.equal(etaSeconds(p({ callsToMake: 150, callsAtApply: 0, apiCalls: 0 }), 0), null, 'no budget and nothing observed');
    assert.equal(etaText(p({ awaitingApproval: true }), 300), 'waiting for approval');
    let t = 0;
    const pace = paceMeter(() => t);
    assert.equal(pace(p({ callsAtApply: 10, apiCalls: 10 })), undefined);
    t = 4000;
    assert.equal(pace(p({ callsAtApply: 10, apiCalls: 30 })), 5);
    assert.equal(pace(p({ apiCalls: 30 })), undefined, 'not in the apply pass');
  });

  it('counts the writes of a page: a call per change and per group per chunk, one per /Bulk chunk, half a PATCH per manager on another page', () => {
    const change = (hrId: string, groups: string[], manager?: string): PlannedChange => ({
      hrId, action: 'create', lifecycle: 'active', operations: [], groupChanges: { add: groups, remove: [] }, changedFields: [], warnings: [],
      ...(manager ? { pendingManagerHrId: manager } : {}),
    });
    const page = [change('1', ['g1']), change('2', ['g1', 'g2'], '1'), change('3', ['g2'], 'elsewhere'), change('4', [], 'away')];
    assert.equal(writeCalls(page, 2, false), 4 + 1, 'a write each, and one of the two managers elsewhere');
    assert.equal(writeCalls(page, 2, true), 2 + 1);
    assert.equal(writeCalls([], 25, false), 0);
    // Memberships go at the end of the run: per group, a PATCH per batch of members.
    assert.deepEqual(groupMembers(page), { g1: 2, g2: 2 });
    assert.equal(membershipCalls({ g1: 2, g2: 2 }, 100), 2);
    assert.equal(membershipCalls({ g1: 250, g2: 1, g3: 0 }, 100), 3 + 1);
  });
});

describe('ops: structured logging', () => {
  function capture(isTTY: boolean) {
    const lines: string[] = [];
    const stream = Object.assign(new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }), { isTTY });
    return { stream, lines };
  }

  it('writes JSON lines off a TTY with the run id on every line, and never a secret', () => {
    const { stream, lines } = capture(false);
    const log = createLogger({ stream, level: 'debug' }).child({ runId: 'hrsync-acme-delta-1' });
    log.info('token fetched', {
      clientSecret: new Secret('s3cr3t-value'),
      nested: { access_token: 'tok-abc', Authorization: 'Bearer abcdefghijkl', count: 3 },
      password: 'hunter2',
      wrapped: new Secret('another-secret'),
    });
    log.error('request failed: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig');
    log.debug('fine');
    const all = lines.join('');
    for (const secret of ['s3cr3t-value', 'tok-abc', 'abcdefghijkl', 'hunter2', 'another-secret', 'eyJhbGciOiJIUzI1NiJ9']) assert.ok(!all.includes(secret), `leaked ${secret}`);
    const parsed = lines.map((l) => JSON.parse(l));
    assert.equal(parsed.length, 3);
    for (const p of parsed) assert.equal(p.runId, 'hrsync-acme-delta-1');
    assert.equal(parsed[0].nested.count, 3);
    assert.equal(parsed[0].clientSecret, '[redacted]');
    assert.equal(parsed[0].level, 'info');
  });

  it('writes readable lines on a TTY, respects the level, and the SDK adapter drops bundler noise', () => {
    const { stream, lines } = capture(true);
    const log = createLogger({ stream, level: 'info', fields: { runId: 'r1' } });
    log.debug('hidden');
    const sdk = temporalLogger(log, 'INFO');
    sdk.info('asset workflow-bundle-123.js 1.2 MiB [emitted]');
    sdk.debug('too chatty');
    sdk.warn('Activity failed', { workflowId: 'w', token: 'x' });
    assert.equal(lines.length, 1);
    assert.match(lines[0], /WARN\s+\[r1\] Activity failed\s+workflowId=w token=\[redacted\]/);
    assert.deepEqual(redact({ apiKey: 'k', list: [new Secret('z')] }), { apiKey: '[redacted]', list: ['[redacted]'] });
  });
});
