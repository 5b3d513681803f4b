import { ScimHttpError } from './errors';
import type { ScimStrictness } from './options';
import type { Mode } from './render';
import { userTypeExtensions, type SchemaDef } from './schema';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** The extensions the User resource type lists `required: true`: all it lists, when the switch says `required`. */
export function requiredUserExtensions(mode: Mode, strict: ScimStrictness): SchemaDef[] {
  return strict.resourceTypes === 'required' ? userTypeExtensions(mode, strict) : [];
}

/** Whether /Schemas declares `<URN>:<name>` required (the `requiredAttributes` switch). */
export function declaredRequired(strict: ScimStrictness, urn: string, name: string): boolean {
  return strict.requiredAttributes.some((p) => p.toLowerCase() === `${urn}:${name}`.toLowerCase());
}

/**
 * RFC 7643 §6: a user of a type that requires an extension MUST include it, and its required attributes. How a
 * server tells is its own: the `requiredExtensions` switch picks (by `schemas`, by the object, or both), and an
 * attribute `requiredAttributes` names must be in the extension's object. URNs compare without case.
 */
export function checkRequiredExtensions(body: unknown, mode: Mode, strict: ScimStrictness): void {
  if (!isObject(body)) return;
  const schemas = Array.isArray(body.schemas) ? body.schemas.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase()) : [];
  const check = strict.requiredExtensions;
  for (const ext of requiredUserExtensions(mode, strict)) {
    const key = Object.keys(body).find((k) => k.toLowerCase() === ext.id.toLowerCase());
    const object = key === undefined ? undefined : body[key];
    if ((check === 'in-schemas' || check === 'both') && !schemas.includes(ext.id.toLowerCase())) {
      throw new ScimHttpError(400, `schemas must list ${ext.id}: the User resource type requires it`, 'invalidValue');
    }
    if ((check === 'as-object' || check === 'both') && !isObject(object)) {
      throw new ScimHttpError(400, `The user must carry the extension ${ext.id}: the User resource type requires it`, 'invalidValue');
    }
    const missing = ext.attributes.filter((a) => declaredRequired(strict, ext.id, a.name) && !(isObject(object) && present(object[Object.keys(object).find((k) => k.toLowerCase() === a.name.toLowerCase()) ?? a.name])));
    if (missing.length > 0) {
      throw new ScimHttpError(400, `Attribute '${ext.id}:${missing[0].name}' is required`, 'invalidValue');
    }
  }
}
