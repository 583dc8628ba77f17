import type { HeadersFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { DemoFrame } from "~/components/DemoFrame";
import { navEntries, navText } from "~/components/nav-items";
import { layoutLoader } from "./loader.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];
export const loader = layoutLoader;

export default function AppLayout() {
  const { apiKey, demo, openFollowUps, overdueFollowUps } = useLoaderData<typeof loader>();
  const entries = navEntries({ openFollowUps, overdueFollowUps });
  if (demo) {
    return (
      <AppProvider isEmbeddedApp={false} apiKey={apiKey}>
        <DemoFrame entries={entries}>
          <Outlet />
        </DemoFrame>
      </AppProvider>
    );
  }
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        {entries.map((entry) => (
          <Link key={entry.to} to={entry.to} rel={entry.to === "/app" ? "home" : undefined}>
            {navText(entry)}
          </Link>
        ))}
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch its thrown responses (auth redirects) and to add headers to them.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
