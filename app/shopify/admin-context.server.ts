import type { Session } from "@shopify/shopify-api";
import type { AdminGraphql } from "./admin-client.server";

/**
 * What an admin page needs from authentication: whose shop it is, who is signed in, and a way to call the Admin API.
 * Made by `requireAdmin` (app/auth.server.ts) from Shopify's session token, or in the demo build by
 * `demoAdminContext` (app/demo/demo-auth.server.ts); both import it from here, so neither imports the other's module.
 */
export interface AdminContext {
  shop: string;
  /** The shop's OFFLINE session (its scopes are the app's grant); `graphql` calls the Admin API with its token. */
  session: Session;
  graphql: AdminGraphql;
  /** The session token's `sub`: the id of the staff member using the admin (absent outside an embedded request). */
  userId: string | null;
  /**
   * The names Shopify gave for that staff member with their online access token (decision 049); null or absent when
   * the request carries none (the demo signs in without one).
   */
  staff?: StaffProfile | null;
}

/** A staff member's names as their online access token gives them (empty texts are null). No e-mail: nothing needs it. */
export interface StaffProfile {
  firstName: string | null;
  lastName: string | null;
}
