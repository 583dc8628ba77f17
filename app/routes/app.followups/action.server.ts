import { data, type ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { applyFollowUpAction } from "~/services/followups.server";
import { actingStaff } from "~/services/staff.server";

/**
 * POST /app/followups (form fields):
 * - `intent=update&id=…` with any of `status` (open | contacted | resolved), `ownerUserId` (a staff member of the shop;
 *   empty clears), and the older free-text `owner` (≤ 100) and `notes` (≤ 2,000);
 * - `intent=note&id=…&body=…`: a note with its author (the signed-in staff member) and time;
 * - `intent=goodwill&id=…&kind=points&points=…` or `kind=code&rewardId=…`, with `reason` and the form's `key`;
 * - `intent=settings&responseTargetHours=…` (1 to 720);
 * - `intent=mark|unmark&responseId=…&action=thank-you|review-request`.
 * → `{ ok: true, message }`, or `{ ok: false, errors }` keyed by field with 400 (422 when Shopify refused a code), or
 * 404 for an id this shop does not have.
 */
export async function followUpsAction({ request }: ActionFunctionArgs) {
  const context = await requireAdmin(request);
  const form = await request.formData().catch(() => new FormData());
  const staff = await actingStaff(context);
  const result = await applyFollowUpAction(context.shop, Object.fromEntries(form), new Date(), { staff, graphql: context.graphql });
  if (!result.ok) {
    const { status, ...body } = result;
    return data(body, { status });
  }
  return result;
}
