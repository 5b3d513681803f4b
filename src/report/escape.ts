/**
 * Control characters as visible escapes (`\n`, `\r`, `\u001b`): HR values reach CSV cells and terminals,
 * where a line break starts a new row and an escape sequence rewrites the screen. Tab stays: it is
 * harmless in both, and the CSV guards a leading one itself. Bidi controls are included, so that text
 * read right to left cannot disguise what follows it.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
