import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { RawEmployee } from '../../src/hr/employee';
import { startHrSimulator } from './index';

const USAGE =
  'usage: node -r ts-node/register/transpile-only sim/hr/serve.ts [--employees N] [--seed S] [--company file.json] ' +
  '[--port P] [--host H] [--token-env VAR] [--max-page-size N]';

/**
 * Runs the HR simulator until SIGINT/SIGTERM. Prints one JSON line, `{"baseUrl": ...}`, on stdout once
 * listening, so a parent process (a benchmark, the demo) can find it. The token comes from an environment
 * variable so that it never shows in a process list.
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      employees: { type: 'string' },
      seed: { type: 'string' },
      company: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'token-env': { type: 'string' },
      'max-page-size': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const tokenEnv = values['token-env'];
  const sim = await startHrSimulator({
    employees: values.employees === undefined ? undefined : Number(values.employees),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    company: values.company === undefined ? undefined : (JSON.parse(readFileSync(values.company, 'utf8')) as RawEmployee[]),
    port: values.port === undefined ? undefined : Number(values.port),
    host: values.host,
    apiToken: tokenEnv === undefined ? undefined : process.env[tokenEnv],
    maxPageSize: values['max-page-size'] === undefined ? undefined : Number(values['max-page-size']),
  });
  process.stdout.write(`${JSON.stringify({ baseUrl: sim.baseUrl, employees: sim.employees().length })}\n`);
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e: Error) => {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    process.exit(1);
  });
}
