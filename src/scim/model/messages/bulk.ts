import { z } from 'zod';

/** RFC 7644 §3.7 bulk operation, request side. */
export const BulkOperationSchema = z.looseObject({
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']),
  bulkId: z.string().optional(),
  version: z.string().optional(),
  path: z.string(),
  data: z.unknown().optional(),
});
export type BulkOperation = z.infer<typeof BulkOperationSchema>;

export const BulkRequestSchema = z.looseObject({
  schemas: z.array(z.string()),
  failOnErrors: z.number().int().optional(),
  Operations: z.array(BulkOperationSchema),
});
export type BulkRequest = z.infer<typeof BulkRequestSchema>;

/** One result per operation; `status` is a string code per RFC 7644, numbers are tolerated. */
export const BulkOperationResultSchema = z.looseObject({
  method: z.string(),
  bulkId: z.string().optional(),
  version: z.string().optional(),
  location: z.string().optional(),
  status: z.union([z.string(), z.number()]).transform(String),
  response: z.unknown().optional(),
});
export type BulkOperationResult = z.infer<typeof BulkOperationResultSchema>;

export const BulkResponseSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  Operations: z.array(BulkOperationResultSchema),
});
export type BulkResponse = z.infer<typeof BulkResponseSchema>;
