import { Session } from "@shopify/shopify-api";
import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { DEFAULT_SCOPES } from "~/env.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_SECRET } from "./webhooks";

/** Stores an offline session for `shop` (e.g. "a-shop.myshopify.com") as an install would. */
export async function installShop(shop: string) {
  const session = new Session({ id: `offline_${shop}`, shop, state: "installed", isOnline: false });
  session.scope = DEFAULT_SCOPES;
  session.accessToken = `token-${shop}`;
  await sessionStorage.storeSession(session);
  return session;
}

const shopCounts = new Map<string, number>();

/** A shop of its own for each test, installed (an offline session): "<prefix>-<n>.myshopify.com". */
export async function installNewShop(prefix: string) {
  const n = (shopCounts.get(prefix) ?? 0) + 1;
  shopCounts.set(prefix, n);
  const shop = `${prefix}-${n}.myshopify.com`;
  await installShop(shop);
  return shop;
}

/** An admin fetch request carrying a real session-token JWT (HS256, app secret) for `storeName`.myshopify.com. */
export async function adminRequest(storeName: string, path: string, init?: RequestInit) {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: storeName, apiKey: TEST_API_KEY, apiSecretKey: TEST_SECRET },
    new Request(`https://afterglow.test${path}`, init),
  );
}

/** How many sessions (online and offline) are stored for `shop`. */
export async function countSessionsForShop(shop: string): Promise<number> {
  return prisma.session.count({ where: { shop } });
}
