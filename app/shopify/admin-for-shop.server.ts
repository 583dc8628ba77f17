import { unauthenticated } from "~/shopify.server";
import type { AdminGraphql } from "./admin-client.server";

/**
 * An Admin GraphQL client for background work (no request to authenticate): the shop's stored offline session.
 * Throws `SessionNotFoundError` when the shop has none. The demo build answers from the local recorder instead,
 * so nothing leaves the machine; a production build compiles that branch away.
 */
export async function adminGraphqlForShop(shop: string): Promise<AdminGraphql> {
  if (__AFTERGLOW_DEMO_BUILD__) {
    const { recordingGraphql } = await import("~/demo/admin-recorder.server");
    return recordingGraphql;
  }
  const { admin } = await unauthenticated.admin(shop);
  return admin.graphql;
}
