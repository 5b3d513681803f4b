export interface RateDecision {
  allowed: boolean;
  /** Requests counted in the current window, this one included when allowed. */
  count: number;
  limit: number | null;
  /** Whole seconds until the window resets. */
  resetSeconds: number;
}

interface Window {
  startedAt: number;
  count: number;
}

/** A fixed window per access token, as Genesys counts requests per token. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private limit: number | null,
    private readonly windowMs: number,
  ) {}

  setLimit(limit: number | null): void {
    this.limit = limit;
  }

  take(tokenKey: string, now: number): RateDecision {
    let w = this.windows.get(tokenKey);
    if (!w || now - w.startedAt >= this.windowMs) {
      w = { startedAt: now, count: 0 };
      this.windows.set(tokenKey, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.startedAt + this.windowMs - now) / 1000));
    if (this.limit !== null && w.count >= this.limit) {
      return { allowed: false, count: w.count, limit: this.limit, resetSeconds };
    }
    w.count += 1;
    return { allowed: true, count: w.count, limit: this.limit, resetSeconds };
  }

  forget(tokenKey: string): void {
    this.windows.delete(tokenKey);
  }
}
