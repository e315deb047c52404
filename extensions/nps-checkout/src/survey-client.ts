// The survey's conversation with the app, shared by the thank-you and order-status extensions. No UI here.
// The contract's types come from the app's domain (type-only: nothing of the app enters the bundle).
import type { Category } from "../../../app/domain/category";
import type { LocalizedSurvey } from "../../../app/domain/survey-text";

export type { Category, LocalizedSurvey };

export type SurveyAnswer = { show: true; survey: LocalizedSurvey } | { show: false };

export interface SurveyHost {
  /** e.g. "https://nps.example.com/api/checkout" */
  apiBase: string;
  orderId: string;
  locale: string;
  sessionToken(): Promise<string>;
  fetch: typeof fetch;
}

export function categoryOf(score: number): Category {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

/** Loads the survey; any failure means "nothing to show" — the extension then renders nothing. */
export async function loadSurvey(host: SurveyHost): Promise<SurveyAnswer> {
  try {
    const query = new URLSearchParams({ orderId: host.orderId, locale: host.locale });
    const response = await host.fetch(`${host.apiBase}/survey?${query}`, {
      headers: { Authorization: `Bearer ${await host.sessionToken()}` },
    });
    if (!response.ok) return { show: false };
    const body = (await response.json()) as { show?: boolean; survey?: LocalizedSurvey };
    return body.show && body.survey ? { show: true, survey: body.survey } : { show: false };
  } catch {
    return { show: false };
  }
}

export type SubmitResult = "thanks" | "error";

export async function submitAnswer(
  host: SurveyHost,
  answer: { score: number; comment: string; csat: number | null; ces: number | null },
): Promise<SubmitResult> {
  try {
    const response = await host.fetch(`${host.apiBase}/responses`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await host.sessionToken()}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        orderId: host.orderId,
        score: answer.score,
        locale: host.locale,
        ...(answer.comment.trim() ? { comment: answer.comment.trim() } : {}),
        ...(answer.csat !== null ? { csat: answer.csat } : {}),
        ...(answer.ces !== null ? { ces: answer.ces } : {}),
      }),
    });
    // 409: this order was answered already (another tab, the order-status page): thank the shopper all the same.
    return response.status === 201 || response.status === 409 ? "thanks" : "error";
  } catch {
    return "error";
  }
}
