import "@shopify/shopify-app-remix/adapters/node";
import { shopifyLogFunction } from "~/adapters/log.server";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { db } from "~/adapters/db/client.server";
import { env } from "~/env.server";
import { installShop } from "~/services/shops.server";

const config = env();
const LOG_LEVELS = {
  error: LogSeverity.Error,
  warn: LogSeverity.Warning,
  info: LogSeverity.Info,
  debug: LogSeverity.Debug,
} as const;

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.October26,
  scopes: config.SCOPES.split(",").map((scope) => scope.trim()),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(db()),
  distribution: AppDistribution.AppStore,
  logger: { level: LOG_LEVELS[config.LOG_LEVEL], log: shopifyLogFunction },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await installShop(db(), { shopDomain: session.shop });
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ApiVersion.October26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
