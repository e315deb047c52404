import { describe, expect, it } from "vitest";
import { compareNps, erf, normalCdf, summarizeNps } from "~/domain/nps";

describe("the NPS summary", () => {
  it("computes NPS, shares and the 95 % margin by hand for 60/25/15", () => {
    // p = .60, d = .15 → NPS 45; var = .75 − .45² = .5475; se = sqrt(.5475/100) = .073993 → 7.3993 points
    const summary = summarizeNps({ promoters: 60, passives: 25, detractors: 15 });
    expect(summary.responses).toBe(100);
    expect(summary.nps).toBeCloseTo(45, 10);
    expect(summary.shares).toEqual({ promoter: 0.6, passive: 0.25, detractor: 0.15 });
    expect(summary.marginOfError95).toBeCloseTo(1.959964 * 7.39932, 3); // 14.502
    expect(summary.confidenceInterval95?.low).toBeCloseTo(30.498, 2);
    expect(summary.confidenceInterval95?.high).toBeCloseTo(59.502, 2);
  });

  it("has no score and no interval without responses", () => {
    expect(summarizeNps({ promoters: 0, passives: 0, detractors: 0 })).toEqual({
      responses: 0,
      nps: null,
      shares: null,
      marginOfError95: null,
      confidenceInterval95: null,
    });
  });

  it("gives a zero-width interval when every answer is a promoter", () => {
    const summary = summarizeNps({ promoters: 1, passives: 0, detractors: 0 });
    expect(summary.nps).toBe(100);
    expect(summary.marginOfError95).toBe(0);
    expect(summary.confidenceInterval95).toEqual({ low: 100, high: 100 });
  });

  it("clamps the interval to −100…100", () => {
    const summary = summarizeNps({ promoters: 1, passives: 0, detractors: 3 });
    // p=.25 d=.75 → NPS −50, var = 1 − .25 = .75, se = sqrt(.75/4) = .433 → margin 84.9
    expect(summary.nps).toBe(-50);
    expect(summary.marginOfError95).toBeCloseTo(84.87, 1);
    expect(summary.confidenceInterval95?.low).toBe(-100);
    expect(summary.confidenceInterval95?.high).toBeCloseTo(34.87, 1);
  });
});

describe("the normal distribution helpers", () => {
  it("match tabulated values", () => {
    expect(erf(0)).toBeCloseTo(0, 6);
    expect(erf(1)).toBeCloseTo(0.8427008, 6);
    expect(erf(-0.5)).toBeCloseTo(-0.5204999, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6);
  });
});

describe("comparing two periods", () => {
  it("finds a 20-point rise on 400 answers each significant, computed by hand", () => {
    // current 200/100/100 → NPS 25, var = .75 − .0625 = .6875, se² = .6875/400 ·100² = 17.1875
    // previous 140/140/120 → NPS 5, var = .65 − .0025 = .6475, se² = 16.1875 → se = sqrt(33.375) = 5.7771
    const comparison = compareNps(
      { promoters: 200, passives: 100, detractors: 100 },
      { promoters: 140, passives: 140, detractors: 120 },
    );
    expect(comparison.difference).toBeCloseTo(20, 10);
    expect(comparison.standardError).toBeCloseTo(5.7771, 3);
    expect(comparison.zScore).toBeCloseTo(3.4619, 3);
    expect(comparison.pValue).toBeCloseTo(0.000536, 4);
    expect(comparison.significant).toBe(true);
  });

  it("calls a 5-point move on 40 answers noise", () => {
    const comparison = compareNps(
      { promoters: 20, passives: 10, detractors: 10 },
      { promoters: 18, passives: 12, detractors: 10 },
    );
    expect(comparison.difference).toBeCloseTo(5, 10);
    expect(comparison.significant).toBe(false);
    expect(comparison.pValue).toBeGreaterThan(0.5);
  });

  it("has nothing to say when a period has no answers", () => {
    expect(
      compareNps({ promoters: 3, passives: 0, detractors: 0 }, { promoters: 0, passives: 0, detractors: 0 }),
    ).toEqual({
      difference: null,
      standardError: null,
      zScore: null,
      pValue: null,
      significant: false,
    });
  });
});
