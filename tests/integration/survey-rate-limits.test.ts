import { beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_SURVEY_CONFIG, type SurveyConfig } from "~/domain/survey/questions";
import { storeSurveyDraft, storeSurveyPublished } from "~/models/survey-settings.server";
import { action } from "~/routes/api.checkout.survey";
import { action as seenAction } from "~/routes/api.checkout.survey.seen";
import { forgetSurveyOrderCounts, shopSurveyCapacity, SURVEY_LIMITS, takeSurveyRateLimit } from "~/services/survey-rate-limits.server";
import { checkoutRequest, type CheckoutRequestOptions } from "../support/checkout";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { callAction } from "../support/webhooks";

/**
 * The survey endpoints' rate limits (decision 041): per order (30 an hour), per token (60 in 10 minutes) and per shop
 * in proportion to its orders, shared by every instance. Answers are saved as given, so a ten-question survey makes a
 * dozen requests: it must never meet a 429; the 31st request for one order in an hour does.
 */
vi.setConfig({ testTimeout: 60_000 });

const STORE = "limits";
const SHOP = `${STORE}.myshopify.com`;
const PATH = "/api/checkout/survey";

let nextOrder = 4400;
const newOrderId = () => (nextOrder += 1);
const orderGid = (order: number) => `gid://shopify/OrderIdentity/${order}`;
const post = async (body: unknown, options: CheckoutRequestOptions = {}, store = STORE) => callAction(action, await checkoutRequest(store, PATH, { ...options, body }));
const postSeen = async (order: number, options: CheckoutRequestOptions = {}) =>
  callAction(seenAction, await checkoutRequest(STORE, `${PATH}/seen`, { search: "?surface=thank-you", ...options, body: { orderId: orderGid(order) } }));
const step = (order: number, answers: Record<string, unknown>, extra: Record<string, unknown> = { complete: false }) => ({ orderId: orderGid(order), locale: "en", answers, ...extra });

/** Ten questions: the five built-in ones and five custom ratings. */
const TEN: SurveyConfig = (() => {
  const config = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
  config.questions.ces.enabled = true;
  config.custom = Array.from({ length: 5 }, (_, i) => ({ id: `q-${i}`, type: "rating_1_5" as const, text: { en: `Question ${i}?` }, options: [], shuffle: false, allowOther: false, allowNone: false }));
  return config;
})();

beforeEach(async () => {
  await resetSurveyRateLimits();
  forgetSurveyOrderCounts();
});

describe("per order", () => {
  it("a ten-question survey, answered step by step with retries, never meets a 429", async () => {
    await storeSurveyDraft(SHOP, JSON.stringify(TEN));
    await storeSurveyPublished(SHOP, JSON.stringify(TEN), new Date());
    const order = newOrderId();
    const token = { jti: "one-shopper" };
    const statuses: number[] = [(await postSeen(order, token)).status];
    // one step per question, each carrying every answer so far, and each sent twice (a response lost to the network)
    const answers: Record<string, unknown> = {};
    const steps: Array<[string, unknown]> = [["nps", 9], ["csat", 5], ["ces", 6], ["attribution", { optionId: "search" }], ...Array.from({ length: 5 }, (_, i): [string, unknown] => [`q-${i}`, 1 + i]), ["comment", "Fine"]];
    for (const [index, [key, value]] of steps.entries()) {
      if (key.startsWith("q-")) answers.custom = { ...(answers.custom as object), [key]: value };
      else answers[key] = value;
      const last = index === steps.length - 1;
      const body = step(order, { ...answers }, last ? {} : { complete: false });
      statuses.push((await post(body, token)).status, (await post(body, token)).status);
    }
    expect(statuses).toHaveLength(21);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(statuses[0]).toBe(201);
    expect(statuses.slice(1).every((s) => s === 200 || s === 201)).toBe(true);
    const stored = await prisma.pendingSurveyAnswer.findUnique({ where: { shop_orderId: { shop: SHOP, orderId: String(order) } } });
    expect(stored).toMatchObject({ nps: 9, csat: 5, ces: 6, comment: "Fine", customAnswers: { "q-0": 1, "q-1": 2, "q-2": 3, "q-3": 4, "q-4": 5 } });
    expect(stored?.completedAt).toBeInstanceOf(Date);
  });

  it("the 31st request for one order in an hour is refused with 429, Retry-After and CORS; other orders are not", async () => {
    const order = newOrderId();
    expect(SURVEY_LIMITS.order).toEqual({ capacity: 30, windowMs: 3_600_000 });
    const statuses: number[] = [];
    // fresh tokens each time: the order's own bucket is what runs out (seen and answers count together)
    statuses.push((await postSeen(order)).status);
    for (let i = 0; i < 29; i++) statuses.push((await post(step(order, { nps: 9 }))).status);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    const refused = await post(step(order, { nps: 9 }));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ errors: { request: "Too many requests, try again shortly" } });
    // one token per 120 s: the bucket refills 30 an hour
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("Retry-After"))).toBeLessThanOrEqual(120);
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect((await postSeen(order)).status).toBe(429);
    // another order is its own
    expect((await post(step(newOrderId(), { nps: 9 }))).status).toBe(201);
  });

  it("an hour later, the order's bucket has refilled", async () => {
    const order = newOrderId();
    const now = new Date();
    for (let i = 0; i < 30; i++) expect(await takeSurveyRateLimit(SHOP, `${SHOP}|t${i}`, String(order), now)).toBe(0);
    expect(await takeSurveyRateLimit(SHOP, `${SHOP}|t-last`, String(order), now)).toBeGreaterThan(0);
    expect(await takeSurveyRateLimit(SHOP, `${SHOP}|t-later`, String(order), new Date(now.getTime() + 3_600_000))).toBe(0);
  });
});

describe("per token", () => {
  it("one token spreading requests over many orders gets 60 in 10 minutes, then 429", async () => {
    expect(SURVEY_LIMITS.token).toEqual({ capacity: 60, windowMs: 600_000 });
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await post(step(newOrderId(), { nps: 7 }), { jti: "spreading-token" })).status);
    expect(statuses.slice(0, 60).every((s) => s === 201)).toBe(true);
    expect(statuses[60]).toBe(429);
    // a signed-in customer is counted by customer, whatever the token id
    for (let i = 0; i < 60; i++) await takeSurveyRateLimit(SHOP, `${SHOP}|gid://shopify/Customer/9`, String(newOrderId()));
    expect((await post(step(newOrderId(), { nps: 7 }), { sub: "gid://shopify/Customer/9" })).status).toBe(429);
  });
});

describe("per shop, in proportion to its orders", () => {
  it("the capacity is the per-order allowance for each order of the last 24 hours, spread over the hour, at least 1,200 a minute", () => {
    expect(SURVEY_LIMITS.shop).toEqual({ minCapacity: 1200, windowMs: 60_000 });
    expect([0, 1, 2400, 2401, 4000, 100_000].map(shopSurveyCapacity)).toEqual([1200, 1200, 1200, 1201, 2000, 50_000]);
  });

  it("a shop with 4,000 orders today gets 2,000 a minute; a quiet shop 1,200, drained then refused; another shop unaffected", async () => {
    const busy = "limits-busy.myshopify.com";
    const placed = new Date(Date.now() - 3_600_000);
    await prisma.$executeRaw`
      INSERT INTO "Order" ("shop", "id", "name", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt")
      SELECT ${busy}, g::text, '#' || g, 'USD', 'USD', 1000, 1000, ${placed}, ${placed} FROM generate_series(1, 4000) AS g`;
    // and an older order that no longer counts
    await prisma.$executeRaw`
      INSERT INTO "Order" ("shop", "id", "name", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt")
      VALUES (${busy}, '9999', '#9999', 'USD', 'USD', 1000, 1000, ${new Date(Date.now() - 25 * 3_600_000)}, ${placed})`;
    expect((await post(step(1, { nps: 9 }), {}, "limits-busy")).status).toBe(201);
    const bucket = (shop: string) => prisma.$queryRaw<{ capacity: number }[]>`SELECT "capacity" FROM "RateLimitBucket" WHERE "key" = ${`survey-shop ${shop}`}`;
    expect(await bucket(busy)).toEqual([{ capacity: 2000 }]);

    // The quiet shop: 1,200 a minute, drained with the clock held a minute ahead (a bucket never refills for a clock
    // that reads earlier than its last take), so the request made now meets an empty bucket.
    const ahead = new Date(Date.now() + 60_000);
    for (let i = 0; i < 1200; i += 20) {
      const waits = await Promise.all(Array.from({ length: 20 }, (_, j) => takeSurveyRateLimit(SHOP, `${SHOP}|token-${i + j}`, null, ahead)));
      expect(waits).toEqual(new Array(20).fill(0));
    }
    expect(await bucket(SHOP)).toEqual([{ capacity: 1200 }]);
    const order = newOrderId();
    expect((await post(step(order, { nps: 9 }))).status).toBe(429);
    expect(await prisma.pendingSurveyAnswer.findUnique({ where: { shop_orderId: { shop: SHOP, orderId: String(order) } } })).toBeNull();
    expect((await post(step(order, { nps: 9 }), {}, "limits-other")).status).toBe(201);
  });
});
