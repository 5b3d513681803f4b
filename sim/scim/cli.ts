/**
 * Runs the simulator on its own until SIGINT/SIGTERM, e.g. for poking at it with curl:
 *   npx ts-node --transpile-only sim/scim/cli.ts --port 9090 --mode genesys --groups Sales,Support
 * It prints its URLs and client id; the secret goes to stdout only when --print-secret is given.
 */
import { startScimSimulator } from './server';
import type { ScimSimOptions } from './options';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const opts: ScimSimOptions = {
    mode: arg('mode') === 'scim2' ? 'scim2' : 'genesys',
    port: Number(arg('port') ?? 0),
    clientId: arg('client-id'),
    clientSecret: arg('client-secret') ?? process.env.SCIM_SIM_CLIENT_SECRET,
    groups: arg('groups')?.split(',').map((g) => g.trim()).filter(Boolean),
    rateLimitPerMinute: arg('rate-limit') === 'off' ? null : arg('rate-limit') ? Number(arg('rate-limit')) : undefined,
  };
  const sim = await startScimSimulator(opts);
  console.log(JSON.stringify({
    apiUrl: sim.apiUrl, loginUrl: sim.loginUrl, scimBaseUrl: sim.scimBaseUrl, mode: sim.mode, clientId: sim.clientId,
    ...(process.argv.includes('--print-secret') ? { clientSecret: sim.clientSecret, bearerToken: sim.bearerToken } : {}),
  }));
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
