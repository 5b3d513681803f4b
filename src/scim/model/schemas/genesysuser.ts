import { z } from 'zod';

const Proficiency = z.looseObject({ name: z.string(), proficiency: z.number().min(0).max(5).optional() });

/** Genesys Cloud's own user extension. */
export const GenesysUserSchema = z.looseObject({
  routingSkills: z.array(Proficiency).max(50).optional(),
  routingLanguages: z.array(Proficiency).max(50).optional(),
  externalIds: z.array(z.looseObject({ authority: z.string(), value: z.string() })).optional(),
});
export type GenesysUser = z.infer<typeof GenesysUserSchema>;
