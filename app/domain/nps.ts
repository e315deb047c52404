// Net Promoter Score statistics. Each answer is a variable X = +1 (promoter), 0 (passive), −1 (detractor); NPS is
// 100·mean(X). Its variance is p + d − (p − d)² with p, d the promoter and detractor shares, so the standard error
// of NPS is 100·sqrt(var / n). Skipped answers are never in n.
export interface CategoryCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsSummary {
  responses: number;
  nps: number | null;
  shares: { promoter: number; passive: number; detractor: number } | null;
  marginOfError95: number | null;
  confidenceInterval95: { low: number; high: number } | null;
}

const Z_95 = 1.959963984540054;

function total(counts: CategoryCounts): number {
  return counts.promoters + counts.passives + counts.detractors;
}

/** Standard error of NPS in points (0–100 scale); null for n = 0. */
export function npsStandardError(counts: CategoryCounts): number | null {
  const n = total(counts);
  if (n === 0) return null;
  const p = counts.promoters / n;
  const d = counts.detractors / n;
  const variance = Math.max(0, p + d - (p - d) ** 2);
  return 100 * Math.sqrt(variance / n);
}

export function summarizeNps(counts: CategoryCounts): NpsSummary {
  const n = total(counts);
  if (n === 0) {
    return { responses: 0, nps: null, shares: null, marginOfError95: null, confidenceInterval95: null };
  }
  const shares = {
    promoter: counts.promoters / n,
    passive: counts.passives / n,
    detractor: counts.detractors / n,
  };
  const nps = 100 * (shares.promoter - shares.detractor);
  const margin = Z_95 * (npsStandardError(counts) ?? 0);
  return {
    responses: n,
    nps,
    shares,
    marginOfError95: margin,
    confidenceInterval95: { low: Math.max(-100, nps - margin), high: Math.min(100, nps + margin) },
  };
}

/** erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e−7). */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

export interface NpsComparison {
  difference: number | null;
  standardError: number | null;
  zScore: number | null;
  pValue: number | null;
  significant: boolean;
}

/** Two independent periods: z = ΔNPS / sqrt(se₁² + se₂²), two-sided, significant at α = 0.05. */
export function compareNps(current: CategoryCounts, previous: CategoryCounts): NpsComparison {
  const a = summarizeNps(current);
  const b = summarizeNps(previous);
  if (a.nps === null || b.nps === null) {
    return { difference: null, standardError: null, zScore: null, pValue: null, significant: false };
  }
  const difference = a.nps - b.nps;
  const standardError = Math.sqrt(
    (npsStandardError(current) ?? 0) ** 2 + (npsStandardError(previous) ?? 0) ** 2,
  );
  if (standardError === 0) {
    return {
      difference,
      standardError,
      zScore: null,
      pValue: difference === 0 ? 1 : null,
      significant: false,
    };
  }
  const zScore = difference / standardError;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(zScore))));
  return { difference, standardError, zScore, pValue, significant: pValue < 0.05 };
}
