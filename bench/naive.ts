/**
 * The naive baseline: what the tutorial's script does, against the same simulators. Sequentially, for
 * every employee HR sends: create the user if the id map doesn't know them, else one PATCH that replaces
 * every mapped attribute whatever the target holds; a group PATCH adding them to their department's
 * group; then one GET per employee for the report. The id map (HR id -> user id) is built the way a
 * script would, by listing the target once. No diff, no retry: it is the cost to beat, not a sync.
 */
import { defaultMappingConfig } from '../src/domain/mapping/config';
import { mapEmployee } from '../src/domain/mapping/map';
import { EmployeeSchema, type RawEmployee } from '../src/hr/employee';
import type { SimEndpoints } from '../sim';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface NaiveResult {
  seconds: number;
  /** Requests the script sent (the simulator counts them too). */
  calls: number;
  failed: number;
}

/** Reads HR (updated after `since`, all of it without) and pushes every record as described above. */
export async function naiveSync(endpoints: SimEndpoints, opts: { since?: string; today: string }): Promise<NaiveResult> {
  const started = Date.now();
  let calls = 0;
  let failed = 0;
  const { scim } = endpoints;
  const call = async (method: string, url: string, token: string | null, body?: unknown): Promise<Response> => {
    calls++;
    const res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/scim+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) failed++;
    return res;
  };
  const tokenRes = await fetch(`${scim.loginUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: scim.clientId, client_secret: scim.clientSecret }),
  });
  calls++;
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;

  const employees: RawEmployee[] = [];
  for (let cursor: string | null = null; ; ) {
    const q = new URLSearchParams({ page_size: '100', ...(opts.since ? { updated_after: opts.since } : {}), ...(cursor ? { cursor } : {}) });
    const page = (await (await fetch(`${endpoints.hr.baseUrl}/api/v1/employees?${q}`)).json()) as { data: RawEmployee[]; next_cursor: string | null };
    employees.push(...page.data);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }

  const idOf = new Map<string, string>();
  for (let start = 1; ; start += 100) {
    const page = (await (await call('GET', `${scim.baseUrl}/Users?startIndex=${start}&count=100`, token)).json()) as {
      Resources?: { id: string; externalId?: string }[];
      totalResults: number;
    };
    for (const u of page.Resources ?? []) if (u.externalId) idOf.set(u.externalId, u.id);
    if (start + 100 > page.totalResults || !page.Resources?.length) break;
  }
  const groupIdOf = new Map<string, string>();
  const groups = (await (await call('GET', `${scim.baseUrl}/Groups?count=100`, token)).json()) as { Resources?: { id: string; displayName: string }[] };
  for (const g of groups.Resources ?? []) groupIdOf.set(g.displayName, g.id);

  const mapping = defaultMappingConfig();
  const pushed: string[] = [];
  for (const raw of employees) {
    const parsed = EmployeeSchema.safeParse(raw);
    if (!parsed.success) continue;
    const { desired: d } = mapEmployee(parsed.data, mapping, { profile: 'genesys', today: opts.today });
    if (d.lifecycle === 'pending-hire') continue;
    const manager = d.managerHrId ? idOf.get(d.managerHrId) : undefined;
    const attributes = {
      userName: d.userName,
      displayName: d.displayName,
      active: d.active,
      title: d.title ?? undefined,
      emails: [{ type: 'work', value: d.workEmail, primary: true }],
      ...(d.workPhone ? { phoneNumbers: [{ type: 'work', value: d.workPhone }] } : {}),
      [ENT]: { department: d.department ?? undefined, employeeNumber: d.employeeNumber, ...(manager ? { manager: { value: manager } } : {}) },
    };
    let id = idOf.get(d.hrId);
    if (id === undefined) {
      if (!d.active) continue;
      const res = await call('POST', `${scim.baseUrl}/Users`, token, { schemas: [CORE, ENT], externalId: d.externalId, ...attributes });
      if (!res.ok) continue;
      id = ((await res.json()) as { id: string }).id;
      idOf.set(d.hrId, id);
    } else {
      await call('PATCH', `${scim.baseUrl}/Users/${id}`, token, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', value: attributes }],
      });
    }
    for (const name of d.groups ?? []) {
      const groupId = groupIdOf.get(name);
      if (!groupId) continue;
      await call('PATCH', `${scim.baseUrl}/Groups/${groupId}`, token, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
      });
    }
    pushed.push(id);
  }
  for (const id of pushed) await call('GET', `${scim.baseUrl}/Users/${id}`, token);
  return { seconds: (Date.now() - started) / 1000, calls, failed };
}
