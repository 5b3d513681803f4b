import type { BulkOperation, BulkOperationResult } from './model/messages/bulk';
import { bulkRequest } from './model/messages/builders';
import { URN } from './model/schemas/urns';
import { classifyHttpFailure, type ScimError, type ScimOperation } from './errors';

export interface BulkLimits {
  maxOperations: number;
  /** Bytes of the whole BulkRequest body. */
  maxPayloadSize: number;
}

export interface BulkChunkPlan {
  /** Indices into the operations, in order, one array per request. */
  chunks: number[][];
  /** Operations that alone exceed maxPayloadSize: they are answered locally with a 413 result. */
  oversized: number[];
}

/**
 * Splits operations into as few BulkRequests as the limits allow, keeping their order. The size is exact for
 * the compact JSON the client sends. A `bulkId:` reference only resolves inside its own request, so callers
 * that use them should keep a creator and its referrers close together (order is preserved).
 */
export function planBulkChunks(operations: BulkOperation[], limits: BulkLimits): BulkChunkPlan {
  const maxOps = Math.max(1, limits.maxOperations);
  const envelope = byteLength(bulkRequest([]));
  const chunks: number[][] = [];
  const oversized: number[] = [];
  let current: number[] = [];
  let size = envelope;
  operations.forEach((op, i) => {
    const opSize = byteLength(op);
    if (envelope + opSize > limits.maxPayloadSize) {
      oversized.push(i);
      return;
    }
    const added = opSize + (current.length ? 1 : 0);
    if (current.length >= maxOps || size + added > limits.maxPayloadSize) {
      chunks.push(current);
      current = [];
      size = envelope;
    }
    size += opSize + (current.length ? 1 : 0);
    current.push(i);
  });
  if (current.length) chunks.push(current);
  return { chunks, oversized };
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** A locally made result for an operation the server never saw. */
export function localFailure(op: BulkOperation, status: number, detail: string): BulkOperationResult {
  return {
    method: op.method,
    ...(op.bulkId ? { bulkId: op.bulkId } : {}),
    status: String(status),
    response: { schemas: [URN.error], status: String(status), detail },
  };
}

export function bulkResultStatus(result: BulkOperationResult): number {
  const n = Number.parseInt(result.status, 10);
  return Number.isFinite(n) ? n : 0;
}

export function isBulkSuccess(result: BulkOperationResult): boolean {
  const status = bulkResultStatus(result);
  return status >= 200 && status < 300;
}

/** The typed error of a failed per-operation result (same classification as a single request), or undefined. */
export function bulkResultError(result: BulkOperationResult, request?: BulkOperation): ScimError | undefined {
  if (isBulkSuccess(result)) return undefined;
  const path = request?.path ?? result.location ?? '';
  return classifyHttpFailure({
    operation: request ? operationOf(request.method, request.path) : 'bulk',
    status: bulkResultStatus(result) || 500,
    body: result.response,
    request: `bulk ${result.method}${path ? ` ${pathOnly(path)}` : ''}${result.bulkId ? ` (${result.bulkId})` : ''}`,
  });
}

/** What a bulk operation does, so a 403 names the right permission. */
export function operationOf(method: string, path: string): ScimOperation {
  const isGroup = /(^|\/)groups(\/|$)/i.test(pathOnly(path));
  switch (method.toUpperCase()) {
    case 'POST':
      return isGroup ? 'bulk' : 'user.create';
    case 'PATCH':
      return isGroup ? 'group.patch' : 'user.patch';
    case 'PUT':
      return isGroup ? 'group.replace' : 'user.replace';
    case 'DELETE':
      return isGroup ? 'bulk' : 'user.delete';
    default:
      return 'bulk';
  }
}

function pathOnly(path: string): string {
  try {
    return new URL(path).pathname;
  } catch {
    return path.split('?')[0];
  }
}
