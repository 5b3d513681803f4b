import { z } from 'zod';

/**
 * The two kinds of SCIM target the domain plans for. `genesys` has no `name` attribute and an
 * immutable `other` email; `scim2` is a generic RFC 7643 service that also takes `name`.
 */
export const TargetProfileSchema = z.enum(['genesys', 'scim2']);
export type TargetProfile = z.infer<typeof TargetProfileSchema>;
