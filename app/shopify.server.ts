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

/** What a (re)install of the app on a shop starts: called with the shop and an Admin API client for it. */
type InstallHook = (shop: string, graphql: AdminGraphql) => Promise<unknown>;

let installHook: InstallHook | undefined;

/**
 * Registers what a (re)install starts: app/entry.server.tsx registers the historical order import when the server build
 * is loaded. This file sits below the services (every layer builds on the Shopify client made here), so it calls them
 * only through the function handed to it.
 */
export function onAppInstalled(hook: InstallHook): void {
  installHook = hook;
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
  future: {
    // Shopify-managed install + token exchange: no OAuth redirects inside the admin iframe.
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    // A new offline session means a (re)install: start what the entry point registered (the order import).
    afterAuth: async ({ session, admin }) => {
      if (!session.isOnline) await installHook?.(session.shop, admin.graphql);
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
