// Shopify's Admin GraphQL rate limits per plan: the bucket refills at restoreRate points per second up to
// maximumAvailable (20 seconds of restore). A single query may cost at most 1,000 points.
export type ShopifyPlan = "standard" | "advanced" | "plus" | "enterprise";

export const PLAN_LIMITS: Record<ShopifyPlan, { maximumAvailable: number; restoreRate: number }> = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
  enterprise: { maximumAvailable: 40000, restoreRate: 2000 },
};

export const MAX_SINGLE_QUERY_COST = 1000;

export class Bucket {
  private available: number;
  private at: number;
  constructor(
    readonly maximumAvailable: number,
    readonly restoreRate: number,
    now: number,
  ) {
    this.available = maximumAvailable;
    this.at = now;
  }

  currentlyAvailable(now: number): number {
    const restored = ((now - this.at) / 1000) * this.restoreRate;
    this.available = Math.min(this.maximumAvailable, this.available + Math.max(0, restored));
    this.at = Math.max(this.at, now);
    return this.available;
  }

  take(points: number, now: number): boolean {
    if (this.currentlyAvailable(now) < points) return false;
    this.available -= points;
    return true;
  }

  refund(points: number, now: number): void {
    this.available = Math.min(this.maximumAvailable, this.currentlyAvailable(now) + points);
  }

  empty(now: number): void {
    this.currentlyAvailable(now);
    this.available = 0;
  }

  status(now: number) {
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.currentlyAvailable(now)),
      restoreRate: this.restoreRate,
    };
  }
}
