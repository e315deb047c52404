import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";

// Types for every Admin API document in app/adapters/shopify-admin/operations*.ts, generated from Shopify's real
// 2026-10 schema (no network: `npm run codegen` unpacks it from @shopify/dev-mcp first).
const schema = ".cache/admin-2026-10.schema.json";
const documents = ["./app/adapters/shopify-admin/operations*.ts"];

export default {
  schema,
  documents,
  projects: {
    default: {
      schema,
      documents,
      extensions: {
        codegen: {
          pluckConfig,
          generates: {
            "./app/types/admin.types.d.ts": {
              plugins: ["typescript"],
              config: { enumsAsTypes: true },
            },
            "./app/types/admin.generated.d.ts": { preset, presetConfig: { apiType: ApiType.Admin } },
          },
        },
      },
    },
  },
};
