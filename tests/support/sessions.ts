import { randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { getJwt, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { DEFAULT_SCOPES } from "~/env.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_SECRET } from "./webhooks";

/** The user of the session tokens `adminRequest` makes (Shopify's test helpers sign `sub` 12345). */
export const TEST_STAFF_USER_ID = 12345;

/**
 * Stores what an install and the test user's first visit leave (decision 049): the shop's offline session, and the
 * online session of the session tokens' user (12345), so admin requests need no token exchange. That user's online
 * token gives no names (tests that care about names exchange for them: tests/support/token-exchange.ts), and it
 * stays valid through any test.
 */
export async function installShop(shop: string) {
  const session = new Session({ id: `offline_${shop}`, shop, state: "installed", isOnline: false });
  session.scope = DEFAULT_SCOPES;
  session.accessToken = `token-${shop}`;
  await sessionStorage.storeSession(session);
  const online = new Session({ id: `${shop}_${TEST_STAFF_USER_ID}`, shop, state: "", isOnline: true, expires: new Date(Date.now() + 30 * 86_400_000) });
  online.scope = DEFAULT_SCOPES;
  online.accessToken = `online-token-${shop}`;
  online.onlineAccessInfo = {
    expires_in: 30 * 86_400,
    associated_user_scope: DEFAULT_SCOPES,
    associated_user: { id: TEST_STAFF_USER_ID, first_name: "", last_name: "", email: "", email_verified: true, account_owner: true, locale: "en", collaborator: false },
  };
  await sessionStorage.storeSession(online);
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

/**
 * An admin fetch request with a real session-token JWT for staff member `userId` of `storeName`.myshopify.com; returns
 * the token too (the token exchange sends it as `subject_token`).
 */
export async function adminRequestAs(storeName: string, userId: number, path: string, init?: RequestInit) {
  const { token } = await getJwt(storeName, TEST_API_KEY, TEST_SECRET, { sub: String(userId), jti: randomUUID() });
  const request = new Request(`https://afterglow.test${path}`, init);
  request.headers.set("Authorization", `Bearer ${token}`);
  return { request, token };
}

/** How many sessions (online and offline) are stored for `shop`. */
export async function countSessionsForShop(shop: string): Promise<number> {
  return prisma.session.count({ where: { shop } });
}
