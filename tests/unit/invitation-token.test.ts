import { describe, expect, it } from "vitest";
import { signInvitationToken, verifyInvitationToken } from "~/domain/invitation-token";

const secret = "app-secret";
const now = new Date("2026-11-25T12:00:00Z");
const payload = { shop: "a.myshopify.com", invitationId: "inv_1", expiresAt: now.getTime() / 1000 + 3600 };

describe("invitation tokens for survey links", () => {
  it("round-trip the shop, the invitation and the expiry", () => {
    const token = signInvitationToken(payload, secret);
    expect(verifyInvitationToken(token, secret, now)).toEqual({ ok: true, payload });
  });

  it("are refused when signed with another secret", () => {
    const token = signInvitationToken(payload, "another-secret");
    expect(verifyInvitationToken(token, secret, now)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("are refused when the payload was altered to name another shop", () => {
    const token = signInvitationToken(payload, secret);
    const [, mac] = token.split(".");
    const forged = Buffer.from(
      JSON.stringify({ s: "b.myshopify.com", i: "inv_1", e: payload.expiresAt }),
    ).toString("base64url");
    expect(verifyInvitationToken(`${forged}.${mac}`, secret, now)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("are refused once expired, to the second", () => {
    const token = signInvitationToken(payload, secret);
    const atExpiry = new Date(payload.expiresAt * 1000);
    expect(verifyInvitationToken(token, secret, atExpiry)).toEqual({ ok: false, reason: "expired" });
    expect(verifyInvitationToken(token, secret, new Date(atExpiry.getTime() - 1000)).ok).toBe(true);
  });

  it("are refused when malformed", () => {
    for (const token of ["", "abc", "a.b.c", `${"x".repeat(2000)}.y`]) {
      expect(verifyInvitationToken(token, secret, now)).toMatchObject({ ok: false });
    }
  });
});
