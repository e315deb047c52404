import { ServiceError } from "~/services/service-error";

// Fixed-window counters in this process's memory: enough to blunt a script hammering one instance's public
// endpoints (several instances each keep their own counts; Shopify's own edge limits stand in front).
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit for `key`; returns the seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.sweep(now);
      this.windows.set(key, { start: now, count: 1 });
      return 0;
    }
    window.count += 1;
    return window.count > this.limit ? Math.ceil((window.start + this.windowMs - now) / 1000) : 0;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows)
      if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

export class RateLimitedError extends ServiceError {
  constructor(
    field: string,
    readonly retryAfterSeconds: number,
  ) {
    super("rate_limited", { field, message: `too many requests; try again in ${retryAfterSeconds} s` });
  }
}

// Per client address: browsing shoppers never come near this; per order: a survey is answered once.
export const perClient = new RateLimiter(120, 60_000);
export const perOrderAnswer = new RateLimiter(10, 60_000);

export function enforceRateLimits(
  checks: { limiter: RateLimiter; key: string | null; field: string }[],
): void {
  for (const check of checks) {
    if (!check.key) continue;
    const wait = check.limiter.hit(check.key);
    if (wait > 0) throw new RateLimitedError(check.field, wait);
  }
}
