import { stringify, type Compare, type Filter, type LogExp, type ValuePath } from 'scim2-parse-filter';

/**
 * SCIM filter strings (RFC 7644 §3.4.2.2) built as an AST and printed by scim2-parse-filter, which quotes
 * values as JSON strings: `o'brien"x@corp.com` becomes `"o'brien\"x@corp.com"`. Never paste values into
 * filter text by hand.
 */
export type { Filter } from 'scim2-parse-filter';

type Value = Compare['compValue'];

export function eq(attrPath: string, value: Value): Compare {
  return { op: 'eq', attrPath, compValue: value };
}

export function and(...filters: Filter[]): LogExp {
  return { op: 'and', filters };
}

export function or(...filters: Filter[]): LogExp {
  return { op: 'or', filters };
}

/** `members[value eq "id"]`: a value path, as PATCH uses it to target one element of a multi-valued attribute. */
export function valuePath(attrPath: string, valFilter: Filter): ValuePath {
  return { op: '[]', attrPath, valFilter };
}

export function filterString(filter: Filter): string {
  return stringify(filter);
}
