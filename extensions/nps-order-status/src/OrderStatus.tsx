/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/customer-account.order-status.block.render";
import { render } from "preact";
import { APP_URL } from "../../nps-checkout/src/config";
import { Survey } from "../../nps-checkout/src/Survey";

declare const shopify: Api;

// Order-status page (customer accounts): the order is gid://shopify/Order/<id>; the token is a customer-account one.
export default async () => {
  const orderId = shopify.order.value?.id;
  if (!orderId) return;
  const host = {
    apiBase: `${APP_URL}/api/customer-account`,
    orderId,
    locale: shopify.localization.language.value.isoCode,
    sessionToken: () => shopify.sessionToken.get(),
    fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  };
  render(<Survey host={host} t={(key) => shopify.i18n.translate(key)} />, document.body);
};
