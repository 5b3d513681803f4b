import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes on every sync run. They are not encrypted, so they hold no PII: only
 * the target's configured name, the mode, the outcome and counts.
 */
export const SA = {
  target: defineSearchAttributeKey('HrsyncTarget', SearchAttributeType.KEYWORD),
  mode: defineSearchAttributeKey('HrsyncMode', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('HrsyncOutcome', SearchAttributeType.KEYWORD),
  awaitingApproval: defineSearchAttributeKey('HrsyncAwaitingApproval', SearchAttributeType.BOOL),
  // The dev server's SQLite store allows at most three Int attributes per namespace.
  planned: defineSearchAttributeKey('HrsyncPlanned', SearchAttributeType.INT),
  failed: defineSearchAttributeKey('HrsyncFailed', SearchAttributeType.INT),
  drift: defineSearchAttributeKey('HrsyncDrift', SearchAttributeType.INT),
  /** Where the next delta of this target starts reading HR (see the watermark activity). */
  watermark: defineSearchAttributeKey('HrsyncWatermark', SearchAttributeType.DATETIME),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SA);

const cliTypeName: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DATETIME]: 'Datetime',
};

/** `Name=Type` pairs for `temporal server start-dev --search-attribute` and `temporal operator`. */
export function searchAttributeCliArgs(): string[] {
  return ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${cliTypeName[k.type]}`);
}
