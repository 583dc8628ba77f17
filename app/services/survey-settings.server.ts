import { answerFilterBounds, type AnswerFilters } from "~/domain/survey/answer-filters";
import { DEFAULT_ANSWER_WINDOW_DAYS, parseAnswerWindowDays } from "~/domain/survey/answer-integrity";
import { readSurveyConfig, validateSurveyConfig } from "~/domain/survey/config";
import { DEFAULT_SURVEY_CONFIG, type LocalizedText, type SurveyConfig } from "~/domain/survey/questions";
import { env } from "~/env.server";
import { errorName, log } from "~/logger.server";
import {
  findSurveySettings,
  storeAnswerWindowDays,
  storeSurveyDraft,
  storeSurveyPublishError,
  storeSurveyPublished,
} from "~/models/survey-settings.server";
import { findPolicyPublication } from "~/models/return-policy.server";
import { getShop } from "~/models/shops.server";
import { listSurveyResponses } from "~/models/survey-responses.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { publishSurveyMetafield, SurveyPublishRejected } from "~/shopify/survey-metafield.server";
import { serialized, surveyMetafieldKey } from "./serialized.server";

/** The Survey page's use cases: read the settings, save a draft, publish to the shop metafield. */

/** This app's answers endpoint, published with the config so the extension posts to the server that published it. */
export const surveyEndpoint = () => `${env.SHOPIFY_APP_URL.replace(/\/+$/, "")}/api/checkout/survey`;

/**
 * The metafield value's return-policy slot: the one-line summary per language of the published return policy (null
 * before one is published). The slot belongs to the return policy, so whatever a survey config holds there is replaced.
 */
export function withReturnSummary(config: SurveyConfig, summaries: LocalizedText | null): SurveyConfig {
  return { ...config, extras: { ...config.extras, returnPolicySummary: summaries } };
}

/** The summaries of the published return policy, as the last successful return-policy publish wrote them. */
async function publishedReturnSummaries(shop: string): Promise<LocalizedText | null> {
  const publication = await findPolicyPublication(shop);
  return publication?.version != null && publication.summaries ? (JSON.parse(publication.summaries) as LocalizedText) : null;
}

interface SurveySettingsView {
  draft: SurveyConfig;
  published: SurveyConfig | null;
  publishedAt: string | null;
  lastPublishError: string | null;
  /** True when the draft is not what shoppers currently see. */
  draftDiffers: boolean;
  isDefault: boolean;
  /** Orders placed longer ago than this many days take no survey answers (decision 022). */
  answerWindowDays: number;
  /** The shop's name as shoppers read it in the survey's `{{shop}}` (its handle until the profile is known). */
  shopName: string;
}

export async function getSurveySettings(shop: string): Promise<SurveySettingsView> {
  const [row, profile] = await Promise.all([findSurveySettings(shop), getShop(shop)]);
  const draft = row ? readSurveyConfig(row.draft) : DEFAULT_SURVEY_CONFIG;
  const published = row?.published ? readSurveyConfig(row.published) : null;
  return {
    draft,
    published,
    publishedAt: row?.publishedAt?.toISOString() ?? null,
    lastPublishError: row?.lastPublishError ?? null,
    draftDiffers: published === null || JSON.stringify(published) !== JSON.stringify(draft),
    isDefault: row === null,
    answerWindowDays: row?.answerWindowDays ?? DEFAULT_ANSWER_WINDOW_DAYS,
    shopName: profile?.name || shop.replace(/\.myshopify\.com$/, ""),
  };
}

/**
 * The questions shoppers are being asked: the published config (null before the first publish). The answers endpoint
 * checks answers to custom questions against it (app/domain/survey/answer.ts).
 */
export async function publishedSurveyConfig(shop: string): Promise<SurveyConfig | null> {
  const row = await findSurveySettings(shop);
  return row?.published ? readSurveyConfig(row.published) : null;
}

/**
 * Saves the answer window (whole days, 1–365). A server-side rule, not part of the published survey: it applies
 * to the next answer at once. Nothing is stored when the input is refused.
 */
export async function saveAnswerWindow(shop: string, input: unknown): Promise<{ ok: true; days: number } | Invalid> {
  const parsed = parseAnswerWindowDays(input);
  if (!parsed.ok) return { ok: false, errors: { answerWindowDays: parsed.error } };
  await storeAnswerWindowDays(shop, parsed.days, JSON.stringify(DEFAULT_SURVEY_CONFIG));
  return { ok: true, days: parsed.days };
}

type Invalid = { ok: false; errors: Record<string, string> };

/**
 * The Survey page's save (decision 030): the draft and the answer window are one form with one save bar, so both are
 * checked before either is stored. `answerWindowDays` undefined: the request did not send it (nothing to change).
 * Every problem of both is reported at once, keyed as the page's fields are; nothing is stored then. When all is
 * well, the window is stored (it applies to the next answer); the caller then saves or publishes the draft.
 */
export async function saveAnswerWindowWithDraft(
  shop: string,
  config: unknown,
  answerWindowDays: unknown,
): Promise<{ ok: true } | Invalid> {
  if (answerWindowDays === undefined) return { ok: true };
  const days = parseAnswerWindowDays(answerWindowDays);
  const draft = validateSurveyConfig(config);
  if (!days.ok || !draft.ok) return { ok: false, errors: { ...(draft.ok ? {} : draft.errors), ...(days.ok ? {} : { answerWindowDays: days.error }) } };
  await storeAnswerWindowDays(shop, days.days, JSON.stringify(DEFAULT_SURVEY_CONFIG));
  return { ok: true };
}

/** Validates (strictly) and stores the draft. Nothing is stored when it is invalid. */
export async function saveSurveyDraft(shop: string, input: unknown): Promise<{ ok: true; config: SurveyConfig } | Invalid> {
  const checked = validateSurveyConfig(input);
  if (!checked.ok) return checked;
  await storeSurveyDraft(shop, JSON.stringify(checked.config));
  return { ok: true, config: checked.config };
}

type PublishResult =
  | { ok: true; publishedAt: string }
  | Invalid
  | { ok: false; errors: Record<string, string>; publishError: string };

/**
 * Saves `input` as the draft, then writes it to the shop metafield, keeping the published return policy's summary in
 * its slot. On success the same config (as the merchant set it) becomes `published`; on failure the previous
 * `published` stays and the reason is kept in `lastPublishError`.
 */
export async function publishSurvey(shop: string, graphql: AdminGraphql, input: unknown): Promise<PublishResult> {
  const now = new Date();
  const saved = await saveSurveyDraft(shop, input);
  if (!saved.ok) return saved;
  // From reading the return policy's half to storing ours, alone: a return-policy publish waits (serialized.server.ts).
  return serialized(surveyMetafieldKey(shop), async (): Promise<PublishResult> => {
    try {
      const summaries = await publishedReturnSummaries(shop);
      await publishSurveyMetafield(graphql, withReturnSummary(saved.config, summaries), surveyEndpoint());
    } catch (error) {
      const message =
        error instanceof SurveyPublishRejected ? `Shopify refused the survey settings: ${error.message}` : "Shopify could not be reached. Try again in a moment.";
      log.warn("survey publish failed", { shop, error: errorName(error) });
      await storeSurveyPublishError(shop, message);
      return { ok: false, errors: { publish: message }, publishError: message };
    }
    await storeSurveyPublished(shop, JSON.stringify(saved.config), now);
    return { ok: true, publishedAt: now.toISOString() };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Answers list

const ANSWERS_PAGE_SIZE = 25;

/** One page of answers, newest first, for the filters `parseAnswerFilters` (app/domain/survey/answer-filters.ts) read. */
export async function listSurveyAnswers(shop: string, filters: AnswerFilters) {
  const page = await listSurveyResponses(shop, {
    ...(filters.question ? { question: filters.question } : {}),
    ...(filters.band ? { band: filters.band } : {}),
    ...answerFilterBounds(filters),
    ...(filters.cursor ? { cursor: filters.cursor } : {}),
    limit: ANSWERS_PAGE_SIZE,
  });
  return {
    rows: page.rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    nextCursor: page.nextCursor,
  };
}
