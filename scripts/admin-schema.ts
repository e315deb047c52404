import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

// Shopify's Admin API 2026-10 introspection ships gzipped in @shopify/dev-mcp; GraphQL Codegen reads it as a plain
// JSON file. Written to .cache/ (not committed) by `npm run codegen`.
export const ADMIN_SCHEMA_JSON = path.join(".cache", "admin-2026-10.schema.json");

export function writeAdminSchemaJson(root = process.cwd()): string {
  const source = path.join(
    root,
    "node_modules",
    "@shopify",
    "dev-mcp",
    "dist",
    "data",
    "admin_2026-10.json.gz",
  );
  const target = path.join(root, ADMIN_SCHEMA_JSON);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, gunzipSync(readFileSync(source)));
  return target;
}

if (import.meta.url === `file://${process.argv[1]}`) writeAdminSchemaJson();
