import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { loadAttributionReport } from "~/services/attribution-report.server";
import { loadQuestionReport } from "~/services/question-report.server";

/**
 * GET /app/reports: for the date range in the query (the dashboard's presets or from/to), the attribution report,
 * and each question's distribution and the text answers matching `q`, within the answer segment `segment`.
 */
export async function reportsLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const params = new URL(request.url).searchParams;
  const [attribution, questions] = await Promise.all([loadAttributionReport(shop, params), loadQuestionReport(shop, params)]);
  return { ...attribution, questions };
}
