import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';

/**
 * A worker that cannot write reportDir would only find out in the middle of a run: check at start-up,
 * naming the key. Writes and removes a probe file, which is what a run does.
 */
export function assertWritableReportDir(reportDir: string): void {
  const probe = path.join(reportDir, `.hrsync-probe-${process.pid}`);
  try {
    mkdirSync(reportDir, { recursive: true, mode: 0o700 });
    writeFileSync(probe, '', { mode: 0o600 });
    rmSync(probe, { force: true });
  } catch (err) {
    throw new ConfigError([
      `reportDir (env HRSYNC_REPORT_DIR): ${path.resolve(reportDir)} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'}); every worker needs it, shared by all workers of the task queue`,
    ]);
  }
}
