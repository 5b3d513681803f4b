import { InvalidArgumentError, type Command } from 'commander';
import { loadClientConfig, loadWorkerConfig, type ClientConfig, type WorkerConfig } from '../config';

/** The global --config option, as every subcommand sees it. */
export function configFile(cmd: Command): string | undefined {
  return (cmd.optsWithGlobals() as { config?: string }).config;
}

export function clientConfig(cmd: Command): ClientConfig {
  return loadClientConfig({ file: configFile(cmd) });
}

export function workerConfig(cmd: Command): WorkerConfig {
  return loadWorkerConfig({ file: configFile(cmd) });
}

/** Resolves once SIGINT or SIGTERM arrives. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`not a port number: ${value}`);
  return n;
}

/** A commander parser for a whole number of at least `min` (and at most `max`, when given). */
export function wholeNumber(min: number, max = Infinity): (value: string) => number {
  const expected = max === Infinity ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${expected}, got "${value}"`);
    return n;
  };
}
