// Shopify's Admin GraphQL rate limit is a leaky bucket of cost points per shop. These are the pure
// calculations the Admin adapter paces with; times are in milliseconds.
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number; // points per second
}

export interface BucketObservation extends ThrottleStatus {
  observedAt: number;
}

export function projectedAvailable(bucket: BucketObservation, now: number): number {
  const elapsedSeconds = Math.max(0, now - bucket.observedAt) / 1000;
  return Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + elapsedSeconds * bucket.restoreRate);
}

/** The share of the bucket projected free now (0–1), or null before any answer showed the bucket. */
export function spareShare(bucket: BucketObservation | undefined, now: number): number | null {
  if (!bucket || bucket.maximumAvailable <= 0) return null;
  return projectedAvailable(bucket, now) / bucket.maximumAvailable;
}

/** How long to wait before a request of `cost` points fits into the bucket (0 when it fits now). */
export function waitBeforeRequest(bucket: BucketObservation | undefined, cost: number, now: number): number {
  if (!bucket || bucket.restoreRate <= 0) return 0;
  const needed = Math.min(cost, bucket.maximumAvailable) - projectedAvailable(bucket, now);
  return needed <= 0 ? 0 : Math.ceil((needed / bucket.restoreRate) * 1000);
}

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base·2^attempt)). */
export function backoffDelay(attempt: number, random: number, baseMs = 500, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random * ceiling);
}
