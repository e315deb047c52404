import { describe, expect, it } from "vitest";
import { backoffDelay, projectedAvailable, spareShare, waitBeforeRequest } from "~/domain/leaky-bucket";

const standard = { maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100, observedAt: 10_000 };

describe("the leaky bucket", () => {
  it("refills at the restore rate up to the bucket size", () => {
    expect(projectedAvailable(standard, 10_000)).toBe(100);
    expect(projectedAvailable(standard, 12_500)).toBe(350);
    expect(projectedAvailable(standard, 60_000)).toBe(2000);
  });

  it("tells the share of the bucket free now, and nothing before the bucket was seen", () => {
    expect(spareShare(standard, 10_000)).toBe(0.05);
    expect(spareShare(standard, 19_500)).toBe(0.525);
    expect(spareShare(standard, 60_000)).toBe(1);
    expect(spareShare(undefined, 0)).toBeNull();
  });

  it("lets a request through at once when it fits", () => {
    expect(waitBeforeRequest(standard, 100, 10_000)).toBe(0);
    expect(waitBeforeRequest(undefined, 1000, 0)).toBe(0);
  });

  it("waits exactly long enough for the missing points to restore", () => {
    // 130 points needed, 100 available, 100 points/s → 300 ms
    expect(waitBeforeRequest(standard, 130, 10_000)).toBe(300);
    // later observations count the refill already made
    expect(waitBeforeRequest(standard, 130, 10_200)).toBe(100);
  });

  it("never waits for more than the bucket can hold", () => {
    const empty = { ...standard, currentlyAvailable: 0 };
    expect(waitBeforeRequest(empty, 5000, 10_000)).toBe(20_000);
  });

  it("backs off exponentially with full jitter under a cap", () => {
    expect(backoffDelay(0, 0.5, 500, 30_000)).toBe(250);
    expect(backoffDelay(3, 0.5, 500, 30_000)).toBe(2000);
    expect(backoffDelay(20, 0.999, 500, 30_000)).toBe(29_970);
    expect(backoffDelay(2, 0, 500, 30_000)).toBe(0);
  });
});
