import type { Session } from "@shopify/shopify-api";
import type { AdminGraphql } from "./admin-client.server";

/**
 * What an admin page needs from authentication: whose shop it is, who is signed in, and a way to call the Admin API.
 * Made by `requireAdmin` (app/auth.server.ts) from Shopify's session token, or in the demo build by
 * `demoAdminContext` (app/demo/demo-auth.server.ts); both import it from here, so neither imports the other's module.
 */
export interface AdminContext {
  shop: string;
  session: Session;
  graphql: AdminGraphql;
  /** The session token's `sub`: the id of the staff member using the admin (absent outside an embedded request). */
  userId: string | null;
}
