export { smokeWorkflow } from './smoke';
export { syncWorkflow, progressQuery, pendingApprovalQuery, approveUpdate, rejectUpdate } from './sync';
