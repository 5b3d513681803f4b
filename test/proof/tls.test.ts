import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Client, Connection } from '@temporalio/client';
import { startSimulators, type Simulators } from '../../sim';
import type { SyncSummary } from '../../src/workflows/contracts';
import { Spawned } from '../support/spawned';
import { testEnv } from '../support/temporal';
import { spawnWorker, workerEnv } from '../support/workers';
import { convergenceProblems } from '../sync/support';

const SERVER_NAME = 'temporal.hrsync.test';

/** A CA and a server certificate for SERVER_NAME signed by it, made with openssl for this run only. */
function makeCertificates(): { dir: string; ca: string; cert: string; key: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hrsync-tls-'));
  const at = (f: string) => path.join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '1', '-subj', '/CN=hrsync test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', `/CN=${SERVER_NAME}`);
  writeFileSync(at('server.ext'), `subjectAltName=DNS:${SERVER_NAME}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '1', '-out', at('server.pem'), '-extfile', at('server.ext'));
  return { dir, ca: at('ca.pem'), cert: at('server.pem'), key: at('server.key') };
}

/** TLS in front of the dev server's plaintext gRPC: terminates TLS (ALPN h2) and relays the bytes. */
async function startTlsProxy(upstream: string, certs: { cert: string; key: string }) {
  const [host, port] = upstream.split(':');
  let handshakes = 0;
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: readFileSync(certs.cert), key: readFileSync(certs.key), ALPNProtocols: ['h2'] }, (client) => {
    handshakes++;
    const up = net.connect(Number(port), host);
    for (const s of [client, up]) {
      sockets.add(s);
      s.on('error', () => (client.destroy(), up.destroy()));
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(up).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    handshakes: () => handshakes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

describe('proof: Temporal over TLS', function () {
  this.timeout(180_000);
  let certs: ReturnType<typeof makeCertificates>;
  let proxy: Awaited<ReturnType<typeof startTlsProxy>>;
  let sims: Simulators;
  const spawned: Spawned[] = [];
  before(async () => {
    certs = makeCertificates();
    proxy = await startTlsProxy((await testEnv()).address, certs);
    sims = await startSimulators({ scim: { rateLimitPerMinute: null }, hr: { employees: 30, seed: 91 } });
  });
  after(async () => {
    for (const s of spawned) await s.stop();
    await proxy?.close();
    await sims?.close();
  });

  it('a worker trusts the CA made for the test, and a run started over TLS completes on it', async () => {
    const env = workerEnv(sims, proxy, `tls${process.pid}`, { TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME });
    spawned.push(await spawnWorker(env));
    const connection = await Connection.connect({
      address: proxy.address,
      tls: { serverRootCACertificate: readFileSync(certs.ca), serverNameOverride: SERVER_NAME },
    });
    try {
      const summary = (await new Client({ connection }).workflow.execute('syncWorkflow', {
        taskQueue: env.HRSYNC_TASK_QUEUE,
        workflowId: `tls-${process.pid}`,
        args: [{ mode: 'full' }],
      })) as SyncSummary;
      assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary));
      assert.deepEqual(convergenceProblems(sims.hr.employees(), sims), []);
    } finally {
      await connection.close();
    }
    assert.ok(proxy.handshakes() >= 2, `the worker and the client came through TLS (${proxy.handshakes()} handshakes)`);
  });

  const refusals: [string, (ca: string) => Record<string, string>, RegExp][] = [
    ['a server name the certificate does not carry', (ca) => ({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca, TEMPORAL_TLS_SERVER_NAME: 'elsewhere.hrsync.test' }), /NotValidForName/],
    ['a certificate from a CA it was not given', () => ({ TEMPORAL_TLS: 'true', TEMPORAL_TLS_SERVER_NAME: SERVER_NAME }), /UnknownIssuer/],
  ];
  for (const [what, tlsEnv, expected] of refusals) {
    it(`a worker refuses ${what}`, async () => {
      const worker = new Spawned(['worker'], workerEnv(sims, proxy, `tls-refused${process.pid}`, tlsEnv(certs.ca)));
      spawned.push(worker);
      const code = await worker.exited;
      assert.notEqual(code, 0, worker.lines.join('\n'));
      assert.equal(worker.lines.some((l) => /hrsync worker polling/.test(l)), false, 'it never polled');
      assert.match(worker.lines.join('\n'), expected);
    });
  }
});
