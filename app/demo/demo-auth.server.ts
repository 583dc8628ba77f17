import type { AdminContext } from "~/shopify/admin-context.server";
import { sessionStorage } from "~/shopify.server";
import { recordingGraphql } from "./admin-recorder.server";
import { DEMO_SHOP, DEMO_STAFF_USER_ID } from "./constants";

/** The demo "signs in" as the demo shop's stored offline session; it exists only in the demo build. */
export async function demoAdminContext(): Promise<AdminContext> {
  const session = await sessionStorage.loadSession(`offline_${DEMO_SHOP}`);
  if (!session) {
    throw new Response("The demo shop is not prepared; run `npm run demo`.", { status: 503 });
  }
  return { shop: DEMO_SHOP, session, graphql: recordingGraphql, userId: DEMO_STAFF_USER_ID };
}
