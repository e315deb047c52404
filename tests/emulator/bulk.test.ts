// biome-ignore lint/suspicious/noExplicitAny: the tests walk arbitrary GraphQL JSON answers
type Json = any;

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bulkState } from "./bulk";
import { type RunningEmulator, startEmulator } from "./server";

const SHOP = "bulk.myshopify.com";
const TOKEN = "shpat_bulk";
const OTHER_SHOP = "other.myshopify.com";
const OTHER_TOKEN = "shpat_other";

const STAGE = `mutation Stage($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } }
}`;
const RUN = `mutation Run($mutation: String!, $path: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {
    bulkOperation { id status type objectCount createdAt }
    userErrors { field message code }
  }
}`;
const POLL = `query Poll($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl completedAt query }
}`;
const CURRENT = `query { currentBulkOperation(type: MUTATION) { id status } }`;
const TAGS_ADD = `mutation Add($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;
const WRITE = `mutation Write($input: CustomerInput!) { customerUpdate(input: $input) { customer { id } userErrors { field message } } }`;

async function graphql(emulator: RunningEmulator, query: string, variables?: object, token = TOKEN) {
  const response = await fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Record<string, Json>;
}

interface Target {
  url: string;
  parameters: { name: string; value: string }[];
}

async function stage(emulator: RunningEmulator, token = TOKEN): Promise<Target> {
  const body = await graphql(
    emulator,
    STAGE,
    {
      input: [
        {
          resource: "BULK_MUTATION_VARIABLES",
          filename: "lines.jsonl",
          mimeType: "text/jsonl",
          httpMethod: "POST",
        },
      ],
    },
    token,
  );
  expect(body.data.stagedUploadsCreate.userErrors).toEqual([]);
  return body.data.stagedUploadsCreate.stagedTargets[0];
}

function keyOf(target: Target): string {
  return target.parameters.find((parameter) => parameter.name === "key")?.value ?? "";
}

async function upload(target: Target, content: string, tamper?: (form: FormData) => void) {
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  tamper?.(form);
  form.append("file", new Blob([content], { type: "text/jsonl" }), "lines.jsonl");
  const response = await fetch(target.url, { method: "POST", body: form });
  return { status: response.status, text: await response.text() };
}

function jsonl(lines: object[]): string {
  return `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`;
}

async function runBulk(emulator: RunningEmulator, mutation: string, lines: object[], token = TOKEN) {
  const target = await stage(emulator, token);
  expect((await upload(target, jsonl(lines))).status).toBe(201);
  return graphql(emulator, RUN, { mutation, path: keyOf(target) }, token);
}

async function waitUntilDone(emulator: RunningEmulator, id: string, token = TOKEN) {
  const seen = new Set<string>();
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const body = await graphql(emulator, POLL, { id }, token);
    const operation = body.data.bulkOperation;
    seen.add(operation.status);
    if (!["CREATED", "RUNNING", "CANCELING"].includes(operation.status)) return { operation, seen };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("bulk operation never finished");
}

async function resultLines(url: string): Promise<Json[]> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

const gid = (id: number) => `gid://shopify/Customer/${id}`;

describe("the emulated bulk import flow", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startEmulator();
    emulator.store.registerShop({ domain: SHOP, accessToken: TOKEN, plan: "standard" });
    emulator.store.registerShop({ domain: OTHER_SHOP, accessToken: OTHER_TOKEN, plan: "standard" });
    emulator.store.upsertCustomers(
      SHOP,
      Array.from({ length: 300 }, (_, index) => ({ id: index + 1, tags: ["vip"] })),
    );
    bulkState(emulator.store).options.linesPerChunk = 40;
    bulkState(emulator.store).options.chunkIntervalMs = 5;
  });
  afterEach(async () => {
    await emulator.close();
  });

  it("runs every uploaded line through the mutation, in chunks, and serves one result line per input line", async () => {
    const lines = Array.from({ length: 300 }, (_, index) => ({ id: gid(index + 1), tags: ["nps:promoter"] }));
    const started = await runBulk(emulator, TAGS_ADD, lines);
    expect(started.data.bulkOperationRunMutation.userErrors).toEqual([]);
    const created = started.data.bulkOperationRunMutation.bulkOperation;
    expect(created).toMatchObject({ status: "CREATED", type: "MUTATION", objectCount: "0" });

    const { operation, seen } = await waitUntilDone(emulator, created.id);
    expect(seen.has("RUNNING")).toBe(true);
    expect(operation).toMatchObject({
      status: "COMPLETED",
      errorCode: null,
      objectCount: "300",
      query: TAGS_ADD,
    });
    expect(operation.completedAt).not.toBeNull();
    const results = await resultLines(operation.url);
    expect(results).toHaveLength(300);
    expect(results[0]).toEqual({
      data: { tagsAdd: { node: { id: gid(1) }, userErrors: [] } },
      __lineNumber: 0,
    });
    expect(results.map((line) => line.__lineNumber)).toEqual(lines.map((_, index) => index));
    expect(emulator.store.shops.get(SHOP)?.customers.get(gid(300))?.tags).toEqual(["vip", "nps:promoter"]);
  });

  it("does not charge the lines to the shop's cost bucket", async () => {
    // 300 customerUpdate calls would cost 3,000 points: more than the Standard plan's whole 2,000-point bucket.
    const lines = Array.from({ length: 300 }, (_, index) => ({
      input: {
        id: gid(index + 1),
        metafields: [{ namespace: "nps", key: "score", type: "number_integer", value: "9" }],
      },
    }));
    const started = await runBulk(emulator, WRITE, lines);
    await waitUntilDone(emulator, started.data.bulkOperationRunMutation.bulkOperation.id);
    const status = emulator.store.shops.get(SHOP)?.bucket.status(Date.now());
    expect(status?.currentlyAvailable).toBeGreaterThan(1900);
  });

  it("reports a line's user errors and variable errors in its result line, and runs the others", async () => {
    const lines = [
      { id: gid(1), tags: ["a"] },
      { id: gid(99_999), tags: ["a"] },
      { id: gid(2), tags: 42 },
      { id: gid(3), tags: ["a"] },
    ];
    const started = await runBulk(emulator, TAGS_ADD, lines);
    const { operation } = await waitUntilDone(
      emulator,
      started.data.bulkOperationRunMutation.bulkOperation.id,
    );
    expect(operation.status).toBe("COMPLETED");
    const results = await resultLines(operation.url);
    expect(results[1].data.tagsAdd.userErrors).toEqual([
      { field: ["id"], message: "Customer does not exist" },
    ]);
    expect(results[2].errors[0].message).toMatch(/\$tags/);
    expect(results[3].data.tagsAdd.userErrors).toEqual([]);
  });

  it("refuses an upload whose signed parameters were altered, and a file over the size limit", async () => {
    const target = await stage(emulator);
    const forged = await upload(target, jsonl([{ id: gid(1), tags: ["a"] }]), (form) =>
      form.set("x-goog-signature", "0".repeat(64)),
    );
    expect(forged.status).toBe(403);
    expect(forged.text).toMatch(/AccessDenied/);

    bulkState(emulator.store).options.maxFileBytes = 1000;
    const large = await upload(await stage(emulator), "x".repeat(5000));
    expect(large.status).toBe(400);
    expect(large.text).toMatch(/EntityTooLarge/);
  });

  it("answers NO_SUCH_FILE, INVALID_MUTATION and INVALID_STAGED_UPLOAD_FILE as Shopify's user errors", async () => {
    const missing = await graphql(emulator, RUN, { mutation: TAGS_ADD, path: "tmp/nothing/here.jsonl" });
    expect(missing.data.bulkOperationRunMutation).toMatchObject({
      bulkOperation: null,
      userErrors: [{ code: "NO_SUCH_FILE" }],
    });

    const invalid = await runBulk(emulator, "mutation { tagsAdd(id: 1) { nope } }", [{ id: gid(1) }]);
    expect(invalid.data.bulkOperationRunMutation.userErrors[0]).toMatchObject({
      code: "INVALID_MUTATION",
      field: ["mutation"],
    });

    const target = await stage(emulator);
    await upload(target, '{"id": "x"}\nnot json\n');
    const broken = await graphql(emulator, RUN, { mutation: TAGS_ADD, path: keyOf(target) });
    expect(broken.data.bulkOperationRunMutation.userErrors[0]).toMatchObject({
      code: "INVALID_STAGED_UPLOAD_FILE",
    });
  });

  it("lets a shop run five bulk mutations at once and refuses the sixth with LIMIT_REACHED", async () => {
    bulkState(emulator.store).options.chunkIntervalMs = 10_000;
    const lines = [{ id: gid(1), tags: ["a"] }];
    for (let index = 0; index < 5; index += 1) {
      const started = await runBulk(emulator, TAGS_ADD, lines);
      expect(started.data.bulkOperationRunMutation.userErrors).toEqual([]);
    }
    const sixth = await runBulk(emulator, TAGS_ADD, lines);
    expect(sixth.data.bulkOperationRunMutation).toMatchObject({
      bulkOperation: null,
      userErrors: [{ code: "LIMIT_REACHED" }],
    });
    // Another shop has its own five.
    const other = await runBulk(emulator, TAGS_ADD, [{ id: gid(1), tags: ["a"] }], OTHER_TOKEN);
    expect(other.data.bulkOperationRunMutation.userErrors).toEqual([]);
  });

  it("shows a shop only its own operations, the newest as currentBulkOperation(type: MUTATION)", async () => {
    const first = await runBulk(emulator, TAGS_ADD, [{ id: gid(1), tags: ["a"] }]);
    const second = await runBulk(emulator, TAGS_ADD, [{ id: gid(2), tags: ["a"] }]);
    const current = await graphql(emulator, CURRENT);
    expect(current.data.currentBulkOperation.id).toBe(second.data.bulkOperationRunMutation.bulkOperation.id);
    const id = first.data.bulkOperationRunMutation.bulkOperation.id;
    expect((await graphql(emulator, POLL, { id }, OTHER_TOKEN)).data.bulkOperation).toBeNull();
    expect((await graphql(emulator, CURRENT, {}, OTHER_TOKEN)).data.currentBulkOperation).toBeNull();
    const queries = await graphql(emulator, `query { currentBulkOperation { id } }`);
    expect(queries.data.currentBulkOperation).toBeNull();
  });

  it("fails an operation on an injected fault, with its error code, partial results and the lines it ran", async () => {
    const faults = await fetch(`${emulator.url}/__emulator/bulk/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "fail", shop: SHOP, afterLines: 100, errorCode: "TIMEOUT" }),
    });
    expect(faults.status).toBe(200);
    const lines = Array.from({ length: 300 }, (_, index) => ({ id: gid(index + 1), tags: ["late"] }));
    const started = await runBulk(emulator, TAGS_ADD, lines);
    const { operation } = await waitUntilDone(
      emulator,
      started.data.bulkOperationRunMutation.bulkOperation.id,
    );
    expect(operation).toMatchObject({
      status: "FAILED",
      errorCode: "TIMEOUT",
      objectCount: "100",
      url: null,
    });
    expect(await resultLines(operation.partialDataUrl)).toHaveLength(100);
    const customers = emulator.store.shops.get(SHOP)?.customers;
    expect(customers?.get(gid(100))?.tags).toContain("late");
    expect(customers?.get(gid(101))?.tags).not.toContain("late");

    // The fault was used up: the same import now completes.
    const again = await runBulk(emulator, TAGS_ADD, lines);
    const retried = await waitUntilDone(emulator, again.data.bulkOperationRunMutation.bulkOperation.id);
    expect(retried.operation.status).toBe("COMPLETED");
  });

  it("rejects a run on an injected reject fault, and lists operations for tests", async () => {
    await fetch(`${emulator.url}/__emulator/bulk/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "reject", code: "INTERNAL_FILE_SERVER_ERROR" }),
    });
    const rejected = await runBulk(emulator, TAGS_ADD, [{ id: gid(1), tags: ["a"] }]);
    expect(rejected.data.bulkOperationRunMutation.userErrors[0].code).toBe("INTERNAL_FILE_SERVER_ERROR");
    await runBulk(emulator, TAGS_ADD, [{ id: gid(1), tags: ["a"] }]);
    const listed = await (await fetch(`${emulator.url}/__emulator/bulk/operations?shop=${SHOP}`)).json();
    expect(listed.operations).toHaveLength(1);
    expect(listed.operations[0]).toMatchObject({ shop: SHOP, lineCount: 1 });
    const options = await fetch(`${emulator.url}/__emulator/bulk/options`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ concurrency: "many" }),
    });
    expect(options.status).toBe(400);
    expect((await options.json()).errors[0].field).toBe("concurrency");
  });
});
