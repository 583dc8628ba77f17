import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { customerDataExport } from "~/services/privacy-export.server";

/**
 * GET /app/privacy/:id/export.json — the export of one of the shop's data requests, as a JSON download, assembled
 * from the shop's rows now. Auth like the answers CSV (app.export.answers[.]csv.ts): a bearer session token, or the
 * Download button's document request with `id_token`, `shop`, `host` and `embedded=1` on the URL. Another shop's
 * request, a redaction or an unknown id: 404. No or invalid session: whatever `authenticate.admin` answers.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const id = /^\d{1,15}$/.test(params.id ?? "") ? Number(params.id) : null;
  const found = id === null ? null : await customerDataExport(shop, id);
  if (!found) {
    throw new Response("Privacy request not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  return new Response(`${JSON.stringify(found.data, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${found.filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
