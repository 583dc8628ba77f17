import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { prisma } from "./db.server";
import { CachedSessionStorage } from "./models/session-cache.server";
import { env } from "./env.server";
import { startOrderImport } from "./services/order-import.server";
import { routeAdminApiTo } from "./shopify/admin-api-origin.server";
import { SHOPIFY_API_VERSION } from "./shopify/api-version";

// Test seam for the fault suite only: app/env.server.ts refuses it unless AFTERGLOW_FAULT_TESTING=1.
if (env.AFTERGLOW_TEST_ADMIN_API_ORIGIN) routeAdminApiTo(env.AFTERGLOW_TEST_ADMIN_API_ORIGIN);

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
    // A new offline session means a (re)install: import the shop's past orders in the background.
    afterAuth: async ({ session, admin }) => {
      if (!session.isOnline) await startOrderImport(session.shop, { graphql: admin.graphql });
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = SHOPIFY_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
