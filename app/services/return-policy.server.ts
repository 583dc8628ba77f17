import { validateReturnPolicy, type ReturnLocale, type ReturnPolicy } from "~/domain/returns/policy";
import { policyDocument, policyHtml, policySummaries, type PolicyDocument } from "~/domain/returns/policy-text";
import { sameRefundPolicy } from "~/domain/returns/published-text";
import { returnRuleDifferences, type ReturnRuleDifference, type ShopifyReturnProfile } from "~/domain/returns/shopify-rules";
import { readStoredPolicy, storedPolicyText } from "~/domain/returns/stored";
import { readSurveyConfig } from "~/domain/survey/config";
import { DEFAULT_SURVEY_CONFIG } from "~/domain/survey/questions";
import { errorName, log } from "~/logger.server";
import {
  appendPolicyVersion,
  findPolicyPublication,
  latestPolicyVersion,
  policyVersionsByNumber,
  recentPolicyVersions,
  storePolicyPublished,
  storePolicyPublishError,
  storeShopifyCopy,
  type StoredPolicyVersion,
  type StoredPublication,
} from "~/models/return-policy.server";
import { findSurveySettings } from "~/models/survey-settings.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { readShopPolicies, RefundPolicyRejected, updateRefundPolicy, type RefundPolicyCopy } from "~/shopify/refund-policy.server";
import { publishSurveyMetafield, SurveyPublishRejected } from "~/shopify/survey-metafield.server";
import { shopDisplay } from "./shop-profile.server";
import { loadReturnFigures } from "./return-figures.server";
import { surveyEndpoint, withReturnSummary } from "./survey-settings.server";
import { serialized, surveyMetafieldKey } from "./serialized.server";

/**
 * The Returns page's use cases: save the policy (a new version unless nothing changed), publish it to Shopify (the
 * refund policy text and the one-line summary in the survey metafield), and read everything the page shows.
 */

function sameSettings(stored: string, settings: string): boolean {
  try {
    return storedPolicyText(readStoredPolicy(stored)) === settings;
  } catch {
    return false;
  }
}

type Invalid = { ok: false; errors: Record<string, string> };
type SaveResult = { ok: true; version: number; created: boolean; savedAt: string } | Invalid;

/**
 * Validates `input` with the domain schema and keeps it as the next version, saved by `savedBy` at `now`. Settings
 * equal to the newest version add nothing (`created: false`, that version's number). Invalid input stores nothing.
 */
export async function saveReturnPolicy(shop: string, input: unknown, savedBy: string | null, now = new Date()): Promise<SaveResult> {
  const checked = validateReturnPolicy(input);
  if (!checked.ok) return checked;
  const settings = storedPolicyText(checked.policy);
  const result = await appendPolicyVersion(shop, settings, (latest) => sameSettings(latest, settings), savedBy, now);
  return { ok: true, version: result.version.version, created: result.created, savedAt: result.version.savedAt.toISOString() };
}

type PublishResult = { ok: true; version: number; publishedAt: string } | { ok: false; status: 400 | 502; errors: Record<string, string> };

/**
 * Publishes the newest saved version: exactly one `shopPolicyUpdate` with the full text in the policy's
 * `publishLocale`, then the survey metafield (the published survey config, or the default, with the summary in every
 * language and the answers endpoint). Only when both succeed is the version marked published; otherwise the reason
 * is kept and shown, and what was published before stays published.
 */
export async function publishReturnPolicy(shop: string, graphql: AdminGraphql, now = new Date()): Promise<PublishResult> {
  const [latest, { currency }] = await Promise.all([latestPolicyVersion(shop), shopDisplay(shop)]);
  if (!latest) return { ok: false, status: 400, errors: { publish: "Save a return policy before publishing it." } };
  const policy = readStoredPolicy(latest.settings);
  const body = policyHtml(policyDocument(policy, { locale: policy.publishLocale, currency }));
  const summaries = policySummaries(policy, currency);

  const fail = async (message: string, error: unknown) => {
    log.warn("return policy publish failed", { shop, version: latest.version, error: errorName(error) });
    await storePolicyPublishError(shop, message, now);
    return { ok: false as const, status: 502 as const, errors: { publish: message } };
  };

  let copy: RefundPolicyCopy | null;
  try {
    copy = await updateRefundPolicy(graphql, body);
  } catch (error) {
    return fail(
      error instanceof RefundPolicyRejected
        ? `Shopify refused the refund policy: ${error.message}`
        : "Shopify could not be reached, so the refund policy was not published. Try again in a moment.",
      error,
    );
  }
  // From reading the survey's half to storing ours, alone: a survey publish waits (serialized.server.ts).
  return serialized(surveyMetafieldKey(shop), async (): Promise<PublishResult> => {
    try {
      const survey = await findSurveySettings(shop);
      const config = survey?.published ? readSurveyConfig(survey.published) : DEFAULT_SURVEY_CONFIG;
      await publishSurveyMetafield(graphql, withReturnSummary(config, summaries), surveyEndpoint());
    } catch (error) {
      await storeShopifyCopy(shop, { body: copy?.body ?? body, updatedAt: copy?.updatedAt ?? null, readAt: now }, null);
      const reason = error instanceof SurveyPublishRejected ? `Shopify refused it: ${error.message}` : "Shopify could not be reached";
      return fail(
        `The refund policy was updated in Shopify, but the one-line summary shoppers see after checkout was not (${reason}). Publish again to finish.`,
        error,
      );
    }
    await storePolicyPublished(
      shop,
      { version: latest.version, publishedAt: now, body, locale: policy.publishLocale, summaries: JSON.stringify(summaries) },
      { body: copy?.body ?? body, updatedAt: copy?.updatedAt ?? now, readAt: now },
    );
    return { ok: true, version: latest.version, publishedAt: now.toISOString() };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The page

/** Shopify's return rules as stored with the last read (a JSON array of profiles); null when never read. */
function storedReturnRules(json: string | null): ShopifyReturnProfile[] | null {
  if (!json) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? (parsed as ShopifyReturnProfile[]) : null;
  } catch {
    return null;
  }
}

/**
 * Where Shopify's return rules (as last read on the Returns page) differ from the policy in force: what the Loyalty
 * page warns about, since points wait out Afterglow's window (decision 046). Empty when they agree or were never read.
 */
export async function shopifyReturnRuleDifferences(shop: string): Promise<ReturnRuleDifference[]> {
  const [publication, recent] = await Promise.all([findPolicyPublication(shop), recentPolicyVersions(shop, 1)]);
  const rules = storedReturnRules(publication?.shopifyReturnRules ?? null);
  const latest = recent.versions[0];
  return rules && latest ? returnRuleDifferences(versionView(latest).policy, rules) : [];
}

/** How long the page waits for Shopify's copy of the refund policy before showing the rest without it. */
const SHOPIFY_READ_TIMEOUT_MS = 2500;
const RECENT_VERSIONS = 20;

type ShopifyRead = { ok: true; copy: RefundPolicyCopy | null; returnRules: ShopifyReturnProfile[] | null } | { ok: false; reason: string };

/** Reads Shopify's refund policy and return rules, giving up after `timeoutMs`; never throws. */
async function readShopifyCopy(shop: string, graphql: AdminGraphql, timeoutMs = SHOPIFY_READ_TIMEOUT_MS): Promise<ShopifyRead> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ShopifyRead>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: "Shopify took too long to answer" }), timeoutMs);
  });
  const read = readShopPolicies(graphql).then(
    ({ refund, returnRules }): ShopifyRead => ({ ok: true, copy: refund, returnRules }),
    (error: unknown): ShopifyRead => {
      log.warn("refund policy read failed", { shop, error: errorName(error) });
      return { ok: false, reason: "Shopify could not be reached" };
    },
  );
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type ShopifySyncState =
  /** Shopify's copy says what Afterglow published. */
  | "in_sync"
  /** It says something else (edited in Shopify, or another app wrote it). */
  | "differs"
  /** Afterglow published, but Shopify has no refund policy now. */
  | "missing"
  /** Nothing published by Afterglow; Shopify has a refund policy of its own. */
  | "other"
  /** Nothing published by Afterglow, and Shopify has no refund policy. */
  | "none"
  /** Shopify's copy was never read. */
  | "unknown";

interface PolicyVersionView {
  version: number;
  savedBy: string | null;
  savedAt: string;
  policy: ReturnPolicy;
}

const versionView = (v: StoredPolicyVersion): PolicyVersionView => ({
  version: v.version,
  savedBy: v.savedBy,
  savedAt: v.savedAt.toISOString(),
  policy: readStoredPolicy(v.settings),
});

function syncState(publication: StoredPublication | null, copy: { body: string | null } | null): ShopifySyncState {
  if (!copy) return "unknown";
  const ours = publication?.version != null ? publication.body : null;
  if (ours === null || ours === undefined) return copy.body === null ? "none" : "other";
  if (copy.body === null) return "missing";
  return sameRefundPolicy(ours, copy.body) ? "in_sync" : "differs";
}

function readSummaries(json: string | null): Record<ReturnLocale, string> | null {
  if (!json) return null;
  return JSON.parse(json) as Record<ReturnLocale, string>;
}

/**
 * Everything the Returns page shows. Shopify's copy of the refund policy is read in parallel with the database reads,
 * with a short timeout; when it cannot be read the page says so and compares with the copy last read instead.
 */
export async function loadReturnsPage(
  shop: string,
  graphql: AdminGraphql,
  params: URLSearchParams,
  { shopifyTimeoutMs = SHOPIFY_READ_TIMEOUT_MS }: { shopifyTimeoutMs?: number } = {},
) {
  const now = new Date();
  const [recent, publication, display, shopify, figures] = await Promise.all([
    // One more than is listed: the oldest listed version is compared with the one before it.
    recentPolicyVersions(shop, RECENT_VERSIONS + 1),
    findPolicyPublication(shop),
    shopDisplay(shop),
    readShopifyCopy(shop, graphql, shopifyTimeoutMs),
    loadReturnFigures(shop, params, now),
  ]);
  if (shopify.ok) {
    const returnRules = shopify.returnRules === null ? undefined : JSON.stringify(shopify.returnRules);
    await storeShopifyCopy(shop, { body: shopify.copy?.body ?? null, updatedAt: shopify.copy?.updatedAt ?? null, readAt: now, returnRules }, publication);
  }

  const versions = recent.versions.slice(0, RECENT_VERSIONS).map(versionView);
  const beforeOldest = recent.versions[RECENT_VERSIONS];
  const latest = versions[0] ?? null;
  const publishedVersion = publication?.version ?? null;
  let published: PolicyVersionView | null = versions.find((v) => v.version === publishedVersion) ?? null;
  if (publishedVersion !== null && !published) {
    const [row] = await policyVersionsByNumber(shop, [publishedVersion]);
    published = row ? versionView(row) : null;
  }
  const publishedDocument: PolicyDocument | null =
    published && publication?.locale
      ? policyDocument(published.policy, { locale: publication.locale as ReturnLocale, currency: display.currency })
      : null;

  const copy = shopify.ok
    ? { body: shopify.copy?.body ?? null, updatedAt: shopify.copy?.updatedAt ?? null, readAt: now }
    : publication?.shopifyReadAt
      ? { body: publication.shopifyBody, updatedAt: publication.shopifyUpdatedAt, readAt: publication.shopifyReadAt }
      : null;

  // Shopify's return rules: as read now, else as last read; compared with the policy in force (the latest version).
  const rules = shopify.ok && shopify.returnRules !== null ? shopify.returnRules : storedReturnRules(publication?.shopifyReturnRules ?? null);
  const shopifyReturnRules = {
    profiles: rules,
    differences: rules && latest ? returnRuleDifferences(latest.policy, rules) : [],
  };

  return {
    ...display,
    shopifyReturnRules,
    policy: latest?.policy ?? null,
    latestVersion: latest?.version ?? null,
    versions,
    /** The version just before the oldest listed one (null when the list goes back to version 1): what it is compared with. */
    versionBeforeOldest: beforeOldest ? versionView(beforeOldest) : null,
    totalVersions: recent.total,
    publication: {
      version: publishedVersion,
      publishedAt: publication?.publishedAt?.toISOString() ?? null,
      locale: publication?.locale ?? null,
      summaries: readSummaries(publication?.summaries ?? null),
      document: publishedDocument,
      lastError: publication?.lastError ?? null,
      lastErrorAt: publication?.lastErrorAt?.toISOString() ?? null,
      shopify: {
        state: syncState(publication, copy),
        /** Read on this page load; otherwise `readAt` is the last successful read and `readError` says why not now. */
        fresh: shopify.ok,
        readError: shopify.ok ? null : shopify.reason,
        readAt: copy?.readAt.toISOString() ?? null,
        updatedAt: copy?.updatedAt?.toISOString() ?? null,
      },
    },
    figures,
  };
}
