import { URN } from '../schemas/urns';
import type { BulkOperation, BulkRequest } from './bulk';
import type { PatchOp, PatchOperation } from './patchop';

/** A PatchOp message (RFC 7644 §3.5.2) around the given operations. */
export function patchOp(operations: PatchOperation[]): PatchOp {
  return { schemas: [URN.patchOp], Operations: operations };
}

/** A BulkRequest (RFC 7644 §3.7). failOnErrors is left out: every operation is tried and answered. */
export function bulkRequest(operations: BulkOperation[]): BulkRequest {
  return { schemas: [URN.bulkRequest], Operations: operations };
}
