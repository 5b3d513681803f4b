import { URN } from '../../src/scim/model/schemas/urns';
import { errorBodyOf, ScimHttpError, scimErrorBody } from './errors';
import type { SimCore, SimResponse } from './core';
import { createUser, deleteUser, patchUser, replaceUser } from './users';
import { groupWriteNotAllowed, patchGroup, replaceGroup } from './groups';

interface BulkOp {
  method: string;
  bulkId?: string;
  path: string;
  data?: unknown;
  version?: string;
}

interface BulkResult {
  method: string;
  bulkId?: string;
  location?: string;
  version?: string;
  status: string;
  response?: unknown;
}

const BULK_REF = /^bulkId:(.+)$/;

/** bulkIds referenced anywhere in an operation's path or data. */
function refsOf(op: BulkOp): string[] {
  const refs: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      const m = BULK_REF.exec(v);
      if (m) refs.push(m[1]);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(op.data);
  for (const seg of op.path.split('/')) walk(seg);
  return refs;
}

function resolve(v: unknown, ids: Map<string, string>): unknown {
  if (typeof v === 'string') {
    const m = BULK_REF.exec(v);
    return m && ids.has(m[1]) ? ids.get(m[1]) : v;
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, ids));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, ids)]));
  return v;
}

function dispatch(core: SimCore, op: BulkOp): SimResponse {
  const segs = op.path.split('/').filter(Boolean);
  const kind = segs[0]?.toLowerCase();
  const id = segs[1];
  const method = op.method.toUpperCase();
  if (kind === 'users' && segs.length === 1 && method === 'POST') return createUser(core, op.data);
  if (kind === 'users' && segs.length === 2) {
    if (method === 'PUT') return replaceUser(core, id, op.data, op.version);
    if (method === 'PATCH') return patchUser(core, id, op.data, op.version);
    if (method === 'DELETE') return deleteUser(core, id, op.version);
  }
  if (kind === 'groups' && segs.length === 2) {
    if (method === 'PUT') return replaceGroup(core, id, op.data, op.version);
    if (method === 'PATCH') return patchGroup(core, id, op.data, op.version);
  }
  if (kind === 'groups') groupWriteNotAllowed(method);
  throw new ScimHttpError(400, `Unsupported bulk operation ${method} ${op.path}`, 'invalidPath');
}

function readOps(body: unknown): { ops: BulkOp[]; failOnErrors?: number } {
  if (!body || typeof body !== 'object') throw new ScimHttpError(400, 'The request body must be a BulkRequest', 'invalidSyntax');
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.schemas) || !b.schemas.includes(URN.bulkRequest)) {
    throw new ScimHttpError(400, `schemas must contain ${URN.bulkRequest}`, 'invalidSyntax');
  }
  if (!Array.isArray(b.Operations)) throw new ScimHttpError(400, 'Operations must be an array', 'invalidSyntax');
  const ops = b.Operations.map((raw, i): BulkOp => {
    const o = (raw ?? {}) as Record<string, unknown>;
    if (typeof o.method !== 'string' || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(o.method.toUpperCase())) {
      throw new ScimHttpError(400, `Operations[${i}].method must be POST, PUT, PATCH or DELETE`, 'invalidSyntax');
    }
    if (typeof o.path !== 'string') throw new ScimHttpError(400, `Operations[${i}].path is required`, 'invalidSyntax');
    if (o.method.toUpperCase() === 'POST' && typeof o.bulkId !== 'string') {
      throw new ScimHttpError(400, `Operations[${i}].bulkId is required for POST`, 'invalidSyntax');
    }
    return {
      method: o.method.toUpperCase(),
      bulkId: typeof o.bulkId === 'string' ? o.bulkId : undefined,
      path: o.path,
      data: o.data,
      version: typeof o.version === 'string' ? o.version : undefined,
    };
  });
  const failOnErrors = typeof b.failOnErrors === 'number' && b.failOnErrors > 0 ? b.failOnErrors : undefined;
  return { ops, failOnErrors };
}

/**
 * RFC 7644 §3.7. Operations run in order, except that one referring to a bulkId not yet created
 * waits until it is; references that never resolve (unknown or circular) fail with 409.
 */
export function bulk(core: SimCore, body: unknown, payloadBytes: number): SimResponse {
  const { maxOperations, maxPayloadSize } = core.opts.bulk;
  if (payloadBytes > maxPayloadSize) {
    throw new ScimHttpError(413, `The size of the bulk operation (${payloadBytes}) exceeds the maxPayloadSize (${maxPayloadSize}).`);
  }
  const { ops, failOnErrors } = readOps(body);
  if (ops.length > maxOperations) {
    throw new ScimHttpError(413, `The number of operations (${ops.length}) exceeds the maxOperations (${maxOperations}).`);
  }
  const created = new Map<string, string>();
  const results: Array<BulkResult | undefined> = ops.map(() => undefined);
  let pending = ops.map((op, i) => ({ op, i }));
  let errors = 0;
  const stopped = () => failOnErrors !== undefined && errors >= failOnErrors;
  while (pending.length > 0 && !stopped()) {
    const waiting: typeof pending = [];
    for (const item of pending) {
      if (stopped()) break;
      const refs = refsOf(item.op);
      if (refs.some((r) => !created.has(r))) {
        waiting.push(item);
        continue;
      }
      results[item.i] = run(core, item.op, created);
      if (Number(results[item.i]!.status) >= 400) errors += 1;
    }
    if (waiting.length === pending.length) {
      for (const { op, i } of waiting) {
        if (stopped()) break;
        const missing = refsOf(op).filter((r) => !created.has(r));
        results[i] = {
          method: op.method, bulkId: op.bulkId, status: '409',
          response: scimErrorBody(409, `Unresolved bulkId reference(s): ${missing.join(', ')}`, 'invalidValue'),
        };
        errors += 1;
      }
      break;
    }
    pending = waiting;
  }
  const done = results.filter((r): r is BulkResult => r !== undefined);
  core.stats.bulkOperations(done.length);
  return { status: 200, body: { schemas: [URN.bulkResponse], Operations: done } };
}

function run(core: SimCore, op: BulkOp, created: Map<string, string>): BulkResult {
  const resolved: BulkOp = { ...op, path: String(resolve(op.path, created)), data: resolve(op.data, created) };
  resolved.path = resolved.path.split('/').map((s) => String(resolve(s, created))).join('/');
  try {
    const res = dispatch(core, resolved);
    const body = res.body as { id?: string; meta?: { location?: string; version?: string } } | undefined;
    if (op.method === 'POST' && op.bulkId && body?.id) created.set(op.bulkId, body.id);
    const location = body?.meta?.location ?? (op.method === 'DELETE' ? `${core.render.scimBase}${resolved.path}` : undefined);
    return { method: op.method, bulkId: op.bulkId, location, version: body?.meta?.version, status: String(res.status) };
  } catch (e) {
    if (!(e instanceof ScimHttpError)) throw e;
    return { method: op.method, bulkId: op.bulkId, status: String(e.status), response: errorBodyOf(e, core.opts.strict.terseErrors) };
  }
}
