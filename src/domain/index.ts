/**
 * The pure domain core: no I/O, no clock (callers pass `today`), no randomness; every input and output
 * is plain JSON data, so it runs in activities and, if need be, in workflow code.
 *
 * One run, in domain terms:
 *   planBatch(employees, candidateUsers, mapping, { profile, today, userIdsByHrId, groupIdsByName })
 *     = matchEmployees -> mapEmployee -> diffUser / toNewUser + diffGroups, per employee
 *   evaluateDeactivationGate(count of 'deactivate', active population)
 *   orderByManagers(changes) -> waves; releaseCycles; per wave: resolvePendingManager(change, idsByHrId), write
 *   measureDrift(change.desired, userAfterWrite, ...) -> report rows
 */
export * from './profile';
export * from './dates';
export * from './normalise';
export * from './mapping/config';
export * from './mapping/map';
export * from './matching';
export * from './diff';
export * from './groups';
export * from './plan';
export * from './references';
export * from './gate';
export * from './drift';
export * from './warnings';
