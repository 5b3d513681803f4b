import { URN } from '../../src/scim/model/schemas/urns';
import { ScimHttpError } from './errors';

const ALWAYS = new Set(['schemas', 'id', 'username', 'active', 'meta']);
const EXTENSIONS = [URN.enterpriseUser, URN.genesysUser];

interface AttrRef {
  /** The top-level key: a core attribute or an extension URN. */
  top: string;
  /** A sub-attribute of it, if the reference names one. */
  sub?: string;
}

function parseList(list: string | null): AttrRef[] | undefined {
  if (list === null || list.trim() === '') return undefined;
  return list.split(',').map((raw) => raw.trim()).filter(Boolean).map((ref) => {
    const lower = ref.toLowerCase();
    for (const urn of EXTENSIONS) {
      const u = urn.toLowerCase();
      if (lower === u) return { top: urn };
      if (lower.startsWith(`${u}:`)) return { top: urn, sub: ref.slice(urn.length + 1).split('.')[0] };
    }
    const core = `${URN.user.toLowerCase()}:`;
    const path = lower.startsWith(core) ? ref.slice(core.length) : ref;
    const [top, sub] = path.split('.');
    return { top, sub };
  });
}

function findKey(obj: Record<string, unknown>, name: string): string | undefined {
  const n = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === n);
}

export interface Projection {
  apply<T>(resource: T): T;
  /** Whether the caller left out an attribute (used by the large-page rule). */
  excludes(attr: string): boolean;
}

/**
 * RFC 7644 §3.4.2.5 `attributes` / `excludedAttributes`, at the top level and one level into
 * sub-attributes and the two extensions. id, userName, active and meta are always returned.
 */
export function projection(attributes: string | null, excluded: string | null): Projection {
  const include = parseList(attributes);
  const exclude = parseList(excluded);
  if (include && exclude) {
    throw new ScimHttpError(400, 'attributes and excludedAttributes cannot be used together', 'invalidSyntax');
  }
  const excludes = (attr: string) => {
    const a = attr.toLowerCase();
    if (exclude) return exclude.some((r) => r.top.toLowerCase() === a && !r.sub) || exclude.some((r) => r.sub?.toLowerCase() === a);
    if (include) return !include.some((r) => r.top.toLowerCase() === a || r.sub?.toLowerCase() === a);
    return false;
  };
  const apply = <T>(resource: T): T => {
    if (!include && !exclude) return resource;
    const src = resource as Record<string, unknown>;
    if (exclude) {
      const out: Record<string, unknown> = { ...src };
      for (const r of exclude) {
        const key = findKey(out, r.top);
        if (!key || (ALWAYS.has(key.toLowerCase()) && !r.sub)) continue;
        if (!r.sub) {
          delete out[key];
          continue;
        }
        const v = out[key];
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          const copy = { ...(v as Record<string, unknown>) };
          const sk = findKey(copy, r.sub);
          if (sk) delete copy[sk];
          out[key] = copy;
        } else if (Array.isArray(v)) {
          out[key] = v.map((item) => {
            if (!item || typeof item !== 'object') return item;
            const copy = { ...(item as Record<string, unknown>) };
            const sk = findKey(copy, r.sub!);
            if (sk) delete copy[sk];
            return copy;
          });
        }
      }
      return out as T;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(src)) if (ALWAYS.has(k.toLowerCase())) out[k] = v;
    for (const r of include!) {
      const key = findKey(src, r.top);
      if (!key) continue;
      const v = src[key];
      if (!r.sub) {
        out[key] = v;
      } else if (v && typeof v === 'object' && !Array.isArray(v)) {
        const sk = findKey(v as Record<string, unknown>, r.sub);
        if (sk) out[key] = { ...((out[key] as Record<string, unknown>) ?? {}), [sk]: (v as Record<string, unknown>)[sk] };
      } else if (Array.isArray(v)) {
        out[key] = v.map((item) => {
          const sk = item && typeof item === 'object' ? findKey(item as Record<string, unknown>, r.sub!) : undefined;
          return sk ? { [sk]: (item as Record<string, unknown>)[sk] } : {};
        });
      }
    }
    return out as T;
  };
  return { apply, excludes };
}
