import {
  attributeOfOperation,
  createAttributeNamedIn,
  createForm,
  dropNamedItems,
  operationForm,
  operationsNamedIn,
  REFUSAL_SCIM_TYPES,
  withoutCreateAttributes,
} from '../domain/capabilities';
import { isDeactivation } from '../domain/diff';
import type { ManagedAttribute } from '../domain/mapping/config';
import { warnings, type Warning } from '../domain/warnings';
import type { ScimClient, VersionedUser } from '../scim/client';
import { ScimInvalidRequestError } from '../scim/errors';
import type { PatchOperation } from '../scim/model/messages/patchop';
import type { NewUser } from '../scim/model/resources/user';
import type { TargetLearning } from './learning';
import { updateUser } from './update';

/**
 * A 400 that refuses an operation rather than the request: invalidPath, invalidValue, mutability, noTarget,
 * or a bare 400 without a scimType (a terse server). The ops are then isolated; anything else is the user's failure.
 */
export function isRefusal(err: unknown): err is ScimInvalidRequestError {
  return err instanceof ScimInvalidRequestError && err.status === 400 && (err.scimType === undefined || REFUSAL_SCIM_TYPES.has(err.scimType));
}

function why(err: ScimInvalidRequestError): string {
  return `refused by the target (HTTP ${err.status}${err.scimType ? ` ${err.scimType}` : ''})`;
}

export interface IsolatedPatch {
  /** The user the last successful write answered; undefined when nothing was written. */
  written?: VersionedUser;
  /** Row notes: what was refused now, or not sent because it was refused earlier in the run. */
  notes: Warning[];
}

/**
 * An update (a PATCH, or its replace on a target without PATCH: see updateUser) that survives refused operations. `current`,
 * the user as read at `ifMatch` if the caller holds it, spares a replace its GET. Forms the run learned are refused are not sent. A deactivation
 * goes first and alone, so access removal never waits on another attribute. On a refusal the refused ops are
 * found from the error detail where it names their path, else by splitting the ops in halves (at most about
 * two requests per op); the rest are applied and each refused form is learned for the rest of the run.
 */
export async function patchIsolating(
  scim: ScimClient,
  learning: TargetLearning,
  userId: string,
  operations: readonly PatchOperation[],
  ifMatch: string | undefined,
  current?: VersionedUser,
): Promise<IsolatedPatch> {
  const { operations: todo, notes } = withoutRefusedOperations(learning, operations);
  let version = ifMatch;
  let written: VersionedUser | undefined;
  const write = async (ops: PatchOperation[]) => {
    written = await updateUser(scim, learning, userId, ops, { ifMatch: version, current: written ?? current });
    version = written.version;
  };
  const refuse = (op: PatchOperation, err: ScimInvalidRequestError) => {
    learning.learnOperation(operationForm(op), attributeOfOperation(op), err.scimType, err.detail);
    notes.push(warnings.refusedAttribute(operationForm(op), why(err)));
  };
  const send = async (ops: PatchOperation[]): Promise<void> => {
    if (ops.length === 0) return;
    try {
      await write(ops);
    } catch (err) {
      if (!isRefusal(err)) throw err;
      if (ops.length === 1) return refuse(ops[0], err);
      const named = operationsNamedIn(err.detail, ops);
      if (named.length > 0) {
        for (const i of named) refuse(ops[i], err);
        return send(ops.filter((_, i) => !named.includes(i)));
      }
      const half = Math.ceil(ops.length / 2);
      await send(ops.slice(0, half));
      await send(ops.slice(half));
    }
  };
  const deactivation = todo.find(isDeactivation);
  if (deactivation && todo.length > 1) {
    // Its own write: a refusal of it is the user's failure, not an op to isolate.
    await write([deactivation]);
    await send(todo.filter((op) => op !== deactivation));
  } else if (deactivation) {
    await write(todo);
  } else {
    await send(todo);
  }
  return { ...(written ? { written } : {}), notes };
}

/** The POST body without the attributes the run learned a create refuses, and the notes saying so. */
export function withoutRefusedAttributes(learning: TargetLearning, newUser: NewUser): { user: NewUser; notes: Warning[]; dropped: ManagedAttribute[] } {
  const { user, dropped } = withoutCreateAttributes(newUser, (a) => learning.operationRefused(createForm(a)), learning.requiredExtensions());
  return { user, notes: dropped.map((a) => warnings.refusedAttribute(createForm(a), 'not sent: refused earlier in this run')), dropped };
}

/** The operations without the forms the run learned are refused, and the notes saying so. */
export function withoutRefusedOperations(learning: TargetLearning, operations: readonly PatchOperation[]): { operations: PatchOperation[]; notes: Warning[] } {
  const notes: Warning[] = [];
  const kept: PatchOperation[] = [];
  for (const op of operations) {
    if (learning.operationRefused(operationForm(op))) notes.push(warnings.refusedAttribute(operationForm(op), 'not sent: refused earlier in this run'));
    else kept.push(op);
  }
  return { operations: kept, notes };
}

/**
 * A POST that survives a refused attribute: attributes the run learned a create refuses are left out, and a
 * 400 that names an attribute is retried without it (and learned). A refusal that names none is the user's failure.
 */
export async function createIsolating(
  scim: ScimClient,
  learning: TargetLearning,
  newUser: NewUser,
): Promise<{ created: VersionedUser; notes: Warning[]; dropped: ManagedAttribute[] }> {
  const refusedEarlier = withoutRefusedAttributes(learning, newUser);
  const { notes, dropped } = refusedEarlier;
  let { user } = refusedEarlier;
  for (;;) {
    try {
      return { created: await scim.createUser(user), notes, dropped };
    } catch (err) {
      if (!isRefusal(err)) throw err;
      // An unknown skill or role: the user is created with the rest of the set.
      const items = dropNamedItems(user as Record<string, unknown>, err.detail);
      if (items.length > 0) {
        for (const form of items) {
          learning.learnOperation(form, undefined, err.scimType, err.detail);
          notes.push(warnings.refusedAttribute(form, why(err)));
        }
        continue;
      }
      const culprit = createAttributeNamedIn(err.detail, user);
      if (!culprit) throw err;
      user = withoutCreateAttributes(user, (a) => a === culprit, learning.requiredExtensions()).user;
      learning.learnOperation(createForm(culprit), culprit, err.scimType, err.detail);
      dropped.push(culprit);
      notes.push(warnings.refusedAttribute(createForm(culprit), why(err)));
    }
  }
}
