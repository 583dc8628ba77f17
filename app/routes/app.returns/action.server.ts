import { data, type ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin, staffLabel } from "~/auth.server";
import { publishReturnPolicy, saveReturnPolicy } from "~/services/return-policy.server";
import { shopDisplay } from "~/services/shop-profile.server";
import { readPolicyForm, validatePolicyForm } from "./policy-form";

const invalid = (intent: string | null, errors: Record<string, string>) => data({ ok: false as const, intent, errors }, { status: 400 });

/**
 * POST /app/returns, JSON `{ intent: "save" | "publish", form }` (the settings form's fields, as typed):
 * - save: validates and keeps the policy as a new version (none when nothing changed) → `{ ok, intent, version,
 *   created }`, or 400 `{ errors }` keyed by dotted path (the keys the browser's live validation uses), nothing stored;
 * - publish: the same save, then publishes the newest version to Shopify → `{ ok, intent, version, publishedAt }`, or
 *   502 `{ errors: { publish } }` when Shopify refused or could not be reached (the version is saved, nothing is
 *   marked published).
 */
export async function returnsAction({ request }: ActionFunctionArgs) {
  const context = await requireAdmin(request);
  const { shop, graphql } = context;
  const body: unknown = await request.json().catch(() => null);
  const { intent, form } = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (intent !== "save" && intent !== "publish") return invalid(null, { policy: "Unknown request" });

  const parsed = readPolicyForm(form);
  if (!parsed) return invalid(intent, { policy: "The form arrived incomplete; reload the page and try again." });
  const { currency } = await shopDisplay(shop);
  const checked = validatePolicyForm(parsed, currency);
  if (!checked.ok) return invalid(intent, checked.errors);
  // saveReturnPolicy validates once more: it is the write side's own guard.
  const saved = await saveReturnPolicy(shop, checked.policy, staffLabel(context));
  if (!saved.ok) return invalid(intent, saved.errors);
  if (intent === "save") return { ok: true as const, intent, version: saved.version, created: saved.created, publishedAt: null };

  const published = await publishReturnPolicy(shop, graphql);
  if (!published.ok) return data({ ok: false as const, intent, errors: published.errors, version: saved.version, created: saved.created }, { status: published.status });
  return { ok: true as const, intent, version: saved.version, created: saved.created, publishedAt: published.publishedAt };
}
