import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { appProxyUrl } from "./app-proxy";
import { makeCheckoutSessionToken, makeCustomerAccountSessionToken } from "./session-tokens";
import { signWebhookBody, webhookHeaders } from "./webhooks";

// What the emulator signs must be accepted by Shopify's own library, exactly as real deliveries are.
const apiKey = "key";
const apiSecretKey = "secret";
const api = shopifyApi({
  apiKey,
  apiSecretKey,
  apiVersion: ApiVersion.October26,
  hostName: "nps.example.com",
  isEmbeddedApp: true,
  logger: { level: 0 },
});

describe("the emulator's signatures", () => {
  it("sign webhooks as Shopify does: base64 HMAC-SHA256 of the raw body", () => {
    // echo -n '{"id":1}' | openssl dgst -sha256 -hmac secret -binary | base64
    expect(signWebhookBody('{"id":1}', "secret")).toBe("A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=");
  });

  it("make webhooks that Shopify's validator accepts, and reject a wrong secret", async () => {
    const rawBody = JSON.stringify({ id: 1001 });
    const headers = webhookHeaders(
      { topic: "orders/create", shop: "a.myshopify.com", payload: null, apiSecret: apiSecretKey },
      rawBody,
    );
    const request = new Request("https://nps.example.com/webhooks", {
      method: "POST",
      headers,
      body: rawBody,
    });
    const valid = await api.webhooks.validate({ rawBody, rawRequest: request });
    expect(valid).toMatchObject({ valid: true, domain: "a.myshopify.com" });
    const wrong = webhookHeaders(
      { topic: "orders/create", shop: "a.myshopify.com", payload: null, apiSecret: "other" },
      rawBody,
    );
    const forged = await api.webhooks.validate({
      rawBody,
      rawRequest: new Request("https://nps.example.com/webhooks", {
        method: "POST",
        headers: wrong,
        body: rawBody,
      }),
    });
    expect(forged.valid).toBe(false);
  });

  it("make session tokens Shopify's decoder accepts, with dest as URL or bare domain", async () => {
    const checkout = await makeCheckoutSessionToken({
      shop: "a.myshopify.com",
      apiKey,
      apiSecret: apiSecretKey,
      sub: "gid://shopify/Customer/42",
    });
    expect(await api.session.decodeSessionToken(checkout)).toMatchObject({
      dest: "https://a.myshopify.com",
      aud: apiKey,
      sub: "gid://shopify/Customer/42",
    });
    const account = await makeCustomerAccountSessionToken({
      shop: "a.myshopify.com",
      apiKey,
      apiSecret: apiSecretKey,
      dest: "domain",
    });
    expect(await api.session.decodeSessionToken(account)).toMatchObject({ dest: "a.myshopify.com" });
  });

  it("make session tokens that fail when expired or signed with another secret", async () => {
    const expired = await makeCheckoutSessionToken({
      shop: "a.myshopify.com",
      apiKey,
      apiSecret: apiSecretKey,
      now: new Date(Date.now() - 10 * 60_000),
    });
    await expect(api.session.decodeSessionToken(expired)).rejects.toThrow();
    const foreign = await makeCheckoutSessionToken({ shop: "a.myshopify.com", apiKey, apiSecret: "other" });
    await expect(api.session.decodeSessionToken(foreign)).rejects.toThrow();
  });

  it("sign app-proxy queries as Shopify's validator expects", async () => {
    const url = new URL(
      appProxyUrl(
        "https://nps.example.com/proxy/survey",
        { shop: "a.myshopify.com", token: "t", extra: ["1", "2"] },
        apiSecretKey,
      ),
    );
    const query = Object.fromEntries(url.searchParams.entries());
    query.extra = "1,2";
    expect(await api.utils.validateHmac(query, { signator: "appProxy" })).toBe(true);
    expect(await api.utils.validateHmac({ ...query, token: "tampered" }, { signator: "appProxy" })).toBe(
      false,
    );
  });
});
