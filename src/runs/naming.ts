import { targetName, type ClientConfig, type TemporalConfig } from '../config';
import type { SyncMode } from '../workflows/contracts';
import { UsageError } from './outcome';

/** Writes per minute the ETA assumes when the config sets no rate budget. */
export const DEFAULT_RATE_PER_MINUTE = 300;

/** The target (org) name on the client side: --target, else the rule the worker uses too (`targetName`). */
export function targetNameOf(cfg: Pick<ClientConfig, 'target'>, override?: string): string {
  const name = override ?? targetName(cfg);
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(name)) throw new UsageError(`target name "${name}": use 1-40 letters, digits, dot, dash or underscore`);
  return name;
}

export function ratePerMinuteOf(cfg: Pick<ClientConfig, 'target'>): number {
  return cfg.target?.rateLimitPerMinute ?? DEFAULT_RATE_PER_MINUTE;
}

/** The HrsyncMode value: delta, full, delta-dry-run, full-dry-run. */
export function modeLabel(mode: SyncMode, dryRun?: boolean): string {
  return dryRun ? `${mode}-dry-run` : mode;
}

/** 2026-11-26T17:45:00.123Z -> 20261126T174500Z */
export function compactTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Readable ids: hrsync-acme-delta-20261126T174500Z, hrsync-acme-full-dry-run-20261126T174500Z. */
export function runWorkflowId(target: string, mode: SyncMode, dryRun: boolean | undefined, at: Date = new Date()): string {
  return `hrsync-${target}-${modeLabel(mode, dryRun)}-${compactTimestamp(at)}`;
}

/** The run's page in the Temporal Web UI (the latest run of the id unless runId is given). */
export function webUiLink(temporal: Pick<TemporalConfig, 'webUiUrl' | 'namespace'>, workflowId: string, runId?: string): string {
  const base = temporal.webUiUrl.replace(/\/+$/, '');
  const ns = encodeURIComponent(temporal.namespace);
  const id = encodeURIComponent(workflowId);
  return runId ? `${base}/namespaces/${ns}/workflows/${id}/${encodeURIComponent(runId)}/history` : `${base}/namespaces/${ns}/workflows/${id}`;
}

/** `--since`: an ISO 8601 instant with a date, a time and a zone, returned normalised to UTC. */
export function parseSince(text: string): string {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim());
  const ms = Date.parse(text);
  if (!ok || Number.isNaN(ms)) throw new UsageError(`--since: expected an ISO 8601 instant such as 2026-11-26T17:45:00Z, got "${text}"`);
  if (ms > Date.now() + 60_000) throw new UsageError(`--since: ${text} is in the future`);
  return new Date(ms).toISOString();
}

/** The schedule's page in the Temporal Web UI. */
export function scheduleUiLink(temporal: Pick<TemporalConfig, 'webUiUrl' | 'namespace'>, scheduleId: string): string {
  return `${temporal.webUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(temporal.namespace)}/schedules/${encodeURIComponent(scheduleId)}`;
}
