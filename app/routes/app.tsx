import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { followUpsLabel } from "~/components/follow-ups-label";
import { env } from "~/env.server";
import { countOpenFollowUps } from "~/services/follow-ups.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const caller = await requireAdmin(request);
  return {
    apiKey: env().SHOPIFY_API_KEY,
    demo: caller.demo,
    shopDomain: caller.shopDomain,
    openFollowUps: await countOpenFollowUps(db(), caller.shopDomain),
  };
};

export default function AppLayout() {
  const { apiKey, demo, openFollowUps } = useLoaderData<typeof loader>();
  // In the demo there is no Shopify admin around the app (and no App Bridge CDN): render plain Polaris.
  return (
    <AppProvider isEmbeddedApp={!demo} apiKey={apiKey}>
      {!demo && (
        <ui-nav-menu>
          <Link to="/app" rel="home">
            Dashboard
          </Link>
          <Link to="/app/comments">Comments</Link>
          <Link to="/app/segments">Segments and drivers</Link>
          <Link to="/app/follow-ups">{followUpsLabel(openFollowUps)}</Link>
          <Link to="/app/sync">Sync health</Link>
          <Link to="/app/data-requests">Data requests</Link>
          <Link to="/app/settings">Settings</Link>
        </ui-nav-menu>
      )}
      <Outlet />
    </AppProvider>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
