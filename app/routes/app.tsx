import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { requireAdmin } from "~/auth.server";
import { DemoFrame } from "~/components/DemoFrame";
import { NAV_ITEMS } from "~/components/nav-items";
import { env } from "~/env.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { apiKey: env.SHOPIFY_API_KEY, demo: __AFTERGLOW_DEMO_BUILD__ };
}

export default function AppLayout() {
  const { apiKey, demo } = useLoaderData<typeof loader>();
  if (demo) {
    return (
      <AppProvider isEmbeddedApp={false} apiKey={apiKey}>
        <DemoFrame>
          <Outlet />
        </DemoFrame>
      </AppProvider>
    );
  }
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        {NAV_ITEMS.map((item) => (
          <Link key={item.to} to={item.to} rel={item.to === "/app" ? "home" : undefined}>
            {item.label}
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
