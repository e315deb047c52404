import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signWebhookBody } from "../emulator/webhooks";
import {
  type AppHarness,
  callRoute,
  startAppHarness,
  TEST_API_SECRET,
  TEST_APP_URL,
} from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import { hostileText } from "../support/hostile-input";
import type { DatabaseKind } from "../support/test-databases";

// Shopify Flow's lifecycle callback endpoint under ≥ 200 malformed requests (seeded): forged, missing or
// mangled signatures, bodies that are not JSON, wrong types, unknown or foreign shops, huge bodies, unicode edges,
// wrong methods. Every answer is a 4xx naming a field — or, for a correctly signed callback of a shop that
// never installed, 200 "unknown_shop" — never a 5xx, and the shop's Flow state never changes.
const SEED = 20_261_126;
const RUNS = 220;

type Mangle = "forged" | "missing" | "truncated" | "valid";

export function describeFlowLifecycleFuzz(kind: DatabaseKind) {
  describeOnDatabase(kind, "the Flow lifecycle callback under hostile requests", () => {
    let app: AppHarness;
    let route: { action: (args: never) => unknown };

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      route = (await import("../../app/routes/flow.lifecycle")) as never;
    });
    afterAll(async () => {
      await app?.close();
    });

    function request(body: string, mangle: Mangle, method = "POST", contentType = "application/json") {
      const signature = signWebhookBody(body, mangle === "forged" ? "guessed-secret" : TEST_API_SECRET);
      const headers: Record<string, string> = { "Content-Type": contentType };
      if (mangle !== "missing")
        headers["X-Shopify-Hmac-Sha256"] = mangle === "truncated" ? signature.slice(0, 20) : signature;
      return new Request(`${TEST_APP_URL}/flow/lifecycle`, {
        method,
        headers,
        ...(method === "GET" ? {} : { body }),
      });
    }

    const bodies = fc.oneof(
      hostileText(12),
      fc.constantFrom("", "{", "null", "[]", "true", '{"has_enabled_flow":', "x".repeat(20_000)),
      fc
        .record(
          {
            flow_trigger_definition_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
            has_enabled_flow: fc.oneof(fc.boolean(), fc.string(), fc.integer(), fc.constant(null)),
            shopify_domain: fc.oneof(
              fc.constantFrom("nps-test.myshopify.com", "stranger.myshopify.com", "evil.example.com", ""),
              hostileText(3),
            ),
            timestamp: fc.oneof(
              fc.date().map((date) => (Number.isNaN(date.getTime()) ? "x" : date.toISOString())),
              hostileText(2),
            ),
            extra: hostileText(2),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );

    it("answers every malformed callback with a 4xx naming a field, never a 5xx, and changes no shop's Flow state", async () => {
      const before = await app.database.shop.findMany({
        select: { shopDomain: true, flowTriggerEnabled: true, flowTriggerChangedAt: true },
        orderBy: { shopDomain: "asc" },
      });
      const statuses = new Map<number, number>();
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(
          bodies,
          fc.constantFrom<Mangle>("forged", "missing", "truncated", "valid"),
          fc.constantFrom("POST", "POST", "POST", "PUT", "GET"),
          fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
          async (body, mangle, method, contentType) => {
            // A signed, well-formed callback of the installed shop is the one request that may change its state.
            const parsedShop = (() => {
              try {
                return (JSON.parse(body) as { shopify_domain?: unknown }).shopify_domain;
              } catch {
                return undefined;
              }
            })();
            const mayApply = mangle === "valid" && method === "POST" && parsedShop === app.shop.shopDomain;
            if (mayApply) return;
            sent += 1;
            const response = (await callRoute(
              route as never,
              "action",
              request(body, mangle, method, contentType),
            )) as Response;
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            expect(response.status).toBeLessThan(500);
            const answer = (await response.json()) as {
              ok?: boolean;
              outcome?: string;
              errors?: { field: string }[];
            };
            if (response.status === 200) {
              expect(answer.outcome).toBe("unknown_shop");
            } else {
              expect(response.status).toBeGreaterThanOrEqual(400);
              expect(answer.errors?.[0]?.field).toEqual(expect.any(String));
            }
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      expect(sent).toBeGreaterThanOrEqual(200);
      const after = await app.database.shop.findMany({
        select: { shopDomain: true, flowTriggerEnabled: true, flowTriggerChangedAt: true },
        orderBy: { shopDomain: "asc" },
      });
      expect(after).toEqual(before);
      expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
    }, 120_000);
  });
}
