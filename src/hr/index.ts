export { EmployeeSchema, EmployeeStatusSchema, matchKeyOfEmail, type Employee, type EmployeeStatus, type RawEmployee } from './employee';
export { createHrConnector, type HrApiToken, type HrConnector, type HrConnectorOptions, type ReadPageRequest } from './connector';
export { highWaterMarkOf, mergeDuplicates, parsePage, validateRecords, type DuplicateRecord, type HrPage, type RejectedRecord } from './page';
export {
  describeCursor,
  HrError,
  HrMalformedPageError,
  HrPermanentError,
  HrRateLimitedError,
  HrTransientError,
  isHrError,
  type HrErrorKind,
} from './errors';
