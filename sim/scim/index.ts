/**
 * The Genesys-faithful SCIM 2.0 simulator: the only Genesys the demo, tests and benchmarks see.
 * Behaviour follows docs/genesys-scim.md; `mode: 'scim2'` behaves like a generic RFC 7644 server.
 */
export type { ScimSimOptions, ScimFaults, ScimStrictness } from './options';
export type { SimStats, RequestLogEntry, FaultCounters } from './stats';
export type { ScimSimulator } from './server';
export { startScimSimulator, SCIM_BASE_PATH } from './server';
export type { User } from '../../src/scim/model/resources/user';
export type { Group } from '../../src/scim/model/resources/group';
