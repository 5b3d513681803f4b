/** The SCIM 2.0 client: profiles (genesys, scim2), auth, pacing, typed errors, filters, bulk. */
export { createScimClient, type ScimClientOptions, type GenesysClientOptions, type Scim2ClientOptions } from './factory';
export {
  ScimClient,
  withoutName,
  type VersionedUser,
  type TargetCapabilities,
  type ListQuery,
  type IterateQuery,
  type UserPage,
  type ClientStats,
  type MemberChanges,
} from './client';
export * from './errors';
export { eq, and, or, valuePath, filterString, type Filter } from './model/types/filter';
export { Pacer, budgetPerMinute, type RateBudget, type PacerOptions } from './pacer';
export {
  GENESYS_REGIONS,
  GENESYS_LARGE_PAGE_EXCLUDES,
  genesysDomain,
  genesysEndpoints,
  genesysProfile,
  scim2Profile,
  type ProfileName,
  type TargetProfile,
  type UserLookupKey,
} from './profile';
export { ClientCredentialsTokenSource, StaticBearerToken, type AccessTokenSource } from './auth';
export { ScimHttp, countingCalls, type HttpStats } from './http';
export { planBulkChunks, bulkResultError, bulkResultStatus, isBulkSuccess, type BulkLimits } from './bulk';
export { patchOp, bulkRequest } from './model/messages/builders';
export type { User, NewUser } from './model/resources/user';
export type { Group } from './model/resources/group';
export type { PatchOperation, PatchOp } from './model/messages/patchop';
export type { BulkOperation, BulkOperationResult } from './model/messages/bulk';
export type { ListResponse } from './model/messages/listresponse';
export type { ServiceProviderConfig } from './model/resources/serviceproviderconfig';
