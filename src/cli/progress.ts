import { SingleBar } from 'cli-progress';
import { etaText, formatCounts, paceMeter, plannedWrites, progressLine, retryLine, type PendingRetry } from '../runs/outcome';
import type { Progress } from '../workflows/contracts';

export interface ProgressRenderer {
  /** `retrying`: activities Temporal is retrying, shown with their last failure. */
  update(progress: Progress, retrying?: readonly PendingRetry[]): void;
  stop(): void;
}

export interface RendererOptions {
  ratePerMinute: number;
  /** Where the bar or lines go; default process.stderr, so stdout keeps the result (and --json stays one line). */
  stream?: NodeJS.WriteStream;
  /** Plain lines at most this often when not on a TTY. */
  lineEveryMs?: number;
}

/**
 * A live bar on a terminal (writes done out of writes planned, with pages, counts and the ETA at the
 * rate budget); on a pipe or in CI, a plain line whenever something changed, at most every few seconds.
 */
export function createProgressRenderer(opts: RendererOptions): ProgressRenderer {
  const stream = opts.stream ?? process.stderr;
  if (stream.isTTY) return barRenderer(stream, opts.ratePerMinute);
  const every = opts.lineEveryMs ?? 5000;
  const pace = paceMeter();
  let last = '';
  let lastAt = 0;
  return {
    update(p, retrying = []) {
      const line = progressLine(p, opts.ratePerMinute, retrying, pace(p));
      const now = Date.now();
      if (line === last || (now - lastAt < every && !p.awaitingApproval)) return;
      last = line;
      lastAt = now;
      stream.write(`${line}\n`);
    },
    stop() {},
  };
}

function barRenderer(stream: NodeJS.WriteStream, ratePerMinute: number): ProgressRenderer {
  const bar = new SingleBar({
    stream,
    format: '{phase} |{bar}| {value}/{total} writes | pages {pages} | planned {planned} | applied {applied} | failed {failed} | ETA {etaRate}{retrying}',
    hideCursor: true,
    clearOnComplete: false,
    barsize: 24,
  });
  let started = false;
  const pace = paceMeter();
  return {
    update(p, retrying = []) {
      const total = Math.max(plannedWrites(p.planned), 1);
      const done = p.pass === 'apply' ? Math.max(0, plannedWrites(p.planned) - p.writesRemaining) : 0;
      const payload = {
        phase: p.awaitingApproval ? 'AWAITING APPROVAL' : p.phase.slice(0, 40),
        pages: p.pagesRead,
        planned: formatCounts(p.planned),
        applied: p.outcomes.applied ?? 0,
        failed: (p.outcomes.failed ?? 0) + (p.outcomes.conflict ?? 0),
        etaRate: etaText(p, ratePerMinute, pace(p)),
        retrying: retrying.map((r) => ` | retrying ${r.step}: ${retryLine(r)}`).join(''),
      };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
