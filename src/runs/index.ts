export { withClient } from './client';
export { parseCsv, column, type ReportRow } from './csv';
export { approveRun, rejectRun, NotAwaitingApprovalError } from './approval';
export { cancelRun, NotRunningError } from './cancel';
export {
  fetchReport,
  followRun,
  listRuns,
  runResult,
  runStatus,
  ReportUnavailableError,
  RunNotFoundError,
  type ListRunsOptions,
  type RunListing,
  type RunReport,
  type RunState,
  type RunStatus,
} from './inspect';
export * from './naming';
export * from './outcome';
export { buildPlanView, planLines, type PlanChange, type PlanView } from './plan';
export { ConcurrentSyncError, confirmRunning, runningSyncs, type RunCandidate, startSync, type StartedRun, type StartSyncOptions } from './start';
