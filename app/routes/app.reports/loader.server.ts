import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { loadAttributionReport } from "~/services/attribution-report.server";

/** GET /app/reports: the attribution report for the date range in the query (the dashboard's presets or from/to). */
export async function reportsLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return loadAttributionReport(shop, new URL(request.url).searchParams);
}
