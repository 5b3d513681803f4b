/**
 * The message at the bottom of an error's cause chain: the activity's own words, not its wrappers'
 * (an ActivityFailure wraps the activity's error, a WorkflowFailedError wraps both). A link without words
 * is passed over, so a wrapper with an empty message never hides the words below it. Pure: the workflow
 * bundle and the CLI both use it.
 */
export function rootMessage(err: unknown): string {
  let message: string | undefined;
  const seen = new Set<unknown>();
  for (let cur = err as { message?: unknown; cause?: unknown } | undefined; cur && typeof cur === 'object' && !seen.has(cur); cur = cur.cause as typeof cur) {
    seen.add(cur);
    if (typeof cur.message === 'string' && cur.message) message = cur.message;
  }
  return message ?? String(err);
}
