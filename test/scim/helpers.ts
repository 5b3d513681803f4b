import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startScimSimulator } from '../../sim/scim';
import { createScimClient, type ScimClient, type ScimClientOptions } from '../../src/scim';

export type Sim = Awaited<ReturnType<typeof startScimSimulator>>;
export type SimOptions = Parameters<typeof startScimSimulator>[0];
type Overrides = Partial<Omit<ScimClientOptions, 'profile' | 'kind'>> & Record<string, unknown>;

/** A client for the simulator in its own mode: Genesys over OAuth, scim2 over the static bearer token. */
export function clientFor(sim: Sim, overrides: Overrides = {}): ScimClient {
  if (sim.mode === 'scim2') {
    return createScimClient({
      profile: 'scim2',
      baseUrl: sim.scimBaseUrl,
      bearerToken: sim.bearerToken,
      rateLimitPerMinute: null,
      ...overrides,
    } as ScimClientOptions);
  }
  return createScimClient({
    profile: 'genesys',
    apiUrl: sim.apiUrl,
    loginUrl: sim.loginUrl,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    rateLimitPerMinute: null,
    ...overrides,
  } as ScimClientOptions);
}

/** scim2 over OAuth client credentials against the simulator's token endpoint. */
export function oauthScim2ClientFor(sim: Sim, overrides: Overrides = {}): ScimClient {
  return createScimClient({
    profile: 'scim2',
    baseUrl: sim.scimBaseUrl,
    tokenUrl: `${sim.loginUrl}/oauth/token`,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    rateLimitPerMinute: null,
    ...overrides,
  } as ScimClientOptions);
}

export async function startSim(opts: SimOptions = {}): Promise<Sim> {
  return startScimSimulator({ rateLimitPerMinute: null, ...opts });
}

export interface StubRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface StubAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Stub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

/**
 * A tiny local HTTP server for answers the simulator will not give (a 409 version conflict, a malformed
 * ListResponse). It serves /oauth/token itself; every other request goes to `answer`.
 */
export async function startStub(answer: (req: StubRequest) => StubAnswer, token = 'stub-access-token-123456'): Promise<Stub> {
  const requests: StubRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: StubRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const a: StubAnswer =
        r.url === '/oauth/token' ? { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 86400 } } : answer(r);
      if (r.url !== '/oauth/token') requests.push(r);
      const text = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      res.writeHead(a.status, { 'content-type': 'application/scim+json', ...(a.headers ?? {}) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resolves with the rejection of `p`; fails if it resolves. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

let seq = 0;
export function uniqueUserName(prefix = 'user'): string {
  seq += 1;
  return `${prefix}.${process.pid}.${seq}@corp.example`;
}

/** A Genesys-profile client pointed at a stub (API and login on the same origin). */
export function clientForStub(stub: Stub, overrides: Overrides = {}): ScimClient {
  return createScimClient({
    profile: 'genesys',
    apiUrl: stub.url,
    loginUrl: stub.url,
    clientId: 'stub-client',
    clientSecret: 'stub-secret-value',
    rateLimitPerMinute: null,
    ...overrides,
  } as ScimClientOptions);
}
