import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { attributionReportCsv } from "~/services/attribution-report.server";

/**
 * GET /app/export/attribution.csv?range=30d (or ?from=YYYY-MM-DD&to=YYYY-MM-DD) — the Reports page's attribution
 * report as a CSV download, for the same range. Auth as the answers export (`app.export.answers[.]csv.ts`): the
 * Authorization header or a document request with `id_token`; never the file without a valid session. A range that
 * is not one (bad dates, more than three years): 400 `{ errors: { range: reason } }`.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const csv = await attributionReportCsv(shop, new URL(request.url).searchParams);
  if (!csv.ok) return Response.json({ errors: { range: csv.error } }, { status: 400, headers: { "Cache-Control": "no-store" } });
  return new Response(csv.body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csv.filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
