import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_SURVEY_CONFIG, type CustomQuestion, type SurveyConfig } from "~/domain/survey/questions";
import { erasePersonalData } from "~/models/privacy.server";
import { storeSurveyDraft, storeSurveyPublished } from "~/models/survey-settings.server";
import { readSurveyConfig } from "~/domain/survey/config";
import { action } from "~/routes/api.checkout.survey";
import { surveyAction } from "~/routes/app.survey/action.server";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { exportAnswersCsv } from "~/services/answers-export.server";
import { customerDataExport } from "~/services/privacy-export.server";
import { checkoutRequest, type CheckoutRequestOptions } from "../support/checkout";
import { parseCsv } from "../support/csv";
import { restOrder } from "../support/orders";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * Answers to the merchant's own questions (issue 23, decision 037): checked against the published questions by the
 * real endpoint, stored as typed JSON with the shopper's words apart, merged within the edit window, moved with a
 * pending answer, one CSV column per question, and covered by the privacy webhooks.
 */
const STORE = "custom-q";
const SHOP = `${STORE}.myshopify.com`;
const PATH = "/api/checkout/survey";
const HOUR = 3600_000;

const base = { options: [], shuffle: false, allowOther: false, allowNone: false };
const QUESTIONS: CustomQuestion[] = [
  {
    ...base,
    id: "q-colour",
    type: "single_choice",
    text: { en: "Favourite colour?" },
    options: [
      { id: "red", label: { en: "Red" } },
      { id: "blue", label: { en: "Blue" } },
    ],
    allowOther: true,
  },
  {
    ...base,
    id: "q-extras",
    type: "multiple_choice",
    text: { en: "What else?" },
    options: [
      { id: "gift", label: { en: "Gift wrap" } },
      { id: "card", label: { en: "A card" } },
    ],
    allowNone: true,
  },
  { ...base, id: "q-why", type: "short_text", text: { en: "Why us?" } },
  { ...base, id: "q-stars", type: "rating_1_5", text: { en: "The packaging?" } },
];
const CONFIG: SurveyConfig = { ...structuredClone(DEFAULT_SURVEY_CONFIG), custom: QUESTIONS };

async function publish(shop: string, config: SurveyConfig) {
  await storeSurveyDraft(shop, JSON.stringify(config));
  await storeSurveyPublished(shop, JSON.stringify(config), new Date());
}

const body = (order: number, answers: Record<string, unknown>) => ({ orderId: `gid://shopify/OrderIdentity/${order}`, locale: "en", answers });
const post = async (options: CheckoutRequestOptions) => callAction(action, await checkoutRequest(STORE, PATH, options));
const pending = (orderId: string) => prisma.pendingSurveyAnswer.findUnique({ where: { shop_orderId: { shop: SHOP, orderId } } });
const stored = (orderId: string) => prisma.surveyResponse.findUnique({ where: { shop_orderId: { shop: SHOP, orderId } } });
const recentOrder = (id: number, extra: Partial<Parameters<typeof restOrder>[0]> = {}) => {
  const at = new Date(Date.now() - 24 * HOUR).toISOString();
  return restOrder({ id, created_at: at, processed_at: at, updated_at: at, ...extra });
};
const deliverOrder = async (shop: string, id: number) =>
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body: recentOrder(id) }))).status).toBe(200);

/** This worker's captured log lines (tests/support/setup.ts tees every line the app logs). */
const LOG_FILE = path.join(inject("logDir"), `${process.pid}.jsonl`);
const logText = () => (fs.existsSync(LOG_FILE) ? fs.readFileSync(LOG_FILE, "utf8") : "");

beforeEach(async () => {
  resetSurveyRateLimits();
  await publish(SHOP, CONFIG);
});

describe("POST /api/checkout/survey with answers to custom questions", () => {
  it("stores each answer as its question's type reads it: choices and ratings apart from the shopper's words", async () => {
    const response = await post({
      body: body(3001, {
        nps: 8,
        custom: { "q-colour": { optionId: "other", other: " teal " }, "q-extras": { optionIds: ["gift", "card"] }, "q-why": " fast delivery ", "q-stars": 4 },
      }),
    });
    expect(response.status).toBe(201);
    expect(await pending("3001")).toMatchObject({
      nps: 8,
      customAnswers: { "q-colour": { optionId: "other" }, "q-extras": { optionIds: ["gift", "card"] }, "q-stars": 4 },
      customText: { "q-colour": "teal", "q-why": "fast delivery" },
    });
  });

  it("keeps them when the order arrives (the pending answers move whole)", async () => {
    await post({ body: body(3002, { custom: { "q-why": "because", "q-stars": 5 } }) });
    await deliverOrder(SHOP, 3002);
    expect(await pending("3002")).toBeNull();
    expect(await stored("3002")).toMatchObject({ customAnswers: { "q-stars": 5 }, customText: { "q-why": "because" } });
  });

  it("a later set within 24 hours replaces the questions it answers and keeps the others", async () => {
    // (the order's customer, signed in: only they may change an order's answers, decision 022)
    const sub = "gid://shopify/Customer/501";
    await deliverOrder(SHOP, 3003);
    await post({ sub, body: body(3003, { custom: { "q-colour": { optionId: "other", other: "teal" }, "q-why": "because", "q-stars": 2 } }) });
    // WHEN the shopper changes the colour to Red (no words any more) and the rating, and says nothing of "why"
    const again = await post({ sub, body: body(3003, { custom: { "q-colour": { optionId: "red" }, "q-stars": 3 } }) });
    expect(again.status).toBe(200);
    // THEN the colour's words are gone with "Other", "why" is kept, the rating replaced
    expect(await stored("3003")).toMatchObject({ customAnswers: { "q-colour": { optionId: "red" }, "q-stars": 3 }, customText: { "q-why": "because" } });
    // AND a set without custom answers leaves them as they are
    await post({ sub, body: body(3003, { nps: 10 }) });
    expect(await stored("3003")).toMatchObject({ nps: 10, customAnswers: { "q-colour": { optionId: "red" }, "q-stars": 3 }, customText: { "q-why": "because" } });
  });

  const ATTACKER = "jane.doe@example.com <script>alert(1)</script>";
  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ["a question the survey does not ask (its id is the sender's text)", { [ATTACKER]: 3 }, { [`answers.custom.${ATTACKER}`]: "Not a question of this survey" }],
    ["an option the question does not have", { "q-colour": { optionId: "green" } }, { "answers.custom.q-colour.optionId": "Expected one of the question's options" }],
    ["Other where the question does not offer it", { "q-extras": { optionIds: ["other"] } }, { "answers.custom.q-extras.optionIds": "Expected distinct options of the question" }],
    ["None with another option", { "q-extras": { optionIds: ["none", "gift"] } }, { "answers.custom.q-extras.optionIds": "None is chosen alone" }],
    ["words without Other", { "q-colour": { optionId: "red", other: ATTACKER } }, { "answers.custom.q-colour.other": "Only with the Other option chosen" }],
    ["an unknown field in a choice", { "q-colour": { optionId: "red", [ATTACKER]: 1 } }, { [`answers.custom.q-colour.${ATTACKER}`]: "Unknown field" }],
    ["a rating of 6", { "q-stars": 6 }, { "answers.custom.q-stars": "Expected a whole number from 1 to 5" }],
    ["a rating as text", { "q-stars": "5" }, { "answers.custom.q-stars": "Expected a whole number from 1 to 5" }],
    ["short text of 301 characters", { "q-why": "a".repeat(301) }, { "answers.custom.q-why": "Expected text of at most 300 characters" }],
    ["short text with NUL", { "q-why": "fine\u0000" }, { "answers.custom.q-why": "Contains characters that are not valid text" }],
    ["short text with a lone surrogate", { "q-why": "fine\ud800" }, { "answers.custom.q-why": "Contains characters that are not valid text" }],
    ["Other words of 201 characters", { "q-colour": { optionId: "other", other: "a".repeat(201) } }, { "answers.custom.q-colour.other": "Expected text of at most 200 characters" }],
    ["answers as a list", [3] as unknown as Record<string, unknown>, { "answers.custom": "Expected an object of answers by question id" }],
    ["eleven answers", Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`q-${i}`, 1])), { "answers.custom": "At most 10 answers" }],
  ])("refuses %s with 400 and a reason, stores nothing, logs no sender text", async (_what, custom, errors) => {
    const before = logText().length;
    const response = await post({ body: body(3100, { nps: 5, custom }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors });
    expect(await pending("3100")).toBeNull();
    const logged = logText().slice(before);
    expect(logged).toContain("survey answer rejected");
    expect(logged).not.toContain("jane.doe");
    expect(logged).not.toContain("<script>");
    expect(logged).not.toContain("q-colour");
  });

  it("refuses custom answers for a shop that has published no custom question", async () => {
    await prisma.surveySettings.update({ where: { shop: SHOP }, data: { published: JSON.stringify(DEFAULT_SURVEY_CONFIG) } });
    const response = await post({ body: body(3101, { custom: { "q-why": "x" } }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: { "answers.custom.q-why": "Not a question of this survey" } });
    // a question only in the draft is not asked yet either
    await prisma.surveySettings.update({ where: { shop: SHOP }, data: { draft: JSON.stringify(CONFIG) } });
    expect((await post({ body: body(3101, { custom: { "q-why": "x" } }) })).status).toBe(400);
  });
});

describe("branching at the endpoint", () => {
  const wrong: CustomQuestion = { ...base, id: "q-wrong", type: "short_text", text: { en: "What went wrong?" }, showIf: { question: "nps", min: 0, max: 6 } };
  it("takes the detractors' question from a detractor, refuses it from a promoter", async () => {
    await publish(SHOP, { ...CONFIG, custom: [...QUESTIONS, wrong] });
    expect((await post({ body: body(3200, { nps: 4, custom: { "q-wrong": "late" } }) })).status).toBe(201);
    expect(await pending("3200")).toMatchObject({ nps: 4, customText: { "q-wrong": "late" } });
    const refused = await post({ body: body(3201, { nps: 9, custom: { "q-wrong": "late" } }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ errors: { "answers.custom.q-wrong": "Not asked: the answer it depends on does not match" } });
    expect(await pending("3201")).toBeNull();
  });
});

describe("the Survey page's save of custom questions (hostile input on each new field)", () => {
  const ADMIN_STORE = "custom-q-admin";
  const ADMIN_SHOP = `${ADMIN_STORE}.myshopify.com`;
  const save = async (config: unknown) => {
    const request = await adminRequest(ADMIN_STORE, "/app/survey", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ intent: "save", config }) });
    const result = (await surveyAction({ request, params: {}, context: {} })) as { data?: { errors?: Record<string, string> }; init?: { status?: number } } & { ok?: boolean };
    return "init" in result && result.init ? { status: result.init.status ?? 200, errors: result.data?.errors } : { status: 200, errors: undefined };
  };
  const draft = async () => {
    const row = await prisma.surveySettings.findUnique({ where: { shop: ADMIN_SHOP } });
    return row ? readSurveyConfig(row.draft) : null;
  };
  const one = (q: Record<string, unknown>) => ({ ...CONFIG, custom: [{ ...QUESTIONS[0], ...q }] });

  it("stores custom questions that pass, exactly as read back", async () => {
    await installShop(ADMIN_SHOP);
    expect(await save(CONFIG)).toEqual({ status: 200, errors: undefined });
    expect((await draft())?.custom).toEqual(QUESTIONS);
  });

  it("stores who each question is asked of, exactly as read back", async () => {
    const targeted = {
      ...CONFIG,
      questions: { ...CONFIG.questions, attribution: { ...CONFIG.questions.attribution, audience: { customer: "first" } } },
      custom: [{ ...QUESTIONS[0], audience: { customer: "returning", orderValue: { currency: "USD", minMinor: 10000 }, locales: ["fr", "de"] } }],
    };
    expect(await save(targeted)).toEqual({ status: 200, errors: undefined });
    const stored = await draft();
    expect(stored?.questions.attribution.audience).toEqual({ customer: "first" });
    expect(stored?.custom[0]?.audience).toEqual({ customer: "returning", orderValue: { currency: "USD", minMinor: 10000 }, locales: ["fr", "de"] });
    expect(await save(CONFIG)).toEqual({ status: 200, errors: undefined });
  });

  it.each<[string, unknown, Record<string, string>]>([
    ["an unknown type", one({ type: "<img src=x>" }), { "custom.0.type": "Choose a question type (single_choice, multiple_choice, short_text, rating_1_5)" }],
    ["an id with markup", one({ id: "<b>x</b>" }), { "custom.0.id": "Question ids must be unique: lowercase letters, digits and dashes" }],
    ["a lone surrogate in the wording", one({ text: { en: "Colour\ud800?" } }), { "custom.0.text.en": "Contains characters that are not valid text" }],
    ["wording of 301 characters", one({ text: { en: "a".repeat(301) } }), { "custom.0.text.en": "At most 300 characters" }],
    ["an option label of 301 characters", one({ options: [{ id: "red", label: { en: "a".repeat(301) } }, { id: "blue", label: { en: "Blue" } }] }), { "custom.0.options.0.label.en": "At most 300 characters" }],
    ["a repeated option id", one({ options: [{ id: "red", label: { en: "Red" } }, { id: "red", label: { en: "Again" } }] }), { "custom.0.options.1.id": "Option ids must be unique" }],
    ["options as text", one({ options: "red,blue" }), { "custom.0.options": "Add at least two options" }],
    ["a branch on a later question", one({ showIf: { question: "comment", min: 0, max: 6 } }), { "custom.0.showIf": "Choose a question asked before this one" }],
    ["a branch on an option attribution lacks", one({ showIf: { question: "attribution", options: ["radio"] } }), { "custom.0.showIf": "Choose at least one of that question's options" }],
    ["a branch naming markup", one({ showIf: { question: "attribution", options: ["<script>"] } }), { "custom.0.showIf": "Choose an earlier question and its scores or options" }],
    ["a branch that is text", one({ showIf: "nps <= 6" }), { "custom.0.showIf": "Choose an earlier question and its scores or options" }],
    ["eleven questions", { ...CONFIG, custom: Array.from({ length: 11 }, (_, i) => ({ ...QUESTIONS[2], id: `q-${i}` })) }, { custom: "At most 10 questions" }],
    // Targeting (decision 045)
    ["an audience that is text", one({ audience: "<script>alert(1)</script>" }), { "custom.0.audience": "Expected who is asked" }],
    ["an audience with a rule of its own", one({ audience: { tier: "gold" } }), { "custom.0.audience": "Unknown rule" }],
    ["a customer rule with markup", one({ audience: { customer: "<b>vip</b>" } }), { "custom.0.audience.customer": "Choose first order or returning customer" }],
    ["an order value in text", one({ audience: { orderValue: { currency: "USD", minMinor: "1e9" } } }), { "custom.0.audience.orderValue": "Amounts must be zero or more, in the currency's smallest unit" }],
    ["an order value beyond 2^53", one({ audience: { orderValue: { currency: "USD", maxMinor: 2 ** 53 } } }), { "custom.0.audience.orderValue": "Amounts must be zero or more, in the currency's smallest unit" }],
    ["an order value range upside down", one({ audience: { orderValue: { currency: "USD", minMinor: 5001, maxMinor: 5000 } } }), { "custom.0.audience.orderValue": "The minimum is above the maximum" }],
    ["an order value in a made-up currency", one({ audience: { orderValue: { currency: "usd$", minMinor: 1 } } }), { "custom.0.audience.orderValue": "Expected an order value range with its currency" }],
    ["a language with markup", one({ audience: { locales: ["en", "<i>fr</i>"] } }), { "custom.0.audience.locales": "Choose one or more of en, fr, de, es, zh-CN" }],
    [
      "a built-in question's audience with a rule of its own",
      { ...CONFIG, questions: { ...CONFIG.questions, attribution: { ...CONFIG.questions.attribution, audience: { vip: true } } } },
      { "questions.attribution.audience": "Unknown rule" },
    ],
  ])("refuses %s with 400 naming the field; the stored draft is unchanged", async (_what, config, errors) => {
    const before = await draft();
    const refused = await save(config);
    expect(refused.status).toBe(400);
    expect(refused.errors).toEqual(errors);
    expect(await draft()).toEqual(before);
  });
});

describe("the answers CSV", () => {
  it("has one column per custom question, headed by its wording, with labels, words and ratings", async () => {
    const shop = "custom-q-csv.myshopify.com";
    await publish(shop, CONFIG);
    const { recordSurveyAnswer } = await import("~/services/survey-answers.server");
    const { validateSubmission } = await import("~/domain/survey/answer");
    const answer = async (order: number, answers: Record<string, unknown>, at: string) => {
      const checked = validateSubmission(body(order, answers), CONFIG);
      if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
      await recordSurveyAnswer(shop, checked.value, { surface: "thank-you", now: new Date(at) });
    };
    await answer(4001, { nps: 9, custom: { "q-colour": { optionId: "other", other: "=teal" }, "q-extras": { optionIds: ["gift", "card"] }, "q-why": "=quick", "q-stars": 5 } }, "2026-11-02T10:00:00Z");
    await answer(4002, { nps: 3, custom: { "q-colour": { optionId: "blue" }, "q-extras": { optionIds: ["none"] } } }, "2026-11-01T10:00:00Z");
    await answer(4003, { nps: 7 }, "2026-10-31T10:00:00Z");
    // the answers wait for their orders: confirm them so the export (confirmed answers only) has them
    for (const id of [4001, 4002, 4003]) await deliverOrder(shop, id);

    const csv = await exportAnswersCsv(shop, { question: null, band: null, from: null, to: null, cursor: null });
    const text = await new Response(csv.body).text();
    const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
    expect(header!.slice(-4)).toEqual(["Favourite colour?", "What else?", "Why us?", "The packaging?"]);
    expect(rows.map((r) => r.slice(-4))).toEqual([
      // "=quick" is the shopper's: formula-guarded like every text cell
      ["Other: =teal", "Gift wrap; A card", "'=quick", "5"],
      ["Blue", "None", "", ""],
      ["", "", "", ""],
    ]);
  });
});

describe("privacy", () => {
  const PRIVACY = "custom-q-privacy.myshopify.com";

  it("customers/redact erases the words in custom answers (confirmed and pending), keeps choices and ratings", async () => {
    await publish(PRIVACY, CONFIG);
    const { recordSurveyAnswer } = await import("~/services/survey-answers.server");
    const { validateSubmission } = await import("~/domain/survey/answer");
    const record = async (order: number, customerId: string | null) => {
      const checked = validateSubmission(body(order, { custom: { "q-colour": { optionId: "other", other: "my name is Ann" }, "q-why": "Ann again", "q-stars": 4 } }), CONFIG);
      if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
      return recordSurveyAnswer(PRIVACY, checked.value, { surface: "thank-you", writer: { customerId } });
    };
    await deliverOrder(PRIVACY, 5001); // customer 501's order
    await record(5001, "501");
    await record(5002, "501"); // pending: the order has not arrived
    await record(5003, null); // another shopper's guest answer, pending
    const erased = await erasePersonalData(PRIVACY, "501", []);
    expect(erased.answers).toBe(2);
    const confirmed = await prisma.surveyResponse.findUniqueOrThrow({ where: { shop_orderId: { shop: PRIVACY, orderId: "5001" } } });
    expect(confirmed).toMatchObject({ customText: null, customAnswers: { "q-colour": { optionId: "other" }, "q-stars": 4 } });
    expect(await prisma.pendingSurveyAnswer.findUniqueOrThrow({ where: { shop_orderId: { shop: PRIVACY, orderId: "5002" } } })).toMatchObject({ customText: null });
    // someone else's words are not theirs to erase
    expect(await prisma.pendingSurveyAnswer.findUniqueOrThrow({ where: { shop_orderId: { shop: PRIVACY, orderId: "5003" } } })).toMatchObject({
      customText: { "q-colour": "my name is Ann", "q-why": "Ann again" },
    });
    // a repeat finds nothing left to erase
    expect((await erasePersonalData(PRIVACY, "501", [])).answers).toBe(0);
  });

  it("the data-request export includes custom answers and words; shop/redact deletes them", async () => {
    const shop = "custom-q-export.myshopify.com";
    await publish(shop, CONFIG);
    await deliverOrder(shop, 6001);
    const { recordSurveyAnswer } = await import("~/services/survey-answers.server");
    const { validateSubmission } = await import("~/domain/survey/answer");
    const checked = validateSubmission(body(6001, { custom: { "q-why": "the colours", "q-extras": { optionIds: ["card"] } } }), CONFIG);
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    await recordSurveyAnswer(shop, checked.value, { surface: "thank-you", writer: { customerId: "501" } });

    const request = { shop_id: 1, shop_domain: shop, orders_requested: [6001], customer: { id: 501 }, data_request: { id: 9301 } };
    expect((await callAction(dataRequest, signedWebhook({ topic: "customers/data_request", shop, body: request }))).status).toBe(200);
    const row = await prisma.privacyRequest.findFirstOrThrow({ where: { shop, kind: "data-request" } });
    const file = await customerDataExport(shop, row.id);
    expect(file?.data.surveyAnswers).toEqual([
      expect.objectContaining({ orderId: "6001", customAnswers: { "q-extras": { optionIds: ["card"] } }, customText: { "q-why": "the colours" } }),
    ]);

    expect((await callAction(shopRedact, signedWebhook({ topic: "shop/redact", shop, body: { shop_id: 1, shop_domain: shop } }))).status).toBe(200);
    expect(await prisma.surveyResponse.count({ where: { shop } })).toBe(0);
    expect(await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "SurveyResponse" WHERE "customText" ? 'q-why' AND "shop" = ${shop}`).toEqual([{ n: 0n }]);
  });
});
