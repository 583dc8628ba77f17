import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { readSurveyConfig, validateSurveyConfig } from "~/domain/survey/config";
import { DEFAULT_SURVEY_CONFIG, enabledQuestions, type SurveyConfig } from "~/domain/survey/questions";
import { surveyAction } from "~/routes/app.survey/action.server";
import { surveyLoader } from "~/routes/app.survey/loader.server";
import { adminCalls, failAdminOperation, stubAdminOperation } from "../support/admin-api";
import { adminRequest, installShop } from "../support/sessions";

const STORE_A = "survey-a";
const STORE_B = "survey-b";
const SHOP_A = `${STORE_A}.myshopify.com`;
const SHOP_B = `${STORE_B}.myshopify.com`;
const args = (request: Request) => ({ request, params: {}, context: {} });

/** What `data(body, { status })` returns from an action under single fetch. */
interface DataWithInit<T> {
  data: T;
  init: { status?: number } | null;
}
type ActionBody = { ok: boolean; intent: string | null; errors?: Record<string, string>; publishedAt?: string | null };

async function post(store: string, body: unknown) {
  const request = await adminRequest(store, "/app/survey", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const result = (await surveyAction(args(request))) as ActionBody | DataWithInit<ActionBody>;
  return "init" in result ? { status: result.init?.status ?? 200, body: result.data } : { status: 200, body: result };
}

const row = (shop: string) => prisma.surveySettings.findUnique({ where: { shop } });

const withNpsText = (text: string): SurveyConfig => ({
  ...DEFAULT_SURVEY_CONFIG,
  questions: { ...DEFAULT_SURVEY_CONFIG.questions, nps: { enabled: true, text: { en: text, fr: "Nous recommanderiez-vous ?" } } },
});

function stubShopify(shopGid = "gid://shopify/Shop/4242") {
  stubAdminOperation("AfterglowShopId", () => ({ shop: { id: shopGid } }));
  stubAdminOperation("AfterglowSurveyPublish", () => ({
    metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/9", updatedAt: "2026-11-22T10:00:00Z" }], userErrors: [] },
  }));
}

beforeAll(async () => {
  await installShop(SHOP_A);
  await installShop(SHOP_B);
});

describe("survey settings: save draft", () => {
  it("rejects an invalid config with 400 and field errors, and stores nothing", async () => {
    // GIVEN every question switched off and two options with the same id, one without an English label
    const invalid = {
      ...DEFAULT_SURVEY_CONFIG,
      questions: {
        nps: { enabled: false, text: {} },
        csat: { enabled: false, text: {} },
        ces: { enabled: false, text: { en: "x".repeat(301) } },
        comment: { enabled: false, text: {} },
        attribution: { enabled: false, text: {}, allowOther: true, options: [{ id: "tv", label: { en: "TV" } }, { id: "tv", label: { fr: "Télé" } }] },
      },
    };
    // WHEN it is saved
    const result = await post(STORE_A, { intent: "save", config: invalid });
    // THEN 400, errors keyed by field, no row
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual({
      questions: "Switch on at least one question",
      "questions.ces.text.en": "At most 300 characters",
      "questions.attribution.options.1.id": "Option ids must be unique",
      "questions.attribution.options.1.label": "A label in en is required",
    });
    expect(await row(SHOP_A)).toBeNull();
    expect(adminCalls).toEqual([]);
  });

  it("stores a valid draft without calling Shopify, and the page reads it back as differing from published", async () => {
    const result = await post(STORE_A, { intent: "save", config: withNpsText("Would you recommend Afterglow?") });
    expect(result).toEqual({ status: 200, body: { ok: true, intent: "save", publishedAt: null } });
    const stored = await row(SHOP_A);
    expect(JSON.parse(stored!.draft)).toEqual(withNpsText("Would you recommend Afterglow?"));
    expect(stored).toMatchObject({ published: null, publishedAt: null, lastPublishError: null });
    expect(adminCalls).toEqual([]);

    const page = await surveyLoader(args(await adminRequest(STORE_A, "/app/survey")));
    expect(page.settings.draft.questions.nps.text).toEqual({ en: "Would you recommend Afterglow?", fr: "Nous recommanderiez-vous ?" });
    expect(page.settings).toMatchObject({ published: null, publishedAt: null, draftDiffers: true, isDefault: false });
  });

  it("refuses an unknown intent", async () => {
    const result = await post(STORE_A, { intent: "delete" });
    expect(result.status).toBe(400);
  });
});

describe("survey settings: publish", () => {
  it("publishes who each question is asked of, as the extension reads it (targeting, decision 045)", async () => {
    stubShopify();
    const base = withNpsText("How likely are you to recommend us?");
    // Built by spreading: the fixture shares DEFAULT_SURVEY_CONFIG's question objects, which must stay untouched.
    const config: SurveyConfig = {
      ...base,
      questions: {
        ...base.questions,
        attribution: { ...base.questions.attribution, audience: { customer: "first" } },
        nps: { ...base.questions.nps, audience: { orderValue: { currency: "EUR", minMinor: 0, maxMinor: 999_999 }, locales: ["fr", "zh-CN"] } },
      },
    };
    const result = await post(STORE_A, { intent: "publish", config });
    expect(result.status).toBe(200);
    const value = (adminCalls.at(-1)?.variables?.metafields as { value: string }[])[0]!.value;
    const sent = JSON.parse(value) as typeof config;
    expect(sent.questions.attribution.audience).toEqual({ customer: "first" });
    expect(sent.questions.nps.audience).toEqual({ orderValue: { currency: "EUR", minMinor: 0, maxMinor: 999_999 }, locales: ["fr", "zh-CN"] });
    expect(readSurveyConfig(value)).toEqual({ ...config, endpoint: "https://afterglow.test/api/checkout/survey" });
  });

  it("publishes attribution after the scores when the merchant turns 'ask first' off, and first by default (decision 051)", async () => {
    stubShopify();
    const later: SurveyConfig = { ...DEFAULT_SURVEY_CONFIG, questions: { ...DEFAULT_SURVEY_CONFIG.questions, attribution: { ...DEFAULT_SURVEY_CONFIG.questions.attribution, askFirst: false } } };
    for (const [config, askFirst, order] of [
      [later, false, ["nps", "csat", "attribution", "comment"]],
      [DEFAULT_SURVEY_CONFIG, true, ["attribution", "nps", "csat", "comment"]],
    ] as const) {
      const result = await post(STORE_A, { intent: "publish", config });
      expect(result.status).toBe(200);
      const value = (adminCalls.at(-1)?.variables?.metafields as { value: string }[])[0]!.value;
      expect((JSON.parse(value) as SurveyConfig).questions.attribution.askFirst).toBe(askFirst);
      expect(enabledQuestions(readSurveyConfig(value))).toEqual(order);
    }
  });

  it("sends one shop-id query and one metafieldsSet with the exact variables, then stores published + publishedAt", async () => {
    // GIVEN a stubbed Admin API
    stubShopify();
    const config = withNpsText("How likely are you to recommend us?");
    const validated = validateSurveyConfig(config);
    if (!validated.ok) throw new Error("fixture should be valid");
    // WHEN the merchant publishes
    const before = Date.now();
    const result = await post(STORE_A, { intent: "publish", config });
    // THEN exactly two documents went to this shop's Admin API
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true, intent: "publish" });
    expect(adminCalls.map((c) => [c.shop, c.operation])).toEqual([
      [SHOP_A, "AfterglowShopId"],
      [SHOP_A, "AfterglowSurveyPublish"],
    ]);
    expect(adminCalls[0]?.query).toMatch(/query AfterglowShopId\s*\{\s*shop\s*\{\s*id\s*\}\s*\}/);
    expect(adminCalls[1]?.query).toContain("metafieldsSet(metafields: $metafields)");
    expect(adminCalls[1]?.variables).toEqual({
      metafields: [
        {
          ownerId: "gid://shopify/Shop/4242",
          namespace: "$app:afterglow",
          key: "survey_config",
          type: "json",
          value: JSON.stringify({ ...validated.config, endpoint: "https://afterglow.test/api/checkout/survey" }),
        },
      ],
    });
    // the extension reads back the merchant's config, and posts answers to this app's endpoint
    const published = readSurveyConfig((adminCalls[1]?.variables?.metafields as { value: string }[])[0]?.value);
    expect(published).toEqual({ ...config, endpoint: "https://afterglow.test/api/checkout/survey" });
    // AND the row holds the published config and when
    const stored = await row(SHOP_A);
    expect(JSON.parse(stored!.published!)).toEqual(config);
    expect(stored!.draft).toBe(stored!.published);
    expect(stored!.publishedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(stored!.lastPublishError).toBeNull();
    const page = await surveyLoader(args(await adminRequest(STORE_A, "/app/survey")));
    expect(page.settings.draftDiffers).toBe(false);
    expect(page.settings.publishedAt).toBe(stored!.publishedAt!.toISOString());
  });

  it("an invalid config is not published: 400, no Admin API call", async () => {
    stubShopify();
    const off = { ...DEFAULT_SURVEY_CONFIG, questions: { ...DEFAULT_SURVEY_CONFIG.questions, attribution: { ...DEFAULT_SURVEY_CONFIG.questions.attribution, options: [] } } };
    const result = await post(STORE_A, { intent: "publish", config: off });
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual({ "questions.attribution.options": "Add at least one option" });
    expect(adminCalls).toEqual([]);
  });

  it("userErrors: lastPublishError is stored, the failure reported, and what was published stays", async () => {
    // GIVEN a published survey
    stubShopify();
    await post(STORE_A, { intent: "publish", config: withNpsText("Published wording") });
    const published = await row(SHOP_A);
    adminCalls.length = 0;
    // WHEN Shopify refuses the next metafieldsSet
    stubAdminOperation("AfterglowSurveyPublish", () => ({
      metafieldsSet: { metafields: [], userErrors: [{ field: ["metafields", "0", "value"], message: "Value is too large", code: "INVALID_VALUE" }] },
    }));
    const result = await post(STORE_A, { intent: "publish", config: withNpsText("New wording") });
    // THEN the failure is reported with Shopify's message, and stored
    expect(result.status).toBe(502);
    expect(result.body.ok).toBe(false);
    expect(result.body.errors?.publish).toContain("Value is too large");
    expect(adminCalls.map((c) => c.operation)).toEqual(["AfterglowShopId", "AfterglowSurveyPublish"]);
    const stored = await row(SHOP_A);
    expect(stored!.lastPublishError).toContain("INVALID_VALUE metafields.0.value Value is too large");
    // AND published is unchanged; the new wording is kept as the draft
    expect(stored!.published).toBe(published!.published);
    expect(stored!.publishedAt).toEqual(published!.publishedAt);
    expect(JSON.parse(stored!.draft).questions.nps.text.en).toBe("New wording");
    const page = await surveyLoader(args(await adminRequest(STORE_A, "/app/survey")));
    expect(page.settings).toMatchObject({ draftDiffers: true, lastPublishError: stored!.lastPublishError });
  });

  it("a transport error is stored as lastPublishError too, and a later success clears it", async () => {
    stubShopify();
    failAdminOperation("AfterglowSurveyPublish", { status: 503 });
    const failed = await post(STORE_A, { intent: "publish", config: withNpsText("Try again") });
    expect(failed.status).toBe(502);
    expect((await row(SHOP_A))!.lastPublishError).toBe("Shopify could not be reached. Try again in a moment.");

    const retried = await post(STORE_A, { intent: "publish", config: withNpsText("Try again") });
    expect(retried.status).toBe(200);
    const stored = await row(SHOP_A);
    expect(stored!.lastPublishError).toBeNull();
    expect(JSON.parse(stored!.published!).questions.nps.text.en).toBe("Try again");
  });

  it("is scoped to the shop: publishing for A leaves B's settings untouched", async () => {
    // GIVEN shop B with its own draft
    const bConfig = withNpsText("Shop B wording");
    expect((await post(STORE_B, { intent: "save", config: bConfig })).status).toBe(200);
    const bBefore = await row(SHOP_B);
    // WHEN shop A saves and publishes
    stubShopify();
    await post(STORE_A, { intent: "save", config: withNpsText("Shop A draft") });
    await post(STORE_A, { intent: "publish", config: withNpsText("Shop A published") });
    // THEN every Admin API call went to shop A, and B's row is as it was
    expect(new Set(adminCalls.map((c) => c.shop))).toEqual(new Set([SHOP_A]));
    expect(await row(SHOP_B)).toEqual(bBefore);
    const pageB = await surveyLoader(args(await adminRequest(STORE_B, "/app/survey")));
    expect(pageB.settings.draft.questions.nps.text.en).toBe("Shop B wording");
    expect(pageB.settings.published).toBeNull();
  });
});

describe("survey answers list", () => {
  beforeAll(async () => {
    const base = { locale: "en", surface: "thank-you", updatedAt: new Date() };
    await prisma.surveyResponse.createMany({
      data: [
        { ...base, shop: SHOP_A, orderId: "9001", nps: 3, comment: "<b>late</b>", createdAt: new Date("2026-10-01T10:00:00Z") },
        { ...base, shop: SHOP_A, orderId: "9002", nps: 10, csat: 5, createdAt: new Date("2026-10-05T10:00:00Z") },
        { ...base, shop: SHOP_A, orderId: "9003", csat: 1, attributionOption: "search", createdAt: new Date("2026-10-09T10:00:00Z") },
        { ...base, shop: SHOP_B, orderId: "9004", nps: 2, createdAt: new Date("2026-10-02T10:00:00Z") },
      ],
    });
  });
  const list = async (query: string) => (await surveyLoader(args(await adminRequest(STORE_A, `/app/survey?${query}`)))).answers;

  it("filters by question, band and date range from the search params, for this shop only", async () => {
    expect((await list("")).rows.map((r) => r.orderId)).toEqual(["9003", "9002", "9001"]);
    expect((await list("question=nps&band=detractor")).rows.map((r) => r.orderId)).toEqual(["9001"]);
    expect((await list("question=csat&band=high")).rows.map((r) => r.orderId)).toEqual(["9002"]);
    expect((await list("from=2026-10-02&to=2026-10-05")).rows.map((r) => r.orderId)).toEqual(["9002"]);
    // a band that does not belong to the question is ignored
    expect((await list("question=nps&band=low")).rows.map((r) => r.orderId)).toEqual(["9002", "9001"]);
    const first = await list("");
    expect(first.rows[2]).toMatchObject({ comment: "<b>late</b>", createdAt: "2026-10-01T10:00:00.000Z" });
  });
});

describe("survey settings: the answer window (decision 022)", () => {
  it("starts at 90 days, saves a valid window for that shop only, refuses others with 400 and keeps the draft", async () => {
    const store = "survey-window";
    const shop = `${store}.myshopify.com`;
    const other = "survey-window-other";
    await installShop(shop);
    await installShop(`${other}.myshopify.com`);
    const view = async (s: string) => (await surveyLoader(args(await adminRequest(s, "/app/survey")))).settings;
    expect((await view(store)).answerWindowDays).toBe(90);

    // WHEN the merchant saves 30 days, THEN the shop's row says 30, the draft stays the default, another shop keeps 90
    expect(await post(store, { intent: "window", answerWindowDays: 30 })).toEqual({ status: 200, body: { ok: true, intent: "window", publishedAt: null } });
    expect(await row(shop)).toMatchObject({ answerWindowDays: 30, published: null });
    expect(readSurveyConfig((await row(shop))!.draft)).toEqual(DEFAULT_SURVEY_CONFIG);
    expect((await view(store)).answerWindowDays).toBe(30);
    expect((await view(other)).answerWindowDays).toBe(90);

    // AND a saved draft keeps the window
    expect((await post(store, { intent: "save", config: withNpsText("Recommend us?") })).status).toBe(200);
    expect((await row(shop))?.answerWindowDays).toBe(30);

    // WHEN the input is not a whole number of days from 1 to 365, THEN 400 naming the field, nothing changed
    for (const bad of [0, 366, "1.5", "", null, "ninety", -1]) {
      expect(await post(store, { intent: "window", answerWindowDays: bad })).toEqual({
        status: 400,
        body: { ok: false, intent: "window", errors: { answerWindowDays: "Enter a whole number of days from 1 to 365" } },
      });
    }
    expect((await row(shop))?.answerWindowDays).toBe(30);
  });
});
