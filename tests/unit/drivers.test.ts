import { describe, expect, it } from "vitest";
import {
  bandBoundaries,
  bandIndex,
  compareGroups,
  FULFILLMENT_DELAY_BANDS,
  fulfillmentDelayBand,
  itemCountBand,
  keyDrivers,
  MIN_GROUP_SIZE,
  ORDER_VALUE_BANDS,
  orderValueBand,
  type SegmentCounts,
  segmentLabel,
} from "~/domain/drivers";
import type { CategoryCounts } from "~/domain/nps";

const Z = 1.959963984540054;
const HOUR = 3_600_000;
const counts = (promoters: number, passives: number, detractors: number): CategoryCounts => ({
  promoters,
  passives,
  detractors,
});
const fact = {
  key: "test",
  dimension: "discount" as const,
  label: "Orders with a discount code",
  comparedWith: "x",
};

describe("order value bands", () => {
  it("puts each boundary in the band above it: 49.99 under 50, 50 in 50–100, 100 in 100–200, 200 in 200 and more", () => {
    expect(orderValueBand(0)).toBe("under_50");
    expect(orderValueBand(49.99)).toBe("under_50");
    expect(orderValueBand(50)).toBe("50_100");
    expect(orderValueBand(99.99)).toBe("50_100");
    expect(orderValueBand(100)).toBe("100_200");
    expect(orderValueBand(200)).toBe("200_plus");
    expect(orderValueBand(12_000)).toBe("200_plus");
  });

  it("has no band for an unknown order value", () => {
    expect(orderValueBand(null)).toBeNull();
    expect(orderValueBand(undefined)).toBeNull();
  });

  it("numbers the bands as the SQL CASE does, from the bands' lower bounds", () => {
    expect(bandBoundaries(ORDER_VALUE_BANDS)).toEqual([50, 100, 200]);
    expect([10, 50, 150, 200, 999].map((value) => bandIndex([50, 100, 200], value))).toEqual([0, 1, 2, 3, 3]);
  });

  it("calls an order of one item single and of two or more items multi", () => {
    expect(itemCountBand(1)).toBe("single");
    expect(itemCountBand(2)).toBe("multi");
    expect(itemCountBand(7)).toBe("multi");
    expect(itemCountBand(null)).toBeNull();
  });
});

describe("fulfillment delay bands", () => {
  const invitedAt = new Date("2026-10-01T10:00:00Z");
  const hoursLater = (hours: number) => new Date(invitedAt.getTime() + hours * HOUR);

  it("counts days of 24 hours from the invitation: under 2 days is same or next day, 6 days or more is over 5", () => {
    expect(fulfillmentDelayBand(invitedAt, hoursLater(3))).toBe("same_or_next_day");
    expect(fulfillmentDelayBand(invitedAt, hoursLater(47.9))).toBe("same_or_next_day");
    expect(fulfillmentDelayBand(invitedAt, hoursLater(48))).toBe("2_3_days");
    expect(fulfillmentDelayBand(invitedAt, hoursLater(95))).toBe("2_3_days");
    expect(fulfillmentDelayBand(invitedAt, hoursLater(96))).toBe("4_5_days");
    expect(fulfillmentDelayBand(invitedAt, hoursLater(5 * 24 + 23))).toBe("4_5_days");
    expect(fulfillmentDelayBand(invitedAt, hoursLater(6 * 24))).toBe("over_5_days");
    expect(fulfillmentDelayBand(invitedAt, hoursLater(30 * 24))).toBe("over_5_days");
  });

  it("treats a fulfillment recorded before the invitation as same day, and an unfulfilled order as no band", () => {
    expect(fulfillmentDelayBand(invitedAt, hoursLater(-5))).toBe("same_or_next_day");
    expect(fulfillmentDelayBand(invitedAt, null)).toBeNull();
  });

  it("labels the four bands for the admin", () => {
    expect(FULFILLMENT_DELAY_BANDS.map((band) => band.label)).toEqual([
      "Same or next day",
      "2–3 days",
      "4–5 days",
      "More than 5 days",
    ]);
    expect(segmentLabel("fulfillmentDelay", null)).toBe("Not fulfilled yet");
  });
});

describe("one driver: NPS with a fact against without it", () => {
  it("computes the difference and its 95 % interval by hand for 20/10/10 against 10/10/20", () => {
    // with: p = .5, d = .25 → NPS 25; var = .75 − .25² = .6875; se² = 10⁴·.6875/40 = 171.875
    // without: p = .25, d = .5 → NPS −25; the same variance → se² = 171.875
    // difference 50; se = sqrt(343.75) = 18.5405; margin = 1.96·18.5405 = 36.3387
    const driver = compareGroups(fact, counts(20, 10, 10), counts(10, 10, 20));
    expect(driver.with.summary.nps).toBe(25);
    expect(driver.without.summary.nps).toBe(-25);
    expect(driver.difference).toBe(50);
    expect(driver.standardError).toBeCloseTo(Math.sqrt(343.75), 10);
    expect(driver.standardError).toBeCloseTo(18.5405, 4);
    expect(driver.confidenceInterval95?.low).toBeCloseTo(50 - Z * 18.540496, 4); // 13.661
    expect(driver.confidenceInterval95?.high).toBeCloseTo(86.3387, 3);
    expect(driver.enoughAnswers).toBe(true);
    expect(driver.significant).toBe(true);
    expect(driver.text).toBe("Orders with a discount code: +50 NPS");
  });

  it("lists a group of 10 promoters, 5 passives and 5 detractors (20 answers) as not enough answers", () => {
    // 10/5/5: NPS 25; 5/5/10: NPS −25 → difference 50, but 20 < 30 answers per group
    const driver = compareGroups(fact, counts(10, 5, 5), counts(5, 5, 10));
    expect(MIN_GROUP_SIZE).toBe(30);
    expect(driver.difference).toBe(50);
    expect(driver.enoughAnswers).toBe(false);
    expect(driver.significant).toBe(false);
    expect(driver.text).toBe("Orders with a discount code: not enough answers");
  });

  it("uses a smaller minimum when asked, with the same hand-computed numbers for 10/5/5 against 5/5/10", () => {
    // var = .75 − .0625 = .6875 each; se² = 10⁴·.6875/20 = 343.75 each → se = sqrt(687.5) = 26.2202
    const driver = compareGroups(fact, counts(10, 5, 5), counts(5, 5, 10), 20);
    expect(driver.enoughAnswers).toBe(true);
    expect(driver.standardError).toBeCloseTo(26.2202, 4);
    expect(driver.confidenceInterval95?.low).toBeCloseTo(50 - Z * Math.sqrt(687.5), 10); // −1.39
    expect(driver.significant).toBe(false); // the interval crosses 0
    expect(driver.text).toBe("Orders with a discount code: +50 NPS");
  });

  it("writes a negative impact with a minus sign, rounded: 0 against 23 NPS is −23", () => {
    // with: 9/12/9 (30) → NPS 0; without: 40/43/17 (100) → NPS 23
    const driver = compareGroups(
      { ...fact, dimension: "fulfillmentDelay", label: "Orders shipped in > 5 days" },
      counts(9, 12, 9),
      counts(40, 43, 17),
    );
    expect(driver.difference).toBeCloseTo(-23, 10);
    expect(driver.text).toBe("Orders shipped in > 5 days: −23 NPS");
  });

  it("has no difference when a group has no answers", () => {
    const driver = compareGroups(fact, counts(40, 0, 0), counts(0, 0, 0));
    expect(driver.difference).toBeNull();
    expect(driver.confidenceInterval95).toBeNull();
    expect(driver.enoughAnswers).toBe(false);
  });
});

describe("the key drivers from counts per segment", () => {
  const rows: SegmentCounts[] = [
    // returning 30/5/5 (NPS 62.5) against new 20/10/10 (NPS 25): +37.5
    { dimension: "customer", segment: "returning", counts: counts(30, 5, 5) },
    { dimension: "customer", segment: "new", counts: counts(20, 10, 10) },
    { dimension: "customer", segment: null, counts: counts(0, 0, 50) }, // guests: in neither group
    // slow 10/10/20 (NPS −25) against 20/10/10 + 10/0/0 (30/10/10, NPS 40): −65
    { dimension: "fulfillmentDelay", segment: "over_5_days", counts: counts(10, 10, 20) },
    { dimension: "fulfillmentDelay", segment: "same_or_next_day", counts: counts(20, 10, 10) },
    { dimension: "fulfillmentDelay", segment: "2_3_days", counts: counts(10, 0, 0) },
    { dimension: "fulfillmentDelay", segment: null, counts: counts(5, 5, 5) }, // not fulfilled
    // discount 16/14/10 (NPS 15) against 15/15/10 (NPS 12.5): +2.5, not significant
    { dimension: "discount", segment: "with", counts: counts(16, 14, 10) },
    { dimension: "discount", segment: "without", counts: counts(15, 15, 10) },
    // order value ≥ 100: 5 answers only
    { dimension: "orderValue", segment: "200_plus", counts: counts(5, 0, 0) },
    { dimension: "orderValue", segment: "under_50", counts: counts(20, 10, 10) },
    // two channels: one driver, for the smaller one
    { dimension: "salesChannel", segment: "web", counts: counts(40, 10, 10) },
    { dimension: "salesChannel", segment: "pos", counts: counts(5, 5, 10) },
    // countries: only those with 30 answers or more become drivers
    { dimension: "country", segment: "US", counts: counts(20, 10, 10) },
    { dimension: "country", segment: "DE", counts: counts(10, 10, 10) },
    { dimension: "country", segment: "FR", counts: counts(3, 3, 3) },
  ];
  const drivers = keyDrivers(rows);
  const byKey = (key: string) => drivers.find((driver) => driver.key === key);

  it("compares returning customers with new ones, leaving guests out of both groups", () => {
    const driver = byKey("returning_customer");
    expect(driver?.with.counts).toEqual(counts(30, 5, 5));
    expect(driver?.without.counts).toEqual(counts(20, 10, 10));
    expect(driver?.difference).toBeCloseTo(37.5, 10);
    expect(driver?.significant).toBe(true);
  });

  it("compares orders shipped in more than 5 days with every faster fulfillment, leaving unfulfilled orders out", () => {
    const driver = byKey("shipped_after_5_days");
    expect(driver?.without.counts).toEqual(counts(30, 10, 10));
    expect(driver?.difference).toBeCloseTo(-65, 10);
    expect(driver?.text).toBe("Orders shipped in > 5 days: −65 NPS");
  });

  it("sorts significant drivers by |impact|, then the rest with enough answers, then those without", () => {
    expect(drivers.map((driver) => driver.key)).toEqual([
      "shipped_after_5_days", // −65, significant
      "returning_customer", // +37.5, significant
      "country:US", // US 20/10/10 (25) against DE+FR 13/13/13 (0): +25, 40 against 39 answers, not significant
      "country:DE", // DE 10/10/10 (0) against US+FR 23/13/13 (20.4): −20.4, not significant
      "discount_used", // +2.5, not significant
      "salesChannel:pos", // 20 against 60 answers
      "order_value_100_plus", // 5 against 40 answers
    ]);
    expect(byKey("country:US")?.significant).toBe(false);
    expect(byKey("discount_used")?.significant).toBe(false);
  });

  it("keeps one driver for a dimension with two segments, and names the other segment", () => {
    const channel = byKey("salesChannel:pos");
    expect(drivers.some((driver) => driver.key === "salesChannel:web")).toBe(false);
    expect(channel?.label).toBe("Orders from Point of Sale");
    expect(channel?.comparedWith).toBe("orders from Online Store");
    expect(channel?.text).toBe("Orders from Point of Sale: not enough answers");
  });

  it("lists only countries with enough answers, each against all other countries", () => {
    expect(drivers.filter((driver) => driver.dimension === "country").map((driver) => driver.key)).toEqual([
      "country:US",
      "country:DE",
    ]);
    expect(byKey("country:US")?.label).toBe("Orders to United States");
    expect(byKey("country:DE")?.without.counts).toEqual(counts(23, 13, 13));
  });

  it("leaves out a fact nobody has data for (no multi-item counts here)", () => {
    expect(byKey("multi_item")).toBeUndefined();
  });
});
