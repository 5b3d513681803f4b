import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE_FILES, prebuiltBundle } from '../../src/temporal/bundle';

describe('prebuiltBundle: the workflow bundle the build made, only while it is the build\'s', () => {
  const at = (file: string, seconds: number, text = '') => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    utimesSync(file, seconds, seconds);
  };

  it('is the bundle newer than every compiled file, plain or with the encoding converter', () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), 'hrsync-bundle-'));
    at(path.join(dist, 'worker.js'), 1000);
    at(path.join(dist, 'workflows', 'sync.js'), 1000);
    assert.equal(prebuiltBundle(dist, false), undefined, 'no bundle: running from source, or tsc alone');
    at(path.join(dist, BUNDLE_FILES.plain), 2000);
    assert.equal(prebuiltBundle(dist, false), path.join(dist, BUNDLE_FILES.plain));
    assert.equal(prebuiltBundle(dist, true), undefined, 'the encrypted run needs the bundle with the converter');
    at(path.join(dist, BUNDLE_FILES.encrypted), 2000);
    assert.equal(prebuiltBundle(dist, true), path.join(dist, BUNDLE_FILES.encrypted));
  });

  it('is none once a compiled file is newer: the bundle would run other workflow code', () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), 'hrsync-bundle-'));
    at(path.join(dist, BUNDLE_FILES.plain), 2000);
    at(path.join(dist, 'workflows', 'sync.js'), 3000);
    assert.equal(prebuiltBundle(dist, false), undefined);
    at(path.join(dist, 'workflows', 'sync.js.map'), 4000);
    at(path.join(dist, 'workflows', 'sync.js'), 1000);
    assert.equal(prebuiltBundle(dist, false), path.join(dist, BUNDLE_FILES.plain), 'source maps are not code');
  });
});
