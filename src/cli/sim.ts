import { Command, InvalidArgumentError, Option } from 'commander';
import { parsePort, untilSignal, wholeNumber } from './common';
import { loadSimulators } from './simulators';

/** "off" is 0 here: commander turns a parser's null into an empty string. */
function parseRateLimit(value: string): number {
  if (value === 'off') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a number of requests per minute or "off", got "${value}"`);
  return n;
}


export function simCommand(): Command {
  return new Command('sim')
    .description('run the Genesys SCIM and HR simulators on 127.0.0.1; prints one JSON line with their endpoints, then serves until interrupted')
    .addOption(new Option('--scim-port <port>', 'SCIM simulator port (0: any free port)').argParser(parsePort).default(0))
    .addOption(new Option('--hr-port <port>', 'HR simulator port (0: any free port)').argParser(parsePort).default(0))
    .addOption(new Option('--employees <n>', 'size of the generated company').argParser(wholeNumber(0)).default(200))
    .addOption(new Option('--seed <s>', 'seed of the generated company and of the fault injection').argParser(wholeNumber(0)).default(1))
    .addOption(new Option('--rate-limit <perMinute>', 'SCIM requests per minute per token, or "off"').argParser(parseRateLimit).default(300))
    .addOption(new Option('--mode <mode>', 'genesys (no /Bulk) or scim2 (RFC 7644 with /Bulk)').choices(['genesys', 'scim2']).default('genesys'))
    .addOption(
      new Option('--strict <switches>', 'SCIM strictness switches, e.g. noActiveFilter,noDateHire,refuseRemove=title+department (see sim/scim/README.md)')
        .argParser((text: string) => loadSimulators().parseStrictList(text)),
    )
    .action(async (opts: { scimPort: number; hrPort: number; employees: number; seed: number; rateLimit: number; mode: 'genesys' | 'scim2'; strict?: Record<string, unknown> }) => {
      const sims = await loadSimulators().startSimulators({
        scim: { mode: opts.mode, port: opts.scimPort, rateLimitPerMinute: opts.rateLimit || null, seed: opts.seed, strict: opts.strict },
        hr: { port: opts.hrPort, employees: opts.employees, seed: opts.seed },
      });
      process.stdout.write(`${JSON.stringify(sims.endpoints())}\n`);
      await untilSignal();
      await sims.close();
    });
}
