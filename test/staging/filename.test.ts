import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileNameOf, inside } from '../../src/staging/filename';
import { RunStore } from '../../src/staging/runstore';

describe('file names from ids', () => {
  it('keeps a short safe id as it is, so reports keep their readable names', () => {
    assert.equal(fileNameOf('hrsync-acme-full-20261126T180000Z'), 'hrsync-acme-full-20261126T180000Z');
    assert.equal(fileNameOf('E1001'), 'E1001');
  });

  it('gives ids that sanitising would merge names of their own', () => {
    const ids = ['a/b', 'a_b', 'a b', 'a\\b', 'a:b', 'a_b~', '..', '.', 'é', 'e'];
    const names = ids.map(fileNameOf);
    assert.equal(new Set(names).size, ids.length, JSON.stringify(names));
  });

  it('bounds the length whatever the id', () => {
    for (const id of ['x'.repeat(121), 'x'.repeat(10_000), '/'.repeat(5000), '\u{1F600}'.repeat(300)]) {
      const name = fileNameOf(id);
      assert.ok(Buffer.byteLength(`${name}.summary.json`) < 255, `${name.length}`);
      assert.match(name, /^[A-Za-z0-9_.~-]+$/);
    }
    assert.notEqual(fileNameOf('x'.repeat(121)), fileNameOf('x'.repeat(122)));
  });

  it('never lets a run folder resolve outside the report folder, whatever the workflow id', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hrsync-names-'));
    const store = new RunStore(root);
    for (const id of ['../../etc', '..', '/etc/passwd', 'a/../../b', '.', '\u0000', 'C:\\Windows']) {
      const dir = store.runDir(id);
      const rel = path.relative(path.join(root, '.runs'), dir);
      assert.ok(rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.includes(path.sep), `${id} -> ${dir}`);
    }
    assert.throws(() => inside(root, '../x'), /outside/);
    assert.throws(() => inside(root, '.'), /outside/);
  });
});
