import { afterAll, beforeAll, expect, it } from "vitest";
import type { EmulatedShop, RequestLogEntry } from "../emulator/store";
import { orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers } from "../factories/shop";
import { type AppHarness, startAppHarness } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

// The customer sync reads a customer's tags (1 point) and writes tags and nps metafields with one customerUpdate
// (10 points). customerUpdate replaces every tag, so what another writer does between the read and the write is
// the risk; the emulator's afterExecute hook makes a merchant's edit land exactly there.
function describeCustomerWriteGuard(kind: DatabaseKind) {
  describeOnDatabase(kind, "the one-mutation customer write and its guard", () => {
    let app: AppHarness;
    let nextOrder = 5000;

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      await addEmulatorCustomers(app.emulator.url, app.shop.shopDomain, [
        { id: 42, tags: ["vip"] },
        { id: 43, tags: ["vip", "nps:promoter"] },
        { id: 44, tags: ["vip", "nps:promoter"] },
        { id: 45, tags: ["vip"] },
      ]);
      await app.drainSync(); // the install's setup job
    });
    afterAll(async () => {
      await app?.close();
    });

    async function answer(customerId: number, score: number) {
      nextOrder += 1;
      const webhook = await app.webhook("orders/create", orderPayload({ id: nextOrder, customerId }), {
        webhookId: `guard-${nextOrder}`,
      });
      expect(webhook.status).toBe(200);
      const response = await app.checkoutAnswer({ orderId: `gid://shopify/Order/${nextOrder}`, score });
      expect(response.status).toBe(201);
    }

    /** A merchant adds `tag` to the customer once, right after the app's tag read ran and before it answers. */
    function merchantTagsAfterTheRead(customerId: number, tag: string) {
      app.emulator.store.afterExecute = (request: RequestLogEntry, shop: EmulatedShop) => {
        if (request.operationName !== "ReadCustomerTags") return;
        app.emulator.store.afterExecute = null;
        const customer = shop.customers.get(`gid://shopify/Customer/${customerId}`);
        app.emulator.store.upsertCustomers(shop.domain, [
          { id: customerId, tags: [...(customer?.tags ?? []), tag] },
        ]);
      };
    }

    function syncRequests() {
      return app.emulator.store.requests
        .filter((request) => request.shop === app.shop.shopDomain)
        .filter(
          (request) =>
            !["FlowTriggerReceive", "ReadCustomerOrderFacts"].includes(request.operationName ?? ""),
        )
        .map(({ operationName, rootFields, requestedCost }) => ({
          operationName,
          rootFields,
          requestedCost,
        }));
    }

    it("writes one customer with one 1-point read and one 10-point customerUpdate, keeping the merchant's tags", async () => {
      await answer(42, 9);
      app.emulator.store.requests.length = 0;
      await app.drainSync();

      expect(syncRequests()).toEqual([
        { operationName: "ReadCustomerTags", rootFields: ["customer"], requestedCost: 1 },
        { operationName: "WriteCustomerCategory", rootFields: ["customerUpdate"], requestedCost: 10 },
      ]);
      const customer = await app.emulatorCustomer(42);
      expect(customer?.tags).toEqual(["vip", "nps:promoter"]);
      expect(customer?.metafields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: "score", value: "9" }),
          expect.objectContaining({ key: "category", value: "promoter" }),
        ]),
      );
    });

    it("keeps a tag the merchant adds between the read and the write when the tags already fit: the write leaves tags out", async () => {
      await answer(43, 10);
      merchantTagsAfterTheRead(43, "wholesale");
      await app.drainSync();

      const customer = await app.emulatorCustomer(43);
      expect(customer?.tags).toEqual(["vip", "nps:promoter", "wholesale"]);
      expect(customer?.metafields).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: "score", value: "10" })]),
      );
    });

    // Known limit, kept visible on purpose: Shopify has no compare-and-set for tags, and after our write nothing
    // (updatedAt included) tells a merchant's write inside the window from ours. The window is one round trip —
    // the read already waits for the write's points — but a tag landing inside it while the category changes is
    // replaced. Closing it would cost tagsAdd + tagsRemove + a metafield write (30 points) per customer.
    it("known limit: replaces a tag added inside the one-round-trip window when the category changes", async () => {
      await answer(44, 2);
      merchantTagsAfterTheRead(44, "wholesale");
      await app.drainSync();

      expect((await app.emulatorCustomer(44))?.tags).toEqual(["vip", "nps:detractor"]);
    });

    it("records Shopify's user errors on the job and gives up: a customer Shopify does not know, a refused write", async () => {
      await answer(77, 9); // never registered with the emulator
      await app.drainSync();
      const missing = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain: app.shop.shopDomain, kind: "customer_category", customerId: "77" },
      });
      expect(missing).toMatchObject({ status: "dead", lastError: "id: Customer does not exist" });

      await answer(45, 3);
      app.emulator.store.faults.push({ kind: "userError", operation: "customerUpdate", times: 1 });
      await app.drainSync();
      const refused = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain: app.shop.shopDomain, kind: "customer_category", customerId: "45" },
      });
      expect(refused).toMatchObject({
        status: "dead",
        lastError: "input: Injected user error (emulator fault)",
      });
      expect((await app.emulatorCustomer(45))?.tags).toEqual(["vip"]);
    });
  });
}

// SQLite only: what is guarded is the traffic with Shopify, not the database, and the app's database client is
// one per test file (a PostgreSQL twin would follow the *.shared.ts + *.postgres.test.ts pattern).
describeCustomerWriteGuard("sqlite");
