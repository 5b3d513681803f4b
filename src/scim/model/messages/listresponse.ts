import { z } from 'zod';

/** RFC 7644 §3.4.2 ListResponse, generic over its resource schema. */
export function listResponseSchema<T extends z.ZodTypeAny>(resource: T) {
  return z.looseObject({
    schemas: z.array(z.string()).optional(),
    totalResults: z.number().int().nonnegative(),
    startIndex: z.number().int().optional(),
    itemsPerPage: z.number().int().optional(),
    Resources: z.array(resource).optional(),
  })
    // RFC 7644 §3.4.2: Resources is required when totalResults is non-zero. A list that says there are
    // users and sends none is broken, and read as empty it would look like "the target has nobody".
    .superRefine((list, ctx) => {
      if (list.Resources === undefined && list.totalResults > 0 && (list.startIndex ?? 1) <= list.totalResults) {
        ctx.addIssue({ code: 'custom', path: ['Resources'], message: `missing, though totalResults is ${list.totalResults}` });
      }
    })
    .transform((list) => ({ ...list, Resources: list.Resources ?? [] }));
}
export type ListResponse<T> = {
  totalResults: number;
  startIndex?: number;
  itemsPerPage?: number;
  Resources: T[];
};
