import { z } from 'zod';

export const MetaSchema = z.looseObject({
  resourceType: z.string().optional(),
  created: z.string().optional(),
  lastModified: z.string().optional(),
  location: z.string().optional(),
  /** A double-quoted version such as `"42"` (Genesys) or a weak `W/"..."` ETag (RFC 7644). */
  version: z.string().optional(),
});
export type Meta = z.infer<typeof MetaSchema>;
