import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The shape of the source: no import cycles (type-only imports count too: they tie what a reader must
 * understand together just the same), and the domain never reaches into the SCIM client.
 */
const SRC = path.resolve(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return full.endsWith('.ts') ? [full] : [];
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

  it('keeps the domain off the SCIM client: it imports only the SCIM model (resources, messages, schemas, types)', () => {
    const model = ['resources', 'messages', 'schemas', 'types'].map((d) => path.join(SRC, 'scim', d) + path.sep);
    const reaching = [...graph]
      .filter(([from]) => from.startsWith(path.join(SRC, 'domain') + path.sep))
      .flatMap(([from, tos]) => tos.filter((to) => to.startsWith(path.join(SRC, 'scim') + path.sep) && !model.some((m) => to.startsWith(m))).map((to) => `${rel(from)} -> ${rel(to)}`));
    assert.deepEqual(reaching, []);
  });
});
