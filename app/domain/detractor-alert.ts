// The email a merchant gets when a detractor answers: plain text only, so a shopper's comment can never become
// markup or a link in someone's mail client beyond what the client itself detects.

export interface DetractorAlertInput {
  shopDomain: string;
  /** The app's client id: the admin reaches embedded app pages under /apps/<api key>/. */
  apiKey: string;
  followUpId: string;
  score: number;
  comment: string | null;
  orderId: string;
  orderName: string | null;
  /** The stage of the answer: a follow-up survey's detractor is still unhappy after the case was resolved. */
  stage: string;
}

export interface DetractorAlertMail {
  subject: string;
  text: string;
}

// Control characters other than tab and line feed (a carriage return included: line ends are normalized first).
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text from outside (a shopper's comment, an order name) made safe for a text/plain body. */
export function plainText(value: string): string {
  return value.replace(/\r\n?/g, "\n").replace(CONTROL, "");
}

/** One line: header values never carry line breaks or control characters. */
function singleLine(value: string): string {
  return plainText(value).replace(/\s+/g, " ").trim();
}

/** The shop's handle in admin.shopify.com URLs: its myshopify subdomain. */
export function storeHandle(shopDomain: string): string {
  return shopDomain.replace(/\.myshopify\.com$/i, "");
}

/** An embedded page of the app in the Shopify admin, e.g. /app/follow-ups. */
export function adminAppUrl(
  shopDomain: string,
  apiKey: string,
  path: string,
  params: Record<string, string> = {},
): string {
  const query = new URLSearchParams(params).toString();
  const base = `https://admin.shopify.com/store/${encodeURIComponent(storeHandle(shopDomain))}/apps/${encodeURIComponent(apiKey)}${path}`;
  return query ? `${base}?${query}` : base;
}

export function followUpAdminUrl(shopDomain: string, apiKey: string, followUpId: string): string {
  return adminAppUrl(shopDomain, apiKey, "/app/follow-ups", { status: "all", id: followUpId });
}

export function orderLabel(orderName: string | null, orderId: string): string {
  const name = orderName ? singleLine(orderName) : "";
  return name || `order ${orderId}`;
}

export function detractorAlertMail(input: DetractorAlertInput): DetractorAlertMail {
  const order = orderLabel(input.orderName, input.orderId);
  const comment = input.comment ? plainText(input.comment).trim() : "";
  const lead =
    input.stage === "follow_up"
      ? "A customer whose earlier complaint was resolved answered the follow-up survey as a detractor."
      : "A customer answered your NPS survey as a detractor.";
  const text = [
    lead,
    "",
    `Score: ${input.score} out of 10`,
    `Order: ${order}`,
    "Comment:",
    comment ? comment.replace(/^/gm, "  ") : "  (no comment)",
    "",
    "Open the follow-up in the admin:",
    followUpAdminUrl(input.shopDomain, input.apiKey, input.followUpId),
    "",
  ].join("\n");
  return { subject: `Detractor: score ${input.score} from ${order}`, text };
}
