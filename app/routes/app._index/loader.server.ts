import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { loadCxDashboard } from "~/services/cx-dashboard.server";
import { loadDashboard } from "~/services/dashboard.server";
import { followUpResponseTimes } from "~/services/followups.server";
import { latestImportJob } from "~/services/order-import.server";
import { loadSetupGuide } from "~/services/setup-guide.server";

/** GET /app: the setup guide, the dashboard's order figures, the CX section (its range from the query), the latest import job and the follow-ups' median times. */
export async function dashboardLoader({ request }: LoaderFunctionArgs) {
  const { shop, graphql } = await requireAdmin(request);
  const params = new URL(request.url).searchParams;
  const [dashboard, cx, importJob, setupGuide, followUpTimes] = await Promise.all([
    loadDashboard(shop, graphql),
    loadCxDashboard(shop, params),
    latestImportJob(shop),
    loadSetupGuide(shop),
    followUpResponseTimes(shop),
  ]);
  return { ...dashboard, cx, importJob, setupGuide, followUpTimes };
}
