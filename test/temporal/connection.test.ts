import assert from 'node:assert/strict';
import { loadClientConfig, loadWorkerConfig } from '../../src/config';
import { withClient } from '../../src/runs/client';
import { insecureApiKeyWarning } from '../../src/temporal/connection';
import { runWorker } from '../../src/worker';

const base = { HR_BASE_URL: 'http://127.0.0.1:9', SCIM_TARGET: 'scim2', SCIM_BASE_URL: 'http://127.0.0.1:9/scim', SCIM_BEARER_TOKEN: 't' };
const KEY = 'tcld-api-key-0123456789';

describe('temporal connection: an API key without TLS', () => {
  it('warns when the key would travel in clear, and only then', () => {
    const clear = loadWorkerConfig({ env: { ...base, TEMPORAL_API_KEY: KEY, TEMPORAL_TLS: 'false' } });
    assert.match(insecureApiKeyWarning(clear.temporal) ?? '', /temporal\.apiKey is sent to 127\.0\.0\.1:7233 without TLS/);
    assert.equal(insecureApiKeyWarning(loadWorkerConfig({ env: { ...base, TEMPORAL_API_KEY: KEY } }).temporal), undefined, 'a key turns TLS on');
    assert.equal(insecureApiKeyWarning(loadWorkerConfig({ env: { ...base, TEMPORAL_TLS: 'false' } }).temporal), undefined, 'no key, nothing to leak');
    assert.doesNotMatch(insecureApiKeyWarning(clear.temporal) ?? '', new RegExp(KEY.slice(0, 8)), 'the warning never shows the key');
  });

  const env = { ...base, TEMPORAL_API_KEY: KEY, TEMPORAL_TLS: 'false', TEMPORAL_ADDRESS: '127.0.0.1:9' }; // nothing listens on port 9

  /** What `connecting` writes to stderr; it must fail, since nothing listens. */
  async function stderrOf(connecting: () => Promise<unknown>): Promise<string[]> {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      await assert.rejects(connecting());
    } finally {
      process.stderr.write = write;
    }
    return written.map((l) => l.trim());
  }

  it('is said by the worker at start-up, before it connects', async () => {
    const written = await stderrOf(() => runWorker(loadWorkerConfig({ env })));
    const warning = written.find((l) => /without TLS/.test(l));
    assert.ok(warning, written.join(''));
    assert.match(warning, /"level":"warn"|WARN/i);
  });

  it('is said by every CLI command that connects, on stderr, without the key', async () => {
    const written = await stderrOf(() => withClient(loadClientConfig({ env }), async () => undefined));
    const warning = written.find((l) => /without TLS/.test(l));
    assert.ok(warning, written.join(''));
    assert.match(warning, /^warning: temporal\.apiKey is sent to 127\.0\.0\.1:9 without TLS/);
    assert.ok(!written.join('').includes(KEY.slice(0, 8)));
  });
});
