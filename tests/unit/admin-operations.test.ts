import { getOperationAST, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { READ_CUSTOMER_TAGS, WRITE_CUSTOMER_CATEGORY } from "~/adapters/shopify-admin/operations";
import { requestedQueryCost } from "../emulator/cost";
import { loadAdminSchema } from "../emulator/schema";

// Every document the app sends must be valid against Shopify's real Admin API 2026-10 schema: every `#graphql`
// string exported by a file named operations*.ts beside the Admin client.
const modules = import.meta.glob<Record<string, unknown>>("../../app/adapters/shopify-admin/operations*.ts", {
  eager: true,
});
const DOCUMENTS = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports).flatMap(([name, value]) =>
    typeof value === "string" && value.trimStart().startsWith("#graphql")
      ? [[`${file}: ${name}`, value] as const]
      : [],
  ),
);

describe("the Admin GraphQL documents the app sends", () => {
  const schema = loadAdminSchema();

  it("are found (the glob still matches the operation files)", () => {
    expect(DOCUMENTS.length).toBeGreaterThanOrEqual(5);
  });

  for (const [name, document] of DOCUMENTS) {
    it(`${name} is valid against the Admin API 2026-10 schema`, () => {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    });
  }

  it("write a customer for 11 points: the tag read 1 (one object), the customerUpdate 10 (one mutation)", () => {
    const cost = (document: string) => {
      const parsed = parse(document);
      const operation = getOperationAST(parsed);
      if (!operation) throw new Error("no operation");
      return requestedQueryCost(schema, parsed, operation, {});
    };
    expect(cost(READ_CUSTOMER_TAGS)).toBe(1);
    expect(cost(WRITE_CUSTOMER_CATEGORY)).toBe(10);
  });

  it("would catch a field Shopify does not have", () => {
    const broken =
      'mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { userErrors { nope } } }';
    expect(validate(schema, parse(broken)).length).toBeGreaterThan(0);
  });
});
