import { describe, expect, it } from "vitest";
import { decideEligibility, inSample, invitationExpiresAt } from "~/domain/eligibility";
import type { OrderFacts } from "~/domain/order-facts";
import { surveySettingsSchema } from "~/domain/survey-settings";

const now = new Date("2026-11-25T12:00:00Z");
const DAY = 86_400_000;
const order: OrderFacts = {
  orderId: "1001",
  customerId: "42",
  orderName: "#1001",
  totalPrice: 50,
  currency: "USD",
  test: false,
  salesChannel: "web",
  discountCodes: [],
  itemCount: 1,
  productIds: ["1"],
  countryCode: "US",
  locale: "en",
  createdAt: now,
  cancelled: false,
};
const decide = (overrides: {
  settings?: object;
  order?: Partial<OrderFacts>;
  tags?: string[];
  last?: Date | null;
}) =>
  decideEligibility({
    settings: surveySettingsSchema.parse(overrides.settings ?? {}),
    order: { ...order, ...overrides.order },
    customerTags: overrides.tags ?? [],
    lastInvitedAt: overrides.last ?? null,
    now,
  });

describe("who is asked", () => {
  it("asks a first-time customer's ordinary order", () => {
    expect(decide({})).toEqual({ eligible: true });
  });

  it("skips cancelled and test orders, guests when excluded, excluded tags, small orders and excluded channels", () => {
    expect(decide({ order: { cancelled: true } })).toEqual({ eligible: false, reason: "cancelled" });
    expect(decide({ order: { test: true } })).toEqual({ eligible: false, reason: "test_order" });
    expect(decide({ order: { test: true }, settings: { exclusions: { testOrders: false } } })).toEqual({
      eligible: true,
    });
    expect(decide({ order: { customerId: null }, settings: { includeGuests: false } })).toEqual({
      eligible: false,
      reason: "guest_checkout",
    });
    expect(
      decide({ tags: ["Wholesale"], settings: { exclusions: { customerTags: ["wholesale"] } } }),
    ).toEqual({
      eligible: false,
      reason: "excluded_tag",
    });
    expect(decide({ settings: { exclusions: { minOrderValue: 50.01 } } })).toEqual({
      eligible: false,
      reason: "below_min_order_value",
    });
    expect(
      decide({ order: { salesChannel: "pos" }, settings: { exclusions: { salesChannels: ["POS"] } } }),
    ).toEqual({
      eligible: false,
      reason: "excluded_channel",
    });
  });

  it("caps a customer invited less than 90 days ago, and asks again at exactly 90 days", () => {
    expect(decide({ last: new Date(now.getTime() - 89 * DAY) })).toEqual({
      eligible: false,
      reason: "capped",
    });
    expect(decide({ last: new Date(now.getTime() - 90 * DAY) })).toEqual({ eligible: true });
    expect(decide({ last: new Date(now.getTime() - DAY), settings: { frequencyCapDays: 0 } })).toEqual({
      eligible: true,
    });
  });

  it("reports the most specific reason first: a cancelled test order is 'cancelled'", () => {
    expect(decide({ order: { cancelled: true, test: true }, last: now })).toEqual({
      eligible: false,
      reason: "cancelled",
    });
  });

  it("samples deterministically and close to the chosen share", () => {
    expect(inSample("1001", 100)).toBe(true);
    expect(inSample("1001", 0)).toBe(false);
    expect(inSample("777", 30)).toBe(inSample("777", 30));
    const sampled = Array.from({ length: 10_000 }, (_, index) =>
      inSample(String(100_000 + index), 30),
    ).filter(Boolean);
    expect(sampled.length / 10_000).toBeGreaterThan(0.28);
    expect(sampled.length / 10_000).toBeLessThan(0.32);
  });

  it("expires invitations after the configured days", () => {
    const settings = surveySettingsSchema.parse({ timing: { expiresAfterDays: 14 } });
    expect(invitationExpiresAt(now, settings)).toEqual(new Date(now.getTime() + 14 * DAY));
  });
});
