import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BIN } from './cli';

/** A running `hrsync` process whose output lines a test can wait for. */
export class Spawned {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  #waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];

  constructor(args: string[], env: Record<string, string> = {}) {
    // Its own process group, so that a test can stop it together with what it started (a dev server).
    this.child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, HRSYNC_FROM_SOURCE: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        this.lines.push(line);
        this.#waiters = this.#waiters.filter((w) => {
          if (!w.pattern.test(line)) return true;
          w.resolve(line);
          return false;
        });
      });
    }
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The first output line matching `pattern`, waiting up to `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const seen = this.lines.find((l) => pattern.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${this.lines.join('\n')}`)), timeoutMs);
      this.#waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      void this.exited.then(() => setTimeout(() => reject(new Error(`exited before a line matched ${pattern}:\n${this.lines.join('\n')}`)), 100));
    });
  }

  /** Sends `signal` to hrsync only (as Ctrl-C would reach it). */
  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** After a test: Ctrl-C, and if that doesn't end it within 10 s, SIGKILL to the whole process group. */
  async stop(): Promise<void> {
    this.kill('SIGINT');
    const ended = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    try {
      process.kill(-(this.child.pid as number), 'SIGKILL');
    } catch {
      // the group is gone already
    }
    if (!ended) await this.exited;
  }
}
