import fetch, { RequestInit, Response } from 'node-fetch';
import { ScimSimOptions, ScimSimulator, startScimSimulator } from '../../../sim/scim';

/** Response bodies as tests read them: shape-checked by assertions, not by types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GEN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';

/** A running simulator with a raw-HTTP client that holds one access token. */
export class Harness {
  token = '';
  private constructor(readonly sim: ScimSimulator) {}

  static async start(opts: ScimSimOptions = {}): Promise<Harness> {
    const h = new Harness(await startScimSimulator(opts));
    h.token = await h.issueToken();
    return h;
  }

  async issueToken(secret = this.sim.clientSecret): Promise<string> {
    const res = await this.tokenRequest(secret);
    if (res.status !== 200) throw new Error(`token: ${res.status}`);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  tokenRequest(secret = this.sim.clientSecret, body = 'grant_type=client_credentials'): Promise<Response> {
    return fetch(`${this.sim.loginUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${this.sim.clientId}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body,
    });
  }

  /** A request to `${scimBase}${path}` with the held token (or the one given). */
  req(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = this.token): Promise<Response> {
    const init: RequestInit = {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json', ...headers },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(`${this.sim.scimBaseUrl}${path}`, init);
  }

  async json<T = Record<string, Loose>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; res: Response }> {
    const res = await this.req(method, path, body, headers);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, res };
  }

  async createUser(attrs: Record<string, unknown>): Promise<Record<string, Loose>> {
    const r = await this.json('POST', '/users', attrs);
    if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  admin(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.sim.apiUrl}/__sim/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  close(): Promise<void> {
    return this.sim.close();
  }
}

export function patch(...Operations: Array<Record<string, unknown>>) {
  return { schemas: [PATCH_OP], Operations };
}

export const filterQuery = (f: string, extra = '') => `/users?filter=${encodeURIComponent(f)}${extra}`;
