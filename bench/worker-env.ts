import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorEnv, type SimEndpoints } from '../sim';

/**
 * A bench worker's environment on the simulators: its own task queue, which also names the target (so two
 * benches never share a watermark), a fresh report folder, the rate limit the simulators run at (none
 * unless given), and a gate that lets the whole company through: the bench measures the writes.
 */
export function benchWorkerEnv(endpoints: SimEndpoints, opts: { queue: string; employees: number; rateLimitPerMinute?: number | null }): Record<string, string> {
  return {
    ...simulatorEnv(endpoints),
    HRSYNC_TASK_QUEUE: opts.queue,
    HRSYNC_TARGET_NAME: opts.queue,
    HRSYNC_REPORT_DIR: mkdtempSync(path.join(os.tmpdir(), `hrsync-${opts.queue}-`)),
    SCIM_RATE_LIMIT_PER_MINUTE: String(opts.rateLimitPerMinute ?? 0),
    HRSYNC_GATE_MAX_COUNT: String(opts.employees),
    HRSYNC_GATE_MAX_PERCENT: '100',
  };
}
