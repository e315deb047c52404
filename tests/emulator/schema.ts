import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

// Shopify's real Admin API 2026-10 introspection, shipped in @shopify/dev-mcp: every document the app sends is
// validated against it, here exactly as Shopify would.
export const ADMIN_API_VERSION = "2026-10";

let cached: GraphQLSchema | undefined;

// The package exports no subpath for its data, so the file is found beside the installed package.
export function adminSchemaPath(root = process.cwd()): string {
  return path.join(
    root,
    "node_modules",
    "@shopify",
    "dev-mcp",
    "dist",
    "data",
    `admin_${ADMIN_API_VERSION}.json.gz`,
  );
}

export function loadAdminSchema(): GraphQLSchema {
  if (!cached) {
    const introspection = JSON.parse(gunzipSync(readFileSync(adminSchemaPath())).toString("utf8")) as {
      data: IntrospectionQuery;
    };
    cached = buildClientSchema(introspection.data);
  }
  return cached;
}
