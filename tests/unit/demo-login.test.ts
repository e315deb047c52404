import { describe, expect, it } from "vitest";
import { demoLoginAllowed } from "~/adapters/http/demo-login.server";
import { parseEnv } from "~/env.server";

// The demo login must never open on a deployed app: each condition alone keeps it shut.
const demo = parseEnv({
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:3000",
  HOST: "127.0.0.1",
  NPS_DEMO: "1",
});

const request = (url: string, headers: Record<string, string> = {}) =>
  new Request(url, { headers: { host: new URL(url).host, ...headers } });

describe("the demo login", () => {
  it("opens for a loopback request when NPS_DEMO=1 and the server is bound to loopback", () => {
    expect(demoLoginAllowed(request("http://127.0.0.1:3000/app"), demo)).toBe(true);
    expect(demoLoginAllowed(request("http://localhost:3000/app"), demo)).toBe(true);
  });

  it("stays shut without NPS_DEMO=1", () => {
    expect(demoLoginAllowed(request("http://127.0.0.1:3000/app"), { ...demo, NPS_DEMO: false })).toBe(false);
  });

  it("stays shut when the server listens beyond loopback", () => {
    expect(demoLoginAllowed(request("http://127.0.0.1:3000/app"), { ...demo, HOST: "0.0.0.0" })).toBe(false);
  });

  it("stays shut when the app's public URL is not loopback", () => {
    const deployed = { ...demo, SHOPIFY_APP_URL: "https://nps.example.com" };
    expect(demoLoginAllowed(request("http://127.0.0.1:3000/app"), deployed)).toBe(false);
  });

  it("stays shut for a request that came through a proxy or to a public host", () => {
    const forwarded = request("http://127.0.0.1:3000/app", { "x-forwarded-for": "203.0.113.9" });
    expect(demoLoginAllowed(forwarded, demo)).toBe(false);
    const proxied = request("http://127.0.0.1:3000/app", { "x-forwarded-host": "shop.example" });
    expect(demoLoginAllowed(proxied, demo)).toBe(false);
    expect(demoLoginAllowed(request("http://nps.example.com/app"), demo)).toBe(false);
  });
});
