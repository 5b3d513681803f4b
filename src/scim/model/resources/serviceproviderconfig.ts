import { z } from 'zod';

const Supported = z.looseObject({ supported: z.boolean() });

/** RFC 7643 §5. Only what hrsync decides on is required; the rest is kept as sent. */
export const ServiceProviderConfigSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  patch: Supported.optional(),
  bulk: Supported.extend({
    maxOperations: z.number().int().nonnegative().optional(),
    maxPayloadSize: z.number().int().nonnegative().optional(),
  }).optional(),
  filter: Supported.extend({ maxResults: z.number().int().nonnegative().optional() }).optional(),
  changePassword: Supported.optional(),
  sort: Supported.optional(),
  etag: Supported.optional(),
  authenticationSchemes: z.array(z.looseObject({ type: z.string().optional(), name: z.string().optional() })).optional(),
});
export type ServiceProviderConfig = z.infer<typeof ServiceProviderConfigSchema>;
