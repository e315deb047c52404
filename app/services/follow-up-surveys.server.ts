import type { Database } from "~/adapters/db/client.server";
import {
  dueFollowUpSurveys,
  recoveryCounts,
  shopsWithResolvedFollowUps,
} from "~/adapters/db/follow-up-queries.server";
import { isUniqueViolation } from "~/adapters/db/unique-violation.server";
import { invitationExpiresAt } from "~/domain/eligibility";
import {
  FOLLOW_UP_SOURCE,
  FOLLOW_UP_STAGE,
  followUpSurveyCutoff,
  type RecoveryReport,
  summarizeRecovery,
} from "~/domain/follow-up-survey";
import { currentSurvey, findInstalledShop } from "./shops.server";

// Follow-up surveys for recovered detractors. The app keeps no customer email addresses (on purpose: it needs
// none to tag customers), so it cannot mail the link itself: the follow-up's row in the admin shows the signed
// survey link for the merchant to send (see listFollowUps).

const BATCH_PER_SHOP = 200;
/** The shortest daysAfterResolved the settings allow: no follow-up resolved more recently can be due anywhere. */
const MIN_DAYS_AFTER_RESOLVED = 1;

/**
 * Creates the follow-up survey (an invitation of stage follow_up for the case's order) of every follow-up resolved
 * at least daysAfterResolved ago in shops that turned the follow-up survey on. Idempotent and safe on several
 * instances: the invitation is unique per shop, order and stage. Returns how many it created.
 */
export async function createDueFollowUpSurveys(database: Database, now = new Date()): Promise<number> {
  const earliestCutoff = followUpSurveyCutoff(now, {
    enabled: true,
    daysAfterResolved: MIN_DAYS_AFTER_RESOLVED,
  });
  let created = 0;
  for (const shopDomain of await shopsWithResolvedFollowUps(database, earliestCutoff)) {
    if (!(await findInstalledShop(database, shopDomain))) continue;
    const survey = await currentSurvey(database, shopDomain);
    const { followUpSurvey } = survey.settings;
    if (!followUpSurvey.enabled) continue;
    const due = await dueFollowUpSurveys(
      database,
      shopDomain,
      followUpSurveyCutoff(now, followUpSurvey),
      BATCH_PER_SHOP,
    );
    const answered = await database.invitation.findMany({
      where: { shopDomain, id: { in: due.map((item) => item.invitationId) } },
      select: { id: true, orderName: true, orderFacts: true },
    });
    const byId = new Map(answered.map((invitation) => [invitation.id, invitation]));
    for (const item of due) {
      const original = byId.get(item.invitationId);
      try {
        await database.invitation.create({
          data: {
            shopDomain,
            orderId: item.orderId,
            orderName: original?.orderName ?? null,
            customerId: item.customerId,
            stage: FOLLOW_UP_STAGE,
            status: "pending",
            source: FOLLOW_UP_SOURCE,
            // The order's facts are known: an answer is confirmed at once.
            orderFacts: original?.orderFacts ?? null,
            surveyVersion: survey.version,
            createdAt: now,
            expiresAt: invitationExpiresAt(now, survey.settings),
          },
        });
        created += 1;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error; // another instance created it first
      }
    }
  }
  return created;
}

/** Of resolved detractors asked again, how many are now passive or promoter, and how their score moved. */
export async function recoveredDetractors(database: Database, shopDomain: string): Promise<RecoveryReport> {
  return summarizeRecovery(await recoveryCounts(database, shopDomain));
}
