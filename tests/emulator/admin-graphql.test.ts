// biome-ignore lint/suspicious/noExplicitAny: the tests walk arbitrary GraphQL JSON answers
type Json = any;

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "./server";

const SHOP = "emu.myshopify.com";
const TOKEN = "shpat_emu";

async function graphql(emulator: RunningEmulator, query: string, variables?: object, token = TOKEN) {
  const response = await fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

const TAGS_ADD = `mutation Add($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;
const CUSTOMER = `query C($id: ID!) { customer(id: $id) { id tags numberOfOrders amountSpent { amount currencyCode } metafield(namespace: "nps", key: "score") { value type } } }`;

describe("the emulated Admin GraphQL API", () => {
  let emulator: RunningEmulator;
  let clock = 1_000_000;

  beforeEach(async () => {
    clock = 1_000_000;
    emulator = await startEmulator({ now: () => clock });
    emulator.store.registerShop({ domain: SHOP, accessToken: TOKEN, plan: "standard" });
    emulator.store.upsertCustomers(SHOP, [{ id: 42, tags: ["vip"], numberOfOrders: 3 }]);
  });
  afterEach(async () => {
    await emulator.close();
  });

  it("answers an unknown access token with Shopify's 401", async () => {
    const { status, body } = await graphql(emulator, "{ shop { name } }", {}, "wrong");
    expect(status).toBe(401);
    expect(body.errors).toMatch(/Invalid API key or access token/);
  });

  it("validates documents against the real schema and names the unknown field", async () => {
    const { status, body } = await graphql(
      emulator,
      `query { customer(id: "gid://shopify/Customer/42") { nope } }`,
    );
    expect(status).toBe(200);
    expect(body.errors[0].message).toMatch(/Cannot query field "nope" on type "Customer"/);
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("adds tags without touching the merchant's, folding case like Shopify", async () => {
    await graphql(emulator, TAGS_ADD, { id: "gid://shopify/Customer/42", tags: ["nps:promoter", "VIP"] });
    const { body } = await graphql(emulator, CUSTOMER, { id: "gid://shopify/Customer/42" });
    expect(body.data.customer.tags).toEqual(["vip", "nps:promoter"]);
    expect(body.data.customer.numberOfOrders).toBe("3");
  });

  it("reports a user error for a customer that does not exist", async () => {
    const { body } = await graphql(emulator, TAGS_ADD, { id: "gid://shopify/Customer/999", tags: ["x"] });
    expect(body.data.tagsAdd).toEqual({
      node: null,
      userErrors: [{ field: ["id"], message: "Customer does not exist" }],
    });
  });

  it("refuses a metafield value that does not fit its type, writing nothing", async () => {
    const SET = `mutation S($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { key } userErrors { field message code } } }`;
    const bad = await graphql(emulator, SET, {
      m: [
        {
          ownerId: "gid://shopify/Customer/42",
          namespace: "nps",
          key: "score",
          type: "number_integer",
          value: "nine",
        },
      ],
    });
    expect(bad.body.data.metafieldsSet.userErrors[0]).toMatchObject({ code: "INVALID_VALUE" });
    const good = await graphql(emulator, SET, {
      m: [
        {
          ownerId: "gid://shopify/Customer/42",
          namespace: "nps",
          key: "score",
          type: "number_integer",
          value: "9",
        },
      ],
    });
    expect(good.body.data.metafieldsSet.userErrors).toEqual([]);
    const { body } = await graphql(emulator, CUSTOMER, { id: "gid://shopify/Customer/42" });
    expect(body.data.customer.metafield).toEqual({ value: "9", type: "number_integer" });
  });

  const UPDATE = `mutation WriteCustomerCategory($input: CustomerInput!) { customerUpdate(input: $input) { customer { id tags updatedAt } userErrors { field message } } }`;
  const score = (value: string) => ({ namespace: "nps", key: "score", type: "number_integer", value });

  it("replaces every tag and sets metafields with one 10-point customerUpdate, and stamps updatedAt", async () => {
    clock += 5_000;
    const { body } = await graphql(emulator, UPDATE, {
      input: {
        id: "gid://shopify/Customer/42",
        tags: ["nps:promoter", "NPS:PROMOTER", "wholesale"],
        metafields: [score("9")],
      },
    });
    expect(body.data.customerUpdate).toEqual({
      customer: {
        id: "gid://shopify/Customer/42",
        tags: ["nps:promoter", "wholesale"],
        updatedAt: new Date(clock).toISOString(),
      },
      userErrors: [],
    });
    expect(body.extensions.cost.requestedQueryCost).toBe(10);
    const read = await graphql(
      emulator,
      `query ReadCustomerTags($id: ID!) { customer(id: $id) { id tags } }`,
      {
        id: "gid://shopify/Customer/42",
      },
    );
    expect(read.body.extensions.cost.requestedQueryCost).toBe(1);
    expect(emulator.store.requests.map((request) => request.operationName)).toEqual([
      "WriteCustomerCategory",
      "ReadCustomerTags",
    ]);
    const after = await graphql(emulator, CUSTOMER, { id: "gid://shopify/Customer/42" });
    expect(after.body.data.customer.metafield).toEqual({ value: "9", type: "number_integer" });
  });

  it("keeps the tags when customerUpdate leaves them out, and writes nothing when one metafield is refused", async () => {
    await graphql(emulator, UPDATE, { input: { id: "gid://shopify/Customer/42", metafields: [score("7")] } });
    const refused = await graphql(emulator, UPDATE, {
      input: { id: "gid://shopify/Customer/42", tags: ["gone"], metafields: [score("8"), score("eight")] },
    });
    expect(refused.body.data.customerUpdate).toEqual({
      customer: null,
      userErrors: [{ field: ["input", "metafields", "1", "value"], message: "Value must be an integer." }],
    });
    const { body } = await graphql(emulator, CUSTOMER, { id: "gid://shopify/Customer/42" });
    expect(body.data.customer.tags).toEqual(["vip"]);
    expect(body.data.customer.metafield.value).toBe("7");
  });

  it("lets a test change the store between two requests through afterExecute", async () => {
    emulator.store.afterExecute = (request, shop) => {
      if (request.operationName === "ReadCustomerTags")
        emulator.store.upsertCustomers(shop.domain, [{ id: 42, tags: ["vip", "added-meanwhile"] }]);
    };
    const read = await graphql(emulator, `query ReadCustomerTags($id: ID!) { customer(id: $id) { tags } }`, {
      id: "gid://shopify/Customer/42",
    });
    expect(read.body.data.customer.tags).toEqual(["vip"]);
    const { body } = await graphql(emulator, CUSTOMER, { id: "gid://shopify/Customer/42" });
    expect(body.data.customer.tags).toEqual(["vip", "added-meanwhile"]);
  });

  it("finds customers by tag, page by page", async () => {
    emulator.store.upsertCustomers(
      SHOP,
      Array.from({ length: 5 }, (_, index) => ({
        id: 100 + index,
        tags: index % 2 ? ["nps:passive"] : ["nps:promoter"],
      })),
    );
    const SEARCH = `query S($q: String, $after: String) { customers(first: 2, query: $q, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const first = await graphql(emulator, SEARCH, { q: "tag:'nps:promoter'" });
    expect(first.body.data.customers.nodes).toHaveLength(2);
    expect(first.body.data.customers.pageInfo.hasNextPage).toBe(true);
    const second = await graphql(emulator, SEARCH, {
      q: "tag:'nps:promoter'",
      after: first.body.data.customers.pageInfo.endCursor,
    });
    expect(second.body.data.customers.nodes.map((node: { id: string }) => node.id)).toEqual([
      "gid://shopify/Customer/104",
    ]);
    expect(second.body.data.customers.pageInfo.hasNextPage).toBe(false);
  });

  it("charges a mutation 10 points from a 2,000-point Standard bucket and restores 100 points a second", async () => {
    const first = await graphql(emulator, TAGS_ADD, { id: "gid://shopify/Customer/42", tags: ["a"] });
    expect(first.body.extensions.cost).toMatchObject({
      requestedQueryCost: 10,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
    });
    clock += 50; // +5 points
    const second = await graphql(emulator, TAGS_ADD, { id: "gid://shopify/Customer/42", tags: ["b"] });
    expect(second.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(1985);
  });

  it("answers THROTTLED without acting when a request costs more than the bucket holds", async () => {
    emulator.store.shops.get(SHOP)?.bucket.empty(clock);
    clock += 50; // 5 points back, a mutation needs 10
    const throttled = await graphql(emulator, TAGS_ADD, { id: "gid://shopify/Customer/42", tags: ["late"] });
    expect(throttled.status).toBe(200);
    expect(throttled.body.errors[0]).toMatchObject({
      message: "Throttled",
      extensions: { code: "THROTTLED" },
    });
    expect(throttled.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(5);
    const { body } = await graphql(emulator, CUSTOMER, { id: "gid://shopify/Customer/42" });
    expect(body.data.customer.tags).toEqual(["vip"]);
  });

  it("refuses a single query over 1,000 points", async () => {
    const { body } = await graphql(
      emulator,
      `{ customers(first: 250) { nodes { id metafields(first: 10) { nodes { id } } } } }`,
    );
    expect(body.errors[0].extensions.code).toBe("MAX_COST_EXCEEDED");
  });

  it("injects faults: a 503 once, then a user error, then normal service", async () => {
    emulator.store.faults.push(
      { kind: "http503", times: 1 },
      { kind: "userError", times: 1, operation: "tagsAdd" },
    );
    expect((await graphql(emulator, TAGS_ADD, { id: "gid://shopify/Customer/42", tags: ["x"] })).status).toBe(
      503,
    );
    const userError = await graphql(emulator, TAGS_ADD, { id: "gid://shopify/Customer/42", tags: ["x"] });
    expect(userError.body.data.tagsAdd.userErrors[0].message).toMatch(/Injected/);
    const fine = await graphql(emulator, TAGS_ADD, { id: "gid://shopify/Customer/42", tags: ["x"] });
    expect(fine.body.data.tagsAdd.userErrors).toEqual([]);
  });

  it("says which root fields it does not implement", async () => {
    const { body } = await graphql(emulator, `{ shop { name } }`);
    expect(body.errors[0]).toMatchObject({ message: "shop is not implemented by the NPS Sync emulator" });
  });

  it("shows customers with tags and metafields, and segments, at /__emulator/state", async () => {
    await graphql(
      emulator,
      `mutation { segmentCreate(name: "NPS promoters", query: "customer_tags CONTAINS 'nps:promoter'") { segment { id } userErrors { message } } }`,
    );
    const state = await (await fetch(`${emulator.url}/__emulator/state?shop=${SHOP}`)).json();
    expect(state.shops[0]).toMatchObject({
      domain: SHOP,
      customers: [{ id: "gid://shopify/Customer/42", tags: ["vip"], metafields: [] }],
      segments: [{ name: "NPS promoters", query: "customer_tags CONTAINS 'nps:promoter'" }],
    });
  });
});
