import { z } from 'zod';
import { URN } from '../scim/model/schemas/urns';

/**
 * What a target's /ResourceTypes answer says (RFC 7643 §6): whether there is a Group resource, and which
 * schema extensions the User resource type extends with. Pure: the client fetches, this reads. Every field
 * is read alone and none is required: Genesys's SDK models mark them all optional.
 */

const ResourceTypeSchema = z.looseObject({
  id: z.unknown().optional(),
  name: z.unknown().optional(),
  endpoint: z.unknown().optional(),
  schema: z.unknown().optional(),
  schemaExtensions: z.unknown().optional(),
});
type ResourceType = z.infer<typeof ResourceTypeSchema>;

// RFC 7643 §6 requires both fields; an entry without `required`, or with another type of value, still names
// its schema, and is not read as required (only `true` says so).
const SchemaExtensionSchema = z.union([
  z.looseObject({ schema: z.string().min(1), required: z.unknown().optional() }).transform((e) => ({ schema: e.schema, required: typeof e.required === 'boolean' ? e.required : undefined })),
  // A bare URN in place of the object: not the RFC's form, but it can only mean the one thing.
  z.string().min(1).transform((schema) => ({ schema, required: undefined })),
]);

/**
 * RFC 7643 §2.1 makes attribute names case-insensitive but says nothing of schema URNs, and RFC 8141 §3.1
 * leaves a URN's specific part case-sensitive unless its namespace says otherwise. Yet a schema URN is the
 * prefix of every fully qualified attribute name (RFC 7644 §3.10), which servers match without case, and
 * no two SCIM schemas differ by case alone: so a URN is compared without case, as schemaIndex keys them.
 * It is also the safe direction: it can only find an extension listed, never unlisted.
 */
export function sameUrn(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const named = (t: ResourceType, name: string) => [text(t.name), text(t.id)].some((v) => v !== undefined && v.toLowerCase() === name.toLowerCase());
/** The endpoint's last segment: RFC 7643 makes it relative to the base URL (`/Users`), some servers send it whole. */
const endpointIs = (t: ResourceType, segment: string) => text(t.endpoint)?.replace(/\/+$/, '').split('/').pop()?.toLowerCase() === segment;

function types(resources: readonly unknown[]): ResourceType[] {
  return resources.map((r) => ResourceTypeSchema.safeParse(r)).filter((p) => p.success).map((p) => p.data);
}

/** Whether /ResourceTypes names a Group resource; `undefined` when the answer says nothing usable. */
export function declaresGroups(resources: readonly unknown[]): boolean | undefined {
  const all = types(resources);
  if (all.length === 0) return undefined;
  return all.some((t) => named(t, 'Group') || sameUrn(text(t.schema) ?? '', URN.group));
}

/** What the User resource type extends with. */
export interface UserExtensions {
  /**
   * The extension schema URNs it lists, as sent. `required: true` (RFC 7643 §6): every user must carry the
   * extension and its required attributes, so every create carries it (see requiredExtensions).
   */
  listed: { schema: string; required: boolean | undefined }[];
}

/**
 * The User resource type among the resource types: the one served at `/Users` (where hrsync writes), else the
 * one named (or with the id) `User`, else the one whose base schema is the core User schema. Several at the
 * first rule that finds any: no telling which one hrsync writes to, so none.
 */
function userType(all: readonly ResourceType[]): ResourceType | undefined {
  const rules = [(t: ResourceType) => endpointIs(t, 'users'), (t: ResourceType) => named(t, 'User'), (t: ResourceType) => sameUrn(text(t.schema) ?? '', URN.user)];
  for (const rule of rules) {
    const found = all.filter(rule);
    if (found.length > 0) return found.length === 1 ? found[0] : undefined;
  }
  return undefined;
}

/**
 * The schema extensions the target's User resource type lists, or `undefined` when the answer doesn't say:
 * no User resource type, no `schemaExtensions` key (many servers leave it out, so its absence is no answer,
 * not "none"), or a list with an entry that names no schema (it may be the one that matters). An empty list
 * is an answer: the User type extends with nothing.
 */
export function userExtensions(resources: readonly unknown[]): UserExtensions | undefined {
  const user = userType(types(resources));
  if (user === undefined || !Array.isArray(user.schemaExtensions)) return undefined;
  const entries = user.schemaExtensions.map((e) => SchemaExtensionSchema.safeParse(e));
  if (!entries.every((e) => e.success)) return undefined;
  return { listed: entries.map((e) => ({ schema: e.data.schema, required: e.data.required })) };
}

/** Whether the User resource type extends with `urn`; `undefined` when its answer doesn't say (see userExtensions). */
export function extendsWith(extensions: UserExtensions | undefined, urn: string): boolean | undefined {
  return extensions === undefined ? undefined : extensions.listed.some((e) => sameUrn(e.schema, urn));
}

/** The extensions every user of the target must carry (`required: true`), URNs as listed. */
export function requiredExtensions(extensions: UserExtensions | undefined): string[] {
  return (extensions?.listed ?? []).filter((e) => e.required === true).map((e) => e.schema);
}

/** The reason an attribute of an extension the User resource type doesn't list is not written, or not mapped. */
export function notExtendedWith(urn: string): string {
  return `the target's User resource type doesn't extend with ${urn}`;
}
