import { z } from 'zod';
import { MetaSchema } from './meta';

export const MemberSchema = z.looseObject({
  value: z.string(),
  display: z.string().optional(),
  $ref: z.string().optional(),
  type: z.string().optional(),
});

export const GroupSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  id: z.string(),
  displayName: z.string(),
  externalId: z.string().optional(),
  members: z.array(MemberSchema).optional(),
  meta: MetaSchema.optional(),
});
export type Group = z.infer<typeof GroupSchema>;
