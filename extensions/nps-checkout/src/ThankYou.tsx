/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import { render } from "preact";
import { APP_URL } from "./config";
import { Survey } from "./Survey";

declare const shopify: Api;

// Thank-you page: the order is known as gid://shopify/OrderIdentity/<id>; the app accepts it as the order.
export default async () => {
  const host = {
    apiBase: `${APP_URL}/api/checkout`,
    orderId: shopify.orderConfirmation.value.order.id,
    locale: shopify.localization.language.value.isoCode,
    sessionToken: () => shopify.sessionToken.get(),
    fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  };
  render(<Survey host={host} t={(key) => shopify.i18n.translate(key)} />, document.body);
};
