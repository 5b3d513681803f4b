// A second independent SCIM 2.0 server for the tests: Better Auth with its SCIM plugin (@better-auth/scim),
// both from the npm registry and used as shipped, on Better Auth's own in-memory database adapter. Only
// configuration is ours: one code-defined connection with one bearer credential, the way the plugin's
// documentation has an administrator set it up. The packages are ESM-only, so this runs as its own
// process (test/support/betterauth-scim.ts spawns it); it prints one JSON line with the base URL and the
// token once it listens, and serves until its stdin closes. BETTERAUTH_SCIM_ORIGIN names the origin clients
// reach it by (for meta.location), when that is not its own (the tests put a counting proxy in front).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { toNodeHandler } from 'better-auth/node';
import { getAuthTables } from '@better-auth/core/db';
import { scim } from '@better-auth/scim';

const token = randomBytes(24).toString('base64url');
let handler;
const server = createServer((req, res) => handler(req, res));

server.listen(Number(process.env.BETTERAUTH_SCIM_PORT ?? 0), '127.0.0.1', () => {
  const own = `http://127.0.0.1:${server.address().port}`;
  const origin = process.env.BETTERAUTH_SCIM_ORIGIN ?? own;
  const options = {
    // Better Auth refuses to start without a secret; this one signs nothing the tests use.
    secret: randomBytes(32).toString('base64url'),
    baseURL: origin,
    basePath: '/api/auth',
    telemetry: { enabled: false },
    logger: { disabled: process.env.BETTERAUTH_SCIM_LOG === undefined },
    plugins: [scim({ connections: [{ id: 'hrsync-tests', credentials: [{ type: 'bearer', id: 'hrsync', token }] }] })],
  };
  // The memory adapter keeps one array per model and refuses a model it was not given: give it every
  // table Better Auth and the plugin declare.
  const db = Object.fromEntries(Object.values(getAuthTables(options)).map((t) => [t.modelName, []]));
  handler = toNodeHandler(betterAuth({ ...options, database: memoryAdapter(db) }));
  process.stdout.write(`${JSON.stringify({ baseUrl: `${own}/api/auth/scim/v2`, token })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
