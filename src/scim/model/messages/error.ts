import { z } from 'zod';

export const ScimTypeSchema = z.enum([
  'invalidFilter', 'tooMany', 'uniqueness', 'mutability', 'invalidSyntax', 'invalidPath',
  'noTarget', 'invalidValue', 'invalidVers', 'sensitive',
]);

/** RFC 7644 §3.12 error body. `status` is a string on the wire; some servers send a number. */
export const ScimErrorSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  status: z.union([z.string(), z.number()]).transform(String),
  scimType: z.string().optional(),
  detail: z.string().optional(),
});
export type ScimErrorBody = z.infer<typeof ScimErrorSchema>;
