import { describe, expect, it } from "vitest";
import {
  followUpSurveyCutoff,
  isFollowUpSurveyDue,
  summarizeRecovery,
  surveyLinkUrl,
} from "~/domain/follow-up-survey";

const DAY = 86_400_000;
const now = new Date("2026-11-25T12:00:00Z");

describe("when a follow-up survey is due", () => {
  const settings = { enabled: true, daysAfterResolved: 14 };

  it("is due exactly daysAfterResolved after the resolution, not a millisecond before", () => {
    expect(followUpSurveyCutoff(now, settings)).toEqual(new Date(now.getTime() - 14 * DAY));
    expect(isFollowUpSurveyDue(new Date(now.getTime() - 14 * DAY), now, settings)).toBe(true);
    expect(isFollowUpSurveyDue(new Date(now.getTime() - 14 * DAY + 1), now, settings)).toBe(false);
  });

  it("is never due while the survey is off or the follow-up is not resolved", () => {
    const longAgo = new Date(now.getTime() - 400 * DAY);
    expect(isFollowUpSurveyDue(longAgo, now, { ...settings, enabled: false })).toBe(false);
    expect(isFollowUpSurveyDue(null, now, settings)).toBe(false);
  });
});

describe("the follow-up survey link", () => {
  it("opens the storefront with the token escaped", () => {
    expect(surveyLinkUrl("shop.myshopify.com", "a+b/c.d")).toBe(
      "https://shop.myshopify.com/?nps_token=a%2Bb%2Fc.d",
    );
  });
});

describe("the recovered detractors summary", () => {
  it("counts passives and promoters as recovered, shares of those who answered, rounded score change", () => {
    const report = summarizeRecovery({
      asked: 8,
      answered: 4,
      promoters: 1,
      passives: 2,
      detractors: 1,
      averageScoreChange: 4.333333,
    });

    expect(report).toMatchObject({
      recovered: 3,
      recoveredShare: 0.75,
      answerRate: 0.5,
      averageScoreChange: 4.3,
    });
  });

  it("has no share and no change before anyone answered", () => {
    const report = summarizeRecovery({
      asked: 2,
      answered: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      averageScoreChange: null,
    });

    expect(report).toMatchObject({
      recovered: 0,
      recoveredShare: null,
      answerRate: 0,
      averageScoreChange: null,
    });
    expect(summarizeRecovery({ ...report, asked: 0 }).answerRate).toBeNull();
  });

  it("keeps a negative change negative", () => {
    const report = summarizeRecovery({
      asked: 1,
      answered: 1,
      promoters: 0,
      passives: 0,
      detractors: 1,
      averageScoreChange: -2,
    });
    expect(report.averageScoreChange).toBe(-2);
    expect(report.recoveredShare).toBe(0);
  });
});
