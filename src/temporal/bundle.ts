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

const INLINE_MAP = '//# sourceMappingURL=data:application/json;charset=utf-8;base64,';

/**
 * A bundle's code with its inline source map's copies of the sources taken out (1.9 of the 4.8 MB): the
 * worker holds the bundle and its map in the main thread, the workflow thread and the workflow context for
 * its life (about 15 MB of an idle worker's RSS). Stack traces still name the source files and lines: the
 * mappings stay. Only the SDK's enhanced stack trace query with `showStackTraceSources`, which hrsync
 * leaves off, would have sent the sources.
 */
export function withoutSourcesContent(code: string): string {
  const at = code.lastIndexOf(INLINE_MAP);
  // The SDK refuses a bundle without an inline map: never write one.
  if (at < 0) throw new Error('the workflow bundle has no inline source map');
  const map = JSON.parse(Buffer.from(code.slice(at + INLINE_MAP.length).trimEnd(), 'base64').toString('utf8')) as { sourcesContent?: unknown };
  delete map.sourcesContent;
  return `${code.slice(0, at)}${INLINE_MAP}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}
