import { z } from 'zod';
import { ManagedAttributeSchema, type ManagedAttribute } from './mapping/config';

/**
 * The two kinds of SCIM target the domain plans for. `genesys` has no `name` attribute and an
 * immutable `other` email; `scim2` is a generic RFC 7643 service that also takes `name`.
 */
export const TargetProfileSchema = z.enum(['genesys', 'scim2']);
export type TargetProfile = z.infer<typeof TargetProfileSchema>;

/**
 * The attributes each profile has: a profile never writes the others, and these are what it writes when the
 * target serves no usable /Schemas. `dateHire` is Genesys's own (RFC 7643 §4.3 does not define it) and
 * Genesys has no `name`; `division` is in §4.3 (with employeeNumber, costCenter, organization, department
 * and manager), so both profiles have it.
 */
export const PROFILE_ATTRIBUTES: Readonly<Record<TargetProfile, readonly ManagedAttribute[]>> = {
  genesys: ManagedAttributeSchema.options.filter((a) => a !== 'name'),
  scim2: ManagedAttributeSchema.options.filter((a) => a !== 'dateHire'),
};

export function profileKnows(profile: TargetProfile, attribute: ManagedAttribute): boolean {
  return PROFILE_ATTRIBUTES[profile].includes(attribute);
}
