import { authenticate } from "./shopify.server";
import type { AdminContext } from "./shopify/admin-context.server";

/**
 * Authenticates an embedded admin request (session token / token exchange). In the demo build there is no
 * Shopify admin to embed in, so the demo shop's stored session is used and Admin API calls go to the recorder.
 * A production build compiles the demo branch away.
 */
export async function requireAdmin(request: Request): Promise<AdminContext> {
  if (__AFTERGLOW_DEMO_BUILD__) {
    const { demoAdminContext } = await import("./demo/demo-auth.server");
    return demoAdminContext();
  }
  const host = new URL(request.url).searchParams.get("host");
  if (host !== null && !isShopifyHostParam(host)) throw Response.json({ errors: { host: "Expected the base64 admin host Shopify sends" } }, { status: 400 });
  const { session, admin, sessionToken } = await authenticate.admin(request);
  const sub = sessionToken?.sub;
  return { shop: session.shop, session, graphql: admin.graphql, userId: typeof sub === "string" && sub !== "" ? sub : null };
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
 * Who is acting, for records staff see later (points adjustments, return policy versions): the name, else the
 * email, of the online session's user; without an online session, the session token's user id.
 */
export function staffLabel(context: Pick<AdminContext, "session" | "userId">): string | null {
  const user = context.session.onlineAccessInfo?.associated_user;
  if (user) {
    const named = [user.first_name, user.last_name].filter(Boolean).join(" ").trim() || user.email;
    if (named) return named;
  }
  return context.userId ? `Staff user ${context.userId.slice(0, 40)}` : null;
}
