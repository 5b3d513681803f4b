import { z } from 'zod';

/** RFC 7644 §3.4.2 ListResponse, generic over its resource schema. */
export function listResponseSchema<T extends z.ZodTypeAny>(resource: T) {
  return z.looseObject({
    schemas: z.array(z.string()).optional(),
    totalResults: z.number().int().nonnegative(),
    startIndex: z.number().int().optional(),
    itemsPerPage: z.number().int().optional(),
    Resources: z.array(resource).default([]),
  });
}
export type ListResponse<T> = {
  totalResults: number;
  startIndex?: number;
  itemsPerPage?: number;
  Resources: T[];
};
