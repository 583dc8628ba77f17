import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { requireAdmin } from "~/auth.server";
import { DemoFrame } from "~/components/DemoFrame";
import { navEntries, navText } from "~/components/nav-items";
import { env } from "~/env.server";
import { openFollowUpCount } from "~/services/followups.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  // One indexed COUNT for the nav badge; it revalidates after every action, so working the queue updates it.
  const openFollowUps = await openFollowUpCount(shop);
  return { apiKey: env.SHOPIFY_API_KEY, demo: __AFTERGLOW_DEMO_BUILD__, openFollowUps };
}

export default function AppLayout() {
  const { apiKey, demo, openFollowUps } = useLoaderData<typeof loader>();
  const entries = navEntries({ openFollowUps });
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
