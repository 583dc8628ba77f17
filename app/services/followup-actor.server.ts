import type { AdminGraphql } from "~/shopify/admin-client.server";

/**
 * Who works a follow-up, as the follow-ups page's action passes it to the services (decision 044): the staff member
 * (Shopify's user id and the name the app knows; nulls when the request names nobody) and the Admin API of the
 * request (a goodwill code is created through it).
 */
export interface FollowUpActor {
  staff: { userId: string | null; name: string | null };
  graphql?: AdminGraphql;
}
