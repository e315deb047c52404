import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CATEGORIES, type Category, categoryForScore } from "~/domain/category";
import { decideEligibility, inSample } from "~/domain/eligibility";
import { backoffDelay, projectedAvailable, waitBeforeRequest } from "~/domain/leaky-bucket";
import { type CategoryCounts, compareNps, summarizeNps } from "~/domain/nps";
import type { OrderFacts } from "~/domain/order-facts";
import { DEFAULT_SURVEY_SETTINGS, surveySettingsSchema } from "~/domain/survey-settings";
import { applyTagPlan, planCategoryTags, type TagNames } from "~/domain/tag-plan";
import { hostileText } from "../support/hostile-input";

// Property-based tests of the scoring maths, the tag plan, the rate-limit maths and sampling. Seeded.
const SEED = 20_261_125;
const check = <T>(property: fc.IProperty<T>, numRuns = 500) => fc.assert(property, { seed: SEED, numRuns });

const RANK: Record<Category, number> = { detractor: 0, passive: 1, promoter: 2 };
const npsValue = (score: number) => (score >= 9 ? 1 : score >= 7 ? 0 : -1);

const counts = fc.record({
  promoters: fc.nat({ max: 100_000 }),
  passives: fc.nat({ max: 100_000 }),
  detractors: fc.nat({ max: 100_000 }),
});
const someCounts = counts.filter((c) => c.promoters + c.passives + c.detractors > 0);

function countsOf(scores: number[]): CategoryCounts {
  const categories = scores.map(categoryForScore);
  return {
    promoters: categories.filter((category) => category === "promoter").length,
    passives: categories.filter((category) => category === "passive").length,
    detractors: categories.filter((category) => category === "detractor").length,
  };
}

describe("categories", () => {
  it("are defined for every score from 0 to 10 and never fall as the score rises", () => {
    check(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(CATEGORIES).toContain(categoryForScore(low));
        expect(RANK[categoryForScore(low)]).toBeLessThanOrEqual(RANK[categoryForScore(high)]);
      }),
      200,
    );
  });

  it("are refused, with a RangeError, for any number that is not an integer from 0 to 10", () => {
    const outside = fc.oneof(
      fc.integer().filter((score) => score < 0 || score > 10),
      fc.double().filter((score) => !Number.isInteger(score)),
      fc.constantFrom(Number.NaN, Infinity, -Infinity, 10.000001, -0.5),
    );
    check(
      fc.property(outside, (score) => {
        expect(() => categoryForScore(score)).toThrow(RangeError);
      }),
    );
  });

  it("give the NPS of a list of scores: 100 × (share of 9–10 − share of 0–6)", () => {
    check(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 300 }), (scores) => {
        const expected = (100 * scores.reduce((sum, score) => sum + npsValue(score), 0)) / scores.length;
        expect(summarizeNps(countsOf(scores)).nps).toBeCloseTo(expected, 9);
      }),
    );
  });
});

describe("the NPS summary", () => {
  it("is empty without answers and otherwise lies in −100…100 inside its own interval, with shares summing to 1", () => {
    check(
      fc.property(counts, (c) => {
        const summary = summarizeNps(c);
        const n = c.promoters + c.passives + c.detractors;
        expect(summary.responses).toBe(n);
        if (n === 0) {
          expect(summary).toEqual({
            responses: 0,
            nps: null,
            shares: null,
            marginOfError95: null,
            confidenceInterval95: null,
          });
          return;
        }
        const { nps, shares, marginOfError95, confidenceInterval95 } = summary;
        if (nps === null || !shares || marginOfError95 === null || !confidenceInterval95)
          throw new Error("a summary with answers has every figure");
        expect(nps).toBeGreaterThanOrEqual(-100);
        expect(nps).toBeLessThanOrEqual(100);
        expect(shares.promoter + shares.passive + shares.detractor).toBeCloseTo(1, 12);
        expect(marginOfError95).toBeGreaterThanOrEqual(0);
        expect(confidenceInterval95.low).toBeGreaterThanOrEqual(-100);
        expect(confidenceInterval95.high).toBeLessThanOrEqual(100);
        expect(confidenceInterval95.low).toBeLessThanOrEqual(nps);
        expect(confidenceInterval95.high).toBeGreaterThanOrEqual(nps);
      }),
      2000,
    );
  });

  it("keeps its score and narrows its margin when every count is multiplied", () => {
    check(
      fc.property(someCounts, fc.integer({ min: 2, max: 50 }), (c, factor) => {
        const once = summarizeNps(c);
        const more = summarizeNps({
          promoters: c.promoters * factor,
          passives: c.passives * factor,
          detractors: c.detractors * factor,
        });
        expect(more.nps).toBeCloseTo(once.nps ?? Number.NaN, 9);
        expect(more.marginOfError95 ?? 0).toBeLessThanOrEqual((once.marginOfError95 ?? 0) + 1e-9);
      }),
    );
  });
});

describe("comparing two periods", () => {
  it("is symmetric: the difference changes sign, the error, p-value and verdict stay the same", () => {
    check(
      fc.property(counts, counts, (a, b) => {
        const ab = compareNps(a, b);
        const ba = compareNps(b, a);
        if (ab.difference === null) {
          expect(ba).toEqual(ab);
          return;
        }
        expect(ba.difference).toBeCloseTo(-ab.difference, 9);
        expect(ba.standardError).toBeCloseTo(ab.standardError ?? Number.NaN, 9);
        expect(ba.pValue === null).toBe(ab.pValue === null);
        if (ab.pValue !== null) expect(ba.pValue).toBeCloseTo(ab.pValue, 9);
        if (ab.zScore !== null) expect(ba.zScore).toBeCloseTo(-ab.zScore, 9);
        expect(ba.significant).toBe(ab.significant);
        const summaryA = summarizeNps(a).nps ?? Number.NaN;
        const summaryB = summarizeNps(b).nps ?? Number.NaN;
        expect(ab.difference).toBeCloseTo(summaryA - summaryB, 9);
        if (ab.pValue !== null) {
          expect(ab.pValue).toBeGreaterThanOrEqual(0);
          expect(ab.pValue).toBeLessThanOrEqual(1);
          expect(ab.significant).toBe(ab.pValue < 0.05);
        } else {
          expect(ab.significant).toBe(false);
        }
      }),
      2000,
    );
  });

  it("finds no change between a period and itself", () => {
    check(
      fc.property(someCounts, (c) => {
        const same = compareNps(c, c);
        expect(same.difference).toBe(0);
        expect(same.significant).toBe(false);
        if (same.pValue !== null) expect(same.pValue).toBeCloseTo(1, 6);
      }),
    );
  });
});

const tagText = fc
  .oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 16 }), hostileText(3))
  .map((text) => text.replaceAll(",", "").trim())
  .filter((text) => text.length > 0);

const tagNames: fc.Arbitrary<TagNames> = fc
  .uniqueArray(fc.oneof(tagText, fc.constantFrom("nps:promoter", "NPS:Passive", "nps:detractor", "VIP")), {
    minLength: 3,
    maxLength: 3,
    selector: (name) => name.toLowerCase(),
  })
  .map(([promoter, passive, detractor]) => ({
    promoter: promoter!,
    passive: passive!,
    detractor: detractor!,
  }));

/** A customer's tags: the merchant's, ours in any case and padding, blanks and duplicates. */
const currentTags = (names: TagNames) =>
  fc.array(
    fc.oneof(
      tagText,
      fc.constantFrom("", "  ", "VIP", "vip", "wholesale"),
      fc
        .tuple(
          fc.constantFrom(names.promoter, names.passive, names.detractor),
          fc.constantFrom("", " ", "  "),
        )
        .chain(([name, padding]) =>
          fc.mixedCase(fc.constant(name)).map((cased) => `${padding}${cased}${padding}`),
        ),
    ),
    { maxLength: 12 },
  );

const planCase = tagNames.chain((names) =>
  fc.record({
    names: fc.constant(names),
    category: fc.constantFrom(...CATEGORIES),
    current: currentTags(names),
  }),
);

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

describe("the category tag plan", () => {
  it("leaves exactly one of the three category tags, the category's own", () => {
    check(
      fc.property(planCase, ({ names, category, current }) => {
        const result = applyTagPlan(current, planCategoryTags(category, names, { currentTags: current }));
        const ours = result.filter((tag) => CATEGORIES.some((other) => same(tag, names[other])));
        expect(ours).toHaveLength(1);
        expect(same(ours[0]!, names[category])).toBe(true);
      }),
      1000,
    );
  });

  it("keeps every merchant tag and folds duplicates that differ only in case or spaces", () => {
    check(
      fc.property(planCase, ({ names, category, current }) => {
        const result = applyTagPlan(current, planCategoryTags(category, names, { currentTags: current }));
        const merchant = current.filter(
          (tag) => tag.trim() !== "" && !CATEGORIES.some((other) => same(tag, names[other])),
        );
        for (const tag of merchant) expect(result.some((kept) => same(kept, tag))).toBe(true);
        expect(new Set(result.map((tag) => tag.trim().toLowerCase())).size).toBe(result.length);
        for (const tag of result) expect(tag).toBe(tag.trim());
      }),
      1000,
    );
  });

  it("is idempotent: planned again on its own result it changes nothing", () => {
    check(
      fc.property(planCase, ({ names, category, current }) => {
        const result = applyTagPlan(current, planCategoryTags(category, names, { currentTags: current }));
        const again = planCategoryTags(category, names, { currentTags: result });
        expect(again).toEqual({ add: [], remove: [] });
        expect(applyTagPlan(result, again)).toEqual(result);
      }),
      1000,
    );
  });

  it("gives the same tags whether or not the customer's current tags were known when planning", () => {
    check(
      fc.property(planCase, ({ names, category, current }) => {
        expect(applyTagPlan(current, planCategoryTags(category, names))).toEqual(
          applyTagPlan(current, planCategoryTags(category, names, { currentTags: current })),
        );
      }),
      1000,
    );
  });
});

const bucket = fc
  .record({
    maximumAvailable: fc.integer({ min: 1, max: 20_000 }),
    fill: fc.double({ min: 0, max: 1, noNaN: true }),
    restoreRate: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 2000 }),
      fc.double({ min: 0.01, max: 500, noNaN: true }),
    ),
    observedAt: fc.integer({ min: 0, max: 1_000_000_000 }),
  })
  .map(({ fill, ...rest }) => ({ ...rest, currentlyAvailable: Math.floor(rest.maximumAvailable * fill) }));

describe("the leaky bucket", () => {
  it("only fills as time passes, never beyond its size and never below what was observed", () => {
    check(
      fc.property(
        bucket,
        fc.integer({ min: -5000, max: 600_000 }),
        fc.nat({ max: 600_000 }),
        (b, offset, step) => {
          const earlier = b.observedAt + offset;
          const later = earlier + step;
          const before = projectedAvailable(b, earlier);
          const after = projectedAvailable(b, later);
          expect(after).toBeGreaterThanOrEqual(before);
          expect(after).toBeLessThanOrEqual(b.maximumAvailable);
          expect(before).toBeGreaterThanOrEqual(b.currentlyAvailable);
        },
      ),
      1000,
    );
  });

  it("waits less the later it is asked, more the more a request costs, and long enough for the request to fit", () => {
    check(
      fc.property(
        bucket,
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: -5000, max: 600_000 }),
        fc.nat({ max: 600_000 }),
        (b, costA, costB, offset, step) => {
          const now = b.observedAt + offset;
          const [cheap, dear] = costA <= costB ? [costA, costB] : [costB, costA];
          const wait = waitBeforeRequest(b, dear, now);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(wait)).toBe(true);
          expect(waitBeforeRequest(b, dear, now + step)).toBeLessThanOrEqual(wait);
          expect(waitBeforeRequest(b, cheap, now)).toBeLessThanOrEqual(wait);
          if (b.restoreRate > 0) {
            const fits = Math.min(dear, b.maximumAvailable);
            expect(projectedAvailable(b, Math.max(now, b.observedAt) + wait)).toBeGreaterThanOrEqual(
              fits - 1e-6,
            );
          }
        },
      ),
      1000,
    );
  });

  it("backs off within [0, min(cap, base·2^attempt)) and never less for a later attempt", () => {
    check(
      fc.property(
        fc.integer({ min: -3, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const delay = backoffDelay(attempt, random);
          const ceiling = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
          expect(backoffDelay(attempt + 1, random)).toBeGreaterThanOrEqual(delay);
        },
      ),
      1000,
    );
  });
});

const orderIds = fc.oneof(
  fc.bigInt({ min: 1n, max: 10n ** 19n }).map(String),
  fc.stringMatching(/^[1-9]\d{3,15}$/),
  hostileText(4),
);

describe("sampling", () => {
  it("is stable for an order and keeps it when the percentage grows", () => {
    check(
      fc.property(
        orderIds,
        fc.double({ min: -10, max: 110, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (id, percent, more) => {
          const chosen = inSample(id, percent);
          expect(inSample(id, percent)).toBe(chosen);
          if (chosen) expect(inSample(id, percent + more)).toBe(true);
          if (percent <= 0) expect(chosen).toBe(false);
          if (percent >= 100) expect(chosen).toBe(true);
        },
      ),
      2000,
    );
  });

  it("takes close to the requested share of many consecutive order ids", () => {
    const ORDERS = 20_000;
    check(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 9_000_000_000_000 }),
        (percent, firstId) => {
          let taken = 0;
          for (let offset = 0; offset < ORDERS; offset += 1)
            if (inSample(String(firstId + offset), percent)) taken += 1;
          expect(Math.abs((100 * taken) / ORDERS - percent)).toBeLessThan(1.5);
        },
      ),
      25,
    );
  });
});

const orderFacts = fc.record({
  orderId: fc.stringMatching(/^[1-9]\d{0,12}$/),
  customerId: fc.option(fc.stringMatching(/^[1-9]\d{0,12}$/)),
  orderName: fc.option(hostileText(2)),
  totalPrice: fc.double({ min: 0, max: 1e6, noNaN: true }),
  currency: fc.constantFrom("USD", "EUR", "JPY"),
  test: fc.boolean(),
  salesChannel: fc.constantFrom("web", "pos", "shopify_draft_order", "Web"),
  discountCodes: fc.array(fc.string(), { maxLength: 2 }),
  itemCount: fc.nat({ max: 50 }),
  productIds: fc.array(fc.stringMatching(/^[1-9]\d{0,6}$/), { maxLength: 3 }),
  countryCode: fc.option(fc.constantFrom("US", "FR")),
  locale: fc.option(fc.constantFrom("en", "fr")),
  createdAt: fc.constant(new Date("2026-11-25T12:00:00Z")),
  cancelled: fc.boolean(),
}) satisfies fc.Arbitrary<OrderFacts>;

describe("eligibility", () => {
  it("always says cancelled for a cancelled order, and asks every other customer order of a survey without limits", () => {
    const open = surveySettingsSchema.parse({ frequencyCapDays: 0, exclusions: { testOrders: false } });
    check(
      fc.property(orderFacts, fc.array(tagText, { maxLength: 3 }), (order, tags) => {
        const decide = (settings = DEFAULT_SURVEY_SETTINGS) =>
          decideEligibility({
            settings,
            order,
            customerTags: tags,
            lastInvitedAt: new Date("2026-11-24T12:00:00Z"),
            now: new Date("2026-11-25T12:00:00Z"),
          });
        if (order.cancelled) expect(decide()).toEqual({ eligible: false, reason: "cancelled" });
        else expect(decide(open)).toEqual({ eligible: true });
      }),
    );
  });
});
