/**
 * How two values are compared. Diff and drift both use these, so "what we would change" and
 * "what still differs" can never disagree.
 */

/** Trimmed, Unicode NFC (a composed and a decomposed "é" are the same name). */
export function normaliseText(s: string): string {
  return s.normalize('NFC').trim();
}

/** Text for display: trimmed, NFC, runs of white space collapsed to one space. */
export function tidyText(s: string): string {
  return normaliseText(s).replace(/\s+/g, ' ');
}

/** Emails compare case-insensitively: no mail system honours local-part case, and Genesys userNames don't. */
export function normaliseEmail(s: string): string {
  return normaliseText(s).toLowerCase();
}

/** Phones compare by their digits: `+1 555-0100`, `+15550100` and `tel:+1-555-0100` are one number. */
export function phoneDigits(s: string): string {
  return s.replace(/\D/g, '');
}

const E164 = /^\+[1-9]\d{1,14}$/;
/** E.123 visual separators that people type around an international number. */
const VISUAL_SEPARATORS = /[\s\-.()]/g;
/** RFC 3966: a global number, or a local one with a phone-context, then optional parameters. */
const TEL_URI = /^tel:(\+[\d\-.()]*\d[\d\-.()]*|[\d\-.()*#]*[\d*#][\d\-.()*#]*;phone-context=[^;\s]+)(;[A-Za-z0-9-]+(=[^;\s]*)?)*$/i;

/**
 * The number as the target should store it: E.164 (separators removed) or a tel: URI kept as given.
 * `undefined` when the text is neither, because a guessed country code would be worse than no number.
 */
export function canonicalPhone(raw: string): string | undefined {
  const s = raw.trim();
  if (/^tel:/i.test(s)) return TEL_URI.test(s) ? `tel:${s.slice(4)}` : undefined;
  if (!s.startsWith('+')) return undefined;
  const compact = s.replace(VISUAL_SEPARATORS, '');
  return E164.test(compact) ? compact : undefined;
}
