import { beforeAll, describe, expect, it } from "vitest";
import { formFromPolicy, type PolicyForm } from "~/routes/app.returns/policy-form";
import { connectRaw, prisma } from "~/db.server";
import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from "~/domain/returns/policy";
import { policyDocument, policyHtml, policySummaries } from "~/domain/returns/policy-text";
import { readSurveyConfig } from "~/domain/survey/config";
import { DEFAULT_SURVEY_CONFIG, type SurveyConfig } from "~/domain/survey/questions";
import { returnsAction } from "~/routes/app.returns/action.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { returnsLoader } from "~/routes/app.returns/loader.server";
import { surveyAction } from "~/routes/app.survey/action.server";
import { loadReturnsPage, shopifyReturnRuleDifferences } from "~/services/return-policy.server";
import { surveyMetafieldKey } from "~/services/serialized.server";
import { REFUND_POLICY_UPDATE_MUTATION, SHOP_POLICIES_QUERY } from "~/shopify/refund-policy.server";
import { SHOP_ID_QUERY, SURVEY_PUBLISH_MUTATION } from "~/shopify/survey-metafield.server";
import { adminCalls, failAdminOperation, stubAdminOperation, type AdminCall } from "../support/admin-api";
import { databaseState } from "../support/db-state";
import { callHandler } from "../support/handlers";
import { restOrder, restRefund } from "../support/orders";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

// The Returns page through its real loader and action: session-token JWTs, real PostgreSQL, the Admin API stubbed and
// every document sent to it asserted.

const STORE_A = "returns-a";
const STORE_B = "returns-b";
const SHOP_A = `${STORE_A}.myshopify.com`;
const SHOP_B = `${STORE_B}.myshopify.com`;
const ENDPOINT = "https://afterglow.test/api/checkout/survey";
/** The `sub` of the session tokens the test helpers sign (@shopify/shopify-api test-helpers). */
const TOKEN_USER = "Staff user 12345";

const args = (request: Request) => ({ request, params: {}, context: {} });

type ActionBody = {
  ok: boolean;
  intent: string | null;
  errors?: Record<string, string>;
  version?: number;
  created?: boolean;
  publishedAt?: string | null;
};

async function post(store: string, body: unknown) {
  const request = await adminRequest(store, "/app/returns", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const result = await callHandler(returnsAction, request);
  return { status: result.status, body: result.value as ActionBody };
}

const save = (store: string, form: PolicyForm, intent: "save" | "publish" = "save") => post(store, { intent, form });

async function page(store: string, query = "") {
  return returnsLoader(args(await adminRequest(store, `/app/returns${query}`)));
}

const versions = (shop: string) => prisma.returnPolicyVersion.findMany({ where: { shop }, orderBy: { version: "asc" } });
const publication = (shop: string) => prisma.returnPolicyPublication.findUnique({ where: { shop } });

const FOURTEEN_DAYS: ReturnPolicy = {
  ...DEFAULT_RETURN_POLICY,
  windowDays: 14,
  shipping: { kind: "free" },
  storeCredit: { offered: true, bonusPercent: 10 },
  finalSaleTags: ["final-sale"],
  note: 'Gifts: <b>keep</b> the "receipt" & smile',
  publishLocale: "fr",
};

/** What the one publish call must carry, computed here from the policy with the domain's own text functions. */
const bodyOf = (policy: ReturnPolicy, currency = "USD") => policyHtml(policyDocument(policy, { locale: policy.publishLocale, currency }));

function stubShopify({ policyBody = null as string | null } = {}) {
  let shopifyBody = policyBody;
  stubAdminOperation("AfterglowRefundPolicyUpdate", (call) => {
    const input = call.variables?.shopPolicy as { body: string };
    shopifyBody = input.body;
    return { shopPolicyUpdate: { shopPolicy: { type: "REFUND_POLICY", body: input.body, updatedAt: "2026-11-29T12:00:00Z" }, userErrors: [] } };
  });
  stubAdminOperation("AfterglowShopPolicies", () => ({
    shop: { shopPolicies: shopifyBody === null ? [] : [{ type: "REFUND_POLICY", body: shopifyBody, updatedAt: "2026-11-29T12:00:00Z" }] },
  }));
  stubAdminOperation("AfterglowShopId", () => ({ shop: { id: "gid://shopify/Shop/77" } }));
  stubAdminOperation("AfterglowSurveyPublish", () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/5", updatedAt: "2026-11-29T12:00:00Z" }], userErrors: [] } }));
}

const metafieldValue = (call: AdminCall | undefined): SurveyConfig & { endpoint?: string } =>
  JSON.parse((call?.variables?.metafields as { value: string }[])[0]!.value) as SurveyConfig & { endpoint?: string };
const mutations = () => adminCalls.filter((c) => c.operation !== "AfterglowShopPolicies");

beforeAll(async () => {
  await installShop(SHOP_A);
  await installShop(SHOP_B);
});

describe("saving the return policy", () => {
  it("refuses invalid settings with 400 and one message per field, and stores nothing", async () => {
    const before = await databaseState(SHOP_A);
    const form = {
      ...formFromPolicy(DEFAULT_RETURN_POLICY, "USD"),
      windowDays: "400",
      shippingKind: "flat",
      shippingFee: "5.999",
      restockingFeePercent: "101",
      publishLocale: "it",
    };
    const result = await save(STORE_A, form);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      ok: false,
      intent: "save",
      errors: {
        windowDays: "Enter a whole number of days from 0 to 365, or choose unlimited",
        "shipping.feeMinor": "Use at most 2 decimals",
        restockingFeePercent: "Restocking fee must be a whole number between 0 and 100 %",
        publishLocale: "Choose the language of the published policy: en, fr, de, es or zh-CN",
      },
    });
    expect(await databaseState(SHOP_A)).toEqual(before);
    expect(adminCalls).toEqual([]);
  });

  it("refuses a body without the form's shape, or an unknown intent, with 400", async () => {
    const before = await databaseState(SHOP_A);
    expect((await post(STORE_A, { intent: "save", form: { windowDays: 30 } })).body.errors).toEqual({
      policy: "The form arrived incomplete; reload the page and try again.",
    });
    expect((await post(STORE_A, { intent: "delete" })).status).toBe(400);
    const garbled = await callHandler(returnsAction, await adminRequest(STORE_A, "/app/returns", { method: "POST", body: "not json" }));
    expect(garbled.status).toBe(400);
    expect(await databaseState(SHOP_A)).toEqual(before);
  });

  it("keeps each change as a new version saved by the staff member of the session token; an unchanged save adds none", async () => {
    // GIVEN the defaults saved
    const before = Date.now();
    const first = await save(STORE_A, formFromPolicy(DEFAULT_RETURN_POLICY, "USD"));
    expect(first).toEqual({ status: 200, body: { ok: true, intent: "save", version: 1, created: true, publishedAt: null } });
    // WHEN the same settings are saved again, spelled differently (spaces around the days)
    const again = await save(STORE_A, { ...formFromPolicy(DEFAULT_RETURN_POLICY, "USD"), windowDays: " 30 " });
    // THEN no version is added
    expect(again.body).toMatchObject({ ok: true, version: 1, created: false });
    // AND a change is version 2
    const second = await save(STORE_A, formFromPolicy(FOURTEEN_DAYS, "USD"));
    expect(second.body).toMatchObject({ ok: true, version: 2, created: true });

    const rows = await versions(SHOP_A);
    expect(rows.map((r) => [r.version, r.savedBy, JSON.parse(r.settings)])).toEqual([
      [1, TOKEN_USER, DEFAULT_RETURN_POLICY],
      [2, TOKEN_USER, FOURTEEN_DAYS],
    ]);
    expect(rows[0]!.savedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(rows[1]!.savedAt.getTime()).toBeGreaterThanOrEqual(rows[0]!.savedAt.getTime());
    expect(adminCalls).toEqual([]);

    // The page lists them newest first, with who and when, and edits the newest.
    stubShopify();
    const view = await page(STORE_A);
    expect(view.latestVersion).toBe(2);
    expect(view.policy).toEqual(FOURTEEN_DAYS);
    expect(view.versions.map((v) => [v.version, v.savedBy, v.savedAt, v.policy])).toEqual([
      [2, TOKEN_USER, rows[1]!.savedAt.toISOString(), FOURTEEN_DAYS],
      [1, TOKEN_USER, rows[0]!.savedAt.toISOString(), DEFAULT_RETURN_POLICY],
    ]);
    expect(view.totalVersions).toBe(2);
    // Every listed version's predecessor is listed too: nothing extra to compare the oldest with.
    expect(view.versionBeforeOldest).toBeNull();
    expect(view.publication).toMatchObject({ version: null, publishedAt: null, summaries: null, lastError: null, shopify: { state: "none", fresh: true } });
  });

  it("lists the latest 20 versions, with the one before the oldest listed to compare it with", async () => {
    const STORE_D = "returns-d";
    await installShop(`${STORE_D}.myshopify.com`);
    // GIVEN 22 versions (windows of 1 to 22 days)
    for (let days = 1; days <= 22; days += 1) {
      const saved = await save(STORE_D, formFromPolicy({ ...DEFAULT_RETURN_POLICY, windowDays: days }, "USD"));
      expect(saved.body).toMatchObject({ ok: true, version: days, created: true });
    }
    stubShopify();
    // WHEN the page loads
    const view = await page(STORE_D);
    // THEN versions 22 down to 3 are listed, and version 2 comes along for the comparison of version 3
    expect(view.versions.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => 22 - i));
    expect(view.totalVersions).toBe(22);
    expect(view.versionBeforeOldest).toMatchObject({ version: 2, savedBy: TOKEN_USER, policy: { ...DEFAULT_RETURN_POLICY, windowDays: 2 } });
  });
});

describe("saving the return policy at the same moment", () => {
  it("numbers every distinct save once, 1, 2, 3…, when staff save from several pages at once; equal settings add one version", async () => {
    const STORE_C = "returns-c";
    await installShop(`${STORE_C}.myshopify.com`);
    // GIVEN six saves of three different windows, sent together (two of each)
    const forms = [7, 14, 21, 7, 14, 21].map((windowDays) => formFromPolicy({ ...DEFAULT_RETURN_POLICY, windowDays }, "USD"));
    const results = await Promise.all(forms.map((form) => save(STORE_C, form)));
    // THEN every save answers 200, and each distinct version number was handed out once
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const rows = await versions(`${STORE_C}.myshopify.com`);
    expect(rows.map((r) => r.version)).toEqual(rows.map((_r, i) => i + 1));
    const created = results.filter((r) => r.body.created).map((r) => r.body.version);
    expect([...created].sort((a, b) => a! - b!)).toEqual(rows.map((r) => r.version));
    // AND a save right after an equal one adds nothing: consecutive versions always differ
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.settings).not.toBe(rows[i - 1]!.settings);
  });
});

describe("publishing the return policy", () => {
  it("sends exactly one shopPolicyUpdate with the full text, then the survey metafield with the summary in five languages", async () => {
    // GIVEN a stubbed Admin API and no survey published yet
    stubShopify();
    const before = Date.now();
    // WHEN the merchant publishes the 14-day policy (already saved as version 2)
    const result = await save(STORE_A, formFromPolicy(FOURTEEN_DAYS, "USD"), "publish");
    // THEN
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true, intent: "publish", version: 2, created: false });
    expect(adminCalls.map((c) => [c.shop, c.operation])).toEqual([
      [SHOP_A, "AfterglowRefundPolicyUpdate"],
      [SHOP_A, "AfterglowShopId"],
      [SHOP_A, "AfterglowSurveyPublish"],
    ]);
    const [update, shopId, metafield] = adminCalls;
    expect([update!.query, shopId!.query, metafield!.query]).toEqual([REFUND_POLICY_UPDATE_MUTATION, SHOP_ID_QUERY, SURVEY_PUBLISH_MUTATION]);
    expect(update!.query).toMatch(/mutation AfterglowRefundPolicyUpdate\(\$shopPolicy: ShopPolicyInput!\)\s*\{\s*shopPolicyUpdate\(shopPolicy: \$shopPolicy\)/);
    expect(update!.query).toMatch(/userErrors\s*\{\s*field message code\s*\}/);
    expect(update!.variables).toEqual({ shopPolicy: { type: "REFUND_POLICY", body: bodyOf(FOURTEEN_DAYS) } });
    // the text is French (publishLocale) and the merchant's note is escaped, not markup
    expect(bodyOf(FOURTEEN_DAYS)).toContain("14 jours");
    expect(bodyOf(FOURTEEN_DAYS)).toContain("Gifts: &lt;b&gt;keep&lt;/b&gt; the &quot;receipt&quot; &amp; smile");

    const summaries = policySummaries(FOURTEEN_DAYS, "USD");
    expect(Object.keys(summaries)).toEqual(["en", "fr", "de", "es", "zh-CN"]);
    expect(summaries.en).toBe("Free returns within 14 days of delivery");
    expect(metafield!.variables).toEqual({
      metafields: [
        {
          ownerId: "gid://shopify/Shop/77",
          namespace: "$app:afterglow",
          key: "survey_config",
          type: "json",
          value: JSON.stringify({ ...DEFAULT_SURVEY_CONFIG, extras: { ...DEFAULT_SURVEY_CONFIG.extras, returnPolicySummary: summaries }, endpoint: ENDPOINT }),
        },
      ],
    });
    // what the extension reads back: the summary per language
    expect(readSurveyConfig(metafieldValue(metafield)).extras.returnPolicySummary).toEqual(summaries);

    // AND the publication is stored
    const stored = await publication(SHOP_A);
    expect(stored).toMatchObject({ version: 2, body: bodyOf(FOURTEEN_DAYS), locale: "fr", lastError: null, shopifyBody: bodyOf(FOURTEEN_DAYS) });
    expect(JSON.parse(stored!.summaries!)).toEqual(summaries);
    expect(stored!.publishedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);

    // AND the page shows it, in sync with Shopify's copy
    const view = await page(STORE_A);
    expect(view.publication).toMatchObject({ version: 2, publishedAt: stored!.publishedAt!.toISOString(), locale: "fr", summaries, lastError: null });
    expect(view.publication.shopify).toMatchObject({ state: "in_sync", fresh: true, readError: null });
    const read = adminCalls.filter((c) => c.operation === "AfterglowShopPolicies");
    expect(read.map((c) => [c.shop, c.query, c.variables])).toEqual([[SHOP_A, SHOP_POLICIES_QUERY, undefined]]);
    expect(SHOP_POLICIES_QUERY).toMatch(/shop\s*\{\s*shopPolicies\s*\{\s*type body updatedAt\s*\}\s*\}/);
    expect(view.publication.document?.title).toBe("Politique de retour et de remboursement");
  });

  it("a new version published goes out on its own; the survey's published config is kept in the metafield", async () => {
    // GIVEN a published survey with its own wording
    stubShopify();
    const survey = { ...DEFAULT_SURVEY_CONFIG, questions: { ...DEFAULT_SURVEY_CONFIG.questions, nps: { enabled: true, text: { en: "Would you recommend us?" } } } };
    expect((await callHandler(surveyAction, await adminRequest(STORE_A, "/app/survey", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ intent: "publish", config: survey }) }))).status).toBe(200);
    adminCalls.length = 0;
    // AND a draft change of the survey that is not published
    await callHandler(surveyAction, await adminRequest(STORE_A, "/app/survey", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ intent: "save", config: { ...survey, questions: { ...survey.questions, ces: { enabled: true, text: {} } } } }) }));
    // WHEN a 30-day version is published
    const thirty = { ...FOURTEEN_DAYS, windowDays: 30, publishLocale: "en" as const };
    const result = await save(STORE_A, formFromPolicy(thirty, "USD"), "publish");
    // THEN version 3 is saved and published with exactly one shopPolicyUpdate
    expect(result.body).toMatchObject({ ok: true, version: 3, created: true });
    expect(adminCalls.filter((c) => c.operation === "AfterglowRefundPolicyUpdate")).toHaveLength(1);
    expect(adminCalls[0]!.variables).toEqual({ shopPolicy: { type: "REFUND_POLICY", body: bodyOf(thirty) } });
    // AND the metafield carries the published survey (not the draft), the new summary and the endpoint
    const value = metafieldValue(adminCalls.find((c) => c.operation === "AfterglowSurveyPublish"));
    expect(value).toEqual({ ...survey, extras: { ...survey.extras, returnPolicySummary: policySummaries(thirty, "USD") }, endpoint: ENDPOINT });
    expect(value.questions.ces.enabled).toBe(false);
    expect(value.extras.returnPolicySummary?.en).toBe("Free returns within 30 days of delivery");
  });

  it("publishing the survey keeps the published return summary in the metafield", async () => {
    stubShopify();
    const survey = { ...DEFAULT_SURVEY_CONFIG, questions: { ...DEFAULT_SURVEY_CONFIG.questions, ces: { enabled: true, text: {} } } };
    const result = await callHandler(
      surveyAction,
      await adminRequest(STORE_A, "/app/survey", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ intent: "publish", config: survey }) }),
    );
    expect(result.status).toBe(200);
    const published = await publication(SHOP_A);
    const value = metafieldValue(adminCalls.find((c) => c.operation === "AfterglowSurveyPublish"));
    expect(value.extras.returnPolicySummary).toEqual(JSON.parse(published!.summaries!));
    expect(value.extras.returnPolicySummary?.de).toBe("Kostenlose Rückgabe innerhalb von 30 Tagen nach Zustellung");
    expect(value).toEqual({ ...survey, extras: { ...survey.extras, returnPolicySummary: JSON.parse(published!.summaries!) }, endpoint: ENDPOINT });
    // The survey's own stored config stays the merchant's: the summary belongs to the return policy.
    const stored = await prisma.surveySettings.findUniqueOrThrow({ where: { shop: SHOP_A } });
    expect(JSON.parse(stored.published!).extras.returnPolicySummary).toBeNull();
  });

  it("a survey publish and a return-policy publish at the same moment leave Shopify with both halves", async () => {
    const store = "returns-race";
    await installShop(`${store}.myshopify.com`);
    stubShopify();
    // Shopify's copy of the metafield is whatever write it finished last; the first write is slow.
    let inShopify: ReturnType<typeof metafieldValue> | null = null;
    let writes = 0;
    stubAdminOperation("AfterglowSurveyPublish", async (call) => {
      if (writes++ === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      inShopify = metafieldValue(call);
      return { metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/9", updatedAt: "2026-11-29T12:00:00Z" }], userErrors: [] } };
    });
    expect((await save(store, formFromPolicy(FOURTEEN_DAYS, "USD"))).body).toMatchObject({ ok: true });
    const survey = { ...DEFAULT_SURVEY_CONFIG, questions: { ...DEFAULT_SURVEY_CONFIG.questions, nps: { enabled: true, text: { en: "Tell a friend?" } } } };

    const [surveyResult, policyResult] = await Promise.all([
      callHandler(surveyAction, await adminRequest(store, "/app/survey", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ intent: "publish", config: survey }) })),
      save(store, formFromPolicy(FOURTEEN_DAYS, "USD"), "publish"),
    ]);

    expect(surveyResult.status).toBe(200);
    expect(policyResult.body).toMatchObject({ ok: true, version: 1 });
    expect(writes).toBe(2);
    // The write that landed last carries the new survey wording and the new return summary.
    expect(inShopify).toEqual({ ...survey, extras: { ...survey.extras, returnPolicySummary: policySummaries(FOURTEEN_DAYS, "USD") }, endpoint: ENDPOINT });
  });

  it("another app instance composing the metafield holds its lock in the database: a publish here waits for it", async () => {
    const store = "returns-instances";
    const shop = `${store}.myshopify.com`;
    await installShop(shop);
    stubShopify();
    // GIVEN another instance (its own database session) is composing this shop's survey metafield
    const other = await connectRaw();
    try {
      await other.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [`serialized ${surveyMetafieldKey(shop)}`]);
      // WHEN staff publish the return policy here: nothing is written to the metafield while the other holds it
      const publishing = save(store, formFromPolicy(FOURTEEN_DAYS, "USD"), "publish");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(adminCalls.filter((c) => c.operation === "AfterglowSurveyPublish")).toEqual([]);
      // THEN once the other instance is done, the publish goes through
      await other.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [`serialized ${surveyMetafieldKey(shop)}`]);
      expect((await publishing).body).toMatchObject({ ok: true, version: 1 });
      expect(adminCalls.filter((c) => c.operation === "AfterglowSurveyPublish")).toHaveLength(1);
    } finally {
      other.release();
    }
  });

  it("Shopify's refusal (userErrors): 502 with Shopify's reason, no metafield call, nothing marked published", async () => {
    stubShopify();
    const before = await publication(SHOP_A);
    stubAdminOperation("AfterglowRefundPolicyUpdate", () => ({
      shopPolicyUpdate: { shopPolicy: null, userErrors: [{ field: ["shopPolicy", "body"], message: "Body is too long", code: "TOO_BIG" }] },
    }));
    const sixty = { ...FOURTEEN_DAYS, windowDays: 60 };
    const result = await save(STORE_A, formFromPolicy(sixty, "USD"), "publish");
    expect(result.status).toBe(502);
    expect(result.body).toMatchObject({ ok: false, intent: "publish", version: 4, created: true });
    expect(result.body.errors).toEqual({ publish: "Shopify refused the refund policy: TOO_BIG shopPolicy.body Body is too long" });
    expect(mutations().map((c) => c.operation)).toEqual(["AfterglowRefundPolicyUpdate"]);
    const after = await publication(SHOP_A);
    expect(after).toMatchObject({ version: before!.version, body: before!.body, summaries: before!.summaries, publishedAt: before!.publishedAt });
    expect(after!.lastError).toBe("Shopify refused the refund policy: TOO_BIG shopPolicy.body Body is too long");
    // The version itself is saved; the page says the latest is not published, and why the last publish failed.
    const view = await page(STORE_A);
    expect(view).toMatchObject({ latestVersion: 4, publication: { version: 3, lastError: after!.lastError } });
  });

  it("an outage: 502 'could not be reached', nothing marked published; a later success clears the error", async () => {
    stubShopify();
    failAdminOperation("AfterglowRefundPolicyUpdate", { status: 503 });
    const before = await publication(SHOP_A);
    const failed = await post(STORE_A, { intent: "publish", form: formFromPolicy({ ...FOURTEEN_DAYS, windowDays: 60 }, "USD") });
    expect(failed.status).toBe(502);
    expect(failed.body.errors?.publish).toBe("Shopify could not be reached, so the refund policy was not published. Try again in a moment.");
    expect(mutations().map((c) => c.operation)).toEqual(["AfterglowRefundPolicyUpdate"]);
    expect(await publication(SHOP_A)).toMatchObject({ version: before!.version, publishedAt: before!.publishedAt });

    adminCalls.length = 0;
    const retried = await post(STORE_A, { intent: "publish", form: formFromPolicy({ ...FOURTEEN_DAYS, windowDays: 60 }, "USD") });
    expect(retried.body).toMatchObject({ ok: true, version: 4, created: false });
    expect(mutations().filter((c) => c.operation === "AfterglowRefundPolicyUpdate")).toHaveLength(1);
    expect(await publication(SHOP_A)).toMatchObject({ version: 4, lastError: null, lastErrorAt: null });
  });

  it("the summary fails after the policy went out: 502 saying so, nothing marked published, and the page sees Shopify's copy differ", async () => {
    stubShopify({ policyBody: (await publication(SHOP_A))!.body });
    stubAdminOperation("AfterglowSurveyPublish", () => ({ metafieldsSet: { metafields: [], userErrors: [{ field: ["metafields", "0", "value"], message: "Value is too large", code: "INVALID_VALUE" }] } }));
    const before = await publication(SHOP_A);
    const ninety = { ...FOURTEEN_DAYS, windowDays: 90 };
    const result = await save(STORE_A, formFromPolicy(ninety, "USD"), "publish");
    expect(result.status).toBe(502);
    expect(result.body.errors?.publish).toBe(
      "The refund policy was updated in Shopify, but the one-line summary shoppers see after checkout was not (Shopify refused it: INVALID_VALUE metafields.0.value Value is too large). Publish again to finish.",
    );
    expect(mutations().map((c) => c.operation)).toEqual(["AfterglowRefundPolicyUpdate", "AfterglowShopId", "AfterglowSurveyPublish"]);
    expect(await publication(SHOP_A)).toMatchObject({ version: before!.version, body: before!.body, summaries: before!.summaries });
    const view = await page(STORE_A);
    expect(view.publication).toMatchObject({ version: 4, lastError: result.body.errors?.publish, shopify: { state: "differs", fresh: true } });
  });

  it("before any version is saved, publishing an invalid form is refused with 400 and nothing is sent", async () => {
    stubShopify();
    const result = await save(STORE_B, { ...formFromPolicy(DEFAULT_RETURN_POLICY, "USD"), restockingFeePercent: "-1" }, "publish");
    expect(result.status).toBe(400);
    expect(mutations()).toEqual([]);
    expect(await versions(SHOP_B)).toEqual([]);
  });
});

describe("Shopify's copy on the page", () => {
  it("is read on load; edited in Shopify it differs, and when Shopify is down the page still loads and says so", async () => {
    // GIVEN Shopify's copy was edited in the Shopify admin
    stubShopify({ policyBody: "<p>Returns within 90 days. Edited by hand.</p>" });
    const edited = await page(STORE_A);
    expect(edited.publication.shopify).toMatchObject({ state: "differs", fresh: true, readError: null });
    const readAt = edited.publication.shopify.readAt;
    // AND once Shopify's copy is ours again (re-serialised), it is in sync
    const ours = (await publication(SHOP_A))!.body!;
    stubShopify({ policyBody: ours.replace(/<br>/g, "<br/>").replace(/\n/g, "") });
    expect((await page(STORE_A)).publication.shopify.state).toBe("in_sync");

    // WHEN Shopify cannot be reached
    failAdminOperation("AfterglowShopPolicies", { status: 503 });
    const down = await page(STORE_A);
    // THEN the page loads with everything else, says why, and compares with the copy last read
    expect(down.publication.shopify).toMatchObject({ fresh: false, readError: "Shopify could not be reached", state: "in_sync" });
    expect(down.publication.shopify.readAt).not.toBeNull();
    expect(down.latestVersion).toBe(5);
    expect(readAt).not.toBeNull();
  });

  it("gives up after the timeout and shows the rest of the page", async () => {
    // GIVEN Shopify answers only when the test lets it: never, while the page loads
    stubShopify();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let answered = false;
    stubAdminOperation("AfterglowShopPolicies", async () => {
      await released;
      answered = true;
      return { shop: { shopPolicies: [] } };
    });
    const { session, admin } = await import("~/shopify.server").then(async ({ unauthenticated }) => unauthenticated.admin(SHOP_A));
    // WHEN the page loads with a 50 ms limit for Shopify's answer
    const view = await loadReturnsPage(session.shop, admin.graphql, new URLSearchParams(), { shopifyTimeoutMs: 50 });
    // THEN it did not wait for the answer (without the limit it would wait for ever, and this test time out)
    expect(answered).toBe(false);
    expect(view.publication.shopify).toMatchObject({ fresh: false, readError: "Shopify took too long to answer" });
    expect(view.latestVersion).toBe(5);
    release();
    await released;
  });

  it("a shop that never published: Shopify's own policy shows as 'other', none as 'none', unread as 'unknown'", async () => {
    stubShopify({ policyBody: "<p>Our old policy</p>" });
    expect((await page(STORE_B)).publication.shopify.state).toBe("other");
    stubShopify();
    expect((await page(STORE_B)).publication.shopify.state).toBe("none");
    await prisma.returnPolicyPublication.deleteMany({ where: { shop: SHOP_B } });
    failAdminOperation("AfterglowShopPolicies", { network: true });
    expect((await page(STORE_B)).publication.shopify).toMatchObject({ state: "unknown", fresh: false, readAt: null });
  });
});

describe("tenant isolation", () => {
  it("shop B sees none of shop A's versions or publication, and its own save and publish touch only B", async () => {
    stubShopify();
    const aBefore = await databaseState(SHOP_A);
    const viewB = await page(STORE_B);
    expect(viewB).toMatchObject({ latestVersion: null, policy: null, versions: [], totalVersions: 0, publication: { version: null, summaries: null } });

    const result = await save(STORE_B, formFromPolicy({ ...DEFAULT_RETURN_POLICY, windowDays: 7 }, "USD"), "publish");
    expect(result.body).toMatchObject({ ok: true, version: 1, created: true });
    expect(new Set(adminCalls.map((c) => c.shop))).toEqual(new Set([SHOP_B]));
    expect(await databaseState(SHOP_A)).toEqual(aBefore);
    expect((await versions(SHOP_B)).map((v) => v.version)).toEqual([1]);
    expect((await page(STORE_A)).latestVersion).toBe(5);
  });
});

describe("returns in the numbers on the page", () => {
  // Orders of shop A from July to October 2026, one every 4.5 days, each of one or two of four products; every third
  // refunded (one unit of its first line) 3 to 12 days later; one test order, one cancelled (refunded in full). Shop B
  // gets the same history, which must never count for A.
  const DAY = 86_400_000;
  const PRODUCTS = [
    { id: 801, title: "Linen Shirt", cents: 6800 },
    { id: 802, title: "Wool Socks", cents: 1800 },
    { id: 803, title: "Rain Jacket", cents: 13200 },
    { id: 804, title: "Canvas Tote", cents: 2400 },
  ];
  interface Sent {
    id: number;
    placedAt: number;
    cents: number;
    live: boolean;
    lines: { id: number; product: (typeof PRODUCTS)[number]; quantity: number }[];
    refund: { at: number; cents: number; line: { id: number; product: (typeof PRODUCTS)[number] } } | null;
  }
  const sent: Sent[] = [];
  const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

  beforeAll(async () => {
    const start = Date.parse("2026-07-01T09:00:00Z");
    for (let i = 0; i < 27; i++) {
      const id = 70_000 + i;
      const placedAt = start + Math.floor(i * 4.5 * DAY);
      const first = PRODUCTS[i % 4]!;
      const lines = [{ id: id * 10 + 1, product: first, quantity: 1 + (i % 2) }];
      if (i % 5 === 0) lines.push({ id: id * 10 + 2, product: PRODUCTS[(i + 1) % 4]!, quantity: 1 });
      const cents = lines.reduce((sum, l) => sum + l.product.cents * l.quantity, 0);
      const test = i === 4;
      const cancelled = i === 9;
      const refunded = cancelled || i % 3 === 0;
      const refund = refunded ? { at: placedAt + (3 + (i % 10)) * DAY, cents: cancelled ? cents : first.cents, line: { id: lines[0]!.id, product: first } } : null;
      sent.push({ id, placedAt, cents, live: !test && !cancelled, lines, refund });
      for (const shop of [SHOP_A, SHOP_B]) {
        const order = restOrder({
          id,
          created_at: new Date(placedAt).toISOString(),
          processed_at: new Date(placedAt).toISOString(),
          updated_at: new Date(placedAt).toISOString(),
          total_price: money(cents),
          test,
          cancelled_at: cancelled ? new Date(placedAt + DAY).toISOString() : null,
          line_items: lines.map((l) => ({ id: l.id, product_id: l.product.id, title: l.product.title, quantity: l.quantity, price: money(l.product.cents) })),
        });
        expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body: order }))).status).toBe(200);
        if (refund) {
          const body = restRefund({
            id: id + 500_000,
            order_id: id,
            created_at: new Date(refund.at).toISOString(),
            transactions: [{ id: id * 7, kind: "refund", status: "success", amount: money(refund.cents), currency: "USD" }],
            refund_line_items: [{ line_item_id: refund.line.id, quantity: 1, subtotal: money(refund.line.product.cents), line_item: { product_id: refund.line.product.id, title: refund.line.product.title } }],
          });
          expect((await callAction(refundsCreate, signedWebhook({ topic: "refunds/create", shop, body }))).status).toBe(200);
        }
      }
    }
  });

  function expected(from: number, to: number) {
    const placed = sent.filter((o) => o.live && o.placedAt >= from && o.placedAt < to);
    const refunds = sent.filter((o) => o.live && o.refund && o.refund.at >= from && o.refund.at < to);
    return {
      orders: placed.length,
      refundedOrders: placed.filter((o) => o.refund).length,
      grossMinor: placed.reduce((sum, o) => sum + o.cents, 0),
      refundedMinor: refunds.reduce((sum, o) => sum + o.refund!.cents, 0),
    };
  }

  it("per week, in total, against the previous period, and the items most refunded, as computed here from what was sent", async () => {
    stubShopify();
    // WHEN the page loads for September and October (61 days: weekly buckets from 1 September)
    const view = await page(STORE_A, "?from=2026-09-01&to=2026-10-31");
    const from = Date.parse("2026-09-01T00:00:00Z");
    const to = Date.parse("2026-11-01T00:00:00Z");
    const length = to - from;
    // THEN
    expect(view.figures.range).toMatchObject({ preset: "custom", from: "2026-09-01", to: "2026-10-31", previousFrom: "2026-07-02", previousTo: "2026-08-31", error: null });
    expect(view.figures.granularity).toBe("week");
    expect(view.figures.totals).toEqual(expected(from, to));
    expect(view.figures.previous).toEqual(expected(from - length, from));
    const weeks = Array.from({ length: 9 }, (_, i) => [from + i * 7 * DAY, Math.min(from + (i + 1) * 7 * DAY, to)] as const);
    expect(view.figures.buckets).toEqual(
      weeks.map(([start, end]) => ({
        label: new Date(start).toISOString().slice(0, 10),
        start: new Date(start).toISOString(),
        // The last week (27 October to 2 November) is cut by the range's end (31 October): the chart draws it as partial.
        period: start + 7 * DAY > Date.now() ? "in-progress" : start + 7 * DAY > to ? "cut" : "complete",
        ...expected(start, end),
      })),
    );
    expect(view.figures.buckets.map((b) => b.period).filter((p) => p !== "complete")).toEqual(["cut"]);
    const items = new Map<number, { productId: string; title: string; quantity: number; refundedMinor: number; orders: number }>();
    for (const o of sent.filter((s) => s.live && s.refund && s.refund.at >= from && s.refund.at < to)) {
      const { product } = o.refund!.line;
      const item = items.get(product.id) ?? { productId: String(product.id), title: product.title, quantity: 0, refundedMinor: 0, orders: 0 };
      items.set(product.id, { ...item, quantity: item.quantity + 1, refundedMinor: item.refundedMinor + product.cents, orders: item.orders + 1 });
    }
    expect(view.figures.topItems).toEqual([...items.values()].sort((a, b) => b.quantity - a.quantity || b.refundedMinor - a.refundedMinor || a.title.localeCompare(b.title)));
    // The comparison is not vacuous.
    expect(view.figures.totals.orders).toBeGreaterThan(8);
    expect(view.figures.totals.refundedOrders).toBeGreaterThan(2);
    expect(view.figures.topItems.length).toBeGreaterThan(1);
  });

  it("a bad range falls back to the last 30 days and says why", async () => {
    stubShopify();
    const view = await page(STORE_A, "?from=2026-10-31&to=2026-09-01");
    expect(view.figures.range).toMatchObject({ preset: "30d", error: "The end date is before the start date" });
  });
});

describe("Shopify's own return rules beside the policy (decision 046)", () => {
  const STORE = "returns-rules";
  const SHOP = `${STORE}.myshopify.com`;
  const profiles = [
    { name: null, default: true, returnRules: { canAcceptReturns: true, returnWindowDays: 30, returnWindowStartingFrom: "LAST_ITEM_DELIVERY_DATE" } },
    { name: "Europe", default: false, returnRules: { canAcceptReturns: true, returnWindowDays: 14, returnWindowStartingFrom: "ITEM_DELIVERY_DATE" } },
    { name: "Outlet", default: false, returnRules: { canAcceptReturns: false, returnWindowDays: null, returnWindowStartingFrom: null } },
  ];
  const stubRules = (nodes: unknown[]) =>
    stubAdminOperation("AfterglowShopPolicies", () => ({ shop: { shopPolicies: [] }, returnPolicyProfiles: { nodes } }));

  it("are read with the refund policy in one query, compared with the policy in force, kept for when Shopify is down, and for the Loyalty page", async () => {
    // GIVEN a shop whose policy is 30 days from delivery
    await installShop(SHOP);
    stubShopify();
    expect((await save(STORE, formFromPolicy({ ...DEFAULT_RETURN_POLICY, windowDays: 30, windowStart: "delivery" }, "USD"))).status).toBe(200);
    // AND Shopify's rules: the default agrees, Europe gives 14 days from each item's delivery, Outlet takes none
    stubRules(profiles);

    // WHEN the page loads
    const view = await page(STORE);

    // THEN one query read both, and the page lists the two profiles that differ, in words
    const reads = adminCalls.filter((c) => c.shop === SHOP && c.operation === "AfterglowShopPolicies");
    expect(reads).toHaveLength(1);
    expect(reads[0]!.query).toMatch(/returnPolicyProfiles\(first: 25\)\s*\{\s*nodes\s*\{\s*name\s+default\s+returnRules\s*\{\s*canAcceptReturns returnWindowDays returnWindowStartingFrom\s*\}/);
    const expected = [
      { profile: "Europe", shopify: "14 days from each item's delivery", afterglow: "30 days from delivery" },
      { profile: "Outlet", shopify: "No returns", afterglow: "30 days from delivery" },
    ];
    expect(view.shopifyReturnRules.differences).toEqual(expected);
    expect(view.shopifyReturnRules.profiles).toHaveLength(3);
    // AND they are stored with the copy, so the Loyalty page can warn without asking Shopify
    expect(JSON.parse((await publication(SHOP))!.shopifyReturnRules!)).toEqual(view.shopifyReturnRules.profiles);
    expect(await shopifyReturnRuleDifferences(SHOP)).toEqual(expected);
    expect(await shopifyReturnRuleDifferences(SHOP_B)).toEqual([]);

    // WHEN the policy changes to 14 days from delivery, THEN only the default and Outlet differ
    expect((await save(STORE, formFromPolicy({ ...DEFAULT_RETURN_POLICY, windowDays: 14, windowStart: "delivery" }, "USD"))).status).toBe(200);
    stubRules(profiles);
    expect((await page(STORE)).shopifyReturnRules.differences.map((d) => d.profile)).toEqual(["Default", "Outlet"]);

    // WHEN Shopify cannot be reached, THEN the rules last read still speak
    failAdminOperation("AfterglowShopPolicies", { status: 503 });
    const down = await page(STORE);
    expect(down.publication.shopify.fresh).toBe(false);
    expect(down.shopifyReturnRules.differences.map((d) => d.profile)).toEqual(["Default", "Outlet"]);

    // WHEN Shopify answers without the field (an older API, or no access), THEN the stored rules stay
    stubShopify();
    expect((await page(STORE)).shopifyReturnRules.differences.map((d) => d.profile)).toEqual(["Default", "Outlet"]);
    expect(JSON.parse((await publication(SHOP))!.shopifyReturnRules!)).toHaveLength(3);

    // WHEN the rules are brought in line (every profile 14 days from delivery), THEN nothing is shown
    stubRules([{ name: null, default: true, returnRules: { canAcceptReturns: true, returnWindowDays: 14, returnWindowStartingFrom: "LAST_ITEM_DELIVERY_DATE" } }]);
    expect((await page(STORE)).shopifyReturnRules.differences).toEqual([]);
    expect(await shopifyReturnRuleDifferences(SHOP)).toEqual([]);
  });
});
