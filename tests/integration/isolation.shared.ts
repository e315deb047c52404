import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signInvitationToken } from "../../app/domain/invitation-token";
import { orderFactsFromWebhook } from "../../app/domain/order-facts";
import { appProxyUrl } from "../emulator/app-proxy";
import { makeCheckoutSessionToken, makeCustomerAccountSessionToken } from "../emulator/session-tokens";
import { buildWebhookRequest, signWebhookBody } from "../emulator/webhooks";
import { fulfillmentEventPayload, fulfilledOrderPayload, orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers, addEmulatorOrders, installTestShop, testShop } from "../factories/shop";
import {
  type AppHarness,
  callRoute,
  startAppHarness,
  TEST_API_KEY,
  TEST_API_SECRET,
  TEST_APP_URL,
} from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import { shopRows } from "../support/table-snapshot";
import type { DatabaseKind } from "../support/test-databases";

// The isolation matrix. Two installed shops, A (the caller) and B (the victim), each with answers, follow-ups,
// data requests and sync jobs (one of B's dead). Every route file in app/routes — listed from the directory, so a
// route added without a row here fails — is called, loader and action, authenticated as shop A the way its real
// callers are (admin session token, checkout or customer-account session token, app-proxy signature, webhook
// HMAC) while naming shop B's ids. The answer must be a refusal that tells B's id apart from an unknown id in no
// way (no existence leak), or shop A's own data without any of B's; and every row of shop B must be unchanged.

type RouteModule = Parameters<typeof callRoute>[0] & { default?: unknown };
type Handler = "loader" | "action";

interface Outcome {
  status: number;
  text: string;
}

interface Probe {
  /** What shop A does, in words, for failure messages. */
  does: string;
  handler: Handler;
  /** The request; `id` is shop B's id, or an id no shop has when `ids` is given (the existence-leak check). */
  request: (id: string) => Promise<Request>;
  params?: (id: string) => Record<string, string>;
  ids?: () => { b: string; unknown: string };
  /** refused: a 4xx (exactly `status` when given); own: shop A's own answer (2xx/3xx). */
  expect: "refused" | "own";
  status?: number;
  /** For `ids`: what must be the same for B's id and the unknown one (default: the body with the id blanked). */
  comparable?: (outcome: Outcome) => unknown;
  check?: (outcome: Outcome) => void | Promise<void>;
  after?: () => Promise<void>;
}

/** The answer of a route as the client gets it: a Response, Remix's data() or a plain object (200 JSON). */
async function outcomeOf(value: unknown): Promise<Outcome> {
  if (value instanceof Response) return { status: value.status, text: await value.text() };
  if (value && typeof value === "object" && (value as { type?: unknown }).type === "DataWithResponseInit") {
    const { data, init } = value as { data: unknown; init: ResponseInit | null };
    return { status: init?.status ?? 200, text: JSON.stringify(data) };
  }
  return { status: 200, text: value === null || value === undefined ? "" : JSON.stringify(value) };
}

const B_COMMENT = "victim-comment-7f3a9";
const B_NOTE = "victim-note-52c1e";
const B_ERROR = "victim-error-0d8b4";
const B_NAME = "Victim Shop 61e0";
const DESTRUCTIVE = ["webhooks.app.uninstalled.tsx", "webhooks.shop.redact.tsx"];

/** The facts the app reads off an order payload (a queued order's job holds them). */
function factsOf(payload: unknown) {
  const parsed = orderFactsFromWebhook(payload);
  if (!parsed.ok) throw new Error(`order payload unreadable: ${JSON.stringify(parsed.errors)}`);
  return parsed.facts;
}

export function describeIsolation(kind: DatabaseKind) {
  describeOnDatabase(kind, "shop isolation on every route", () => {
    let app: AppHarness;
    let A = "";
    const victim = testShop({ shopDomain: "victim-shop.myshopify.com", name: B_NAME });
    const B = victim.shopDomain;
    const b = {
      answeredOrder: 92_001,
      promoterOrder: 92_002,
      openOrder: 92_003,
      customer: 93_001,
      openCustomer: 93_003,
      followUpId: "",
      dataRequestId: "",
      deadJobId: "",
      openInvitationId: "",
      responseId: "",
      rowIds: [] as string[],
    };
    const a = {
      followUpIds: [] as string[],
      openFollowUps: 0,
      dataRequestIds: [] as string[],
      deadJobIds: [] as string[],
    };

    // ---- how shop A's callers authenticate ------------------------------------------------------------------

    /** A fetch from the embedded admin: App Bridge's session token of shop A as a bearer token. */
    function adminFetch(path: string, form?: Record<string, string>) {
      return setUpValidRequest(
        {
          type: RequestType.Bearer,
          store: A.replace(".myshopify.com", ""),
          apiKey: TEST_API_KEY,
          apiSecretKey: TEST_API_SECRET,
        },
        new Request(
          `${TEST_APP_URL}${path}`,
          form ? { method: "POST", body: new URLSearchParams(form) } : undefined,
        ),
      );
    }
    /** A document load of the embedded admin with shop A's id_token, but `?shop=` rewritten to shop B. */
    async function adminDocumentNamingB(path: string) {
      const request = await setUpValidRequest(
        {
          type: RequestType.Admin,
          store: A.replace(".myshopify.com", ""),
          apiKey: TEST_API_KEY,
          apiSecretKey: TEST_API_SECRET,
        },
        new Request(`${TEST_APP_URL}${path}`),
      );
      const url = new URL(request.url);
      url.searchParams.set("shop", B);
      return new Request(url);
    }
    async function extensionRequest(
      surface: "checkout" | "customerAccount",
      path: string,
      body?: unknown,
      sub?: string,
    ) {
      const make = surface === "checkout" ? makeCheckoutSessionToken : makeCustomerAccountSessionToken;
      const token = await make({
        shop: A,
        apiKey: TEST_API_KEY,
        apiSecret: TEST_API_SECRET,
        ...(sub ? { sub } : {}),
      });
      return new Request(`${TEST_APP_URL}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    }
    function proxyRequest(path: string, params: Record<string, string>, body?: unknown) {
      const url = appProxyUrl(`${TEST_APP_URL}${path}`, { shop: A, ...params }, TEST_API_SECRET);
      return new Request(
        url,
        body === undefined
          ? undefined
          : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
      );
    }
    const surveyToken = (shop: string, invitationId: string) =>
      signInvitationToken(
        { shop, invitationId, expiresAt: Math.floor(Date.now() / 1000) + 86_400 },
        TEST_API_SECRET,
      );
    function webhookOfA(topic: string, payload: unknown) {
      return buildWebhookRequest(`${TEST_APP_URL}/webhooks/${topic}`, {
        topic,
        shop: A,
        payload,
        apiSecret: TEST_API_SECRET,
      });
    }
    const get = (path: string) => new Request(`${TEST_APP_URL}${path}`);

    // ---- what the answers may contain ------------------------------------------------------------------------

    /** Shop B's secrets and row ids — none may reach shop A, except an id shop A itself sent. */
    function leaksIn(text: string, sent: string): string[] {
      const secrets = [B_COMMENT, B_NOTE, B_ERROR, B_NAME, ...b.rowIds];
      return secrets.filter((secret) => text.includes(secret) && !sent.includes(secret));
    }
    const json = <T>(outcome: Outcome) => JSON.parse(outcome.text) as T;
    const idsOf = (items: { id: string }[]) => items.map((item) => item.id);

    // ---- the matrix: one entry per file of app/routes ------------------------------------------------------

    const methodNotAllowed = (handler: Handler, path: string, method = "GET"): Probe => ({
      does: `${method} ${path}`,
      handler,
      request: async () =>
        new Request(`${TEST_APP_URL}${path}`, { method, ...(method === "POST" ? { body: "{}" } : {}) }),
      expect: "refused",
      status: 405,
    });

    function extensionProbes(
      surface: "checkout" | "customerAccount",
      base: string,
      answered: { b: () => number; unknown: string },
    ): Record<string, Probe[]> {
      // The session token proves the buyer is on shop A; the order id is the extension's claim. Shop A's token with
      // shop B's order id is shop A's order id: at most shop A's own (lazily made) invitation, never shop B's rows,
      // and exactly the answer an order id no shop has gets.
      const sameAnswer = (outcome: Outcome) => {
        const body = json<{ show?: boolean; reason?: string; status?: string; errors?: unknown }>(outcome);
        return {
          status: outcome.status,
          show: body.show,
          reason: body.reason,
          answer: body.status,
          errors: body.errors,
        };
      };
      const sub = `gid://shopify/Customer/${b.customer}`;
      return {
        [`${base}.survey.ts`]: [
          {
            does: `GET /${base}/survey for shop B's open order`,
            handler: "loader",
            ids: () => ({ b: String(b.openOrder), unknown: "99001" }),
            request: (id) =>
              extensionRequest(
                surface,
                `/${base.replace(".", "/")}/survey?orderId=gid://shopify/Order/${id}`,
                undefined,
                sub,
              ),
            expect: "own",
            comparable: sameAnswer,
            check: (outcome) => {
              expect(outcome.text).not.toContain(B);
            },
          },
          methodNotAllowed("action", `/${base.replace(".", "/")}/survey`, "POST"),
        ],
        [`${base}.responses.ts`]: [
          {
            does: `POST /${base}/responses answering shop B's answered order`,
            handler: "action",
            ids: () => ({ b: String(answered.b()), unknown: answered.unknown }),
            request: (id) =>
              extensionRequest(
                surface,
                `/${base.replace(".", "/")}/responses`,
                { orderId: `gid://shopify/Order/${id}`, score: 0, comment: "from shop A" },
                sub,
              ),
            expect: "own",
            comparable: sameAnswer,
            check: async (outcome) => {
              const { id } = json<{ id: string }>(outcome);
              expect((await app.database.response.findUniqueOrThrow({ where: { id } })).shopDomain).toBe(A);
            },
          },
          methodNotAllowed("loader", `/${base.replace(".", "/")}/responses`),
        ],
      };
    }

    function matrix(): Record<string, Probe[]> {
      return {
        "_index.tsx": [
          {
            does: "GET /?shop=<B> (the public landing page)",
            handler: "loader",
            request: async () => get(`/?shop=${B}`),
            expect: "own",
            check: (outcome) => expect(outcome.status).toBe(302),
          },
        ],
        ...extensionProbes("checkout", "api.checkout", { b: () => b.promoterOrder, unknown: "99002" }),
        ...extensionProbes("customerAccount", "api.customer-account", {
          b: () => b.answeredOrder,
          unknown: "99004",
        }),
        "app._index.tsx": [
          {
            does: "GET /app (dashboard)",
            handler: "loader",
            request: () => adminFetch("/app?days=365"),
            expect: "own",
            check: async (outcome) => {
              const mine = await app.database.response.count({
                where: { shopDomain: A, status: "confirmed" },
              });
              expect(
                json<{ report: { summary: { responses: number } } }>(outcome).report.summary.responses,
              ).toBe(mine);
            },
          },
          {
            does: "load the dashboard document with ?shop=<B>",
            handler: "loader",
            request: () => adminDocumentNamingB("/app"),
            expect: "refused",
            status: 403,
          },
        ],
        "app.comments.tsx": [
          {
            does: "search the comments for shop B's comment",
            handler: "loader",
            request: () => adminFetch(`/app/comments?search=${B_COMMENT}&days=365`),
            expect: "own",
            check: (outcome) => expect(json<{ total: number }>(outcome).total).toBe(0),
          },
        ],
        "app.data-requests.$id[.json].ts": [
          {
            does: "download shop B's data request export",
            handler: "loader",
            ids: () => ({ b: b.dataRequestId, unknown: "cnotarequest000000000000" }),
            request: (id) => adminFetch(`/app/data-requests/${id}.json`),
            params: (id) => ({ id }),
            expect: "refused",
            status: 404,
          },
        ],
        "app.data-requests.tsx": [
          {
            does: "list data requests",
            handler: "loader",
            request: () => adminFetch("/app/data-requests"),
            expect: "own",
            check: (outcome) => {
              const listed = idsOf(json<{ requests: { id: string }[] }>(outcome).requests);
              expect(listed.length).toBeGreaterThan(0);
              expect(listed.every((id) => a.dataRequestIds.includes(id))).toBe(true);
            },
          },
          {
            does: "mark shop B's data request delivered",
            handler: "action",
            ids: () => ({ b: b.dataRequestId, unknown: "cnotarequest000000000000" }),
            request: (id) => adminFetch("/app/data-requests", { id }),
            expect: "refused",
            status: 404,
          },
        ],
        "app.export[.csv].ts": [
          {
            does: "export the answers as CSV",
            handler: "loader",
            request: () => adminFetch("/app/export.csv"),
            expect: "own",
            check: async (outcome) => {
              const mine = await app.database.response.count({
                where: { shopDomain: A, status: "confirmed" },
              });
              expect(outcome.text.trim().split("\n")).toHaveLength(mine + 1);
            },
          },
        ],
        "app.report[.csv].ts": [
          {
            does: "export the dashboard report as CSV",
            handler: "loader",
            request: () => adminFetch("/app/report.csv?days=730"),
            expect: "own",
            check: async (outcome) => {
              const mine = await app.database.response.count({
                where: { shopDomain: A, status: "confirmed", stage: { not: "follow_up" } },
              });
              expect(outcome.text).toContain(`summary,,responses,${mine}\r\n`);
            },
          },
        ],
        "app.follow-ups.tsx": [
          {
            does: "open shop B's follow-up as an alert mail links it",
            handler: "loader",
            request: () => adminFetch(`/app/follow-ups?status=all&id=${b.followUpId}`),
            expect: "own",
            check: (outcome) => expect(json<{ items: unknown[] }>(outcome).items).toEqual([]),
          },
          {
            does: "list every follow-up",
            handler: "loader",
            request: () => adminFetch("/app/follow-ups?status=all"),
            expect: "own",
            check: (outcome) => {
              const listed = idsOf(json<{ items: { id: string }[] }>(outcome).items);
              expect(listed.length).toBeGreaterThan(0);
              expect(listed.every((id) => a.followUpIds.includes(id))).toBe(true);
            },
          },
          {
            does: "resolve shop B's follow-up with a note",
            handler: "action",
            ids: () => ({ b: b.followUpId, unknown: "cnotafollowup00000000000" }),
            request: (id) =>
              adminFetch("/app/follow-ups", { id, status: "resolved", note: "closed by shop A" }),
            expect: "refused",
            status: 404,
          },
        ],
        "app.segments.tsx": [
          {
            does: "GET /app/segments",
            handler: "loader",
            request: () => adminFetch("/app/segments?days=365"),
            expect: "own",
          },
        ],
        "app.settings.tsx": [
          {
            does: "GET /app/settings",
            handler: "loader",
            request: () => adminFetch("/app/settings"),
            expect: "own",
            check: (outcome) => expect(outcome.text).not.toContain(B),
          },
          {
            // The action answers a refused form with 200 and the errors (the page shows them next to the fields).
            does: "save settings with shopDomain=<B> in the form",
            handler: "action",
            request: () =>
              adminFetch("/app/settings", {
                shopDomain: B,
                frequencyCapDays: "45",
                "channels.thankYou": "on",
              }),
            expect: "own",
            check: (outcome) =>
              expect(json<{ ok: boolean; errors: { field: string }[] }>(outcome)).toMatchObject({
                ok: false,
                errors: [{ field: expect.stringContaining("shopDomain") }],
              }),
          },
          {
            does: "save shop A's settings",
            handler: "action",
            request: () => adminFetch("/app/settings", { frequencyCapDays: "45", "channels.thankYou": "on" }),
            expect: "own",
            check: async (outcome) => {
              const { currentSurvey } = await import("../../app/services/shops.server");
              expect((await currentSurvey(app.database, A)).settings.frequencyCapDays, outcome.text).toBe(45);
            },
            after: restoreSettingsOfA,
          },
          {
            does: "post settings from a document naming shop B",
            handler: "action",
            request: () => adminDocumentNamingB("/app/settings"),
            expect: "refused",
            status: 403,
          },
        ],
        "app.sync.tsx": [
          {
            does: "GET /app/sync",
            handler: "loader",
            request: () => adminFetch("/app/sync"),
            expect: "own",
            check: (outcome) => {
              const dead = idsOf(json<{ dead: { items: { id: string }[] } }>(outcome).dead.items);
              expect(dead.length).toBeGreaterThan(0);
              expect(dead.every((id) => a.deadJobIds.includes(id))).toBe(true);
            },
          },
          {
            does: "retry shop B's dead job",
            handler: "action",
            ids: () => ({ b: b.deadJobId, unknown: "cnotajob0000000000000000" }),
            request: (id) => adminFetch("/app/sync", { intent: "retry", jobId: id }),
            expect: "refused",
            status: 404,
          },
          {
            does: "retry every dead job",
            handler: "action",
            request: () => adminFetch("/app/sync", { intent: "retry-all" }),
            expect: "own",
            check: (outcome) => expect(json<{ retried: number }>(outcome).retried).toBe(a.deadJobIds.length),
          },
        ],
        "app.tsx": [
          {
            does: "GET /app?shop=<B> with shop A's session token",
            handler: "loader",
            request: () => adminFetch(`/app?shop=${B}`),
            expect: "refused",
            status: 403,
          },
          {
            does: "GET /app (the layout)",
            handler: "loader",
            request: () => adminFetch("/app"),
            expect: "own",
            check: (outcome) => {
              const layout = json<{ shopDomain: string; openFollowUps: number }>(outcome);
              expect(layout.shopDomain).toBe(A);
              // the admin's badge counts shop A's open cases only
              expect(a.openFollowUps).toBeGreaterThan(0);
              expect(layout.openFollowUps).toBe(a.openFollowUps);
            },
          },
          {
            does: "load the layout document with ?shop=<B>",
            handler: "loader",
            request: () => adminDocumentNamingB("/app"),
            expect: "refused",
            status: 403,
          },
        ],
        "auth.$.tsx": [
          {
            does: "GET /auth/session-token?shop=<B> with shop A's session token",
            handler: "loader",
            request: () => adminFetch(`/auth/session-token?shop=${B}`),
            params: () => ({ "*": "session-token" }),
            expect: "own",
          },
        ],
        "proxy.survey.ts": [
          {
            does: "GET /proxy/survey with a survey link of shop B",
            handler: "loader",
            ids: () => ({ b: b.openInvitationId, unknown: "cnotaninvitation00000000" }),
            request: async (id) => proxyRequest("/proxy/survey", { token: surveyToken(B, id) }),
            expect: "refused",
            status: 401,
          },
          {
            does: "GET /proxy/survey with shop A's link to shop B's invitation",
            handler: "loader",
            ids: () => ({ b: b.openInvitationId, unknown: "cnotaninvitation00000000" }),
            request: async (id) => proxyRequest("/proxy/survey", { token: surveyToken(A, id) }),
            expect: "own",
            check: (outcome) => expect(json<{ reason: string }>(outcome).reason).toBe("no_invitation"),
          },
          {
            does: "GET /proxy/survey as shop B's logged-in customer",
            handler: "loader",
            ids: () => ({ b: String(b.openCustomer), unknown: "99003" }),
            request: async (id) => proxyRequest("/proxy/survey", { logged_in_customer_id: id }),
            expect: "own",
            check: (outcome) => expect(json<{ reason: string }>(outcome).reason).toBe("no_invitation"),
          },
          methodNotAllowed("action", "/proxy/survey", "POST"),
        ],
        "proxy.responses.ts": [
          {
            does: "POST /proxy/responses with a survey link of shop B",
            handler: "action",
            ids: () => ({ b: b.openInvitationId, unknown: "cnotaninvitation00000000" }),
            request: async (id) =>
              proxyRequest(
                "/proxy/responses",
                {},
                { token: surveyToken(B, id), orderId: String(b.openOrder), score: 0 },
              ),
            expect: "refused",
            status: 401,
          },
          {
            does: "POST /proxy/responses with shop A's link to shop B's invitation",
            handler: "action",
            ids: () => ({ b: b.openInvitationId, unknown: "cnotaninvitation00000000" }),
            request: async (id) =>
              proxyRequest(
                "/proxy/responses",
                {},
                { token: surveyToken(A, id), orderId: String(b.openOrder), score: 0 },
              ),
            expect: "refused",
            status: 404,
          },
          {
            does: "POST /proxy/responses as shop B's logged-in customer for shop B's open order",
            handler: "action",
            ids: () => ({ b: String(b.openCustomer), unknown: "99003" }),
            request: async (id) =>
              proxyRequest(
                "/proxy/responses",
                { logged_in_customer_id: id },
                { orderId: String(b.openOrder), score: 0 },
              ),
            expect: "refused",
            status: 404,
          },
          methodNotAllowed("loader", "/proxy/responses"),
        ],
        "webhooks.orders.create.tsx": webhookProbes("orders/create", () =>
          orderPayload({ id: b.answeredOrder, customerId: b.customer }),
        ),
        "webhooks.orders.fulfilled.tsx": webhookProbes("orders/fulfilled", () =>
          fulfilledOrderPayload({ id: b.openOrder, customerId: b.openCustomer, fulfilledAt: new Date() }),
        ),
        "webhooks.fulfillment_events.create.tsx": webhookProbes("fulfillment_events/create", () =>
          fulfillmentEventPayload({
            id: 94_001,
            orderId: b.promoterOrder,
            status: "delivered",
            happenedAt: new Date(),
          }),
        ),
        "webhooks.customers.data_request.tsx": webhookProbes("customers/data_request", () => ({
          customer: { id: b.customer },
          orders_requested: [b.answeredOrder, b.promoterOrder],
        })),
        "webhooks.customers.redact.tsx": webhookProbes("customers/redact", () => ({
          customer: { id: b.customer },
          orders_to_redact: [b.answeredOrder, b.promoterOrder, b.openOrder],
        })),
        "webhooks.app.scopes_update.tsx": webhookProbes("app/scopes_update", () => ({
          current: ["read_orders"],
        })),
        "webhooks.app.uninstalled.tsx": webhookProbes("app/uninstalled", () => ({
          domain: B,
          myshopify_domain: B,
        })),
        "webhooks.shop.redact.tsx": webhookProbes("shop/redact", () => ({ shop_id: 2, shop_domain: B })),
        // Shopify Flow's lifecycle callback names its shop in the signed body: shop A's changes shop A only.
        "flow.lifecycle.ts": [
          {
            does: "Flow lifecycle callback of shop A",
            handler: "action",
            request: async () => {
              const body = JSON.stringify({
                flow_trigger_definition_id: "nps-answered",
                has_enabled_flow: true,
                shopify_domain: A,
                timestamp: new Date().toISOString(),
              });
              return new Request(`${TEST_APP_URL}/flow/lifecycle`, {
                method: "POST",
                headers: {
                  "Content-Type": "application/json",
                  "X-Shopify-Hmac-Sha256": signWebhookBody(body, TEST_API_SECRET),
                },
                body,
              });
            },
            expect: "own",
            check: (outcome) => expect(json<{ outcome: string }>(outcome).outcome).toBe("recorded"),
          },
          methodNotAllowed("loader", "/flow/lifecycle"),
        ],
      };
    }

    function webhookProbes(topic: string, payload: () => unknown): Probe[] {
      return [
        {
          does: `${topic} signed for shop A carrying shop B's ids`,
          handler: "action",
          request: async () => webhookOfA(topic, payload()),
          expect: "own",
          check: (outcome) => expect(outcome.status).toBe(200),
        },
        methodNotAllowed("loader", `/webhooks/${topic}`),
      ];
    }

    let settingsOfA: unknown = null;
    async function restoreSettingsOfA() {
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      await saveSurveySettings(app.database, A, settingsOfA);
    }

    async function run(route: RouteModule, probe: Probe, id: string): Promise<Outcome> {
      const request = await probe.request(id);
      return outcomeOf(await callRoute(route, probe.handler, request, {}, probe.params?.(id) ?? {}));
    }

    async function runProbe(file: string, route: RouteModule, probe: Probe) {
      const where = `${file} ${probe.handler}: ${probe.does}`;
      const before = await shopRows(app.database, B);
      const ids = probe.ids?.() ?? { b: "", unknown: "" };
      const outcome = await run(route, probe, ids.b);
      const sent = (await probe.request(ids.b)).url + ids.b;
      expect(leaksIn(outcome.text, sent), `${where}: shop B's data in the answer`).toEqual([]);
      if (probe.expect === "refused") {
        expect(outcome.status, `${where}: ${outcome.text}`).toBeGreaterThanOrEqual(400);
        expect(outcome.status, `${where}: ${outcome.text}`).toBeLessThan(500);
        if (probe.status) expect(outcome.status, `${where}: ${outcome.text}`).toBe(probe.status);
      } else {
        expect(outcome.status, `${where}: ${outcome.text}`).toBeLessThan(400);
      }
      await probe.check?.(outcome);
      if (probe.ids) {
        const unknown = await run(route, probe, ids.unknown);
        const comparable =
          probe.comparable ??
          ((result: Outcome) => ({
            status: result.status,
            text: result.text.replaceAll(ids.b, "<id>").replaceAll(ids.unknown, "<id>"),
          }));
        expect(comparable(outcome), `${where}: shop B's id answered differently from an unknown id`).toEqual(
          comparable(unknown),
        );
      }
      await probe.after?.();
      expect(await shopRows(app.database, B), `${where}: shop B's rows changed`).toEqual(before);
    }

    // ---- two shops with data --------------------------------------------------------------------------------

    async function answer(shopDomain: string, orderId: number, score: number, comment: string) {
      const token = await makeCheckoutSessionToken({
        shop: shopDomain,
        apiKey: TEST_API_KEY,
        apiSecret: TEST_API_SECRET,
      });
      const response = (await callRoute(
        app.routes.checkoutResponses,
        "action",
        new Request(`${TEST_APP_URL}/api/checkout/responses`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: JSON.stringify({ orderId: `gid://shopify/Order/${orderId}`, score, comment }),
        }),
      )) as Response;
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string };
    }

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      A = app.shop.shopDomain;
      await installTestShop(app.database, app.emulator.url, victim);
      const { currentSurvey } = await import("../../app/services/shops.server");
      settingsOfA = (await currentSurvey(app.database, A)).settings;
      await addEmulatorCustomers(app.emulator.url, A, [{ id: 42, tags: ["vip"] }, { id: 43 }]);
      await addEmulatorCustomers(app.emulator.url, B, [
        { id: b.customer, tags: ["b-merchant-tag"] },
        { id: 93_002 },
        { id: b.openCustomer },
      ]);
      await addEmulatorOrders(app.emulator.url, B, [{ id: b.promoterOrder, customerId: 93_002 }]);

      // Shop B: a detractor with a comment and a noted follow-up, a promoter, an open invitation, a data
      // request, finished jobs, a dead job and a pending one.
      await app.webhook("orders/create", orderPayload({ id: b.answeredOrder, customerId: b.customer }), {
        shop: B,
      });
      await app.webhook("orders/create", orderPayload({ id: b.promoterOrder, customerId: 93_002 }), {
        shop: B,
      });
      await app.webhook("orders/create", orderPayload({ id: b.openOrder, customerId: b.openCustomer }), {
        shop: B,
      });
      b.responseId = (await answer(B, b.answeredOrder, 2, B_COMMENT)).id;
      await answer(B, b.promoterOrder, 10, "victim promoter");
      const { updateFollowUp } = await import("../../app/services/follow-ups.server");
      const followUp = await app.database.followUp.findFirstOrThrow({ where: { shopDomain: B } });
      await updateFollowUp(app.database, B, { id: followUp.id, status: "contacted", note: B_NOTE });
      b.followUpId = followUp.id;
      await app.webhook(
        "customers/data_request",
        { customer: { id: b.customer }, orders_requested: [b.answeredOrder] },
        { shop: B },
      );
      b.dataRequestId = (await app.database.dataRequest.findFirstOrThrow({ where: { shopDomain: B } })).id;
      b.openInvitationId = (
        await app.database.invitation.findFirstOrThrow({
          where: { shopDomain: B, orderId: String(b.openOrder), stage: "purchase" },
        })
      ).id;

      // Shop A: its own detractor, data request and dead job, so that its pages are not empty.
      await app.webhook("orders/create", orderPayload({ id: 1001, customerId: 42 }));
      await answer(A, 1001, 1, "shop A's own comment");
      await app.webhook("customers/data_request", { customer: { id: 42 }, orders_requested: [1001] });
      await app.drainSync(19);

      const dead = (shopDomain: string, error: string) =>
        app.database.syncJob.create({
          data: {
            shopDomain,
            kind: "customer_category",
            customerId: "43",
            status: "dead",
            attempts: 8,
            lastError: error,
          },
        });
      b.deadJobId = (await dead(B, B_ERROR)).id;
      await app.database.syncJob.create({
        data: {
          shopDomain: B,
          kind: "customer_category",
          customerId: "93002",
          runAt: new Date("2999-01-01T00:00:00Z"),
        },
      });
      a.deadJobIds = [(await dead(A, "shop A's own failure")).id];
      a.followUpIds = idsOf(await app.database.followUp.findMany({ where: { shopDomain: A } }));
      a.openFollowUps = await app.database.followUp.count({ where: { shopDomain: A, status: "open" } });
      a.dataRequestIds = idsOf(await app.database.dataRequest.findMany({ where: { shopDomain: A } }));

      const rows = await shopRows(app.database, B);
      b.rowIds = Object.values(rows)
        .flat()
        .map((row) => (JSON.parse(row) as { id?: unknown }).id)
        .filter((id): id is string => typeof id === "string" && id.length > 10);
      expect(b.rowIds.length).toBeGreaterThan(5);
      expect(await app.database.syncJob.count({ where: { shopDomain: B, status: "done" } })).toBeGreaterThan(
        0,
      );
    });
    afterAll(async () => {
      await app?.close();
    });

    // ---- the tests ------------------------------------------------------------------------------------------

    const files = readdirSync("app/routes").sort();
    /** The route files of one kind of caller; the destructive webhooks run last, once nothing else needs shop A. */
    const GROUPS: Record<string, (file: string) => boolean> = {
      admin: (file) => file.startsWith("app.") || file.startsWith("auth.") || file === "_index.tsx",
      extensions: (file) => file.startsWith("api."),
      proxy: (file) => file.startsWith("proxy."),
      webhooks: (file) =>
        (file.startsWith("webhooks.") || file.startsWith("flow.")) && !DESTRUCTIVE.includes(file),
      destructive: (file) => DESTRUCTIVE.includes(file),
    };
    const filesOf = (group: string) => files.filter(GROUPS[group]!);

    async function probeFiles(group: string) {
      const rows = matrix();
      for (const file of filesOf(group)) {
        const route = (await import(/* @vite-ignore */ path.resolve("app/routes", file))) as RouteModule;
        for (const probe of rows[file] ?? []) await runProbe(file, route, probe);
      }
    }

    it("has a row for every route file, and a probe for every loader and action it exports", async () => {
      const rows = matrix();
      expect(Object.keys(rows).sort()).toEqual(files);
      for (const file of files) {
        const groups = Object.keys(GROUPS).filter((group) => GROUPS[group]!(file));
        expect(groups, `the caller group of ${file}`).toHaveLength(1);
        const route = (await import(/* @vite-ignore */ path.resolve("app/routes", file))) as RouteModule;
        for (const handler of ["loader", "action"] as const) {
          const probed = rows[file]!.some((probe) => probe.handler === handler);
          expect(probed, `${file} ${handler}`).toBe(typeof route[handler] === "function");
        }
      }
    });

    it("refuses shop A's admin every id of shop B and shows it only its own data, on every admin route", async () => {
      expect(filesOf("admin").length).toBeGreaterThan(10);
      await probeFiles("admin");
    });

    it("keeps shop A's checkout and customer-account tokens to shop A's own orders on every extension endpoint", async () => {
      await probeFiles("extensions");
    });

    it("refuses shop A's app proxy shop B's survey links and customers on every storefront endpoint", async () => {
      await probeFiles("proxy");
    });

    it("lets a webhook signed for shop A change nothing of shop B, whatever ids it carries", async () => {
      await probeFiles("webhooks");
    });

    it("runs shop A's sync jobs through shop A's token only, even when they name shop B's customers and rows", async () => {
      const source = readFileSync("app/services/sync/job-queue.server.ts", "utf8");
      const union = /export type SyncJobKind =([^;]+);/.exec(source)?.[1] ?? "";
      const kinds = [...union.matchAll(/"([a-z_]+)"/g)].map((match) => match[1]!);
      expect(kinds.length).toBeGreaterThan(3);
      const naming = {
        customerId: String(b.customer),
        responseId: b.responseId,
        invitationId: b.openInvitationId,
      };
      const jobs: Record<string, { customerId?: string; payload?: unknown }> = {
        customer_category: { customerId: naming.customerId },
        ensure_setup: {},
        order_survey_link: { payload: { invitationId: naming.invitationId } },
        flow_trigger: { payload: { responseId: naming.responseId } },
        enrich_customer: { customerId: naming.customerId, payload: { responseId: naming.responseId } },
        reconcile_tags: { payload: { runId: b.deadJobId, step: 0 } },
        update_segments: {},
        detractor_alert: { payload: { followUpId: b.followUpId } },
        bulk_retag: { payload: { runId: b.deadJobId } },
        // a queued order of shop A naming shop B's customer: it may only write shop A's rows
        order_webhook: {
          customerId: naming.customerId,
          payload: {
            receivedAt: new Date().toISOString(),
            fulfilled: false,
            fulfilledAt: null,
            facts: factsOf(orderPayload({ id: 990_001, customerId: b.customer })),
          },
        },
      };
      expect(
        kinds.filter((jobKind) => !(jobKind in jobs)),
        "job kinds without a row here",
      ).toEqual([]);
      expect(
        await app.database.syncJob.count({
          where: { shopDomain: B, status: "pending", runAt: { lte: new Date() } },
        }),
      ).toBe(0);
      const emulatorState = async () =>
        (await fetch(`${app.emulator.url}/__emulator/state?shop=${B}`)).text();
      const emulatorBefore = await emulatorState();
      const rowsBefore = await shopRows(app.database, B);
      const logged = app.emulator.store.requests.length;

      for (const jobKind of kinds) {
        const job = jobs[jobKind]!;
        await app.database.syncJob.create({
          data: {
            shopDomain: A,
            kind: jobKind,
            customerId: job.customerId ?? null,
            payload: JSON.stringify(job.payload ?? {}),
          },
        });
      }
      await app.drainSync(19);

      const requests = app.emulator.store.requests.slice(logged);
      expect(requests.length).toBeGreaterThan(0);
      expect([...new Set(requests.map((request) => request.shop))]).toEqual([A]);
      expect(await emulatorState()).toEqual(emulatorBefore);
      expect(await shopRows(app.database, B)).toEqual(rowsBefore);
    });

    it("lets shop A's app/uninstalled and shop/redact change nothing of shop B", async () => {
      expect(filesOf("destructive")).toHaveLength(DESTRUCTIVE.length);
      await probeFiles("destructive");
    });
  });
}
