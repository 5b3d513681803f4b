import { redact, redactText } from './redact';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

export type Fields = Record<string, unknown>;

export interface Logger {
  trace(message: string, fields?: Fields): void;
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  log(level: Level, message: string, fields?: Fields): void;
  /** A logger whose every line also carries `fields` (e.g. `{ runId }`). */
  child(fields: Fields): Logger;
}

export interface LoggerOptions {
  /** Lowest level written; default info (or $HRSYNC_LOG_LEVEL). */
  level?: Level;
  /** Where lines go; default process.stderr, so stdout stays for a command's output. */
  stream?: { write(line: string): unknown; isTTY?: boolean };
  /** JSON lines (default when the stream is not a TTY) or readable lines. */
  format?: 'json' | 'pretty';
  /** Fields on every line. */
  fields?: Fields;
  now?: () => Date;
}

export function parseLevel(value: string | undefined, fallback: Level = 'info'): Level {
  const v = value?.toLowerCase();
  return v && v in RANK ? (v as Level) : fallback;
}

/**
 * Structured logs: one JSON object per line when not on a TTY (for log shippers), a readable line
 * on a TTY. Every field passes through `redact`, so a Secret or a token-named key never prints.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const stream = opts.stream ?? process.stderr;
  const format = opts.format ?? (stream.isTTY ? 'pretty' : 'json');
  const min = RANK[opts.level ?? parseLevel(process.env.HRSYNC_LOG_LEVEL)];
  const now = opts.now ?? (() => new Date());
  const make = (base: Fields): Logger => {
    const log = (level: Level, message: string, fields?: Fields) => {
      if (RANK[level] < min) return;
      const extra = redact({ ...base, ...fields }) as Fields;
      const time = now().toISOString();
      const text = redactText(message);
      stream.write(format === 'json' ? `${JSON.stringify({ time, level, msg: text, ...extra })}\n` : `${prettyLine(time, level, text, extra)}\n`);
    };
    return {
      log,
      trace: (m, f) => log('trace', m, f),
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(opts.fields ?? {});
}

function prettyLine(time: string, level: Level, message: string, fields: Fields): string {
  const { runId, ...rest } = fields;
  const kv = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time.slice(11, 19)} ${level.toUpperCase().padEnd(5)}${runId ? ` [${String(runId)}]` : ''} ${message}${kv ? `  ${kv}` : ''}`;
}
