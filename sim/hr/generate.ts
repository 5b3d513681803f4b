import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateCompany } from './company';

const USAGE = 'usage: node -r ts-node/register/transpile-only sim/hr/generate.ts --size N --seed S [--now ISO] [--out file.json]';

/**
 * Writes a generated company as a JSON array (to --out, or stdout), so that benchmarks, tests and demos
 * share one source of data. Returns the exit code.
 */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export function main(argv: string[] = process.argv.slice(2), io: Io = process): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { size: { type: 'string' }, seed: { type: 'string' }, now: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const size = Number(values.size ?? 200);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(seed)) {
    io.stderr.write(`--size must be a positive integer and --seed an integer\n${USAGE}\n`);
    return 2;
  }
  const company = generateCompany({ size, seed, now: values.now });
  const text = `${JSON.stringify(company, null, 1)}\n`;
  if (values.out) {
    writeFileSync(values.out, text);
    io.stderr.write(`wrote ${company.length} employees to ${values.out}\n`);
  } else {
    io.stdout.write(text);
  }
  return 0;
}

if (require.main === module) process.exitCode = main();
