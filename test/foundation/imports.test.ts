import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as simulators from '../../sim';
import { lifecycleBatch } from '../../sim/hr/batch';
import { parseStrictList } from '../../sim/scim/options';
import type { SimulatorsModule } from '../../src/cli/simulators';

/**
 * The shape of the source: no import cycles (type-only imports count too: they tie what a reader must
 * understand together just the same), the domain never reaches into the SCIM client, and the simulators
 * (sim/) stay outside the product: src/ never names them, the build never emits them, and they judge what a
 * client sends by their own rules, not the client's schemas.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');
const SIM = path.join(ROOT, 'sim');

function files(dir: string, ending = '.ts'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full, ending);
    return full.endsWith(ending) ? [full] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f));
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']*)'/g)].map((m) => m[1]);
  return specs.map((s) => resolve(file, s)).filter((f): f is string => f !== undefined);
}

/** Every relative module a file names: static imports, `import('…')` types and literal `require('…')`s. */
function anyImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)'(\.[^']*)'/g)].map((m) => m[1]);
  return specs.map((s) => resolve(file, s)).filter((f): f is string => f !== undefined);
}

/** The CLI types what it loads from sim/ by hand; the type check holds that to the real modules. */
export const loadedByTheCli: SimulatorsModule = { ...simulators, lifecycleBatch, parseStrictList };

const graph = new Map(files(SRC).map((f) => [f, imports(f)]));
const rel = (f: string) => path.relative(SRC, f);

function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const to of graph.get(f) ?? []) {
      if (state.get(to) === 'open') found.push([...stack.slice(stack.indexOf(to)), to].map(rel));
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

describe('the source layout', () => {
  it('finds the imports it checks (the graph is not empty)', () => {
    assert.ok(graph.size > 50);
    assert.ok((graph.get(path.join(SRC, 'workflows', 'sync.ts')) ?? []).some((f) => f.endsWith(path.join('workflows', 'position.ts'))));
  });

  it('has no import cycles', () => {
    assert.deepEqual(cycles(), []);
  });

  it('keeps the domain off the SCIM client: it imports only the SCIM model (src/scim/model)', () => {
    const model = path.join(SRC, 'scim', 'model') + path.sep;
    const fromDomain = [...graph].filter(([from]) => from.startsWith(path.join(SRC, 'domain') + path.sep));
    const reaching = fromDomain.flatMap(([from, tos]) => tos.filter((to) => to.startsWith(path.join(SRC, 'scim') + path.sep) && !to.startsWith(model)).map((to) => `${rel(from)} -> ${rel(to)}`));
    assert.deepEqual(reaching, []);
    assert.ok(fromDomain.some(([, tos]) => tos.some((to) => to.startsWith(model))), 'the check sees the model imports');
  });

  it('keeps the SCIM client off the domain: they share a helper only through the neutral src/chunk.ts, which imports nothing', () => {
    const domain = path.join(SRC, 'domain') + path.sep;
    const scim = path.join(SRC, 'scim') + path.sep;
    const neutral = path.join(SRC, 'chunk.ts');
    const reaching = [...graph].filter(([from]) => from.startsWith(scim)).flatMap(([from, tos]) => tos.filter((to) => to.startsWith(domain)).map((to) => `${rel(from)} -> ${rel(to)}`));
    assert.deepEqual(reaching, []);
    assert.deepEqual((graph.get(neutral) ?? []).map(rel), []);
    const users = [...graph].filter(([, tos]) => tos.includes(neutral)).map(([from]) => from);
    assert.ok(users.some((f) => f.startsWith(domain)) && users.some((f) => f.startsWith(scim)), 'the check sees both import it');
  });

  it('keeps the HR connector and the SCIM client apart: they read Retry-After through the neutral src/retry-after.ts, which imports nothing', () => {
    const hr = path.join(SRC, 'hr') + path.sep;
    const scim = path.join(SRC, 'scim') + path.sep;
    const neutral = path.join(SRC, 'retry-after.ts');
    const across = (from: string, to: string) =>
      [...graph].filter(([f]) => f.startsWith(from)).flatMap(([f, tos]) => tos.filter((t) => t.startsWith(to)).map((t) => `${rel(f)} -> ${rel(t)}`));
    assert.deepEqual([...across(hr, scim), ...across(scim, hr)], []);
    assert.deepEqual((graph.get(neutral) ?? []).map(rel), []);
    const users = [...graph].filter(([, tos]) => tos.includes(neutral)).map(([from]) => from);
    assert.ok(users.some((f) => f.startsWith(hr)) && users.some((f) => f.startsWith(scim)), 'the check sees both import it');
  });

  it('keeps the SCIM model apart from the client: src/scim/model imports nothing outside itself', () => {
    const model = path.join(SRC, 'scim', 'model') + path.sep;
    const outside = [...graph].filter(([from]) => from.startsWith(model)).flatMap(([from, tos]) => tos.filter((to) => !to.startsWith(model)).map((to) => `${rel(from)} -> ${rel(to)}`));
    assert.deepEqual(outside, []);
  });

  it('keeps the simulators out of the product: nothing in src/ names a module in sim/', () => {
    const reaching = files(SRC).flatMap((from) => anyImports(from).filter((to) => to.startsWith(SIM + path.sep)).map((to) => `${rel(from)} -> ${path.relative(ROOT, to)}`));
    assert.deepEqual(reaching, []);
    // The check sees such an import when there is one: sim/ itself reaches into src/.
    assert.ok(anyImports(path.join(SIM, 'index.ts')).some((to) => to.startsWith(SRC + path.sep)));
  });

  it('keeps the simulators on their own rules: sim/ uses from src/ only types, the SCIM URNs and the default mapping (its groups)', () => {
    const allowed = [path.join(SRC, 'scim', 'model', 'schemas', 'urns.ts'), path.join(SRC, 'domain', 'mapping', 'config.ts')];
    const runtime = files(SIM).flatMap((from) => {
      const text = readFileSync(from, 'utf8');
      const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']*)'/g)].map((m) => m[1]);
      return specs.map((s) => resolve(from, s)).filter((to): to is string => to !== undefined && to.startsWith(SRC + path.sep)).map((to) => [from, to] as const);
    });
    assert.ok(runtime.some(([, to]) => to === allowed[0]), 'the check sees the URN imports');
    assert.deepEqual(runtime.filter(([, to]) => !allowed.includes(to)).map(([from, to]) => `${path.relative(ROOT, from)} -> ${path.relative(ROOT, to)}`), []);
  });

  it('builds no simulator code: the output of tsconfig.build.json (npm run build) holds the CLI and nothing from sim/', function () {
    this.timeout(120_000);
    const out = mkdtempSync(path.join(os.tmpdir(), 'hrsync-build-'));
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', out, '--noEmitOnError'], { cwd: ROOT, stdio: 'pipe' });
      const built = files(out, '.js').map((f) => path.relative(out, f));
      assert.ok(built.includes(path.join('cli', 'simulators.js')), 'the build ran and emitted the CLI');
      assert.deepEqual(built.filter((f) => f.split(path.sep).includes('sim')), []);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

