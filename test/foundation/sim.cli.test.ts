import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import fetch from 'node-fetch';
import { BIN } from '../support/cli';

describe('hrsync sim', function () {
  this.timeout(60_000);
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  });

  for (const mode of ['genesys', 'scim2'] as const) {
    it(`prints exactly one JSON line with the endpoints, serves them (${mode}), and stops on SIGINT`, async () => {
      const child = spawn(process.execPath, [BIN, 'sim', '--employees', '20', '--seed', '3', '--rate-limit', 'off', '--mode', mode], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HRSYNC_FROM_SOURCE: '1' },
      });
      children.push(child);
      const lines: string[] = [];
      const firstLine = new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.on('line', (l) => {
          lines.push(l);
          if (lines.length === 1) resolve(l);
        });
        child.once('exit', (code) => reject(new Error(`hrsync sim exited with ${code}`)));
      });
      const endpoints = JSON.parse(await firstLine) as {
        scim: { apiUrl: string; loginUrl: string; clientId: string; clientSecret: string; bearerToken?: string; baseUrl: string };
        hr: { baseUrl: string };
      };
      for (const key of ['apiUrl', 'loginUrl', 'clientId', 'clientSecret'] as const) assert.equal(typeof endpoints.scim[key], 'string', key);

      const page = (await (await fetch(`${endpoints.hr.baseUrl}/api/v1/employees?page_size=50`)).json()) as { data: unknown[] };
      assert.equal(page.data.length, 20);

      let auth: string;
      if (mode === 'genesys') {
        const basic = Buffer.from(`${endpoints.scim.clientId}:${endpoints.scim.clientSecret}`).toString('base64');
        const token = await fetch(`${endpoints.scim.loginUrl}/oauth/token`, {
          method: 'POST',
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        });
        assert.equal(token.status, 200);
        auth = `Bearer ${((await token.json()) as { access_token: string }).access_token}`;
      } else {
        auth = `Bearer ${endpoints.scim.bearerToken}`;
      }
      const users = await fetch(`${endpoints.scim.apiUrl}/api/v2/scim/v2/users`, { headers: { authorization: auth } });
      assert.equal(users.status, 200);
      const spc = (await (await fetch(`${endpoints.scim.apiUrl}/api/v2/scim/v2/serviceproviderconfig`, { headers: { authorization: auth } })).json()) as {
        bulk: { supported: boolean };
      };
      assert.equal(spc.bulk.supported, mode === 'scim2');

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
      assert.equal(lines.length, 1, `stdout must hold exactly one line, got ${JSON.stringify(lines)}`);
    });
  }
});
