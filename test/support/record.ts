/**
 * What the records of the independent servers (test/independent) share: raw HTTP beside hrsync's own client,
 * for what the client hides (status codes, headers, discovery documents); a refusal caught; numbered users.
 */
import { strict as assert } from 'node:assert';
import fetch from 'node-fetch';
import type { ScimClient, ScimError } from '../../src/scim';
import type { NewUser } from '../../src/scim/model/resources/user';
import type { IndependentScim } from './independent-scim';

export const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

/** `server` is read at each call: the record's before() starts it. */
export function rawHttp(server: () => IndependentScim) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const { baseUrl, bearerToken } = server();
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${bearerToken}`, 'Content-Type': 'application/scim+json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), body: (text ? JSON.parse(text) : undefined) as Loose };
  };
}

export async function rejection(p: Promise<unknown>): Promise<ScimError> {
  try {
    await p;
  } catch (e) {
    return e as ScimError;
  }
  assert.fail('expected the server to refuse');
}

/** Users numbered from 1, each unique on every key, created through hrsync's client. */
export function numberedUsers(client: () => ScimClient) {
  let n = 0;
  const newUser = (extra: Partial<NewUser> & Record<string, unknown> = {}): NewUser => {
    n += 1;
    return {
      schemas: [CORE, ENT],
      userName: `user${n}@corp.example`,
      displayName: `User ${n}`,
      externalId: `hr-${n}`,
      active: true,
      title: 'Agent',
      emails: [{ type: 'work', value: `user${n}@corp.example`, primary: true }],
      phoneNumbers: [{ type: 'work', value: `+1317555${String(1000 + n)}` }],
      [ENT]: { employeeNumber: `E${n}`, department: 'Ops', division: 'Home' },
      ...extra,
    } as NewUser;
  };
  const create = async (extra: Partial<NewUser> & Record<string, unknown> = {}) => (await client().createUser(newUser(extra))).user;
  return { newUser, create };
}
