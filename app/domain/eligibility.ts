import type { OrderFacts } from "./order-facts";
import type { SurveySettings } from "./survey-settings";

export type SuppressionReason =
  | "capped"
  | "sampled_out"
  | "excluded_tag"
  | "below_min_order_value"
  | "excluded_channel"
  | "test_order"
  | "guest_checkout"
  | "cancelled"
  | "channel_disabled";

export type EligibilityDecision = { eligible: true } | { eligible: false; reason: SuppressionReason };

export interface EligibilityInput {
  settings: SurveySettings;
  order: OrderFacts;
  customerTags: string[];
  /** When this customer was last invited for another order (pending or answered invitations). */
  lastInvitedAt: Date | null;
  now: Date;
}

const DAY_MS = 86_400_000;

/** FNV-1a: a stable, well-spread hash so an order is always in or out of the sample. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function inSample(orderId: string, samplePercent: number): boolean {
  if (samplePercent >= 100) return true;
  if (samplePercent <= 0) return false;
  return fnv1a(`nps-sample:${orderId}`) % 10_000 < samplePercent * 100;
}

export function invitationExpiresAt(createdAt: Date, settings: SurveySettings): Date {
  return new Date(createdAt.getTime() + settings.timing.expiresAfterDays * DAY_MS);
}

/**
 * Checks in a fixed order, facts about the order first (cancelled, test, guest, exclusions), then the customer's
 * history (frequency cap), then sampling last, so the reason recorded is the most specific one.
 */
export function decideEligibility(input: EligibilityInput): EligibilityDecision {
  const { settings, order } = input;
  const no = (reason: SuppressionReason): EligibilityDecision => ({ eligible: false, reason });
  if (order.cancelled) return no("cancelled");
  if (order.test && settings.exclusions.testOrders) return no("test_order");
  if (!order.customerId && !settings.includeGuests) return no("guest_checkout");
  const excludedTags = new Set(settings.exclusions.customerTags.map((tag) => tag.toLowerCase()));
  if (input.customerTags.some((tag) => excludedTags.has(tag.toLowerCase()))) return no("excluded_tag");
  const minimum = settings.exclusions.minOrderValue;
  if (minimum !== null && order.totalPrice < minimum) return no("below_min_order_value");
  if (settings.exclusions.salesChannels.includes(order.salesChannel.toLowerCase()))
    return no("excluded_channel");
  const capMs = settings.frequencyCapDays * DAY_MS;
  if (input.lastInvitedAt && capMs > 0 && input.now.getTime() - input.lastInvitedAt.getTime() < capMs) {
    return no("capped");
  }
  if (!inSample(order.orderId, settings.samplePercent)) return no("sampled_out");
  return { eligible: true };
}
