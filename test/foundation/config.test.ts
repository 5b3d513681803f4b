import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, describeConfig, loadClientConfig, loadWorkerConfig, nearestKey, targetName } from '../../src/config';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-config-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const goodYaml = `
temporal:
  address: temporal.example.com:7233
  namespace: hr
  taskQueue: hrsync-prod
reportDir: /var/lib/hrsync/reports
hr:
  baseUrl: https://hr.example.com
  apiToken: { env: TEST_HR_TOKEN }
  pageSize: 200
target:
  kind: genesys
  name: acme-prod
  region: eu-west-1
  clientId: abc
  clientSecret: { file: ${path.join(dir, 'secret.txt')} }
`;

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected the config to be rejected');
}

describe('config', () => {
  before(() => writeFileSync(path.join(dir, 'secret.txt'), 'file-secret-123\n'));

  it('loads a good YAML file with secrets from env and file', () => {
    const cfg = loadWorkerConfig({ file: file('good.yaml', goodYaml), env: { TEST_HR_TOKEN: 'hr-token-456' } });
    assert.equal(cfg.temporal.address, 'temporal.example.com:7233');
    assert.equal(cfg.temporal.taskQueue, 'hrsync-prod');
    assert.equal(cfg.hr.pageSize, 200);
    assert.equal(cfg.hr.apiToken?.reveal(), 'hr-token-456');
    assert.equal(cfg.target.kind, 'genesys');
    assert.equal(cfg.target.kind === 'genesys' && cfg.target.clientSecret.reveal(), 'file-secret-123');
  });

  it('loads JSON and applies defaults', () => {
    const f = file('good.json', JSON.stringify({ hr: { baseUrl: 'http://127.0.0.1:9000' }, target: { kind: 'scim2', baseUrl: 'http://127.0.0.1:9001/scim', bearerToken: 't0ken' } }));
    const cfg = loadWorkerConfig({ file: f, env: {} });
    assert.equal(cfg.temporal.address, '127.0.0.1:7233');
    assert.equal(cfg.temporal.namespace, 'default');
    assert.equal(cfg.reportDir, 'reports');
    assert.equal(cfg.hr.pageSize, 100);
  });

  it('lets the environment override the file, with the documented names', () => {
    const cfg = loadWorkerConfig({
      file: file('env.yaml', goodYaml),
      env: {
        TEST_HR_TOKEN: 'x',
        TEMPORAL_ADDRESS: 'localhost:7234',
        TEMPORAL_NAMESPACE: 'ns2',
        HRSYNC_TASK_QUEUE: 'q2',
        HRSYNC_REPORT_DIR: '/tmp/r',
        HR_BASE_URL: 'http://127.0.0.1:1234',
        GENESYS_API_URL: 'http://127.0.0.1:5000',
        GENESYS_LOGIN_URL: 'http://127.0.0.1:5001',
        GENESYS_CLIENT_SECRET: 'env-secret',
      },
    });
    assert.equal(cfg.temporal.address, 'localhost:7234');
    assert.equal(cfg.temporal.namespace, 'ns2');
    assert.equal(cfg.temporal.taskQueue, 'q2');
    assert.equal(cfg.reportDir, '/tmp/r');
    assert.equal(cfg.hr.baseUrl, 'http://127.0.0.1:1234');
    assert.ok(cfg.target.kind === 'genesys');
    assert.equal(cfg.target.apiUrl, 'http://127.0.0.1:5000');
    assert.equal(cfg.target.clientSecret.reveal(), 'env-secret');
  });

  it('builds a whole config from the environment alone, secrets from _FILE too', () => {
    const cfg = loadWorkerConfig({
      env: {
        HR_BASE_URL: 'http://127.0.0.1:1',
        SCIM_TARGET: 'scim2',
        SCIM_BASE_URL: 'http://127.0.0.1:2/scim/v2',
        SCIM_BEARER_TOKEN_FILE: path.join(dir, 'secret.txt'),
      },
    });
    assert.ok(cfg.target.kind === 'scim2');
    assert.equal(cfg.target.bearerToken?.reveal(), 'file-secret-123');
  });

  it('lets a client command name its target without the worker credentials, keeping none of them', () => {
    const cfg = loadClientConfig({ env: { HRSYNC_TARGET_NAME: 'acme', GENESYS_CLIENT_SECRET: 'gen-SECRET7', SCIM_RATE_LIMIT_PER_MINUTE: '120' } });
    assert.equal(cfg.target?.name, 'acme');
    assert.equal(cfg.target?.rateLimitPerMinute, 120);
    assert.doesNotMatch(JSON.stringify(cfg), /SECRET7/);
  });

  it('lets a client command run without HR or target settings', () => {
    const cfg = loadClientConfig({ env: { TEMPORAL_ADDRESS: 'h:1' } });
    assert.equal(cfg.temporal.address, 'h:1');
    assert.equal(cfg.target, undefined);
  });

  const bad: { name: string; text?: string; ext?: string; env?: Record<string, string>; expect: RegExp }[] = [
    { name: 'missing HR base URL', text: 'target: {kind: genesys, region: us-east-1, clientId: a, clientSecret: b}', expect: /hr: required/ },
    { name: 'missing client secret names the env var', text: 'hr: {baseUrl: "http://h"}\ntarget: {kind: genesys, region: us-east-1, clientId: a}', expect: /target\.clientSecret \(env GENESYS_CLIENT_SECRET\): required/ },
    { name: 'wrong type', text: 'hr: {baseUrl: "http://h", pageSize: lots}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t}', expect: /hr\.pageSize/ },
    { name: 'out of range', text: 'hr: {baseUrl: "http://h", pageSize: 5000}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t}', expect: /hr\.pageSize \(env HR_PAGE_SIZE\): Too big/ },
    { name: 'not a URL', text: 'hr: {baseUrl: "hr.example.com"}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t}', expect: /hr\.baseUrl \(env HR_BASE_URL\): expected an http\(s\) URL/ },
    { name: 'unknown key', text: 'hr: {baseUrl: "http://h", pagesize: 10}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t}', expect: /hr\.pagesize: unknown key/ },
    { name: 'unknown top-level key', text: 'hrr: {}\nhr: {baseUrl: "http://h"}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t}', expect: /hrr: unknown key/ },
    { name: 'unknown target kind', text: 'hr: {baseUrl: "http://h"}\ntarget: {kind: okta}', expect: /target\.kind/ },
    { name: 'an unknown Genesys region', text: 'hr: {baseUrl: "http://h"}\ntarget: {kind: genesys, region: mars-north-1, clientId: a, clientSecret: b}', expect: /target\.region \(env GENESYS_REGION\): unknown Genesys Cloud region or domain/ },
    { name: 'genesys without region or URLs', text: 'hr: {baseUrl: "http://h"}\ntarget: {kind: genesys, clientId: a, clientSecret: b}', expect: /target\.region \(env GENESYS_REGION\): set region, or both apiUrl and loginUrl/ },
    { name: 'scim2 without credentials', text: 'hr: {baseUrl: "http://h"}\ntarget: {kind: scim2, baseUrl: "http://s"}', expect: /target\.bearerToken \(env SCIM_BEARER_TOKEN\)/ },
    { name: 'bad temporal address', text: 'temporal: {address: "http://x"}\nhr: {baseUrl: "http://h"}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t}', expect: /temporal\.address \(env TEMPORAL_ADDRESS\): expected host:port/ },
    { name: 'half a TLS key pair', text: 'temporal: {tls: {clientCertPath: /a.pem}}\nhr: {baseUrl: "http://h"}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t}', expect: /temporal\.tls\.clientKeyPath/ },
    { name: 'secret env not set', text: 'hr: {baseUrl: "http://h", apiToken: {env: NOPE_NOT_SET}}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t}', expect: /hr\.apiToken \(env HR_API_TOKEN\): environment variable NOPE_NOT_SET is not set/ },
    { name: 'secret file missing', text: 'hr: {baseUrl: "http://h", apiToken: {file: /nonexistent/tok}}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t}', expect: /hr\.apiToken \(env HR_API_TOKEN\): cannot read secret file \/nonexistent\/tok: ENOENT/ },
    { name: 'invalid YAML', text: 'hr: [unclosed', expect: /is not valid YAML/ },
    { name: 'invalid JSON', text: '{"hr": ', ext: '.json', expect: /is not valid JSON/ },
    { name: 'a list at the top level', text: '- a\n- b', expect: /top level must be a mapping/ },
    { name: 'bad env value', env: { HR_BASE_URL: 'nope', SCIM_TARGET: 'scim2', SCIM_BASE_URL: 'http://s', SCIM_BEARER_TOKEN: 't' }, expect: /hr\.baseUrl \(env HR_BASE_URL\)/ },
  ];
  for (const c of bad) {
    it(`rejects ${c.name}, naming the key`, () => {
      const f = c.text === undefined ? undefined : file(`bad-${c.name.replace(/\W+/g, '-')}${c.ext ?? '.yaml'}`, c.text);
      assert.match(problems(() => loadWorkerConfig({ file: f, env: c.env ?? {} })), c.expect);
    });
  }

  it('quotes the value given, and suggests the key a typo meant', () => {
    const f = file('typos.yaml', 'hr: {baseUrl: "http://h", pageSize: fifty, timeoutms: 5}\ntarget: {kind: scim2, baseUrl: "http://s", bearerToken: t, rateLimitPerMinut: 1}\nsnyc: {}\n');
    const message = problems(() => loadWorkerConfig({ file: f, env: {} }));
    assert.match(message, /hr\.pageSize \(env HR_PAGE_SIZE\): expected a number, got "fifty"/);
    assert.match(message, /hr\.timeoutms: unknown key \(did you mean hr\.timeoutMs\?\)/);
    assert.match(message, /target\.rateLimitPerMinut: unknown key \(did you mean target\.rateLimitPerMinute\?\)/);
    assert.match(message, /snyc: unknown key \(did you mean sync\?\)/);
    assert.doesNotMatch(message, /received NaN/);
    assert.match(problems(() => loadWorkerConfig({ file: f, env: {} })), /hr\.timeoutms/);
    const far = file('far.yaml', 'colour: blue\n');
    assert.match(problems(() => loadClientConfig({ file: far, env: {} })), /colour: unknown key$/m, 'no suggestion when nothing is near');
  });

  it('never quotes a secret back, even a wrong one', () => {
    const f = file('secret-typo.yaml', 'temporal: {apiKey: 42}\n');
    assert.doesNotMatch(problems(() => loadClientConfig({ file: f, env: {} })), /42/);
    const url = problems(() => loadWorkerConfig({ env: { HR_BASE_URL: 'ftp://user:pa55word@hr.example', GENESYS_REGION: 'us-east-1', GENESYS_CLIENT_ID: 'a', GENESYS_CLIENT_SECRET: 'b' } }));
    assert.match(url, /hr\.baseUrl \(env HR_BASE_URL\): expected an http\(s\) URL$/m);
    assert.doesNotMatch(url, /pa55word/);
    assert.match(problems(() => loadWorkerConfig({ env: { HR_BASE_URL: 'hr.example.com' } })), /expected an http\(s\) URL \(got "hr\.example\.com"\)/);
  });

  it('checks the sections only the worker reads on the client too, without resolving any secret', () => {
    const typo = file('client-typo.yaml', 'hr: {baseUrl: "http://h", pagesize: 10}\ntarget: {kind: genesys, name: acme, clientSecret: {env: NOT_SET_HERE}, regoin: x}\n');
    const message = problems(() => loadClientConfig({ file: typo, env: {} }));
    assert.match(message, /hr\.pagesize: unknown key \(did you mean hr\.pageSize\?\)/);
    assert.match(message, /target\.regoin: unknown key \(did you mean target\.region\?\)/);
    assert.doesNotMatch(message, /NOT_SET_HERE/, 'the CLI does not resolve the worker\'s secrets');
    const fine = file('client-ok.yaml', 'hr: {baseUrl: "http://h", apiToken: {env: NOT_SET_HERE}}\ntarget: {kind: genesys, name: acme, clientSecret: {file: /nowhere}}\n');
    assert.deepEqual(loadClientConfig({ file: fine, env: {} }).target, { kind: 'genesys', name: 'acme' });
  });

  it('names the target by one rule for the CLI and the worker: target.name, else the kind', () => {
    const worker = { HR_BASE_URL: 'http://h', GENESYS_REGION: 'us-east-1', GENESYS_CLIENT_ID: 'a', GENESYS_CLIENT_SECRET: 'b' };
    assert.equal(targetName(loadWorkerConfig({ env: worker })), 'genesys');
    assert.equal(targetName(loadClientConfig({ env: worker })), 'genesys');
    assert.equal(targetName(loadClientConfig({ env: {} })), 'genesys');
    assert.equal(targetName(loadWorkerConfig({ env: { ...worker, HRSYNC_TARGET_NAME: 'acme' } })), 'acme');
    assert.equal(targetName(loadClientConfig({ env: { ...worker, HRSYNC_TARGET_NAME: 'acme' } })), 'acme');
    assert.equal(nearestKey('pagesize', ['baseUrl', 'pageSize']), 'pageSize');
    assert.equal(nearestKey('xyz', ['baseUrl', 'pageSize']), undefined);
  });

  it('rejects a config file that does not exist', () => {
    assert.match(problems(() => loadClientConfig({ file: '/nonexistent/hrsync.yaml', env: {} })), /HRSYNC_CONFIG: cannot read \/nonexistent\/hrsync.yaml \(ENOENT\)/);
  });

  it('redacts every secret in every printout', () => {
    const cfg = loadWorkerConfig({
      env: {
        TEMPORAL_API_KEY: 'tmprl-key-SECRET1',
        HR_BASE_URL: 'http://127.0.0.1:1',
        HR_API_TOKEN: 'hr-SECRET2',
        GENESYS_REGION: 'us-east-1',
        GENESYS_CLIENT_ID: 'id',
        GENESYS_CLIENT_SECRET: 'gen-SECRET3',
      },
    });
    const printouts = [describeConfig(cfg), JSON.stringify(cfg), inspect(cfg, { depth: 10 }), `${cfg.hr.apiToken}`, String(cfg.temporal.apiKey)];
    for (const text of printouts) assert.doesNotMatch(text, /SECRET\d/);
    assert.match(describeConfig(cfg), /\[redacted\]/);
  });

  it('never echoes a secret in a validation error', () => {
    const msg = problems(() => loadWorkerConfig({ env: { HR_BASE_URL: 'http://h', HR_API_TOKEN: 'tok-SECRET9', GENESYS_CLIENT_SECRET: 'gen-SECRET8' } }));
    assert.doesNotMatch(msg, /SECRET\d/);
    assert.match(msg, /target\.clientId \(env GENESYS_CLIENT_ID\): required/);
  });
});

describe('config: payload encryption (temporal.encryption)', () => {
  const keyOf = (bytes: number, fill: number) => Buffer.alloc(bytes, fill).toString('base64');
  const good = keyOf(32, 0x5a);
  const old = keyOf(32, 0x3c);

  it('is off unless a key is configured', () => {
    assert.equal(loadClientConfig({ env: {} }).temporal.encryption, undefined);
  });

  it('takes the active key from HRSYNC_ENCRYPTION_KEY_ID and HRSYNC_ENCRYPTION_KEY (or _FILE), redacted everywhere', () => {
    const cfg = loadClientConfig({ env: { HRSYNC_ENCRYPTION_KEY_ID: '2026-q1', HRSYNC_ENCRYPTION_KEY: good } });
    assert.equal(cfg.temporal.encryption?.keyId, '2026-q1');
    assert.equal(cfg.temporal.encryption?.key.reveal(), good);
    assert.deepEqual(cfg.temporal.encryption?.previousKeys, []);
    for (const text of [describeConfig(cfg), JSON.stringify(cfg), inspect(cfg, { depth: 10 })]) assert.equal(text.includes(good), false);

    const keyFile = file('payload.key', `${good}\n`);
    const fromFile = loadClientConfig({ env: { HRSYNC_ENCRYPTION_KEY_ID: '2026-q1', HRSYNC_ENCRYPTION_KEY_FILE: keyFile } });
    assert.equal(fromFile.temporal.encryption?.key.reveal(), good);
  });

  it('reads older keys for decryption from the file, as secrets', () => {
    const f = file('rotation.yaml', `temporal:\n  encryption:\n    keyId: k2\n    previousKeys:\n      - { id: k1, key: { env: OLD_PAYLOAD_KEY } }\n`);
    const cfg = loadClientConfig({ file: f, env: { HRSYNC_ENCRYPTION_KEY: good, OLD_PAYLOAD_KEY: old } });
    assert.equal(cfg.temporal.encryption?.keyId, 'k2');
    assert.deepEqual(cfg.temporal.encryption?.previousKeys.map((k) => [k.id, k.key.reveal()]), [['k1', old]]);
  });

  const bad: { name: string; env: Record<string, string>; text?: string; expect: RegExp; secret?: string }[] = [
    {
      name: 'a key of the wrong length',
      env: { HRSYNC_ENCRYPTION_KEY_ID: 'k1', HRSYNC_ENCRYPTION_KEY: keyOf(16, 0x77) },
      expect: /temporal\.encryption\.key \(env HRSYNC_ENCRYPTION_KEY\): encryption key "k1" must be 32 bytes \(AES-256\) but decodes to 16/,
      secret: keyOf(16, 0x77),
    },
    {
      name: 'a key that is not base64',
      env: { HRSYNC_ENCRYPTION_KEY_ID: 'k1', HRSYNC_ENCRYPTION_KEY: 'correct-horse-battery-staple!' },
      expect: /temporal\.encryption\.key \(env HRSYNC_ENCRYPTION_KEY\): encryption key "k1" is not base64/,
      secret: 'correct-horse-battery-staple!',
    },
    {
      name: 'an older key of the wrong length',
      env: { HRSYNC_ENCRYPTION_KEY: good, SHORT_KEY: keyOf(24, 0x11) },
      text: 'temporal:\n  encryption:\n    keyId: k2\n    previousKeys: [{ id: k1, key: { env: SHORT_KEY } }]\n',
      expect: /temporal\.encryption\.previousKeys\.0\.key: encryption key "k1" must be 32 bytes \(AES-256\) but decodes to 24/,
      secret: keyOf(24, 0x11),
    },
    { name: 'a key without an id', env: { HRSYNC_ENCRYPTION_KEY: good }, expect: /temporal\.encryption\.keyId \(env HRSYNC_ENCRYPTION_KEY_ID\): required/, secret: good },
    { name: 'an id without a key', env: { HRSYNC_ENCRYPTION_KEY_ID: 'k1' }, expect: /temporal\.encryption\.key \(env HRSYNC_ENCRYPTION_KEY\): required/ },
    { name: 'a key id with spaces', env: { HRSYNC_ENCRYPTION_KEY_ID: 'my key', HRSYNC_ENCRYPTION_KEY: good }, expect: /temporal\.encryption\.keyId \(env HRSYNC_ENCRYPTION_KEY_ID\): use 1-64 letters/, secret: good },
    {
      name: 'the same id twice',
      env: { HRSYNC_ENCRYPTION_KEY: good },
      text: `temporal:\n  encryption:\n    keyId: k1\n    previousKeys: [{ id: k1, key: "${old}" }]\n`,
      expect: /temporal\.encryption\.previousKeys\.0\.id: key id "k1" is used twice/,
      secret: old,
    },
  ];
  for (const c of bad) {
    it(`rejects ${c.name}, naming the key and never showing it`, () => {
      const f = c.text === undefined ? undefined : file(`enc-${c.name.replace(/\W+/g, '-')}.yaml`, c.text);
      const message = problems(() => loadClientConfig({ file: f, env: c.env }));
      assert.match(message, c.expect);
      if (c.secret) assert.equal(message.includes(c.secret), false, 'the key is in the error');
    });
  }
});
