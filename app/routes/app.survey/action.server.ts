import { data, type ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { publishSurvey, saveAnswerWindow, saveAnswerWindowWithDraft, saveSurveyDraft } from "~/services/survey-settings.server";

/**
 * POST /app/survey, JSON `{ intent: "save" | "publish", config }`:
 * - save: validates and stores the draft → `{ ok, intent }`, or 400 `{ errors }` keyed by dotted path (the keys the
 *   browser's live validation uses); nothing is stored then;
 * - publish: the same, then writes the shop metafield → `{ ok, intent, publishedAt }`, or 502 `{ errors: { publish } }`
 *   when Shopify refused or could not be reached (the draft is saved; what shoppers see is unchanged);
 * - window: JSON `{ intent: "window", answerWindowDays }` saves the answer window (1–365 days) → `{ ok, intent }`, or
 *   400 `{ errors: { answerWindowDays } }`.
 * The page's save and publish also send `answerWindowDays` (the window is part of the page's form and save bar):
 * the draft and the window are both checked first, and 400 `{ errors }` names every problem of both with nothing
 * stored; then the window is stored, then the draft saved or published as above.
 */
export async function surveyAction({ request }: ActionFunctionArgs) {
  const { shop, graphql } = await requireAdmin(request);
  const body: unknown = await request.json().catch(() => null);
  const { intent, config, answerWindowDays } = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;

  if (intent === "window") {
    const saved = await saveAnswerWindow(shop, answerWindowDays);
    if (!saved.ok) return data({ ok: false as const, intent, errors: saved.errors }, { status: 400 });
    return { ok: true as const, intent, publishedAt: null };
  }

  if (intent === "save" || intent === "publish") {
    const windowSaved = await saveAnswerWindowWithDraft(shop, config, answerWindowDays);
    if (!windowSaved.ok) return data({ ok: false as const, intent, errors: windowSaved.errors }, { status: 400 });
  }
  if (intent === "save") {
    const saved = await saveSurveyDraft(shop, config);
    if (!saved.ok) return data({ ok: false as const, intent, errors: saved.errors }, { status: 400 });
    return { ok: true as const, intent, publishedAt: null };
  }
  if (intent === "publish") {
    const published = await publishSurvey(shop, graphql, config);
    if (published.ok) return { ok: true as const, intent, publishedAt: published.publishedAt };
    return data({ ok: false as const, intent, errors: published.errors }, { status: "publishError" in published ? 502 : 400 });
  }
  return data({ ok: false as const, intent: null, errors: { survey: "Unknown request" } }, { status: 400 });
}
