import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { env } from "~/env.server";
import { openFollowUpCount } from "~/services/followups.server";

/** Every admin page's layout: the App Bridge key, which build this is, and the follow-up count for the nav badge. */
export async function layoutLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  // One indexed COUNT for the nav badge; it revalidates after every action, so working the queue updates it.
  const openFollowUps = await openFollowUpCount(shop);
  return { apiKey: env.SHOPIFY_API_KEY, demo: __AFTERGLOW_DEMO_BUILD__, openFollowUps };
}
