export const CATEGORIES = ["promoter", "passive", "detractor"] as const;
export type Category = (typeof CATEGORIES)[number];

/** 9–10 promoter, 7–8 passive, 0–6 detractor. */
export function categoryForScore(score: number): Category {
  if (!Number.isInteger(score) || score < 0 || score > 10) {
    throw new RangeError(`score must be an integer from 0 to 10, got ${score}`);
  }
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}
