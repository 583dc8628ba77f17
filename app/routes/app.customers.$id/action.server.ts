import { data, type ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin, staffLabel } from "~/auth.server";
import { adjustPoints } from "~/services/loyalty.server";
import { issueRewardByStaff } from "~/services/rewards.server";
import { customerNotFound } from "./loader.server";

/**
 * A staff points adjustment: `points` (±, whole) and `reason`. 400 with field errors, or the new balance. With
 * `intent=issue-reward`: a goodwill reward (`rewardId`, `reason`), no points taken → `{ ok, issued }` (the code), or
 * 400 / 422 (Shopify refused it) with errors.
 */
export async function customerAction({ request, params }: ActionFunctionArgs) {
  const context = await requireAdmin(request);
  const { shop } = context;
  const form = await request.formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  if (field("intent") === "issue-reward") {
    const issued = await issueRewardByStaff(shop, params.id ?? "", { rewardId: field("rewardId"), reason: field("reason") }, staffLabel(context), context.graphql);
    if (!issued.ok) {
      if (issued.status === 404) throw customerNotFound();
      return data({ ok: false as const, errors: issued.errors }, { status: issued.status });
    }
    return { ok: true as const, issued: issued.redemption };
  }
  const result = await adjustPoints(shop, params.id ?? "", { points: field("points").trim(), reason: field("reason") }, staffLabel(context));
  if (!result.ok) {
    if (result.errors.customer) throw customerNotFound();
    return data({ ok: false as const, errors: result.errors }, { status: 400 });
  }
  return { ok: true as const, balance: result.balance };
}
