import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Level, Logger } from './logger';

const LEVELS: Record<LogLevel, Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
const RANK: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** The worker bundles workflow code with webpack at start-up and logs its whole output at INFO. */
function isBundlerNoise(message: string): boolean {
  return /^(asset |orphan modules|runtime modules|cacheable modules|modules by path|webpack )/.test(message) || /\bwebpack [\d.]+ compiled\b/.test(message);
}

/**
 * The Temporal SDK's Logger interface over ours. The SDK puts workflowId and runId in the metadata
 * of workflow and activity logs; they come out as `workflowId` / `runId` fields on the line.
 */
export function temporalLogger(logger: Logger, minLevel: LogLevel = 'INFO'): SdkLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    if (RANK[level] < RANK[minLevel]) return;
    if (level === 'INFO' && isBundlerNoise(message)) return;
    logger.log(LEVELS[level], message, meta as Record<string, unknown> | undefined);
  };
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}

/**
 * Sends the SDK's logs (worker, workflows via the sinks, activities' `log`) through `logger`.
 * Runtime.install works once per process and before any worker or native connection exists; if the
 * runtime is already set up (tests, an embedding app), this leaves it alone and returns false.
 */
export function installTemporalLogging(logger: Logger, minLevel: LogLevel = 'INFO'): boolean {
  if (Runtime._instance) return false;
  try {
    Runtime.install({ logger: temporalLogger(logger, minLevel) });
    return true;
  } catch {
    return false;
  }
}
