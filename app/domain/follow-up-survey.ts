import type { SurveySettings } from "./survey-settings";

// Closing the loop: some days after a detractor's follow-up is resolved, the customer is asked again through a
// survey link. Those answers have their own invitation stage, so they measure the recovery without counting twice
// in the shop's NPS (the dashboard, segments and drivers count purchase and delivery answers only).
export const FOLLOW_UP_STAGE = "follow_up";
/** Invitation.source of a follow-up survey (the others are webhook, extension and storefront). */
export const FOLLOW_UP_SOURCE = "follow_up";

const DAY_MS = 86_400_000;

/** Follow-ups resolved at or before this time are due for their follow-up survey. */
export function followUpSurveyCutoff(now: Date, settings: SurveySettings["followUpSurvey"]): Date {
  return new Date(now.getTime() - settings.daysAfterResolved * DAY_MS);
}

export function isFollowUpSurveyDue(
  resolvedAt: Date | null,
  now: Date,
  settings: SurveySettings["followUpSurvey"],
): boolean {
  return settings.enabled && resolvedAt !== null && resolvedAt <= followUpSurveyCutoff(now, settings);
}

/** The storefront page that opens a survey link: the theme app embed reads `nps_token` and shows the survey. */
export function surveyLinkUrl(shopDomain: string, token: string): string {
  return `https://${shopDomain}/?nps_token=${encodeURIComponent(token)}`;
}

/** Counted in SQL over resolved detractor cases (app/adapters/db/follow-up-queries.server.ts). */
export interface RecoveryCounts {
  /** Follow-up surveys sent for resolved cases. */
  asked: number;
  /** Of those, answered (confirmed answers). */
  answered: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** Average of (follow-up score − original score) over the answered ones; null without answers. */
  averageScoreChange: number | null;
}

export interface RecoveryReport extends RecoveryCounts {
  /** Now passive or promoter. */
  recovered: number;
  /** recovered / answered; null without answers. */
  recoveredShare: number | null;
  /** answered / asked; null when none was asked. */
  answerRate: number | null;
}

export function summarizeRecovery(counts: RecoveryCounts): RecoveryReport {
  const recovered = counts.promoters + counts.passives;
  return {
    ...counts,
    recovered,
    recoveredShare: counts.answered > 0 ? recovered / counts.answered : null,
    answerRate: counts.asked > 0 ? counts.answered / counts.asked : null,
    averageScoreChange:
      counts.answered > 0 && counts.averageScoreChange !== null
        ? Math.round(counts.averageScoreChange * 10) / 10
        : null,
  };
}
