import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SURVEY_CONFIG, type CustomQuestion, type SurveyConfig } from "~/domain/survey/questions";
import { validateSubmission, type SurveyAnswers } from "~/domain/survey/answer";
import { storeSurveyDraft, storeSurveyPublished } from "~/models/survey-settings.server";
import { loader as reportsLoader } from "~/routes/app.reports/route";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { loadQuestionReport } from "~/services/question-report.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { restOrder, restRefund } from "../support/orders";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

// The Reports page's questions part: per-question distributions (built-in scales, attribution, the merchant's own
// questions) counted by hand below, a segment filter, and the search over what shoppers wrote.

const STORE = "question-report";
const SHOP = `${STORE}.myshopify.com`;
const OTHER = "question-report-other.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY).toISOString();

const base = { options: [], shuffle: false, allowOther: false, allowNone: false };
const QUESTIONS: CustomQuestion[] = [
  { ...base, id: "q-colour", type: "single_choice", text: { en: "Favourite colour?" }, options: [{ id: "red", label: { en: "Red" } }, { id: "blue", label: { en: "Blue" } }], allowOther: true },
  { ...base, id: "q-extras", type: "multiple_choice", text: { en: "What else?" }, options: [{ id: "gift", label: { en: "Gift wrap" } }, { id: "card", label: { en: "A card" } }], allowNone: true },
  { ...base, id: "q-why", type: "short_text", text: { en: "Why us?" } },
  { ...base, id: "q-stars", type: "rating_1_5", text: { en: "The packaging?" } },
];
const CONFIG: SurveyConfig = { ...structuredClone(DEFAULT_SURVEY_CONFIG), custom: QUESTIONS };

async function deliver(shop: string, action: typeof ordersCreate, topic: string, body: unknown) {
  expect((await callAction(action, signedWebhook({ topic, shop, body }))).status).toBe(200);
}

async function answered(shop: string, orderId: number, customer: number | null, daysAgo: number, answers: SurveyAnswers) {
  const at = iso(daysAgo + 1);
  const person = customer === null ? null : { id: customer, first_name: "Q", last_name: String(customer), email: `q${customer}@example.com` };
  await deliver(shop, ordersCreate, "orders/create", restOrder({ id: orderId, created_at: at, processed_at: at, updated_at: at, customer: person }));
  const checked = validateSubmission({ orderId: `gid://shopify/Order/${orderId}`, locale: "en", answers }, CONFIG);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  expect((await recordSurveyAnswer(shop, checked.value, { surface: "thank-you", now: new Date(NOW.getTime() - daysAgo * DAY) })).outcome).toBe("created");
}

beforeAll(async () => {
  for (const shop of [SHOP, OTHER]) {
    await installShop(shop);
    await storeSurveyDraft(shop, JSON.stringify(CONFIG));
    await storeSurveyPublished(shop, JSON.stringify(CONFIG), NOW);
  }
  // Customer 1 (first order): NPS 10, CSAT 5, search; red, gift + card, 4 stars, "Fast 100% delivery".
  await answered(SHOP, 1, 1, 3, { nps: 10, csat: 5, attribution: { optionId: "search" }, custom: { "q-colour": { optionId: "red" }, "q-extras": { optionIds: ["gift", "card"] }, "q-why": "Fast 100% delivery", "q-stars": 4 } });
  // Customer 2 (first order): NPS 3, friend; "Other: teal"; none; 2 stars; comment "box_was crushed".
  await answered(SHOP, 2, 2, 4, { nps: 3, attribution: { optionId: "friend" }, comment: "box_was crushed", custom: { "q-colour": { optionId: "other", other: "teal" }, "q-extras": { optionIds: ["none"] }, "q-stars": 2 } });
  // Customer 1 again (returning): NPS 10, "Other: A podcast"; blue; gift.
  await answered(SHOP, 3, 1, 2, { nps: 10, attribution: { optionId: "other", other: "A podcast" }, custom: { "q-colour": { optionId: "blue" }, "q-extras": { optionIds: ["gift"] } } });
  // A guest: NPS 7, CES 6; no custom answers; comment "Delivery was slow".
  await answered(SHOP, 4, null, 1, { nps: 7, ces: 6, comment: "Delivery was slow" });
  // Outside the range (60 days ago): NPS 0.
  await answered(SHOP, 5, 3, 60, { nps: 0, comment: "Delivery lost" });
  // Customer 2's order refunded: their answers move to "Has a refund".
  await deliver(SHOP, refundsCreate, "refunds/create", restRefund({ id: 9, order_id: 2, created_at: iso(1) }));
  // Another shop with the same order ids and words: never counted here.
  await answered(OTHER, 1, 1, 3, { nps: 0, comment: "Delivery from the other shop", custom: { "q-colour": { optionId: "red" } } });
});

const report = (params: Record<string, string>) => loadQuestionReport(SHOP, new URLSearchParams({ range: "30d", ...params }), NOW);
const bins = (d: { bins: { value: string; count: number; share: number | null }[] } | undefined) => Object.fromEntries((d?.bins ?? []).filter((b) => b.count > 0).map((b) => [b.value, [b.count, b.share]]));

describe("answers per question", () => {
  it("counts each scale and choice question over every point of its scale and every option, in the survey's order", async () => {
    const { distributions } = await report({});
    expect(distributions.map((d) => [d.key, d.title, d.kind, d.respondents])).toEqual([
      // Built-in questions without the merchant's wording carry the Survey page's names; CES is switched off in this
      // survey but has an answer in the range, so it shows.
      ["attribution", "How did you hear about us?", "choice", 3],
      ["nps", "Net Promoter Score (NPS)", "scale", 4],
      ["csat", "Customer satisfaction (CSAT)", "scale", 1],
      ["ces", "Customer effort (CES)", "scale", 1],
      ["q-colour", "Favourite colour?", "choice", 3],
      ["q-extras", "What else?", "choice", 3],
      ["q-stars", "The packaging?", "scale", 2],
    ]);
    const byKey = Object.fromEntries(distributions.map((d) => [d.key, d]));
    // NPS 0–10: every score a bin; 10 twice, 3 and 7 once; shares of 4.
    expect(byKey.nps!.bins.map((b) => b.value)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(bins(byKey.nps)).toEqual({ "3": [1, 25], "7": [1, 25], "10": [2, 50] });
    expect(bins(byKey.csat)).toEqual({ "5": [1, 100] });
    expect(byKey.ces!.bins.map((b) => b.value)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(bins(byKey.ces)).toEqual({ "6": [1, 100] });
    expect(byKey.attribution!.bins.map((b) => b.label)).toEqual(["Search engine", "Social media", "A friend", "An ad", "Other"]);
    expect(bins(byKey.attribution)).toEqual({ search: [1, 33.3], friend: [1, 33.3], other: [1, 33.3] });
    expect(byKey["q-colour"]!.bins.map((b) => b.label)).toEqual(["Red", "Blue", "Other"]);
    expect(bins(byKey["q-colour"])).toEqual({ red: [1, 33.3], blue: [1, 33.3], other: [1, 33.3] });
    // Multiple choice: each chosen option counts; shares of the 3 answers add up to more than 100 %.
    expect(byKey["q-extras"]!.bins.map((b) => b.label)).toEqual(["Gift wrap", "A card", "None of these"]);
    expect(bins(byKey["q-extras"])).toEqual({ gift: [2, 66.7], card: [1, 33.3], none: [1, 33.3] });
    expect(byKey["q-stars"]!.bins.map((b) => b.value)).toEqual(["1", "2", "3", "4", "5"]);
    expect(bins(byKey["q-stars"])).toEqual({ "2": [1, 50], "4": [1, 50] });
  });

  it("filters by segment: first orders, a refund, guests; and refuses a segment that is not one", async () => {
    const first = await report({ segment: "customerType:new" });
    expect(first.segment).toBe("customerType:new");
    expect(bins(first.distributions.find((d) => d.key === "nps"))).toEqual({ "3": [1, 50], "10": [1, 50] });
    const refunded = await report({ segment: "refund:refund" });
    expect(bins(refunded.distributions.find((d) => d.key === "nps"))).toEqual({ "3": [1, 100] });
    const guests = await report({ segment: "tier:guest" });
    expect(bins(guests.distributions.find((d) => d.key === "nps"))).toEqual({ "7": [1, 100] });
    for (const bad of ["email:x", "tier:Gold'--", "customerType:vip", "refund"]) {
      const refused = await report({ segment: bad });
      expect(refused.segmentError, bad).not.toBeNull();
      expect(refused.segment).toBe("all");
      expect(refused.distributions.find((d) => d.key === "nps")!.respondents).toBe(4);
    }
    expect(segmentOptionValues((await report({})).segmentOptions)).toEqual([
      "all", "customerType:new", "customerType:returning", "customerType:guest", "tier:bronze", "tier:silver", "tier:gold", "tier:", "refund:refund", "refund:none",
    ]);
  });
});

const segmentOptionValues = (options: { value: string }[]) => options.map((o) => o.value);

describe("what shoppers wrote", () => {
  it("lists the range's answer sets with words, newest first, each text under its question", async () => {
    const { textAnswers } = await report({});
    expect(textAnswers.map((a) => [a.orderId, a.texts])).toEqual([
      ["4", [{ question: "Comment", text: "Delivery was slow" }]],
      ["3", [{ question: "How did you hear about us? (Other)", text: "A podcast" }]],
      ["1", [{ question: "Why us?", text: "Fast 100% delivery" }]],
      ["2", [{ question: "Comment", text: "box_was crushed" }, { question: "Favourite colour?", text: "teal" }]],
    ]);
  });

  it("searches comments, Other texts and written answers case-insensitively, with LIKE's wildcards taken literally", async () => {
    const orders = async (q: string, extra: Record<string, string> = {}) => (await report({ q, ...extra })).textAnswers.map((a) => a.orderId);
    expect(await orders("DELIVERY")).toEqual(["4", "1"]);
    expect(await orders("TEAL")).toEqual(["2"]);
    expect(await orders("podcast")).toEqual(["3"]);
    expect(await orders("100%")).toEqual(["1"]);
    expect(await orders("%")).toEqual(["1"]);
    expect(await orders("b_x")).toEqual([]);
    expect(await orders("box_was")).toEqual(["2"]);
    expect(await orders("delivery", { segment: "customerType:guest" })).toEqual(["4"]);
    expect(await orders("nothing like this")).toEqual([]);
  });

  it("serves the page's loader for the session's shop only", async () => {
    const response = await reportsLoader({ request: await adminRequest(STORE, "/app/reports?from=2026-11-01&to=2026-11-20&q=delivery"), params: {}, context: {} });
    const data = (response instanceof Response ? await response.json() : response) as { questions: Awaited<ReturnType<typeof loadQuestionReport>> };
    expect(data.questions.textAnswers.map((a) => a.orderId)).toEqual(["4", "1"]);
    expect(JSON.stringify(data)).not.toContain("other shop");
  });
});
