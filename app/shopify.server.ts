import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { prisma } from "./db.server";
import { CachedSessionStorage } from "./models/session-cache.server";
import { env } from "./env.server";
import type { AdminGraphql } from "./shopify/admin-client.server";
import { routeAdminApiTo } from "./shopify/admin-api-origin.server";
import { SHOPIFY_API_VERSION } from "./shopify/api-version";

// Test seam for the fault suite only: app/env.server.ts refuses it unless AFTERGLOW_FAULT_TESTING=1.
if (env.AFTERGLOW_TEST_ADMIN_API_ORIGIN) routeAdminApiTo(env.AFTERGLOW_TEST_ADMIN_API_ORIGIN);

/**
 * What a token exchange starts: called with the shop and an Admin API client of the shop's OFFLINE session (the one
 * background work uses), after the library stored the exchanged sessions.
 */
type TokenExchangeHook = (shop: string, graphql: AdminGraphql) => Promise<unknown>;

let tokenExchangeHook: TokenExchangeHook | undefined;

/**
 * Registers what a token exchange starts: app/entry.server.tsx registers "import the shop's past orders unless already
 * done since its install" when the server build is loaded. With online tokens (decision 049) the library exchanges
 * whenever a staff member has no valid online session (their first visit after an install, a colleague's first visit,
 * a daily renewal), so the hook itself decides whether this exchange followed an install. This file sits below the
 * services (every layer builds on the Shopify client made here), so it calls them only through the function handed to it.
 */
export function onTokenExchange(hook: TokenExchangeHook): void {
  tokenExchangeHook = hook;
}

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: env.SCOPES.split(",").map((s) => s.trim()),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new CachedSessionStorage(new PrismaSessionStorage(prisma)),
  distribution: AppDistribution.AppStore,
  // Online access tokens (decision 049): each staff member who opens the app gets a session of their own, with their
  // user id and names (`onlineAccessInfo.associated_user`); the library exchanges for the shop's offline token too, and
  // every Admin API call (admin requests as well as background work) uses that offline session (app/auth.server.ts).
  useOnlineTokens: true,
  future: {
    // Shopify-managed install + token exchange: no OAuth redirects inside the admin iframe.
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    // After a token exchange (offline and online sessions stored): what the entry point registered, with the shop's
    // offline client, never the staff member's online one (a background import outlives the online token).
    afterAuth: async ({ session }) => {
      if (tokenExchangeHook) await tokenExchangeHook(session.shop, await offlineGraphql(session.shop));
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

/** The Admin API client of `shop`'s offline session (refreshed by the library when its token is about to expire). */
async function offlineGraphql(shop: string): Promise<AdminGraphql> {
  return (await shopify.unauthenticated.admin(shop)).admin.graphql;
}

export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
