import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { checkAnswerFilters } from "~/domain/survey/answer-filters";
import { exportAnswersCsv } from "~/services/answers-export.server";

/**
 * GET /app/export/answers.csv?question=&band=&from=YYYY-MM-DD&to=YYYY-MM-DD — the shop's survey answers as a CSV
 * download, filtered like the Survey page's answers list (`to` inclusive, UTC days), streamed page by page.
 *
 * Auth: `requireAdmin`, which accepts both ways an embedded admin request can carry its session token:
 * - `Authorization: Bearer <id token>` (App Bridge adds it to the app's fetch calls);
 * - a *document* request with `?shop=…&host=…&embedded=1&id_token=<id token>`: `authenticate.admin` validates the
 *   shop and host params, requires `embedded=1`, then verifies the `id_token` JWT exactly like the header (and
 *   sends an expired one through its bounce page, which reloads this URL with a fresh token).
 * The Export button uses the second form, so the browser downloads the response itself and the file streams to disk
 * (see components/survey/SurveyAnswersList.tsx). In the demo build `requireAdmin` needs no token.
 *
 * Bad filters: 400 `{ errors: { <param>: reason } }`. No or invalid session: whatever `authenticate.admin` answers
 * (401, or a redirect to the bounce/login page), never the file.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const checked = checkAnswerFilters(new URL(request.url).searchParams);
  if (!checked.ok) {
    return Response.json({ errors: checked.errors }, { status: 400, headers: { "Cache-Control": "no-store" } });
  }
  const csv = await exportAnswersCsv(shop, checked.filters, { signal: request.signal });
  return new Response(csv.body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csv.filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
