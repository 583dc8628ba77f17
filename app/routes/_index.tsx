import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/** Shopify opens the app at / with ?shop=…; send it to the embedded app. The demo goes straight to /app. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (__AFTERGLOW_DEMO_BUILD__ || url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  throw redirect("/auth/login");
}
