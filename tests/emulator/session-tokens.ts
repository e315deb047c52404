import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";

// Session tokens of UI extensions: HS256 JWTs signed with the app's secret. `sub` (the customer) is present only
// for logged-in buyers when the app may read customer accounts; `dest` names the shop.
export interface SessionTokenOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  sub?: string;
  dest?: "domain" | "url";
  expiresInSeconds?: number;
  now?: Date;
}

async function sign(options: SessionTokenOptions, extra: Record<string, unknown>): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    dest: options.dest === "domain" ? options.shop : `https://${options.shop}`,
    ...(options.sub ? { sub: options.sub } : {}),
    ...extra,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setAudience(options.apiKey)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 300))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(options.apiSecret));
}

/** For purchase.thank-you.* targets (verified with authenticate.public.checkout). */
export function makeCheckoutSessionToken(options: SessionTokenOptions): Promise<string> {
  return sign(options, {});
}

/** For customer-account.* targets (verified with authenticate.public.customerAccount). */
export function makeCustomerAccountSessionToken(options: SessionTokenOptions): Promise<string> {
  return sign(options, { iss: `https://${options.shop}/account` });
}
