import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { ADMIN_OPERATIONS } from "~/adapters/shopify-admin/operations";
import { loadAdminSchema } from "../emulator/schema";

// Every document the app sends must be valid against Shopify's real Admin API 2026-10 schema.
describe("the Admin GraphQL documents the app sends", () => {
  const schema = loadAdminSchema();

  for (const [name, document] of Object.entries(ADMIN_OPERATIONS)) {
    it(`${name} is valid against the Admin API 2026-10 schema`, () => {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    });
  }

  it("would catch a field Shopify does not have", () => {
    const broken =
      'mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { userErrors { nope } } }';
    expect(validate(schema, parse(broken)).length).toBeGreaterThan(0);
  });
});
