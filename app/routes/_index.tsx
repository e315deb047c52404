import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { demoLoginAllowed } from "~/adapters/http/demo-login.server";

// Shopify opens the app with ?shop=…; the demo goes straight to its dashboard.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop") || demoLoginAllowed(request)) throw redirect(`/app${url.search}`);
  return null;
};

export default function Landing() {
  return (
    <main
      style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", lineHeight: 1.5 }}
    >
      <h1>NPS Sync</h1>
      <p>
        Ask every shopper how likely they are to recommend your store, tag each customer as promoter, passive
        or detractor, and see your Net Promoter Score inside the Shopify admin.
      </p>
      <p>Install NPS Sync from the Shopify App Store and open it from your store's admin.</p>
    </main>
  );
}
