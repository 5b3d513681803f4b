import type { Client } from '@temporalio/client';
import { Command, Option } from 'commander';
import type { ClientConfig } from '../config';
import { withClient } from '../runs/client';
import { scheduleUiLink, targetNameOf } from '../runs/naming';
import { exitOnUsageError, UsageError } from '../runs/outcome';
import {
  backfillSchedule,
  createSchedules,
  deleteSchedules,
  describeSchedules,
  listSchedules,
  pauseSchedules,
  triggerSchedule,
  unpauseSchedules,
  updateSchedules,
  type ScheduleView,
  type Which,
} from '../schedules/manage';
import { SCHEDULE_DEFAULTS, type ScheduleKind, type ScheduleParams } from '../schedules/spec';
import { clientConfig } from './common';

/** The command's options: the schedule parameters, with the target optional (config default) and a filter. */
type SpecOpts = Partial<Omit<ScheduleParams, 'taskQueue'>> & { only?: Which };

export function scheduleParams(cfg: ClientConfig, opts: SpecOpts): ScheduleParams {
  const { only: _only, target, ...spec } = opts;
  return { ...spec, target: targetNameOf(cfg, target), taskQueue: cfg.temporal.taskQueue };
}

const fmt = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function scheduleViewLines(v: ScheduleView, cfg: ClientConfig): string[] {
  const lines = [
    `${v.scheduleId}: ${v.paused ? `PAUSED${v.note ? ` (${v.note})` : ''}` : 'active'}`,
    `  when: ${v.when}${v.timezone ? ` (${v.timezone})` : ''}${v.jitterMs ? `, jitter up to ${Math.round(v.jitterMs / 1000)}s` : ''}`,
    `  overlap ${v.overlap}; catch-up window ${Math.round(v.catchupWindowMs / 1000)}s; taken ${v.actionsTaken}, skipped for overlap ${v.skippedOverlap}, missed catch-up ${v.missedCatchupWindow}`,
    `  next: ${v.nextRuns.length ? v.nextRuns.map(fmt).join(', ') : '-'}`,
  ];
  if (v.running.length) lines.push(`  running: ${v.running.join(', ')}`);
  lines.push(v.recent.length ? '  recent:' : '  recent: none yet');
  for (const r of v.recent) {
    lines.push(`    ${fmt(r.takenAt)}  ${r.workflowId}  ${(r.status ?? 'expired').toLowerCase()}${r.outcome ? ` / ${r.outcome}` : ''}`);
  }
  lines.push(`  web UI: ${scheduleUiLink(cfg.temporal, v.scheduleId)}`);
  return lines;
}

function kindOf(value: string): ScheduleKind {
  if (value !== 'delta' && value !== 'full') throw new UsageError(`expected delta or full, got "${value}"`);
  return value;
}

function dateOf(value: string, option: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()) || !/\d{4}-\d{2}-\d{2}/.test(value)) throw new UsageError(`${option}: expected an ISO date-time, got "${value}"`);
  return d;
}

function run(cmd: Command, fn: (client: Client, cfg: ClientConfig) => Promise<void>): Promise<void> {
  const cfg = clientConfig(cmd);
  const body = async (client: Client) => {
    await fn(client, cfg);
    return 0;
  };
  return exitOnUsageError(() => withClient(cfg, body)).then((code) => {
    process.exitCode = code;
  });
}

const onlyOption = () => new Option('--only <which>', 'act on one schedule').choices(['delta', 'full', 'all']).default('all');
const targetOption = () => new Option('--target <name>', 'target (org) name (default: config target.name, else target.kind: genesys unless set)');

function withSpecOptions(c: Command): Command {
  return c
    .addOption(targetOption())
    .option('--delta-every <duration>', `delta interval (default ${SCHEDULE_DEFAULTS.deltaEvery})`)
    .option('--full-at <HH:MM>', `daily full run time (default ${SCHEDULE_DEFAULTS.fullAt})`)
    .option('--timezone <iana>', `time zone of --full-at (default ${SCHEDULE_DEFAULTS.timezone})`)
    .option('--jitter <duration>', 'random delay added to each start, e.g. 1m (default none)')
    .option('--catchup-window <duration>', `after an outage, start a missed run only if at most this late (default ${SCHEDULE_DEFAULTS.catchupWindow})`)
    .option('--full-quiet <duration>', `no delta starts this long after --full-at; 0 turns it off (default ${SCHEDULE_DEFAULTS.fullQuiet})`)
    .option('--paused', 'leave the schedules paused')
    .addOption(onlyOption());
}

export function scheduleCommand(): Command {
  const schedule = new Command('schedule').description(
    'Temporal Schedules for a target: a delta every 15 minutes and a daily full run (overlap SKIP, explicit catch-up window)',
  );
  schedule.addCommand(
    withSpecOptions(new Command('create').description('create the delta and full schedules')).action(async (opts: SpecOpts, cmd: Command) =>
      run(cmd, async (client, cfg) => {
        for (const id of await createSchedules(client, scheduleParams(cfg, opts), opts.only)) console.log(`created ${id}`);
      }),
    ),
  );
  schedule.addCommand(
    withSpecOptions(new Command('update').description('replace the schedules\' times and policies (unset options go back to the defaults)')).action(
      async (opts: SpecOpts, cmd: Command) =>
        run(cmd, async (client, cfg) => {
          for (const id of await updateSchedules(client, scheduleParams(cfg, opts), opts.only)) console.log(`updated ${id}`);
        }),
    ),
  );
  schedule.addCommand(
    new Command('describe')
      .description('next run times, recent runs with their outcomes, counters')
      .addOption(targetOption())
      .addOption(onlyOption())
      .option('--json', 'JSON output')
      .action(async (opts: { target?: string; only: Which; json?: boolean }, cmd: Command) =>
        run(cmd, async (client, cfg) => {
          const views = await describeSchedules(client, targetNameOf(cfg, opts.target), opts.only);
          if (opts.json) console.log(JSON.stringify(views));
          else for (const v of views) for (const line of scheduleViewLines(v, cfg)) console.log(line);
        }),
      ),
  );
  schedule.addCommand(
    new Command('list').description('every hrsync schedule in the namespace').action(async (_o: object, cmd: Command) =>
      run(cmd, async (client) => {
        const all = await listSchedules(client);
        if (!all.length) console.log('no hrsync schedules');
        for (const s of all) console.log(`${s.scheduleId}  ${s.paused ? 'paused' : 'active'}  next ${s.nextRun ? fmt(s.nextRun) : '-'}  last ${s.lastRun ?? '-'}`);
      }),
    ),
  );
  schedule.addCommand(
    new Command('pause')
      .description('stop starting runs (running ones continue)')
      .addOption(targetOption())
      .addOption(onlyOption())
      .option('--note <text>', 'why (shown in describe and the Web UI)')
      .action(async (opts: { target?: string; only: Which; note?: string }, cmd: Command) =>
        run(cmd, async (client, cfg) => {
          for (const id of await pauseSchedules(client, targetNameOf(cfg, opts.target), opts.only, opts.note)) console.log(`paused ${id}`);
        }),
      ),
  );
  schedule.addCommand(
    new Command('unpause')
      .description('start taking scheduled runs again')
      .addOption(targetOption())
      .addOption(onlyOption())
      .option('--note <text>', 'why')
      .action(async (opts: { target?: string; only: Which; note?: string }, cmd: Command) =>
        run(cmd, async (client, cfg) => {
          for (const id of await unpauseSchedules(client, targetNameOf(cfg, opts.target), opts.only, opts.note)) console.log(`unpaused ${id}`);
        }),
      ),
  );
  schedule.addCommand(
    new Command('trigger')
      .description('start one run of a schedule now (skipped if that schedule\'s previous run is still going)')
      .argument('[kind]', 'delta or full', 'delta')
      .addOption(targetOption())
      .action(async (kind: string, opts: { target?: string }, cmd: Command) =>
        run(cmd, async (client, cfg) => {
          const target = targetNameOf(cfg, opts.target);
          const [id] = await triggerSchedule(client, target, kindOf(kind));
          console.log(`triggered ${id}; see \`hrsync schedule describe --target ${target}\` or ${scheduleUiLink(cfg.temporal, id)}`);
        }),
      ),
  );
  schedule.addCommand(
    new Command('backfill')
      .description('take the runs a schedule would have taken between two instants (e.g. after a long outage), overlap SKIP')
      .argument('[kind]', 'delta or full', 'full')
      .requiredOption('--start <iso>', 'from')
      .requiredOption('--end <iso>', 'to')
      .addOption(targetOption())
      .action(async (kind: string, opts: { target?: string; start: string; end: string }, cmd: Command) =>
        run(cmd, async (client, cfg) => {
          const [id] = await backfillSchedule(client, targetNameOf(cfg, opts.target), kindOf(kind), dateOf(opts.start, '--start'), dateOf(opts.end, '--end'));
          console.log(`backfilling ${id} from ${opts.start} to ${opts.end}`);
        }),
      ),
  );
  schedule.addCommand(
    new Command('delete')
      .description('delete the schedules (runs they started are not affected)')
      .addOption(targetOption())
      .addOption(onlyOption())
      .action(async (opts: { target?: string; only: Which }, cmd: Command) =>
        run(cmd, async (client, cfg) => {
          for (const id of await deleteSchedules(client, targetNameOf(cfg, opts.target), opts.only)) console.log(`deleted ${id}`);
        }),
      ),
  );
  for (const sub of schedule.commands) sub.exitOverride().showHelpAfterError();
  return schedule;
}
