import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../src/retry-after';

describe('parseRetryAfter: the wait a 429 asks for (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2026-12-02T08:00:00Z');
  const cases: [string, string | null | undefined, number | undefined][] = [
    ['delay-seconds', '3', 3_000],
    ['delay-seconds of nought: no wait', '0', 0],
    ['delay-seconds with spaces around', '  7 ', 7_000],
    ['many delay-seconds: read as said (the caller caps them)', '86400', 86_400_000],
    ['decimal seconds (not the RFC\'s, but sent): to the millisecond', '1.5', 1_500],
    ['IMF-fixdate', 'Wed, 02 Dec 2026 08:00:10 GMT', 10_000],
    ['obsolete RFC 850 date', 'Wednesday, 02-Dec-26 08:00:20 GMT', 20_000],
    ['obsolete asctime date, read as UTC', 'Wed Dec  2 08:00:30 2026', 30_000],
    ['asctime with a two-digit day', 'Sat Dec 12 08:00:00 2026', 10 * 24 * 3600_000],
    ['a date gone by: no wait', 'Tue, 01 Dec 2026 08:00:00 GMT', 0],
    ['RFC 850 year more than 50 years ahead is the last century\'s: gone by', 'Friday, 06-Nov-94 08:49:37 GMT', 0],
    ['missing', null, undefined],
    ['absent', undefined, undefined],
    ['empty', '', undefined],
    ['blank', '   ', undefined],
    ['negative seconds', '-5', undefined],
    ['negative decimal seconds', '-1.5', undefined],
    ['garbage', 'soon', undefined],
    ['garbage with a number (Date.parse would say 2001)', 'soon 1', undefined],
    ['seconds with a unit', '5s', undefined],
    ['exponent notation', '1e3', undefined],
    ['ISO 8601 is not an HTTP-date', '2026-12-02T08:00:10Z', undefined],
    ['a date in another zone is not an HTTP-date', 'Wed, 02 Dec 2026 08:00:10 +0100', undefined],
    ['a day that does not exist', 'Thu, 31 Feb 2026 08:00:00 GMT', undefined],
    ['an hour that does not exist', 'Wed, 02 Dec 2026 25:00:00 GMT', undefined],
    ['a lower-case month', 'Wed, 02 dec 2026 08:00:10 GMT', undefined],
  ];
  for (const [what, header, expected] of cases) it(`${what}: ${JSON.stringify(header)}`, () => assert.equal(parseRetryAfter(header, now), expected));

  it('reads the date against the clock it is given, the real one by default', () => {
    const inTen = new Date(Math.ceil(Date.now() / 1000) * 1000 + 10_000).toUTCString();
    const waited = parseRetryAfter(inTen);
    assert.ok(waited !== undefined && waited > 0 && waited <= 11_000, String(waited));
  });
});
