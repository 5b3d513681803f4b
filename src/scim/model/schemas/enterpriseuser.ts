import { z } from 'zod';

/** RFC 7643 §4.3 enterprise extension, as Genesys Cloud supports it. */
export const EnterpriseUserSchema = z.looseObject({
  employeeNumber: z.string().optional(),
  department: z.string().optional(),
  division: z.string().optional(),
  /** Genesys-documented extra: YYYY-MM-DD. */
  dateHire: z.string().optional(),
  manager: z
    .looseObject({
      value: z.string().optional(),
      displayName: z.string().optional(),
      $ref: z.string().optional(),
    })
    .optional(),
});
export type EnterpriseUser = z.infer<typeof EnterpriseUserSchema>;
