import { spawn } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(__dirname, '..', '..', 'bin', 'hrsync.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment every CLI child starts from: nothing of this process's, the sources rather than dist/. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HRSYNC_FROM_SOURCE: '1', ...env };
}

/** Runs the real `hrsync` binary (as a user would) with a clean, explicit environment. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return collect([BIN, ...args], env, timeoutMs, `hrsync ${args.join(' ')}`);
}

/** Spawns node with `argv` and collects its exit code and output; a child still running at `timeoutMs` is killed. */
function collect(argv: string[], env: Record<string, string>, timeoutMs: number, what: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs the CLI's `main` on each argument list in turn, in one child process: the sources are compiled
 * once instead of once per list, which under load is most of a start-up. Each list gets its own exit code
 * and output. For checks that end before anything connects (usage, config); `runCli` covers the binary's
 * own exit.
 */
export async function runCliEach(argvs: string[][], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult[]> {
  const script = `
    require('ts-node').register({ transpileOnly: true, project: ${JSON.stringify(path.resolve(__dirname, '..', '..', 'tsconfig.json'))} });
    const { main } = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'src', 'client.ts'))});
    const out = process.stdout.write.bind(process.stdout);
    (async () => {
      const results = [];
      for (const args of ${JSON.stringify(argvs)}) {
        const got = { stdout: '', stderr: '' };
        process.stdout.write = (c) => ((got.stdout += c), true);
        process.stderr.write = (c) => ((got.stderr += c), true);
        process.exitCode = undefined;
        const code = await main([process.execPath, ${JSON.stringify(BIN)}, ...args]);
        results.push({ code, ...got });
      }
      process.stdout.write = out;
      out(JSON.stringify(results), () => process.exit(0));
    })();`;
  const batch = await collect(['-e', script], env, timeoutMs, `hrsync ${argvs.map((a) => a.join(' ')).join('; ')}`);
  if (batch.code !== 0) throw new Error(`the CLI batch exited ${batch.code}\n${batch.stdout}\n${batch.stderr}`);
  return JSON.parse(batch.stdout) as CliResult[];
}
