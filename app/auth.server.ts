import { HttpResponseError, type OnlineAccessInfo } from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { authenticate, sessionStorage, unauthenticated } from "./shopify.server";
import type { AdminGraphql } from "./shopify/admin-client.server";
import type { AdminContext, StaffProfile } from "./shopify/admin-context.server";

/**
 * Authenticates an embedded admin request (session token / token exchange). The library loads the staff member's
 * ONLINE session (exchanging for one, and for the shop's offline token, when they have no valid one: decision 049);
 * it says who they are. The Admin API is called with the shop's OFFLINE session, as background work does, so what the
 * app can do does not depend on which colleague clicked. In the demo build there is no Shopify admin to embed in, so
 * the demo shop's stored session is used and Admin API calls go to the recorder. A production build compiles the demo
 * branch away.
 */
export async function requireAdmin(request: Request): Promise<AdminContext> {
  if (__AFTERGLOW_DEMO_BUILD__) {
    const { demoAdminContext } = await import("./demo/demo-auth.server");
    return demoAdminContext();
  }
  const host = new URL(request.url).searchParams.get("host");
  if (host !== null && !isShopifyHostParam(host)) throw Response.json({ errors: { host: "Expected the base64 admin host Shopify sends" } }, { status: 400 });
  const { online, offline, sub } = await authenticateStaff(request);
  return {
    shop: offline.session.shop,
    session: offline.session,
    graphql: retryingWhenTokenRefused(request, online.id, offline.admin.graphql),
    userId: typeof sub === "string" && sub !== "" ? sub : null,
    staff: staffProfile(online.onlineAccessInfo),
  };
}

/** The staff member's online session (the library's, exchanged when needed) and the shop's offline session. */
async function authenticateStaff(request: Request) {
  let { session: online, sessionToken } = await authenticate.admin(request);
  let offline = await offlineContext(online.shop);
  if (!offline) {
    // The staff member's online session outlived the shop's offline one: drop it, so the library exchanges this
    // request's session token for both again.
    await sessionStorage.deleteSession(online.id);
    ({ session: online, sessionToken } = await authenticate.admin(request));
    offline = await offlineContext(online.shop);
    if (!offline) throw new Response("The shop's session could not be restored; reload the app.", { status: 503 });
  }
  return { online, offline, sub: sessionToken?.sub };
}

/**
 * The offline client of an admin request. When Shopify refuses its token (401: revoked, or replaced by an exchange on
 * another instance), the staff member's online session is dropped so the library exchanges this request's session
 * token for both again, and the call is retried once with the new offline token (what the library's own client does
 * for the token it hands out).
 */
function retryingWhenTokenRefused(request: Request, onlineSessionId: string, graphql: AdminGraphql): AdminGraphql {
  return async (query, options) => {
    try {
      return await graphql(query, options);
    } catch (error) {
      if (!(error instanceof HttpResponseError) || error.response.code !== 401) throw error;
      await sessionStorage.deleteSession(onlineSessionId);
      const { offline } = await authenticateStaff(request);
      return offline.admin.graphql(query, options);
    }
  };
}

/** The shop's offline session and its Admin API client; null when the shop has none stored. */
async function offlineContext(shop: string) {
  try {
    return await unauthenticated.admin(shop);
  } catch (error) {
    if (error instanceof SessionNotFoundError) return null;
    throw error;
  }
}

/**
 * A name from the online session; null when absent. The Prisma session storage loads a name it stored as NULL as the
 * text "null", so that text counts as absent too.
 */
const name = (value: string | undefined | null) => (typeof value === "string" && value.trim() !== "" && value !== "null" ? value.trim() : null);

/** The staff member's names from their online access token; null without one. */
function staffProfile(info: OnlineAccessInfo | undefined): StaffProfile | null {
  const user = info?.associated_user;
  return user ? { firstName: name(user.first_name), lastName: name(user.last_name) } : null;
}

const BASE64 = /^[0-9a-zA-Z+/]+={0,2}$/;
/** The admin origins Shopify's `host` parameter names (as the library's own check: production, and Shopify's dev hosts). */
const ADMIN_HOST = /(^|\.)(myshopify\.com|shopify\.com|myshopify\.io|spin\.dev|shop\.dev)$/;

/**
 * True when `host` is what Shopify puts on an embedded app's URL: base64 of "admin.shopify.com/store/<store>" (or of
 * "<shop>.myshopify.com/admin"). The library decodes it into `new URL(...)` and a base64 text that decodes to no
 * valid host throws a TypeError there: a 500 for a malformed link. Checked first, it is a 400 instead.
 */
function isShopifyHostParam(host: string): boolean {
  if (!BASE64.test(host)) return false;
  const decoded = Buffer.from(host, "base64").toString("utf8");
  try {
    return ADMIN_HOST.test(new URL(`https://${decoded}`).hostname);
  } catch {
    return false;
  }
}

/**
 * Who is acting, for records staff see later (points adjustments, return policy versions): the online session's user
 * by name; without names, the session token's user id.
 */
export function staffLabel(context: Pick<AdminContext, "staff" | "userId">): string | null {
  const named = [context.staff?.firstName, context.staff?.lastName].filter(Boolean).join(" ");
  if (named) return named;
  return context.userId ? `Staff user ${context.userId.slice(0, 40)}` : null;
}
