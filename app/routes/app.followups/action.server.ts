import { data, type ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { applyFollowUpAction } from "~/services/followups.server";

/**
 * POST /app/followups (form fields):
 * - `intent=update&id=…` with any of `status` (open | contacted | resolved), `owner` (≤ 100), `notes` (≤ 2,000);
 * - `intent=mark|unmark&responseId=…&action=thank-you|review-request`.
 * → `{ ok: true, message }`, or `{ ok: false, errors }` keyed by field with 400, or 404 for an id this shop does not have.
 */
export async function followUpsAction({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData().catch(() => new FormData());
  const result = await applyFollowUpAction(shop, Object.fromEntries(form));
  if (!result.ok) {
    const { status, ...body } = result;
    return data(body, { status });
  }
  return result;
}
