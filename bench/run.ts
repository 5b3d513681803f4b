/**
 * `npm run bench`: every benchmark in bench/, then bench/RESULTS.md with each figure beside its target
 * (issue 14's targets; a test never asserts them).
 *
 * 1. A company (default 2,000 employees, Genesys profile, rate limit off) on a real dev server: the
 *    initial full sync, a repeat full run with nothing changed, and a delta after a day of HR changes
 *    (movers, joiners, leavers and no-op saves, stamped a day after the company's last change). Calls
 *    are counted by the simulator and set against the floor; history bytes are read back from the server.
 * 2. The naive baseline (bench/naive.ts) on a twin of the same simulators, the same runs side by side.
 * 3. Scale: an initial full sync of a larger company (default 20,000) with the simulators and the
 *    worker (the built dist/, as deployed) in processes of their own: time, worker peak RSS, and the
 *    create rate in the first and last tenth of the run.
 * 4. bench/hr-paging.ts: 100,000 HR records paged in bounded memory.
 *
 *   npm run bench [-- --employees 2000] [--scale 20000] [--scale-limit-minutes 10] [--out bench/RESULTS.md]
 *   npm run bench -- --scale 20000 --scale-only [--worker-node-options '--cpu-prof --cpu-prof-dir /tmp/prof']
 *     [--worker-log /tmp/worker.log]
 *     (the scale run alone, to profile its worker; it prints its figures and writes no RESULTS.md)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadWorkerConfig } from '../src/config';
import { defaultMappingConfig, managedGroupNames } from '../src/domain/mapping/config';
import { simulatorEnv, startSimulators, type SimEndpoints, type Simulators } from '../sim';
import { lifecycleBatch } from '../sim/hr/batch';
import type { LifecycleEvent } from '../sim/hr/events';
import type { ScimStrictness } from '../sim/scim/options';
import { findTemporalBinary } from '../src/temporal/binary';
import { ALL_SEARCH_ATTRIBUTES } from '../src/temporal/searchattributes';
import type { SyncInput, SyncSummary } from '../src/workflows/contracts';
import { createHrsyncWorker } from '../src/worker';
import { activitySpans, callBreakdown, phaseSplit, type ActivitySpan, callsSince, changedBetween, historyBytes, targetState, versions } from './measure';
import { naiveSync, type NaiveResult } from './naive';
import { benchWorkerEnv } from './worker-env';

const { values } = parseArgs({
  options: {
    employees: { type: 'string', default: '2000' },
    scale: { type: 'string', default: '20000' },
    'scale-limit-minutes': { type: 'string', default: '10' },
    // Profiling: the scale run alone, and node options for its worker (say `--cpu-prof --heap-prof`).
    'scale-only': { type: 'boolean', default: false },
    'worker-node-options': { type: 'string', default: '' },
    // Where the scale run's phases spend their time, from its history (activities and the workflow's turns).
    timeline: { type: 'boolean', default: false },
    // Profiling: the scale worker's output (its log, and what --trace-gc says), each line stamped, to this file.
    'worker-log': { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: path.join(__dirname, 'RESULTS.md') },
  },
});
const EMPLOYEES = Number(values.employees);
const SCALE = Number(values.scale);
const SCALE_LIMIT_MS = Number(values['scale-limit-minutes']) * 60_000;
const SEED = Number(values.seed);
const ROOT = path.resolve(__dirname, '..');
const PAGE = 25; // users per target page on Genesys: issue 14's floor for one read of the target
const GROUPS = managedGroupNames(defaultMappingConfig()).length;
const today = () => new Date().toISOString().slice(0, 10);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');

const DELTA = 'delta a day later';

interface Figure {
  name: string;
  measured: string;
  target: string;
  met: boolean | null;
}
const figures: Figure[] = [];
const figure = (name: string, measured: string, target: string, met: boolean | null) => figures.push({ name, measured, target, met });

interface RunRow {
  label: string;
  seconds: number;
  calls: number;
  writes: number;
  employeesRead: number;
  floor: number;
  floorHow: string;
  historyBytes: number;
  runs: number;
  outcome: string;
  /** The run's calls by kind (see callBreakdown). */
  breakdown: [string, number][];
  naive?: NaiveResult;
}

/** The day of HR changes: lifecycle events, title changes and no-op saves, about 100 records of which half change. */
function dayOfChanges(sims: Simulators): { events: LifecycleEvent[]; noOps: string[] } {
  const events = lifecycleBatch(sims.hr.employees(), today());
  const named = new Set(events.map((e) => ('id' in e ? String(e.id) : '')));
  const others = sims.hr.employees().filter((e) => e.status === 'active' && !e.termination_date && !named.has(String(e.id)));
  const changes = Math.max(0, Math.round(EMPLOYEES / 40) - events.length);
  const titled = others.slice(0, changes).map((e, i): LifecycleEvent => ({ type: 'title-change', id: String(e.id), title: `Senior ${e.title ?? 'Associate'} ${i}` }));
  const noOps = others.slice(changes, changes + Math.round(EMPLOYEES / 40)).map((e) => String(e.id));
  return { events: [...events, ...titled, ...noOps.map((id): LifecycleEvent => ({ type: 'touch', id }))], noOps };
}

async function companyRuns(env: TestWorkflowEnvironment): Promise<RunRow[]> {
  const simOpts = { scim: { rateLimitPerMinute: null }, hr: { employees: EMPLOYEES, seed: SEED } };
  const sims = await startSimulators(simOpts);
  const twin = await startSimulators(simOpts);
  const config = loadWorkerConfig({ env: benchWorkerEnv(sims.endpoints(), { queue: 'bench', employees: EMPLOYEES }) });
  const worker = await createHrsyncWorker({ connection: env.nativeConnection, config, temporalClient: env.client });
  const running = worker.run();
  try {
    return await measureRuns(env, sims, twin);
  } finally {
    worker.shutdown();
    await running;
    await Promise.all([sims.close(), twin.close()]);
  }
}

let reader: Promise<Client> | undefined;

/** A client that accepts history pages beyond gRPC's default 4 MB (one page of today's events can be larger). */
function historyReader(env: TestWorkflowEnvironment): Promise<Client> {
  reader ??= Connection.connect({ address: env.address, channelArgs: { 'grpc.max_receive_message_length': 512 * 2 ** 20 } }).then((connection) => new Client({ connection }));
  return reader;
}

/** The three runs, each beside the naive baseline on the twin. */
async function measureRuns(env: TestWorkflowEnvironment, sims: Simulators, twin: Simulators): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  let n = 0;
  const run = async (label: string, input: SyncInput, floorOf: (summary: SyncSummary) => { floor: number; how: string }): Promise<SyncSummary> => {
    const before = sims.scim.stats();
    const workflowId = `bench-${++n}-${input.mode}`;
    const started = Date.now();
    const summary: SyncSummary = await env.client.workflow.execute('syncWorkflow', { taskQueue: 'bench', workflowId, args: [input] });
    const seconds = (Date.now() - started) / 1000;
    const { calls, writes } = callsSince(sims, before);
    const history = await historyBytes(await historyReader(env), workflowId);
    const { floor, how } = floorOf(summary);
    const breakdown = callBreakdown(before, sims.scim.stats());
    rows.push({ label, seconds, calls, writes, employeesRead: summary.employeesRead, floor, floorHow: how, historyBytes: history.bytes, runs: history.runs, outcome: summary.outcome, breakdown });
    console.log(`${label}: ${fixed(seconds, 1)} s, ${calls} calls (floor ${floor}), ${writes} writes, ${summary.employeesRead} HR records, ${history.bytes} history bytes in ${history.runs} run(s), ${summary.outcome}`);
    console.log(`  by kind: ${breakdown.map(([kind, n]) => `${kind} ×${n}`).join(', ')}`);
    return summary;
  };
  const naive = async (since?: string) => {
    const r = await naiveSync(twin.endpoints(), { today: today(), since });
    rows[rows.length - 1].naive = r;
    console.log(`  naive baseline: ${fixed(r.seconds, 1)} s, ${r.calls} calls (${r.failed} failed)`);
  };

  // 1. Initial full sync: the floor is a POST per user created.
  let state = targetState(sims);
  const initial = await run('initial full sync', { mode: 'full' }, () => {
    const after = targetState(sims);
    return { floor: after.users.size - state.users.size, how: 'a POST per user created' };
  });
  await naive();
  figure('initial full sync: calls per employee', fixed(rows[0].calls / initial.employeesRead), '≤ 1.05', rows[0].calls / initial.employeesRead <= 1.05);
  figure('history per employee, initial full run', `${int(rows[0].historyBytes / initial.employeesRead)} bytes`, '≤ 300 bytes', rows[0].historyBytes / initial.employeesRead <= 300);

  // 2. Repeat full run, nothing changed: the floor is one read of the target plus the group reads.
  const repeat = await run('repeat full, no change', { mode: 'full' }, () => {
    const users = sims.scim.users().length;
    return { floor: Math.ceil(users / PAGE) + GROUPS, how: `ceil(${users} users / ${PAGE}) pages + ${GROUPS} group reads` };
  });
  await naive();
  const r2 = rows[1];
  figure('repeat full run, nothing changed: calls / floor', `${fixed(r2.calls / r2.floor)} (${r2.calls} / ${r2.floor})`, '≤ 1.10', r2.calls / r2.floor <= 1.1);
  figure('repeat full run, nothing changed: writes', String(r2.writes), '0', r2.writes === 0);
  figure('history per employee, repeat full run', `${int(r2.historyBytes / repeat.employeesRead)} bytes`, '≤ 300 bytes', r2.historyBytes / repeat.employeesRead <= 300);

  // 3. A day later: the changes are stamped now, the company's last change was before the runs above.
  const day = dayOfChanges(sims);
  for (const e of day.events) sims.hr.apply(e);
  const twinSince = new Date().toISOString();
  for (const e of day.events) twin.hr.apply(e);
  state = targetState(sims);
  const versionsBefore = versions(sims);
  const noOpUsers = day.noOps.map((id) => sims.scim.users().find((u) => u.externalId === id)?.id).filter((id): id is string => Boolean(id));
  await run(DELTA, { mode: 'delta' }, (summary) => {
    const changed = changedBetween(state, targetState(sims));
    return {
      floor: summary.employeesRead + changed.users + 2 * changed.groups,
      how: `${summary.employeesRead} lookups + ${changed.users} users written + 2 × ${changed.groups} groups`,
    };
  });
  await naive(twinSince);
  const r3 = rows[2];
  const after = versions(sims);
  const noOpWrites = noOpUsers.filter((id) => after.get(id) !== versionsBefore.get(id)).length;
  figure(`delta (${day.events.length} HR events, ${day.noOps.length} of them no-op saves): calls / floor`, `${fixed(r3.calls / r3.floor)} (${r3.calls} / ${r3.floor})`, '≤ 1.15', r3.calls / r3.floor <= 1.15);
  figure('delta: HR records read (the overlap window re-reads only what changed near the watermark)', String(r3.employeesRead), `${day.events.length} (the day's events)`, null);
  figure(`delta: users written for the ${noOpUsers.length} no-op HR saves`, String(noOpWrites), '0', noOpWrites === 0);

  // 4. The same kind of day under the other answers Genesys leaves undocumented (sim/scim/README.md), one a day.
  // These days follow each other within seconds, not a day apart: read from just before each day's changes,
  // so the watermark's overlap window doesn't read the day before again.
  for (const [answer, strict] of UNDOCUMENTED) {
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const next = dayOfChanges(sims);
    for (const e of next.events) sims.hr.apply(e);
    sims.scim.setStrict(strict);
    const dayBefore = targetState(sims);
    const row = await run(`${DELTA}, ${answer}`, { mode: 'delta', since }, (summary) => {
      const changed = changedBetween(dayBefore, targetState(sims));
      return {
        floor: summary.employeesRead + changed.users + 2 * changed.groups,
        how: `${summary.employeesRead} lookups + ${changed.users} users written + 2 × ${changed.groups} groups`,
      };
    }).then(() => rows[rows.length - 1]);
    sims.scim.setStrict(LENIENT_FILTERS);
    figure(`delta, ${answer}: calls / floor`, `${fixed(row.calls / row.floor)} (${row.calls} / ${row.floor})`, '≤ 1.15', row.calls / row.floor <= 1.15);
  }
  return rows;
}

/** The undocumented lookup answers the delta is also measured under (each on a day of its own). */
const UNDOCUMENTED: [string, Partial<ScimStrictness>][] = [
  ['`or` refused (noOrFilters)', { noOrFilters: true }],
  ['filtered lists hide inactive users (filteredListsActiveOnly)', { filteredListsActiveOnly: true }],
  ['both, and `and` refused too (noAndFilters, filteredListsActiveOnly)', { noAndFilters: true, filteredListsActiveOnly: true }],
];
const LENIENT_FILTERS: Partial<ScimStrictness> = { noOrFilters: false, noAndFilters: false, filteredListsActiveOnly: false };

/** A child process whose first stdout line is JSON, or that signals readiness with a line matching `ready`. */
function spawnNode(args: string[], env: Record<string, string>, ready: RegExp, log?: string): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    if (log) for (const s of [child.stdout!, child.stderr!]) createInterface({ input: s }).on('line', (line) => appendFileSync(log, `${new Date().toISOString()} ${line}\n`));
    const timer = setTimeout(() => (child.kill('SIGTERM'), reject(new Error(`${args.join(' ')}: no line matching ${ready} in 120 s:\n${lines.slice(-20).join('\n')}`))), 120_000);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${args.join(' ')} exited with ${code}:\n${lines.slice(-20).join('\n')}`))));
    for (const s of [child.stdout!, child.stderr!]) {
      createInterface({ input: s }).on('line', (line) => {
        lines.push(line);
        if (ready.test(line)) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ child, line });
        }
      });
    }
  });
}

/** The worker's RSS now (VmRSS) or at its peak (VmHWM). */
function rssMb(pid: number, which: 'VmRSS' | 'VmHWM' = 'VmHWM'): number {
  const m = new RegExp(`${which}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface ScaleResult {
  employees: number;
  finished: boolean;
  seconds: number;
  created: number;
  calls: number;
  rssMb: number;
  firstTenthPerMin: number;
  lastTenthPerMin: number;
}

async function scaleRun(env: TestWorkflowEnvironment): Promise<ScaleResult> {
  const bin = path.join(ROOT, 'bin', 'hrsync.js');
  const sim = await spawnNode([bin, 'sim', '--employees', String(SCALE), '--rate-limit', 'off', '--seed', String(SEED)], { HRSYNC_FROM_SOURCE: '1' }, /^\{/);
  const endpoints = JSON.parse(sim.line) as SimEndpoints;
  const stats = async () => (await (await fetch(`${endpoints.scim.apiUrl}/__sim/stats`)).json()) as { total: number; byRoute: Record<string, number> };
  const nodeOptions = (values['worker-node-options'] as string).split(' ').filter(Boolean);
  const worker = await spawnNode(
    [...nodeOptions, bin, 'worker'],
    {
      ...simulatorEnv(endpoints),
      HRSYNC_FROM_SOURCE: '0',
      TEMPORAL_ADDRESS: env.address,
      HRSYNC_TASK_QUEUE: 'bench-scale',
      HRSYNC_TARGET_NAME: 'bench-scale',
      HRSYNC_REPORT_DIR: mkdtempSync(path.join(os.tmpdir(), 'hrsync-bench-scale-')),
      SCIM_RATE_LIMIT_PER_MINUTE: '0',
      HRSYNC_LOG_LEVEL: 'info',
    },
    /hrsync worker polling/,
    values['worker-log'],
  );
  console.log(`  scale: simulators pid ${sim.child.pid}, worker pid ${worker.child.pid}`);
  try {
    const handle = await env.client.workflow.start('syncWorkflow', { taskQueue: 'bench-scale', workflowId: 'bench-scale-full', args: [{ mode: 'full' }] });
    const started = Date.now();
    const samples: [number, number][] = [];
    let finished = false;
    void handle.result().then(
      () => (finished = true),
      () => undefined,
    );
    let shown = 0;
    while (!finished && Date.now() - started < SCALE_LIMIT_MS) {
      // A poll the busy simulator drops (a reset kept-alive connection) is a sample missed, not the bench's end.
      const now = await stats().catch(() => undefined);
      if (!now) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      samples.push([Date.now(), now.byRoute['POST /users 201'] ?? 0]);
      if (Date.now() - shown >= 10_000) {
        shown = Date.now();
        console.log(`  ${fixed((shown - started) / 1000, 0)} s: ${samples[samples.length - 1][1]} created, worker RSS ${int(rssMb(worker.child.pid!, 'VmRSS'))} MB`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - started) / 1000;
    const peakMb = rssMb(worker.child.pid!);
    const last = await stats();
    const created = last.byRoute['POST /users 201'] ?? 0;
    if (!finished) await handle.terminate('bench: over its time limit');
    if (values.timeline) printTimeline(await activitySpans(env.client, 'bench-scale-full'));
    samples.push([Date.now(), created]);
    const at = (k: number) => samples.find(([, c]) => c >= k)?.[0] ?? NaN;
    const tenth = created / 10;
    const perMin = (from: number, to: number) => (tenth / (at(to) - at(from))) * 60_000;
    return {
      employees: SCALE,
      finished,
      seconds,
      created,
      calls: last.total,
      rssMb: peakMb,
      firstTenthPerMin: perMin(1, tenth),
      lastTenthPerMin: perMin(created - tenth, created),
    };
  } finally {
    worker.child.kill('SIGTERM');
    sim.child.kill('SIGTERM');
  }
}

/** The scale run's phases: the managers created first, and the apply pass's HR pages. */
function printTimeline(spans: ActivitySpan[]): void {
  const from = spans.find((s) => s.summary.startsWith('apply: read and plan HR page'))?.scheduled ?? Infinity;
  const to = spans.find((s) => s.scheduled > from && s.type !== 'planHrPage' && s.type !== 'applyChanges')?.scheduled ?? Infinity;
  const lines = [
    ...phaseSplit(spans, 'apply: the managers created first', (s) => s.type === 'applyManagersFirst'),
    ...phaseSplit(spans, 'apply: HR pages', (s) => s.scheduled >= from && s.scheduled < to && (s.type === 'planHrPage' || s.type === 'applyChanges')),
  ];
  console.log(lines.map((l) => `  timeline: ${l}`).join('\n'));
}

function hrPaging(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bench/hr-paging.ts', '--size', '100000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`hr-paging exited with ${code}`))));
  });
}

/** Where the deltas' calls go, so that their figures explain themselves. */
function breakdownSection(deltas: RunRow[]): string[] {
  if (deltas.length === 0) return [];
  return [
    "## Where the deltas' calls go",
    '',
    'Counted by the simulator, one line per kind of call. A user lookup is a filtered `GET /users`, named by its filter (values masked; `or-joined`: several terms in one query).',
    '',
    ...deltas.flatMap((d) => [
      `**${d.label}**: ${int(d.calls)} calls, ${int(d.employeesRead)} HR records read, floor ${int(d.floor)}`,
      '',
      '| calls | kind |',
      '| --- | --- |',
      ...d.breakdown.map(([kind, n]) => `| ${int(n)} | ${kind.replace(/\|/g, '\\|')} |`),
      '',
    ]),
  ];
}

/** The machine's load as the bench begins: times mean little on a machine that other work shares, so say how busy it was. */
const LOAD_AT_START = os.loadavg()[0];

function machine(): string {
  const cpus = os.cpus();
  return `${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${int(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version} (load average ${LOAD_AT_START.toFixed(1)} as the bench began)`;
}

function results(rows: RunRow[], scale: ScaleResult | null, paging: string, command: string, elapsedMin: number): string {
  const met = (f: Figure) => (f.met === null ? '(no target)' : f.met ? 'met' : '**missed**');
  const lines = [
    '# Benchmark results',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${machine()}`,
    `- Reproduce: \`${command}\` (${fixed(elapsedMin, 1)} minutes)`,
    `- Company: ${int(EMPLOYEES)} generated employees (seed ${SEED}), Genesys profile, rate limit off, calls counted by the SCIM simulator (every request: reads, writes, the token).`,
    '',
    '## Figures and targets',
    '',
    '| figure | measured | target | |',
    '| --- | --- | --- | --- |',
    ...figures.map((f) => `| ${f.name} | ${f.measured} | ${f.target} | ${met(f)} |`),
    '',
    `## Runs (${int(EMPLOYEES)} employees)`,
    '',
    'The floor is issue 14\'s: a POST per user created; one read of the target (pages of 25) plus the group reads; a lookup per HR record read plus a write per user that changed plus a read and a PATCH per group whose membership changed. History is the protobuf the server stores, summed over the run chain.',
    '',
    '| run | time | SCIM calls | floor | calls / floor | writes | HR records read | history bytes | bytes / employee | runs in the chain | outcome |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${fixed(r.seconds, 1)} s | ${int(r.calls)} | ${int(r.floor)} (${r.floorHow}) | ${fixed(r.calls / r.floor)} | ${int(r.writes)} | ${int(r.employeesRead)} | ${int(r.historyBytes)} | ${int(r.historyBytes / Math.max(1, r.employeesRead))} | ${r.runs} | ${r.outcome} |`,
    ),
    '',
    ...breakdownSection(rows.filter((r) => r.label.startsWith(DELTA))),
    '## Naive baseline, side by side',
    '',
    'bench/naive.ts on a twin of the same simulators with the same HR changes: what the tutorial\'s script does (a PATCH of every mapped attribute for every employee HR sends, a group PATCH, then one GET per employee for the report, sequentially; its id map from one listing of the target). It does no diff, no retry and no manager ordering: the cost to beat, not a sync. At 300 requests a minute (Genesys) the calls are the time.',
    '',
    '| run | hrsync calls | naive calls | naive / hrsync calls | hrsync time | naive time | naive / hrsync time | at 300/min: hrsync | naive |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows
      .filter((r) => r.naive)
      .map((r) => {
        const n = r.naive as NaiveResult;
        return `| ${r.label} | ${int(r.calls)} | ${int(n.calls)} | ${fixed(n.calls / r.calls)} | ${fixed(r.seconds, 1)} s | ${fixed(n.seconds, 1)} s | ${fixed(n.seconds / r.seconds)} | ${fixed(r.calls / 300, 1)} min | ${fixed(n.calls / 300, 1)} min |`;
      }),
    '',
  ];
  if (scale) {
    lines.push(
      `## Scale: initial full sync of ${int(scale.employees)} employees`,
      '',
      'Simulators in one process, the worker (built `dist/`) in another, the dev server in a third; rate limit off. RSS is the worker process\'s peak (VmHWM). The create rate is measured from the simulator\'s count of created users, sampled every 250 ms.',
      '',
      '| finished | time | users created | SCIM calls | worker peak RSS | creates/min, first tenth | last tenth | last / first |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      `| ${scale.finished ? 'yes' : `no (stopped after ${fixed(SCALE_LIMIT_MS / 60_000, 0)} min)`} | ${fixed(scale.seconds, 0)} s | ${int(scale.created)} | ${int(scale.calls)} | ${int(scale.rssMb)} MB | ${int(scale.firstTenthPerMin)} | ${int(scale.lastTenthPerMin)} | ${fixed(scale.lastTenthPerMin / scale.firstTenthPerMin)} |`,
      '',
      scale.finished ? '' : 'Stopped at its time limit (and terminated): the tenths are of the users created until then.',
      '',
      scale.employees === 100_000
        ? ''
        : `Issue 14's 100,000-employee target (under 10 minutes) is not measured by the default run, which must stay under 15 minutes: \`npm run bench -- --scale 100000\` measures it. Before this bench, \`bench/sync-full.ts --employees 100000\` had not finished after 28 minutes (issue 14).`,
      '',
    );
  }
  lines.push('## HR paging (bench/hr-paging.ts)', '', '```', paging, '```', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const began = Date.now();
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  if (SCALE > 0 && !existsSync(path.join(ROOT, 'dist', 'worker.js'))) throw new Error('the scale run starts the built worker: run `npm run build` first (npm run bench does)');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: findTemporalBinary() }, searchAttributes: ALL_SEARCH_ATTRIBUTES, extraArgs: ['--log-level', 'error'] },
  });
  try {
    console.log(`bench: ${values['scale-only'] ? 'scale run only' : `${EMPLOYEES} employees`}${SCALE > 0 ? `, scale run ${SCALE}` : ''}`);
    const rows = values['scale-only'] ? [] : await companyRuns(env);
    let scale: ScaleResult | null = null;
    if (SCALE > 0) {
      scale = await scaleRun(env);
      console.log(`scale ${SCALE}: ${scale.finished ? 'finished' : 'NOT finished'} in ${fixed(scale.seconds, 0)} s, ${scale.created} created, RSS ${int(scale.rssMb)} MB, creates/min first tenth ${int(scale.firstTenthPerMin)}, last ${int(scale.lastTenthPerMin)}`);
      const at = scale.employees === 100_000 ? '' : ` (measured at ${int(scale.employees)}; the target is for 100,000)`;
      figure(`initial full sync of ${int(scale.employees)}, rate limit off: time${at}`, scale.finished ? `${fixed(scale.seconds, 0)} s` : `not finished in ${fixed(scale.seconds, 0)} s`, scale.employees === 100_000 ? '< 10 min' : '(no target at this size)', scale.employees === 100_000 ? scale.finished && scale.seconds < 600 : null);
      figure(`worker peak RSS, ${int(scale.employees)} employees${at}`, `${int(scale.rssMb)} MB`, '< 512 MB', scale.rssMb < 512);
      figure(`create rate, last tenth / first tenth, ${int(scale.employees)} employees${at}`, fixed(scale.lastTenthPerMin / scale.firstTenthPerMin), '≥ 0.90', scale.lastTenthPerMin / scale.firstTenthPerMin >= 0.9);
    }
    if (values['scale-only']) return;
    const paging = await hrPaging();
    console.log(paging);
    const text = results(rows, scale, paging, command, (Date.now() - began) / 60_000);
    writeFileSync(values.out as string, text);
    console.log(`\n${text}\nwritten to ${values.out}`);
  } finally {
    await (await reader)?.connection.close();
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
