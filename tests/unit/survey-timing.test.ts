import { describe, expect, it } from "vitest";
import { fulfilledAtFromOrder, fulfillmentEventFromWebhook } from "~/domain/fulfillment-event";
import { DEFAULT_SURVEY_SETTINGS } from "~/domain/survey-settings";
import {
  expiresAfterOpening,
  opensAfterFulfillment,
  pickInvitation,
  stagesFor,
} from "~/domain/survey-timing";

const now = new Date("2026-11-25T12:00:00Z");
const later = new Date("2026-12-25T12:00:00Z");
const row = (stage: string, status: string, expiresAt = later) => ({ stage, status, expiresAt });

describe("survey timing", () => {
  it("asks one stage per timing mode, both for a two-stage survey", () => {
    expect(stagesFor("purchase")).toEqual(["purchase"]);
    expect(stagesFor("delivery")).toEqual(["delivery"]);
    expect(stagesFor("both")).toEqual(["purchase", "delivery"]);
  });

  it("opens the delivery stage the configured days after fulfillment and keeps it open for expiresAfterDays", () => {
    const settings = {
      ...DEFAULT_SURVEY_SETTINGS,
      timing: { mode: "both" as const, daysAfterFulfillment: 5, expiresAfterDays: 10 },
    };
    const opensAt = opensAfterFulfillment(new Date("2026-11-01T08:00:00Z"), settings);
    expect(opensAt.toISOString()).toBe("2026-11-06T08:00:00.000Z");
    expect(expiresAfterOpening(opensAt, settings).toISOString()).toBe("2026-11-16T08:00:00.000Z");
  });

  it("never offers the delivery stage on the thank-you page", () => {
    expect(pickInvitation([row("delivery", "pending")], "thank_you", now)).toBeNull();
    expect(
      pickInvitation([row("delivery", "pending"), row("purchase", "pending")], "thank_you", now)?.stage,
    ).toBe("purchase");
  });

  it("prefers the open delivery stage on the order-status page, else the open purchase stage", () => {
    const both = [row("purchase", "pending"), row("delivery", "pending")];
    expect(pickInvitation(both, "order_status", now)?.stage).toBe("delivery");
    const deliveryWaiting = [row("purchase", "pending"), row("delivery", "scheduled")];
    expect(pickInvitation(deliveryWaiting, "order_status", now)?.stage).toBe("purchase");
  });

  it("returns the first closed invitation when none is open, so the caller can say why", () => {
    const closed = [row("purchase", "answered"), row("delivery", "scheduled")];
    expect(pickInvitation(closed, "survey_link", now)).toMatchObject({
      stage: "delivery",
      status: "scheduled",
    });
    const lapsed = [row("purchase", "pending", new Date("2026-11-01T00:00:00Z"))];
    expect(pickInvitation(lapsed, "order_status", now)).toMatchObject({ stage: "purchase" });
    expect(pickInvitation([], "storefront", now)).toBeNull();
  });
});

describe("fulfillment webhooks", () => {
  it("reads a delivered event whatever the case of its status, with the time it happened", () => {
    const parsed = fulfillmentEventFromWebhook({
      id: 1,
      order_id: 42,
      status: "DELIVERED",
      happened_at: "2026-11-20T10:00:00-05:00",
    });
    expect(parsed).toEqual({
      ok: true,
      event: { orderId: "42", delivered: true, happenedAt: new Date("2026-11-20T15:00:00Z") },
    });
    const transit = fulfillmentEventFromWebhook({ id: 2, order_id: 42, status: "in_transit" });
    expect(transit.ok && transit.event.delivered).toBe(false);
  });

  it("names the field of a malformed event", () => {
    expect(fulfillmentEventFromWebhook({ id: 1, order_id: "x", status: "delivered" })).toMatchObject({
      ok: false,
      errors: [{ field: "order_id" }],
    });
  });

  it("takes the last fulfillment of a fulfilled order, else its last update", () => {
    const payload = {
      fulfillments: [{ created_at: "2026-11-02T00:00:00Z" }, { created_at: "2026-11-04T00:00:00Z" }],
      updated_at: "2026-11-05T00:00:00Z",
    };
    expect(fulfilledAtFromOrder(payload)?.toISOString()).toBe("2026-11-04T00:00:00.000Z");
    expect(fulfilledAtFromOrder({ updated_at: "2026-11-05T00:00:00Z" })?.toISOString()).toBe(
      "2026-11-05T00:00:00.000Z",
    );
    expect(fulfilledAtFromOrder({ fulfillments: "nope" })).toBeNull();
  });
});
