import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { env } from "~/env.server";
import { navFollowUpCounts } from "~/services/followups.server";
import { noteStaffVisit } from "~/services/staff.server";

/**
 * Every admin page's layout: the App Bridge key, which build this is, and the follow-up counts for the nav badge (open,
 * and overdue against the shop's response-time target). It also records the staff member opening the app (decision
 * 044): the owner picker on the follow-ups page lists them.
 */
export async function layoutLoader({ request }: LoaderFunctionArgs) {
  const context = await requireAdmin(request);
  // One indexed COUNT for the nav badge; it revalidates after every action, so working the queue updates it.
  const [counts] = await Promise.all([navFollowUpCounts(context.shop), noteStaffVisit(context)]);
  return { apiKey: env.SHOPIFY_API_KEY, demo: __AFTERGLOW_DEMO_BUILD__, openFollowUps: counts.open, overdueFollowUps: counts.overdue };
}
