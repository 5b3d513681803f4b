import { setTimeout as delay } from 'node:timers/promises';

/** At most `requests` requests in any `perMs` window (Genesys: 300 per 60 000 ms per token). */
export interface RateBudget {
  requests: number;
  perMs: number;
}

export interface RateLimitHeaders {
  get(name: string): string | null;
}

export interface PacerOptions {
  /** null: no budget of our own; the server's signals (429, inin-ratelimit-*) are still honoured. */
  budget: RateBudget | null;
  /** A server-imposed wait longer than this is not slept through: acquire() rejects so Temporal can schedule the retry. */
  maxServerWaitMs?: number;
  /** Follow `inin-ratelimit-*` headers (default true). */
  adaptive?: boolean;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The longest pause a server's signal can impose on the pacer (the HTTP layer refuses longer Retry-Afters outright). */
export const MAX_PAUSE_MS = 15 * 60_000;

export class PacerWaitTooLongError extends Error {
  constructor(readonly waitMs: number) {
    super(`the target asked to pause for ${waitMs} ms`);
    this.name = 'PacerWaitTooLongError';
  }
}

export interface Permit {
  /** Call once the response arrived; its rate-limit headers steer the next requests. */
  release(headers?: RateLimitHeaders): void;
}

/**
 * Keeps a client under its request budget by delaying (never busy-waiting) before each request.
 *
 * Two rules together, so that neither a fixed-window nor a sliding-window server counts more than the budget:
 * - a token bucket spreads requests evenly (burst of about one second's worth), so a budget of 300/min
 *   gives a steady 5/s instead of 300 at once then a minute of silence;
 * - a log of the last `requests` send times guarantees no window of `perMs` (plus a small margin for
 *   network jitter) ever holds more than `requests`.
 * Server signals come on top: a 429's Retry-After and, from `inin-ratelimit-*` headers, an almost spent
 * window pause everyone until the server says so.
 * Callers are served first come, first served.
 */
export class Pacer {
  readonly #budget: RateBudget | null;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxServerWaitMs: number;
  readonly #adaptive: boolean;
  readonly #interval: number;
  readonly #burst: number;
  readonly #windowMs: number;
  #tokens: number;
  #refilledAt: number;
  readonly #sent: number[] = [];
  #blockedUntil = 0;
  #inFlight = 0;
  #queue: Promise<void> = Promise.resolve();
  #waitedMs = 0;

  constructor(opts: PacerOptions) {
    this.#budget = opts.budget && opts.budget.requests > 0 && opts.budget.perMs > 0 ? opts.budget : null;
    this.#now = opts.now ?? Date.now;
    this.#sleep = opts.sleep ?? ((ms) => delay(ms));
    this.#maxServerWaitMs = opts.maxServerWaitMs ?? 10_000;
    this.#adaptive = opts.adaptive ?? true;
    const b = this.#budget;
    this.#interval = b ? b.perMs / b.requests : 0;
    this.#burst = b ? Math.max(1, Math.min(b.requests, Math.floor(b.requests * (1000 / b.perMs)))) : 0;
    this.#windowMs = b ? b.perMs + Math.max(50, b.perMs * 0.02) : 0;
    this.#tokens = this.#burst;
    this.#refilledAt = this.#now();
  }

  get budget(): RateBudget | null {
    return this.#budget;
  }

  /** Total time callers spent waiting for the budget (for reports and tests). */
  get waitedMs(): number {
    return this.#waitedMs;
  }

  acquire(): Promise<Permit> {
    const turn = this.#queue.then(() => this.#waitTurn());
    // The queue must survive a rejected turn (a too-long server pause).
    this.#queue = turn.catch(() => undefined);
    return turn.then(() => {
      this.#inFlight += 1;
      let released = false;
      return {
        release: (headers?: RateLimitHeaders) => {
          if (released) return;
          released = true;
          this.#inFlight -= 1;
          if (headers) this.observe(headers);
        },
      };
    });
  }

  /**
   * A 429 said "not before retryAfterMs": nobody sends until then. Capped: whatever a server says, the
   * pacer never holds every request of the worker for longer than MAX_PAUSE_MS.
   */
  pauseFor(retryAfterMs: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, this.#now() + Math.min(Math.max(retryAfterMs, 0), MAX_PAUSE_MS));
  }

  /**
   * Genesys sends `inin-ratelimit-count` (used), `inin-ratelimit-allowed` (limit) and
   * `inin-ratelimit-reset` (seconds until the window resets). When what is left would be used up by the
   * requests already in flight, pause until the reset.
   */
  observe(headers: RateLimitHeaders): void {
    if (!this.#adaptive) return;
    const count = num(headers.get('inin-ratelimit-count'));
    const allowed = num(headers.get('inin-ratelimit-allowed'));
    const reset = num(headers.get('inin-ratelimit-reset'));
    if (count === undefined || allowed === undefined || reset === undefined) return;
    const remaining = allowed - count;
    if (remaining > Math.max(1, this.#inFlight)) return;
    const resetMs = resetToMs(reset, this.#now());
    const cap = this.#budget ? this.#budget.perMs + 1000 : 61_000;
    this.pauseFor(Math.min(Math.max(resetMs, 0), cap));
  }

  async #waitTurn(): Promise<void> {
    for (;;) {
      const now = this.#now();
      const serverWait = this.#blockedUntil - now;
      if (serverWait > this.#maxServerWaitMs) throw new PacerWaitTooLongError(Math.ceil(serverWait));
      const wait = Math.max(serverWait, this.#budgetWait(now));
      if (wait <= 0) break;
      this.#waitedMs += wait;
      await this.#sleep(Math.ceil(wait));
    }
    if (this.#budget) {
      this.#tokens -= 1;
      this.#sent.push(this.#now());
      if (this.#sent.length > this.#budget.requests) this.#sent.shift();
    }
  }

  #budgetWait(now: number): number {
    const b = this.#budget;
    if (!b) return 0;
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#refilledAt) / this.#interval);
    this.#refilledAt = now;
    const bucketWait = this.#tokens >= 1 ? 0 : (1 - this.#tokens) * this.#interval;
    const windowWait = this.#sent.length >= b.requests ? this.#sent[0] + this.#windowMs - now : 0;
    return Math.max(bucketWait, windowWait);
  }
}

function num(v: string | null): number | undefined {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Seconds until reset; tolerate an epoch timestamp in seconds or milliseconds, since the unit is not documented. */
function resetToMs(reset: number, now: number): number {
  if (reset > 1e12) return reset - now;
  if (reset > 1e9) return reset * 1000 - now;
  return reset * 1000;
}

export function budgetPerMinute(requestsPerMinute: number | null | undefined): RateBudget | null {
  return requestsPerMinute && requestsPerMinute > 0 ? { requests: requestsPerMinute, perMs: 60_000 } : null;
}
