import { z } from 'zod';

/** RFC 7644 §3.5.2. Genesys requires `path` on `remove`. */
export const PatchOperationSchema = z.looseObject({
  op: z.enum(['add', 'replace', 'remove', 'Add', 'Replace', 'Remove']),
  path: z.string().optional(),
  value: z.unknown().optional(),
});
export type PatchOperation = { op: 'add' | 'replace' | 'remove'; path?: string; value?: unknown };

export const PatchOpSchema = z.looseObject({
  schemas: z.array(z.string()),
  Operations: z.array(PatchOperationSchema).min(1),
});
export type PatchOp = { schemas: string[]; Operations: PatchOperation[] };
