import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";

const minimal = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://nps.example.com",
};

describe("the environment", () => {
  it("fills documented defaults around the required Shopify settings", () => {
    const env = parseEnv(minimal);
    expect(env).toMatchObject({
      DATABASE_URL: "file:./prisma/dev.db",
      PORT: 3000,
      HOST: "127.0.0.1",
      NPS_DEMO: false,
      SYNC_WORKER: "on",
      DEMO_SHOP: "nps-demo.myshopify.com",
    });
    expect(env.SHOPIFY_ADMIN_API_ORIGIN).toBeUndefined();
  });

  it("names every missing or malformed variable in one error", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", SHOPIFY_APP_URL: "not a url" })).toThrowError(
      /SHOPIFY_API_KEY[\s\S]*SHOPIFY_API_SECRET[\s\S]*SHOPIFY_APP_URL[\s\S]*DATABASE_URL/,
    );
  });

  it("accepts PostgreSQL URLs and the demo flag", () => {
    const env = parseEnv({ ...minimal, DATABASE_URL: "postgresql://u@127.0.0.1:5432/nps", NPS_DEMO: "1" });
    expect(env.DATABASE_URL).toBe("postgresql://u@127.0.0.1:5432/nps");
    expect(env.NPS_DEMO).toBe(true);
  });
});
