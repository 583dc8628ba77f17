import { data, type ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin, staffLabel } from "~/auth.server";
import { adjustPoints } from "~/services/loyalty.server";
import { customerNotFound } from "./loader.server";

/** A staff points adjustment: `points` (±, whole) and `reason`. 400 with field errors, or the new balance. */
export async function customerAction({ request, params }: ActionFunctionArgs) {
  const context = await requireAdmin(request);
  const { shop } = context;
  const form = await request.formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const result = await adjustPoints(shop, params.id ?? "", { points: field("points").trim(), reason: field("reason") }, staffLabel(context));
  if (!result.ok) {
    if (result.errors.customer) throw customerNotFound();
    return data({ ok: false as const, errors: result.errors }, { status: 400 });
  }
  return { ok: true as const, balance: result.balance };
}
