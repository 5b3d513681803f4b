import { z } from 'zod';
import { URN } from '../schemas/urns';
import { EnterpriseUserSchema } from '../schemas/enterpriseuser';
import { GenesysUserSchema } from '../schemas/genesysuser';
import { MetaSchema } from './meta';

export const MultiValuedSchema = z.looseObject({
  value: z.string().optional(),
  type: z.string().optional(),
  primary: z.boolean().optional(),
  display: z.string().optional(),
});
export type MultiValued = z.infer<typeof MultiValuedSchema>;

/** RFC 7643 `name`. Genesys does not support it; generic SCIM 2.0 targets do. */
export const NameSchema = z.looseObject({
  formatted: z.string().optional(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
});

export const GroupRefSchema = z.looseObject({
  value: z.string(),
  display: z.string().optional(),
  $ref: z.string().optional(),
  type: z.string().optional(),
});

/**
 * A User as a SCIM service returns it. Unknown attributes are kept (looseObject) so that a
 * round trip never drops what another system wrote.
 */
export const UserSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  id: z.string(),
  externalId: z.string().optional(),
  userName: z.string(),
  displayName: z.string().optional(),
  name: NameSchema.optional(),
  title: z.string().optional(),
  active: z.boolean().optional(),
  emails: z.array(MultiValuedSchema).optional(),
  phoneNumbers: z.array(MultiValuedSchema).optional(),
  roles: z.array(MultiValuedSchema).optional(),
  /** Read-only on Genesys: membership is changed through the Groups resource. */
  groups: z.array(GroupRefSchema).optional(),
  [URN.enterpriseUser]: EnterpriseUserSchema.optional(),
  [URN.genesysUser]: GenesysUserSchema.optional(),
  meta: MetaSchema.optional(),
});
export type User = z.infer<typeof UserSchema>;

/** The body of a POST /users: no id, no meta. */
export const NewUserSchema = UserSchema.omit({ id: true, meta: true, groups: true }).extend({
  displayName: z.string(),
  password: z.string().optional(),
});
export type NewUser = z.infer<typeof NewUserSchema>;
