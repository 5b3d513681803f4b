import assert from 'node:assert/strict';
import { buildProgram } from '../../src/client';
import { runCli } from '../support/cli';

describe('hrsync CLI', () => {
  it('prints usage for hrsync --help', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: hrsync/);
  });

  const names = buildProgram().commands.map((c) => c.name());
  it('has the foundation commands', () => {
    for (const required of ['dev-server', 'worker', 'sync']) assert.ok(names.includes(required), `missing ${required}`);
  });

  for (const name of names) {
    it(`prints usage for hrsync ${name} --help`, async () => {
      const r = await runCli([name, '--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`Usage: hrsync ${name}`));
    });
  }

  it('fails before connecting when the config is bad, naming the key', async () => {
    // Nothing listens on port 1: if the worker tried to connect first, the error would be a connection error.
    const r = await runCli(['worker'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      HR_BASE_URL: 'not a url',
      GENESYS_REGION: 'us-east-1',
      GENESYS_CLIENT_SECRET: 'top-SECRET-value',
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /hr\.baseUrl \(env HR_BASE_URL\): expected an http\(s\) URL/);
    assert.match(r.stderr, /target\.clientId \(env GENESYS_CLIENT_ID\): required/);
    assert.doesNotMatch(r.stderr + r.stdout, /top-SECRET-value/);
  });

  it('rejects an unknown option with usage', async () => {
    const r = await runCli(['sync', '--no-such-flag']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown option/);
  });
});
