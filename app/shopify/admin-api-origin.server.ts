import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * The fault suite's Admin API seam (docs/architecture.md, "Test seams"). With
 * `AFTERGLOW_TEST_ADMIN_API_ORIGIN=http://127.0.0.1:<port>` (accepted by app/env.server.ts only with
 * AFTERGLOW_FAULT_TESTING=1),
 * every request the Shopify library makes to `https://<shop>/admin/…` goes to `<origin>/<shop>/admin/…` instead:
 * the real client code (session lookup, GraphQL client, its error classes) runs against a local stub server.
 * Anything else is fetched unchanged. Without the variable this module is never called.
 */
function adminApiUrl(url: string, origin: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || !parsed.pathname.startsWith("/admin/")) return url;
  return new URL(`/${parsed.hostname}${parsed.pathname}${parsed.search}`, origin).href;
}

export function routeAdminApiTo(origin: string) {
  const realFetch = globalThis.fetch;
  setAbstractFetchFunc((input, init) => {
    if (input instanceof Request) return realFetch(new Request(adminApiUrl(input.url, origin), input), init);
    return realFetch(adminApiUrl(input instanceof URL ? input.href : input, origin), init);
  });
}
