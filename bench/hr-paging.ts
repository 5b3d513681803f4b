/**
 * Pages a large HR company through the connector and prints elapsed time, pages, records/s and peak RSS.
 * The simulator runs in a child process, so the RSS printed is the reader's alone; the reader only counts,
 * never holding the company.
 *
 *   node -r ts-node/register/transpile-only bench/hr-paging.ts [--size 100000] [--page-size 1000] [--seed 1]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createHrConnector } from '../src/hr';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '100000' }, 'page-size': { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' } },
});
const size = Number(values.size);
const pageSize = Number(values['page-size']);
const seed = Number(values.seed);
const root = path.resolve(__dirname, '..');
const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;

function startSimulator(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'sim/hr/serve.ts', '--employees', String(size), '--seed', String(seed), '--max-page-size', String(Math.max(1000, pageSize))],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, baseUrl: (JSON.parse(line) as { baseUrl: string }).baseUrl }));
  });
}

async function run(): Promise<void> {
  const simStarted = Date.now();
  const { child, baseUrl } = await startSimulator();
  child.removeAllListeners('exit');
  const simReadyMs = Date.now() - simStarted;
  try {
    const hr = createHrConnector({ baseUrl, pageSize });
    const rssBeforeKb = process.resourceUsage().maxRSS;
    let heapPeak = 0;
    let pages = 0;
    let employees = 0;
    let rejected = 0;
    let duplicates = 0;
    let highWaterMark: string | null = null;
    let cursor: string | null = null;
    const started = process.hrtime.bigint();
    do {
      const page = await hr.readPage({ cursor });
      pages++;
      employees += page.employees.length;
      rejected += page.rejected.length;
      duplicates += page.duplicates.length;
      if (page.highWaterMark !== null) highWaterMark = page.highWaterMark;
      cursor = page.nextCursor;
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    } while (cursor !== null);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rssPeakKb = process.resourceUsage().maxRSS;

    console.log(`hr-paging: ${size} employees, page_size ${pageSize}, seed ${seed}`);
    console.log(`  simulator (child process, pid ${child.pid}) ready in ${simReadyMs} ms`);
    console.log(`  read ${employees} employees (${rejected} rejected, ${duplicates} duplicates) in ${pages} pages`);
    console.log(`  elapsed ${seconds.toFixed(2)} s, ${Math.round(employees / seconds)} records/s, ${(seconds * 1000 / pages).toFixed(1)} ms/page`);
    console.log(`  high-water mark ${highWaterMark}`);
    console.log(`  reader peak RSS ${mb(rssPeakKb)} (before paging ${mb(rssBeforeKb)}); peak heap used ${(heapPeak / 2 ** 20).toFixed(1)} MB`);
    console.log(`  RSS covers this reader process only; the simulator holds the company in its own process.`);
    console.log(`  reproduce: node -r ts-node/register/transpile-only bench/hr-paging.ts --size ${size} --page-size ${pageSize} --seed ${seed}`);
    if (employees + rejected !== size) throw new Error(`expected ${size} records, read ${employees + rejected}`);
  } finally {
    child.kill('SIGTERM');
  }
}

run().catch((e: Error) => {
  console.error(e.message);
  process.exitCode = 1;
});
