import { z } from 'zod';
import { seededRandom, type Random } from './random';

const rate = z.number().min(0).max(1);

/**
 * What can go wrong with the HR API, as shares of requests (0..1) drawn from a seeded PRNG: the same seed
 * and the same requests give the same faults. One draw per request picks at most one of
 * error / rate limit / truncation / empty, in that order, so the shares add up.
 */
export const HrFaultsSchema = z.object({
  /** Answer 500, 502 or 503. */
  errorRate: rate,
  /** Delay every API response by this long. */
  delayMs: z.number().int().min(0),
  /** Answer 429 with Retry-After: 1. */
  rateLimitRate: rate,
  /** Per record: serve a broken copy (missing email, wrong-typed or invalid field). The store stays intact. */
  malformedRecordRate: rate,
  /** Answer 200 with the JSON body cut in half. */
  truncateRate: rate,
  /** Answer 200 with `{}` or an empty body. */
  emptyRate: rate,
});
export type HrFaults = z.infer<typeof HrFaultsSchema>;

export const NO_FAULTS: HrFaults = { errorRate: 0, delayMs: 0, rateLimitRate: 0, malformedRecordRate: 0, truncateRate: 0, emptyRate: 0 };

export type RequestFault =
  | { kind: 'error'; status: 500 | 502 | 503 }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'truncate' }
  | { kind: 'empty'; body: '' | '{}' };

/** The ways a record gets broken, each one a case the connector must reject with a reason. */
const CORRUPTIONS: ReadonlyArray<(r: Record<string, unknown>) => void> = [
  (r) => void delete r.email,
  (r) => void (r.first_name = 42),
  (r) => void (r.email = 'not-an-email'),
  (r) => void (r.status = 'retired'),
  (r) => void (r.updated_at = 'yesterday'),
  (r) => void (r.hire_date = '2024-02-31'),
];

export class FaultInjector {
  private faults: HrFaults;
  private readonly requests: Random;
  private readonly records: Random;

  constructor(seed: number, initial: Partial<HrFaults> = {}) {
    this.faults = HrFaultsSchema.parse({ ...NO_FAULTS, ...initial });
    this.requests = seededRandom(seed ^ 0x5eed);
    this.records = seededRandom(seed ^ 0xbad);
  }

  set(partial: Partial<HrFaults>): HrFaults {
    this.faults = HrFaultsSchema.parse({ ...this.faults, ...partial });
    return this.current();
  }

  current(): HrFaults {
    return { ...this.faults };
  }

  get delayMs(): number {
    return this.faults.delayMs;
  }

  /** Draws once per API request, even with no faults set, so that turning faults on mid-run stays reproducible. */
  forRequest(): RequestFault | null {
    const f = this.faults;
    const r = this.requests.next();
    let edge = f.errorRate;
    if (r < edge) return { kind: 'error', status: this.requests.pick([500, 502, 503] as const) };
    if (r < (edge += f.rateLimitRate)) return { kind: 'rate-limit', retryAfterSeconds: 1 };
    if (r < (edge += f.truncateRate)) return { kind: 'truncate' };
    if (r < (edge += f.emptyRate)) return { kind: 'empty', body: this.requests.chance(0.5) ? '' : '{}' };
    return null;
  }

  /** Broken copies of some records, per malformedRecordRate; the others are passed through as they are. */
  corrupt<T extends object>(records: readonly T[]): T[] {
    const share = this.faults.malformedRecordRate;
    if (share === 0) return [...records];
    return records.map((record) => {
      if (!this.records.chance(share)) return record;
      const copy = { ...record } as Record<string, unknown>;
      this.records.pick(CORRUPTIONS)(copy);
      return copy as T;
    });
  }
}
