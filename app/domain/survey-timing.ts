import type { SurveySettings } from "./survey-settings";

// When a shopper is asked. The purchase stage (buying experience) opens with the order; the delivery stage
// (product experience) is scheduled with the order and opens on a DELIVERED fulfillment event, or a set number of
// days after fulfillment when no carrier reports delivery. With timing "both" an order has one invitation per stage.
export const STAGES = ["purchase", "delivery"] as const;
export type SurveyStage = (typeof STAGES)[number];
export type TimingMode = SurveySettings["timing"]["mode"];

export type SurveyChannel = "thank_you" | "order_status" | "storefront" | "survey_link";

const DAY_MS = 86_400_000;

/** How long a delivery-stage invitation waits for a fulfillment before it expires unopened. */
export const UNFULFILLED_WAIT_DAYS = 90;

export function stagesFor(mode: TimingMode): SurveyStage[] {
  if (mode === "purchase") return ["purchase"];
  if (mode === "delivery") return ["delivery"];
  return ["purchase", "delivery"];
}

/** The delivery stage opens this long after the (last) fulfillment, unless a delivery event opens it sooner. */
export function opensAfterFulfillment(fulfilledAt: Date, settings: SurveySettings): Date {
  return new Date(fulfilledAt.getTime() + settings.timing.daysAfterFulfillment * DAY_MS);
}

/** An open invitation stays answerable for expiresAfterDays from when it opened. */
export function expiresAfterOpening(opensAt: Date, settings: SurveySettings): Date {
  return new Date(opensAt.getTime() + settings.timing.expiresAfterDays * DAY_MS);
}

/** A scheduled invitation whose order is never fulfilled expires after waiting this long. */
export function unopenedExpiry(createdAt: Date): Date {
  return new Date(createdAt.getTime() + UNFULFILLED_WAIT_DAYS * DAY_MS);
}

// The thank-you page is shown right after paying: only the buying experience can be asked there. Every other
// surface may come back after delivery, when the product experience is the fresher question.
const STAGE_PREFERENCE: Record<SurveyChannel, SurveyStage[]> = {
  thank_you: ["purchase"],
  order_status: ["delivery", "purchase"],
  storefront: ["delivery", "purchase"],
  survey_link: ["delivery", "purchase"],
};

export function stagesForChannel(channel: SurveyChannel): SurveyStage[] {
  return STAGE_PREFERENCE[channel];
}

export interface StagedInvitation {
  stage: string;
  status: string;
  expiresAt: Date;
}

function isOpen(invitation: StagedInvitation, now: Date): boolean {
  return invitation.status === "pending" && invitation.expiresAt > now;
}

/**
 * Of an order's invitations, the one a channel is about: the first open one in the channel's stage preference;
 * if none is open, the first existing one (so the caller can say why there is nothing to show).
 */
export function pickInvitation<T extends StagedInvitation>(
  invitations: readonly T[],
  channel: SurveyChannel,
  now: Date,
): T | null {
  const candidates = stagesForChannel(channel).flatMap((stage) =>
    invitations.filter((invitation) => invitation.stage === stage),
  );
  return candidates.find((invitation) => isOpen(invitation, now)) ?? candidates[0] ?? null;
}
