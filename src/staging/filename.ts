import { createHash } from 'node:crypto';
import path from 'node:path';

/** Characters a file name keeps as they are; anything else means the id is hashed. */
const SAFE = /^[A-Za-z0-9_.-]+$/;
/** Well under every file system's 255 bytes, with room for a suffix such as `.summary.json`. */
const MAX_PLAIN = 120;
const READABLE_PREFIX = 40;

/**
 * A file name for an id (a workflow id, an HR id): the id itself when it is short and made of safe
 * characters, else a readable prefix, `~` and a hash of the whole id. `~` is never in a plain name, so
 * two ids never share a name (sanitising would map `a/b` and `a_b` to one file), and no name is `.`,
 * `..` or holds a separator, so a name never leaves its folder.
 */
export function fileNameOf(id: string): string {
  if (SAFE.test(id) && id.length <= MAX_PLAIN && id !== '.' && id !== '..') return id;
  const prefix = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, READABLE_PREFIX);
  return `${prefix}~${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 32)}`;
}

/** `name` inside `dir`, or an error: the last guard that a computed path stays where it belongs. */
export function inside(dir: string, name: string): string {
  const root = path.resolve(dir);
  const full = path.resolve(root, name);
  const rel = path.relative(root, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`refusing a path outside ${root}: ${JSON.stringify(name)}`);
  return full;
}
