import { describe, expect, it } from "vitest";
import { enforceRateLimits, RateLimitedError, RateLimiter } from "~/adapters/http/rate-limit.server";

describe("the rate limiter", () => {
  it("lets the limit through in a window, refuses the next with the seconds left, and resets after the window", () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([limiter.hit("a"), limiter.hit("a"), limiter.hit("a")]).toEqual([0, 0, 0]);
    now = 15_000;
    expect(limiter.hit("a")).toBe(45);
    expect(limiter.hit("b")).toBe(0);
    now = 60_000;
    expect(limiter.hit("a")).toBe(0);
  });

  it("raises a 429 error naming the field, and skips checks without a key", () => {
    const limiter = new RateLimiter(0, 1000, () => 0);
    limiter.hit("x");
    expect(() => enforceRateLimits([{ limiter, key: null, field: "client" }])).not.toThrow();
    try {
      enforceRateLimits([{ limiter, key: "x", field: "client" }]);
      throw new Error("expected a rate limit");
    } catch (error) {
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ status: 429, retryAfterSeconds: 1, errors: [{ field: "client" }] });
    }
  });
});
