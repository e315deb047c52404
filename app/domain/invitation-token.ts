import { createHmac, timingSafeEqual } from "node:crypto";

// Survey links carry a signed, expiring invitation token: base64url(JSON payload) "." base64url(HMAC-SHA256).
// It names the shop and the invitation, so a token of one shop can never open another shop's survey.
export interface InvitationTokenPayload {
  shop: string;
  invitationId: string;
  expiresAt: number; // epoch seconds
}

const encode = (value: string | Buffer) => Buffer.from(value).toString("base64url");

function signature(body: string, secret: string): string {
  return createHmac("sha256", secret).update(`nps-invitation.${body}`).digest("base64url");
}

export function signInvitationToken(payload: InvitationTokenPayload, secret: string): string {
  const body = encode(JSON.stringify({ s: payload.shop, i: payload.invitationId, e: payload.expiresAt }));
  return `${body}.${signature(body, secret)}`;
}

export type TokenCheck =
  | { ok: true; payload: InvitationTokenPayload }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

export function verifyInvitationToken(token: string, secret: string, now: Date): TokenCheck {
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined || token.length > 1024) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(signature(body, secret));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: "bad_signature" };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const { s, i, e } = (decoded ?? {}) as { s?: unknown; i?: unknown; e?: unknown };
  if (typeof s !== "string" || typeof i !== "string" || typeof e !== "number")
    return { ok: false, reason: "malformed" };
  if (e * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, payload: { shop: s, invitationId: i, expiresAt: e } };
}
