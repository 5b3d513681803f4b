import fs from 'node:fs';
import path from 'node:path';
import type { RawEmployee } from '../hr/employee';

/**
 * The simulators live in the checkout's top-level sim/, outside the product and outside dist/: `hrsync sim`
 * and `hrsync demo` load them at run time through ts-node (a dev dependency). Only what the two commands use
 * is typed here, so the product never imports sim/ (not even its types, which would pull it into the build).
 */
export interface SimulatorsModule {
  startSimulators(opts: {
    scim?: { mode?: 'genesys' | 'scim2'; port?: number; rateLimitPerMinute?: number | null; seed?: number; strict?: Record<string, unknown> };
    hr?: { port?: number; employees?: number; seed?: number };
  }): Promise<RunningSimulators>;
  simulatorEnv(endpoints: unknown): Record<string, string>;
  lifecycleBatch(employees: readonly RawEmployee[], today: string): { type: string }[];
  parseStrictList(text: string): Record<string, unknown>;
}

export interface RunningSimulators {
  scim: { apiUrl: string };
  hr: { baseUrl: string; employees(): RawEmployee[]; apply(event: unknown): void };
  endpoints(): unknown;
  close(): Promise<void>;
}

const CLONE_ONLY = 'hrsync sim and hrsync demo run from a clone of the repository';

/** From src/cli (ts-node) and from dist/cli (the build) alike, the checkout's root is two levels up. */
const simDir = path.resolve(__dirname, '..', '..', 'sim');

export function loadSimulators(): SimulatorsModule {
  if (!fs.existsSync(path.join(simDir, 'index.ts'))) throw new Error(`${CLONE_ONLY}: no simulators at ${simDir}`);
  if (!require.extensions['.ts']) {
    let tsNode: typeof import('ts-node');
    try {
      tsNode = require('ts-node');
    } catch {
      throw new Error(`${CLONE_ONLY} with its dev dependencies installed (npm ci): ts-node is missing`);
    }
    tsNode.register({ transpileOnly: true, project: path.join(simDir, 'tsconfig.json') });
  }
  return { ...require(simDir), ...require(path.join(simDir, 'hr', 'batch')), ...require(path.join(simDir, 'scim', 'options')) } as SimulatorsModule;
}
