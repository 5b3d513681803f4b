import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The workflow code as `npm run build` bundles it (scripts/bundle-workflows.js), beside the built worker:
 * one bundle as is, one with the encoding failure converter (for `temporal.encryption`).
 */
export const BUNDLE_FILES = { plain: 'workflow-bundle.js', encrypted: 'workflow-bundle-encrypted.js' } as const;

function newestJs(dir: string): number {
  let newest = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) newest = Math.max(newest, newestJs(full));
    else if (d.name.endsWith('.js') && !Object.values<string>(BUNDLE_FILES).includes(d.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The bundle built with the code in `dir`, or undefined: there is none (running from source), or a file of
 * the build is newer than the bundle (compiled again without bundling), and it would run other workflow code.
 */
export function prebuiltBundle(dir: string, encrypted: boolean): string | undefined {
  const file = path.join(dir, encrypted ? BUNDLE_FILES.encrypted : BUNDLE_FILES.plain);
  let bundled: number;
  try {
    bundled = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  return newestJs(dir) <= bundled ? file : undefined;
}
