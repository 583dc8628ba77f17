import type { Session } from "@shopify/shopify-api";
import { authenticate } from "./shopify.server";
import type { AdminGraphql } from "./shopify/admin-client.server";

/** What an admin page needs from authentication: whose shop it is and a way to call the Admin API. */
export interface AdminContext {
  shop: string;
  session: Session;
  graphql: AdminGraphql;
}

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
  const { session, admin } = await authenticate.admin(request);
  return { shop: session.shop, session, graphql: admin.graphql };
}
