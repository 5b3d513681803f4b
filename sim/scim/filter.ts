import { filter as compileAst, parse, Filter } from 'scim2-parse-filter';
import { URN } from '../../src/scim/model/schemas/urns';
import { ScimHttpError } from './errors';
import type { ScimStrictness } from './options';
import type { Mode } from './render';
import type { GroupRecord, Store, UserRecord } from './store';

export interface UserQuery {
  /** Ids to look at (from an index); undefined means every user. */
  candidates?: string[];
  /** Further tests every candidate must pass. */
  tests: Array<(rec: UserRecord) => boolean>;
  /** A filter on `active` lifts the active-only default of an unfiltered Genesys list. */
  mentionsActive: boolean;
  /** scim2 mode only: a filter outside the indexed subset, tested against the rendered resource. */
  generic?: (resource: unknown) => boolean;
}

const invalid = (detail: string) => new ScimHttpError(400, detail, 'invalidFilter');

const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * scim2-parse-filter doubles backslashes inside quoted values (so `"a\\b"` comes back as `a\\\\b` and a
 * value ending in a backslash fails to parse). Quoted values are therefore decoded here and handed
 * to the parser as placeholders, then put back into the tree.
 */
function parseFilter(text: string): Filter {
  const values: string[] = [];
  try {
    const masked = text.replace(QUOTED, (literal) => {
      values.push(JSON.parse(literal) as string);
      return `"__scimsim_${values.length - 1}__"`;
    });
    return restore(parse(masked), values);
  } catch (e) {
    throw invalid(`The filter '${text}' could not be parsed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function restore(f: Filter, values: string[]): Filter {
  switch (f.op) {
    case 'and':
    case 'or':
      return { ...f, filters: f.filters.map((x) => restore(x, values)) };
    case 'not':
      return { ...f, filter: restore(f.filter, values) };
    case '[]':
      return { ...f, valFilter: restore(f.valFilter, values) };
    case 'pr':
      return f;
    default: {
      const m = typeof f.compValue === 'string' ? /^__scimsim_(\d+)__$/.exec(f.compValue) : null;
      return m ? { ...f, compValue: values[Number(m[1])] } : f;
    }
  }
}

function andLeaves(f: Filter): Filter[] {
  return f.op === 'and' ? f.filters.flatMap(andLeaves) : [f];
}

/** Lower-cased attribute path with the core prefix dropped and the enterprise one shortened to `ent:`. */
function attrKey(path: string): string {
  let p = path.toLowerCase();
  const core = `${URN.user.toLowerCase()}:`;
  const ent = `${URN.enterpriseUser.toLowerCase()}:`;
  if (p.startsWith(core)) p = p.slice(core.length);
  if (p.startsWith(ent)) p = `ent:${p.slice(ent.length)}`;
  return p;
}

const INDEXED: Record<string, 'id' | 'userName' | 'externalId' | 'employeeNumber' | 'email' | 'manager' | 'division'> = {
  id: 'id',
  username: 'userName',
  externalid: 'externalId',
  employeenumber: 'employeeNumber',
  'ent:employeenumber': 'employeeNumber',
  email: 'email',
  emails: 'email',
  'emails.value': 'email',
  manager: 'manager',
  'manager.value': 'manager',
  'ent:manager': 'manager',
  'ent:manager.value': 'manager',
  division: 'division',
  'ent:division': 'division',
};

function lookup(store: Store, index: (typeof INDEXED)[string], value: string): string[] {
  switch (index) {
    case 'id': return store.user(value) ? [value] : [];
    case 'userName': {
      const id = store.userIdByUserName(value);
      return id ? [id] : [];
    }
    default: return store.idsBy(index, value);
  }
}

/** `urn:...genesys...:externalIds[authority eq "x" and value eq "y"]`, which Genesys documents. */
function externalIdsTest(f: Filter): ((rec: UserRecord) => boolean) | undefined {
  if (f.op !== '[]' || attrKey(f.attrPath) !== `${URN.genesysUser.toLowerCase()}:externalids`) return undefined;
  const test = compileAst(f.valFilter);
  return (rec) => {
    const ext = rec.attrs[URN.genesysUser] as { externalIds?: unknown[] } | undefined;
    return Array.isArray(ext?.externalIds) && ext.externalIds.some((x) => test(x));
  };
}

/** Extension attributes (enterprise and Genesys) by their short names, as Genesys's documented filters spell them. */
const EXTENSION_SHORT = new Set([
  'employeenumber', 'costcenter', 'organization', 'division', 'department', 'manager', 'datehire',
  'routingskills', 'routinglanguages', 'externalids',
]);

function isExtensionPath(path: string): boolean {
  const key = attrKey(path);
  return key.startsWith('ent:') || key.startsWith(`${URN.genesysUser.toLowerCase()}:`) || EXTENSION_SHORT.has(key.split('.')[0]);
}

/** Attribute paths outside value paths, and whether `and`/`or` (`or` alone: `ored`) joins expressions there. */
function outerPaths(f: Filter, paths: string[] = []): { paths: string[]; joined: boolean; ored: boolean } {
  let joined = false;
  let ored = false;
  const walk = (x: Filter): void => {
    if (x.op === 'and' || x.op === 'or') {
      joined = true;
      if (x.op === 'or') ored = true;
      x.filters.forEach(walk);
    } else if (x.op === 'not') walk(x.filter);
    else paths.push((x as { attrPath: string }).attrPath);
  };
  walk(f);
  return { paths, joined, ored };
}

/** The strictness switches on filters: each refusal is the 400 invalidFilter a stricter server answers. */
function refuseByStrictness(ast: Filter, text: string, strict: ScimStrictness, users: boolean): void {
  const { paths, joined, ored } = outerPaths(ast);
  if (strict.noAndFilters && joined) throw invalid(`Unsupported filter '${text}': expressions cannot be joined with and/or`);
  if (strict.noOrFilters && ored) throw invalid(`Unsupported filter '${text}': expressions cannot be joined with or`);
  if (!users) return;
  if (strict.noActiveFilter && paths.some((p) => attrKey(p) === 'active')) {
    throw invalid(`Unsupported filter '${text}': attribute 'active' is not filterable`);
  }
  const ext = strict.noExtensionFilters ? paths.find(isExtensionPath) : undefined;
  if (ext) throw invalid(`Unsupported filter '${text}': extension attribute '${ext}' is not filterable`);
}

/** A compiled filter node: the ids it can match (a superset; undefined: any user) and the exact test. */
interface Compiled {
  candidates?: Set<string>;
  test: (rec: UserRecord) => boolean;
}

/**
 * Compiles a user filter into index lookups plus tests. Genesys supports eq on a fixed set of attributes,
 * joined by `and` or `or` (`or` is undocumented; `noOrFilters` refuses it); anything else is invalidFilter.
 * scim2 mode falls back to a full scan.
 */
export function compileUserFilter(text: string, mode: Mode, store: Store, strict: ScimStrictness): UserQuery {
  const ast = parseFilter(text);
  refuseByStrictness(ast, text, strict, true);
  let mentionsActive = false;
  class Unsupported extends Error {}
  const compile = (f: Filter): Compiled => {
    const extIds = externalIdsTest(f);
    if (extIds) return { test: extIds };
    if (f.op === 'and' || f.op === 'or') {
      const parts = f.filters.map(compile);
      const sets = parts.map((p) => p.candidates);
      if (f.op === 'and') {
        const known = sets.filter((c): c is Set<string> => c !== undefined);
        const candidates = known.length === 0 ? undefined : new Set([...known[0]].filter((id) => known.every((c) => c.has(id))));
        return { candidates, test: (rec) => parts.every((p) => p.test(rec)) };
      }
      const candidates = sets.every((c) => c !== undefined) ? new Set(sets.flatMap((c) => [...(c as Set<string>)])) : undefined;
      return { candidates, test: (rec) => parts.some((p) => p.test(rec)) };
    }
    if (f.op !== 'eq') throw new Unsupported(`operator '${f.op}' is not supported`);
    const key = attrKey(f.attrPath);
    const value = f.compValue;
    if (key === 'active') {
      if (typeof value !== 'boolean') throw invalid(`active must be compared with true or false`);
      mentionsActive = true;
      return { test: (rec) => (rec.attrs.active !== false) === value };
    }
    const index = INDEXED[key];
    if (!index) throw new Unsupported(`attribute '${f.attrPath}' is not filterable`);
    if (typeof value !== 'string') throw invalid(`${f.attrPath} must be compared with a string`);
    const ids = new Set(lookup(store, index, value));
    return { candidates: ids, test: (rec) => ids.has(rec.id) };
  };
  try {
    const { candidates, test } = compile(ast);
    return { tests: [test], mentionsActive, ...(candidates ? { candidates: [...candidates] } : {}) };
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    if (mode === 'genesys') throw invalid(`Unsupported filter '${text}': ${e.message}`);
    return { tests: [], mentionsActive: true, generic: compileAst(ast) };
  }
}

/** Groups: `id eq` and `displayName eq` (case-insensitive), as Genesys documents. */
export function compileGroupFilter(text: string, strict: ScimStrictness): (g: GroupRecord) => boolean {
  const ast = parseFilter(text);
  refuseByStrictness(ast, text, strict, false);
  const tests = andLeaves(ast).map((leaf) => {
    if (leaf.op !== 'eq' || typeof leaf.compValue !== 'string') {
      throw invalid(`Unsupported group filter '${text}': only id eq and displayName eq`);
    }
    const key = attrKey(leaf.attrPath);
    const value = leaf.compValue;
    if (key === 'id') return (g: GroupRecord) => g.id === value;
    if (key === 'displayname') return (g: GroupRecord) => g.displayName.toLowerCase() === value.toLowerCase();
    throw invalid(`Unsupported group filter attribute '${leaf.attrPath}'`);
  });
  return (g) => tests.every((t) => t(g));
}
