import { data, type ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { retryOutboxMessage, saveLoyaltyProgram } from "~/services/loyalty.server";
import { saveReward } from "~/services/rewards.server";
import { shopDisplay } from "~/services/shop-profile.server";
import { retryTierPerk } from "~/services/tier-perks.server";
import { readProgramForm, validateProgramForm } from "./program-form";

const invalid = (errors: Record<string, string>) => data({ ok: false as const, errors }, { status: 400 });

/**
 * POST /app/loyalty, JSON:
 * - `{ intent: "save", form }`: the editor's form (strings; spend thresholds in currency units) → `{ ok, jobId }`,
 *   or 400 `{ errors }` keyed by dotted field path — the keys the browser's live validation uses;
 * - `{ intent: "retry", id }`: puts a failed outbox message back in the queue;
 * - `{ intent: "retry-perk", kind, key }`: syncs a tier perk (segment or discount) with Shopify again → `{ ok, perk }`,
 *   or 404 when the shop has no such perk;
 * - `{ intent: "save-reward", id?, form }`: adds a reward (no id) or rewrites one (its editor's fields, amounts in
 *   currency units) → `{ ok, rewardId }`, or 400 `{ errors }` keyed by field, or 404 for another shop's id.
 */
export async function loyaltyAction({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const body: unknown = await request.json().catch(() => null);
  const { intent, form, id } = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;

  if (intent === "retry") {
    if (typeof id !== "number" || !Number.isSafeInteger(id)) return invalid({ id: "Unknown message" });
    if (!(await retryOutboxMessage(shop, id))) {
      return invalid({ id: "That message is no longer failed, or a newer change for the same customer replaced it." });
    }
    return { ok: true as const, retried: id };
  }
  if (intent === "retry-perk") {
    const { kind, key } = (body ?? {}) as Record<string, unknown>;
    if ((kind !== "segment" && kind !== "discount") || typeof key !== "string" || key.length > 40) return invalid({ perk: "Unknown perk" });
    if (!(await retryTierPerk(shop, kind, key))) return data({ ok: false as const, errors: { perk: "That perk is no longer in your program." } }, { status: 404 });
    return { ok: true as const, perk: key };
  }
  if (intent === "save-reward") {
    const { rewardId } = (body ?? {}) as Record<string, unknown>;
    if (rewardId !== undefined && (typeof rewardId !== "number" || !Number.isSafeInteger(rewardId))) return invalid({ reward: "Unknown reward" });
    const saved = await saveReward(shop, rewardId ?? null, form);
    if (!saved.ok) return data({ ok: false as const, errors: saved.errors as Record<string, string> }, { status: saved.status });
    return { ok: true as const, rewardId: saved.id };
  }
  if (intent !== "save") return invalid({ program: "Unknown request" });

  const parsed = readProgramForm(form);
  if (!parsed) return invalid({ program: "The form arrived incomplete; reload the page and try again." });
  const { currency } = await shopDisplay(shop);
  const checked = validateProgramForm(parsed, currency);
  if (!checked.ok) return invalid(checked.errors);
  // saveLoyaltyProgram validates once more (it is the write side's own guard) and starts the recompute.
  const saved = await saveLoyaltyProgram(shop, checked.program);
  if (!saved.ok) return invalid(saved.errors);
  return { ok: true as const, jobId: saved.jobId };
}
