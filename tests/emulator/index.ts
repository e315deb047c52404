export { appProxyUrl, signAppProxyQuery } from "./app-proxy";
export { PLAN_LIMITS, type ShopifyPlan } from "./plans";
export { ADMIN_API_VERSION, loadAdminSchema } from "./schema";
export { type EmulatorOptions, type RunningEmulator, startEmulator } from "./server";
export { makeCheckoutSessionToken, makeCustomerAccountSessionToken } from "./session-tokens";
export { EmulatorStore, type Fault } from "./store";
export {
  buildWebhookRequest,
  deliverAll,
  sendWebhook,
  signWebhookBody,
  type WebhookDelivery,
  webhookHeaders,
} from "./webhooks";
