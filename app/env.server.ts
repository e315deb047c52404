import { z } from "zod";

// The whole configuration of the app, validated once. Every variable is documented in README.md.
const booleanFlag = z
  .enum(["0", "1", "true", "false"])
  .optional()
  .transform((value) => value === "1" || value === "true");

// LOG_LEVEL names the level of the app's JSON log lines (app/adapters/log.server.ts; `info` when unset, silent under
// vitest) and of Shopify's libraries (`warn` when unset: they print a plain-text line per authenticated request).
export const logLevelSchema = z.enum(["error", "warn", "info", "debug"]);
export type LogLevel = z.infer<typeof logLevelSchema>;

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "SHOPIFY_API_KEY is required"),
  SHOPIFY_API_SECRET: z.string().min(1, "SHOPIFY_API_SECRET is required"),
  SHOPIFY_APP_URL: z.string().url("SHOPIFY_APP_URL must be the app's public URL"),
  SCOPES: z.string().default("read_orders,read_customers,write_customers,read_fulfillments"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "DATABASE_URL must start with file: or postgres://")
    .default("file:./prisma/dev.db"),
  // Where the Admin API lives. Unset in production (https://<shop>/admin/api/...); the local emulator otherwise.
  SHOPIFY_ADMIN_API_ORIGIN: z.string().url().optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  NPS_DEMO: booleanFlag,
  DEMO_SHOP: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "DEMO_SHOP must be a *.myshopify.com domain")
    .default("nps-demo.myshopify.com"),
  // The in-process sync worker; turn off on instances that should only serve HTTP.
  SYNC_WORKER: z.enum(["on", "off"]).default("on"),
  // The default here is Shopify's libraries' level; the app's own logger reads an unset LOG_LEVEL as "info".
  LOG_LEVEL: logLevelSchema.default("warn"),
  SYNC_WORKER_INTERVAL_MS: z.coerce.number().int().min(10).default(1000),
  // An in-process worker slows to a trickle while the event loop lags more than this behind (the instance's HTTP
  // requests come first); 0: never.
  SYNC_WORKER_BUSY_LAG_MS: z.coerce.number().int().min(0).default(100),
  // orders/create and orders/fulfilled: applied in the request (inline), or stored as a job the sync worker
  // applies (queued: Shopify is answered after one insert; for bursts, see docs/decisions/0005-queued-webhooks.md).
  WEBHOOK_PROCESSING: z.enum(["inline", "queued"]).default("inline"),
  // Merchant alerts by email (detractor answers); unset: no mail is sent and alert jobs complete as skipped.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/?#]+/, "SMTP_URL must look like smtp://user:pass@host:port or smtps://…")
    .optional(),
  SMTP_FROM: z
    .string()
    .trim()
    .min(3, "SMTP_FROM must be a sender such as NPS Sync <nps@example.com>")
    .optional(),
});

const checkedEnvSchema = envSchema.refine((config) => !config.SMTP_URL || config.SMTP_FROM, {
  path: ["SMTP_FROM"],
  message: "SMTP_FROM is required when SMTP_URL is set",
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = checkedEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
