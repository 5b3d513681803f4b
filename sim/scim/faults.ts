import { mulberry32 } from './prng';
import { NO_FAULTS, ScimFaults } from './options';

export type RequestFault =
  | { kind: 'drop' }
  | { kind: 'storm'; retryAfterSeconds: number }
  | { kind: 'error'; status: number };

const ERROR_STATUSES = [500, 502, 503, 504];

/**
 * Decides, request by request, which fault to inject. Each draw comes from one seeded PRNG and a
 * rate of zero draws nothing, so a given seed and request sequence always give the same faults.
 */
export class FaultInjector {
  private config: ScimFaults;
  private readonly random: () => number;

  constructor(config: ScimFaults, seed: number) {
    this.config = { ...NO_FAULTS, ...config };
    this.random = mulberry32(seed);
  }

  get current(): ScimFaults {
    return { ...this.config };
  }

  merge(changes: Partial<ScimFaults>): void {
    this.config = { ...this.config, ...changes };
  }

  get delayMs(): number {
    return Math.max(0, this.config.delayMs || 0);
  }

  /** The fault for one API request, if any, in order of severity. */
  forRequest(now: number): RequestFault | undefined {
    const c = this.config;
    const retryAfterSeconds = Math.max(1, Math.ceil(c.retryAfterSeconds ?? 1));
    if (this.hit(c.dropRate)) return { kind: 'drop' };
    if (c.stormUntil !== undefined && now < c.stormUntil) {
      return { kind: 'storm', retryAfterSeconds: Math.max(retryAfterSeconds, Math.ceil((c.stormUntil - now) / 1000)) };
    }
    if (this.hit(c.stormRate)) return { kind: 'storm', retryAfterSeconds };
    if (this.hit(c.errorRate)) {
      return { kind: 'error', status: ERROR_STATUSES[Math.floor(this.random() * ERROR_STATUSES.length)] };
    }
    return undefined;
  }

  /** Whether a concurrent admin edit lands just before this conditional write. */
  conflict(): boolean {
    return this.hit(this.config.conflictRate);
  }

  appliesToTokenEndpoint(): boolean {
    return !!this.config.faultTokenEndpoint;
  }

  private hit(rate: number | undefined): boolean {
    if (!rate || rate <= 0) return false;
    if (rate >= 1) return true;
    return this.random() < rate;
  }
}
