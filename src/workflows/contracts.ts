/**
 * The data that crosses the workflow/activity boundary. Everything here lands in Temporal history,
 * so it is small, plain JSON, and never holds a token or secret, nor an employee record: activities
 * pass cursors, counts and references (a page, a chunk, an HR id) to what the run store holds.
 */
import type { PlanAction } from '../domain/plan';
import type { GateConfig, MassChangeCounts } from '../domain/gate';

/** The failure type of a run that did its work but could not write its report (see finish.ts); the CLI words it from its message. */
export const REPORT_FAILED = 'report-failed';

export type SyncMode = 'delta' | 'full';

export interface SyncInput {
  mode: SyncMode;
  /** Plan and report, write nothing. */
  dryRun?: boolean;
  /** ISO timestamp: read HR changes after this instead of the stored watermark (delta only). */
  since?: string;
}

/** What `prepare` learns about the target and the worker's settings, once per run. */
export interface RunFacts {
  targetName: string;
  profile: 'genesys' | 'scim2';
  bulk: { supported: boolean; maxOperations: number };
  /**
   * The managed attributes this run writes (sorted), and the mapped ones the target doesn't take, from its
   * /Schemas (or, without them, the profile's known set). Absent in runs prepared by older builds.
   */
  attributes?: { writable: string[]; unsupported: { attribute: string; reason: string }[]; source: 'schemas' | 'profile' };
  /** Changes per apply activity. */
  chunkSize: number;
  /** Members per group PATCH (absent in runs prepared before memberships were batched across the run). */
  groupBatchSize?: number;
  /** Attempts of the per-user refetch after a version conflict. */
  conflictRetries: number;
  /** The mass-change limits are absent in runs planned before they existed. */
  gate: Pick<GateConfig, 'maxCount' | 'maxPercent'> & Partial<GateConfig> & { timeoutSeconds: number };
  /** YYYY-MM-DD the run plans for (the worker's clock, recorded once so replays agree). */
  today: string;
  /** The gate's population: users in an unfiltered list (active users on Genesys, all users on a generic target). */
  population: number;
  /** Target group ids of the mapped group names. */
  groupIds: Record<string, string>;
  /** Mapped group names that do not exist in the target. */
  missingGroups: string[];
  /** HR changes are read after this instant (delta); null reads everything. */
  updatedAfter: string | null;
  /** The last successful run's watermark (before the overlap): what a run that reads nothing carries forward. */
  previousWatermark?: string | null;
  /** Continue as new after this many pages even if Temporal hasn't suggested it (0: only when suggested). */
  maxPagesPerRun?: number;
  /** How far the next delta reaches back behind the watermark, for clock skew. */
  watermarkOverlapMs: number;
  /** Proves the run's working state (RunStore) is this run's: written when the run starts, checked by every activity that reads it. */
  runToken: string;
  /** Heartbeat timeout of the steps after prepare: how soon an activity of a worker that died is retried elsewhere. */
  heartbeatTimeoutSeconds?: number;
}

/** What an activity needs to find, and check, the run's working state. */
export interface RunRef {
  runKey: string;
  runToken: string;
}

export interface RejectedHrRecord {
  id: string | null;
  reason: string;
}

export type Pass = 'plan' | 'apply';

export interface DeactivationPreview {
  hrId: string;
  userId?: string;
  /** The target user's userName and displayName, so the person at the gate knows who this is. */
  userName?: string;
  displayName?: string;
  reason?: string;
}

/**
 * What planning one page needs besides the page's own place. The employees, and the plan made of them,
 * stay in the run store: the apply pass stores each page's actionable changes in write chunks of
 * `chunkSize`, which the apply activities read back by reference (see ChunkRef).
 */
export interface PlanInput extends RunRef {
  pass: Pass;
  mode: SyncMode;
  today: string;
  groupIds: Record<string, string>;
  chunkSize: number;
  bulk: boolean;
  /** How many deactivations the gate's preview still takes (0 in the apply pass). */
  previewRoom: number;
}

/** Which page a stored plan is of: an HR page (counted from 0), or the users HR no longer has from an offset. */
export type PageRef = { read: 'hr'; page: number } | { read: 'orphans'; offset: number };

/** One write chunk of the run: of a page's stored plan, or of the joiners who manage someone (from `offset`, `size` of them). */
export type ChunkRef = (PageRef & { chunk: number }) | { read: 'managers'; offset: number; size: number };

/** What the workflow keeps of a planned page: counts, never the changes. */
export interface PagePlan {
  counts: Partial<Record<PlanAction, number>>;
  /** Mass changes beyond deactivations (cleared managers or departments, removed memberships, reactivations), for the gate. */
  massChanges?: MassChangeCounts;
  /** The page's first deactivations, as many as the input's `previewRoom`. */
  deactivations: DeactivationPreview[];
  /** Actionable changes, and of them the deactivations (the apply pass's guard). */
  writes: number;
  deactivating: number;
  /** Write chunks the changes make (stored in the apply pass). */
  chunks: number;
  /** The chunks written at once, wave after wave: how many in each (see chunkWaves), summing to `chunks`. */
  waves: number[];
  /** Target calls writing them takes (see writeCalls), and the members each group gains or loses. */
  callsToMake: number;
  groupMembers: Record<string, number>;
  apiCalls: number;
}

/** What a delta's HR page needs to choose between asking the target and reading it once (see domain/readonce). */
export interface DeltaResolution {
  /** The target's population (RunFacts.population). */
  population: number;
  /** Target calls the run's lookups have cost so far. */
  spent: number;
  /** The run read the target once: its pages resolve from that read. */
  targetRead: boolean;
}

export interface HrPagePlan extends PagePlan {
  employees: number;
  rejected: number;
  nextCursor: string | null;
  highWaterMark: string | null;
  /**
   * The page was not planned: reading the target once is cheaper than its lookups (this says why). The run
   * reads the target and plans the page again from that read.
   */
  readTarget?: string;
  /** Target calls resolving the page's users took (a delta's lookups; absent: none). */
  lookupCalls?: number;
  /**
   * The page has an employee the page written meanwhile (`writing`) writes too, whose write this plan
   * could not see yet: nothing was planned, and the page is planned again once that page is written.
   */
  planAgain?: true;
}

/** Where planHrPage reads from, and the HR page whose chunks are written while it plans, if any. */
export interface HrPageInput extends PlanInput {
  page: number;
  cursor: string | null;
  updatedAfter: string | null;
  writing?: number;
  /** A delta's: what deciding between its lookups and one read of the target needs (see domain/readonce). */
  resolution?: DeltaResolution;
}

export interface OrphanPage extends PagePlan {
  nextOffset: number | null;
}

export type Outcome = 'applied' | 'unchanged' | 'failed' | 'conflict' | 'pending-reference' | 'planned' | 'deferred' | 'skipped' | 'rejected';

export interface ChunkResult {
  outcomes: Partial<Record<Outcome, number>>;
  /** HR ids whose write met a newer version: the workflow hands each to the per-user refetch. */
  conflicts: string[];
  /** Changes in the chunk. */
  writes: number;
  /** The oldest HR `updated_at` among the chunk's failed writes, and among its references left for the end. */
  oldestFailure: string | null;
  oldestPendingReference: string | null;
  apiCalls: number;
}

export interface ManagersFirstResult extends ChunkResult {
  /** Where the next chunk starts; null after the last. */
  nextOffset: number | null;
}

export interface MembershipResult {
  /** Users whose membership failed for good: their rows turn to failed, from the outcome their write had. */
  failed: { hrId: string; was: Outcome; updatedAt?: string }[];
  groups: number;
  apiCalls: number;
}

export interface UserResult {
  outcome: Outcome;
  apiCalls: number;
  /** The user's HR `updated_at` when the refetch failed for good: the watermark stays before it. */
  oldestFailure: string | null;
}

export interface ReferenceResult {
  resolved: number;
  failed: number;
  apiCalls: number;
  /** Where the next batch starts; null (or absent, in runs recorded before batching) when all are done. */
  nextOffset?: number | null;
  /** The oldest HR `updated_at` among the references left unset (absent in runs recorded before it). */
  oldestFailure?: string | null;
  /** References left unset whose `updated_at` was not recorded: they hold the watermark as before. */
  undatedFailures?: number;
}

export interface ReportResult {
  reportPath: string;
  /** What the run learned about its target, one line each (unsupported attributes, refused filters and operations). */
  notices?: string[];
  rows: number;
  drift: number;
  outcomes: Partial<Record<Outcome, number>>;
}

export type RunOutcome = 'succeeded' | 'completed-with-failures' | 'dry-run' | 'rejected';

/** The counters a run keeps while it goes (Progress) and reports when it ends (SyncSummary): declared once, for both. */
export interface RunCounters {
  /** Changes the plan pass counted, by action. */
  planned: Partial<Record<PlanAction, number>>;
  /** Users by how their write ended (in the summary, as the report's rows say). */
  outcomes: Partial<Record<Outcome, number>>;
  employeesRead: number;
  rejectedRecords: number;
  apiCalls: number;
  /**
   * Target calls the writing part of the run makes, as the plan counts them (the apply pass plans from the
   * plan pass's reads, so only writes): a write per change, a PATCH per manager reference left for the end, and
   * per group a PATCH per batch of members. What a dry run's ETA rests on.
   */
  callsToMake?: number;
}

export interface SyncSummary extends RunCounters {
  workflowId: string;
  mode: SyncMode;
  dryRun: boolean;
  outcome: RunOutcome;
  drift: number;
  reportPath: string;
  /** The high-water mark the next delta starts from (minus the overlap); null when this run does not advance it. */
  watermark: string | null;
  /** `note`: the reason the person gave with approve or reject. */
  gate?: { required: boolean; reason: string; decision?: 'approved' | 'rejected' | 'timed-out'; by?: string; note?: string };
  /** Mapped group names the target has no group for (Genesys can't create groups over SCIM). */
  missingGroups?: string[];
  /** What the run learned about its target: mapped attributes it doesn't take, filters and operations it refused. */
  notices?: string[];
}

export interface Progress extends RunCounters {
  phase: string;
  pass: Pass;
  pagesRead: number;
  /** Writes the plan still needs (for an ETA at the rate budget). */
  writesRemaining: number;
  awaitingApproval: boolean;
  /** `apiCalls` when the apply pass began: calls since then count against `callsToMake`. */
  callsAtApply?: number;
}
