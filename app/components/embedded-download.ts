import type { useAppBridge } from "@shopify/app-bridge-react";

type ShopifyGlobal = ReturnType<typeof useAppBridge>;

/** `path` with `params` as its query string (none when empty). */
function hrefWithParams(path: string, params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/**
 * Starts a file download from an admin route (the answers CSV, a privacy export). The file comes from a plain
 * document request (`location.assign`; the response is an attachment, so the page stays where it is), and the
 * browser's download manager reads the server's stream straight to disk: nothing is buffered in the page.
 *
 * Inside the Shopify admin the app runs in an iframe without cookies: a plain link would carry no session token
 * and `authenticate.admin` would send it to the login page. App Bridge gives the page a fresh ID token
 * (`shopify.idToken()`, a JWT valid for about a minute), and `authenticate.admin` accepts a document request that
 * carries it as `id_token` together with `shop`, `host` and `embedded=1` (the same params Shopify puts on the app's
 * first load), so those go on the URL. The token only has to be valid when the request starts. Fetching with the
 * Authorization header and saving a Blob would work too, but it holds the whole file in the page's memory first.
 *
 * Outside the admin (the demo build) there is no App Bridge and no token is needed: the plain URL is enough.
 */
export async function startEmbeddedDownload(path: string, params: Record<string, string | null | undefined> = {}): Promise<void> {
  const shopify = typeof window === "undefined" ? undefined : (window as { shopify?: ShopifyGlobal }).shopify;
  if (!shopify) {
    window.location.assign(hrefWithParams(path, params));
    return;
  }
  const token = await shopify.idToken();
  const shop = shopify.config.shop ?? "";
  // `host` is base64("admin.shopify.com/store/<store>"); App Bridge knows it, the fallback rebuilds it from the shop.
  const host = shopify.config.host ?? btoa(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`);
  window.location.assign(hrefWithParams(path, { ...params, shop, host, embedded: "1", id_token: token }));
}
