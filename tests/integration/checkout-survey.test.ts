import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { erasePersonalData } from "~/models/privacy.server";
import { latestNpsByCustomer, listSurveyResponses } from "~/models/survey-responses.server";
import { action, loader } from "~/routes/api.checkout.survey";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { checkoutRequest, type CheckoutRequestOptions } from "../support/checkout";
import { restOrder } from "../support/orders";
import { callAction, signedWebhook } from "../support/webhooks";

const STORE_A = "survey-a";
const SHOP_A = `${STORE_A}.myshopify.com`;
const SHOP_B = "survey-b.myshopify.com";
const PATH = "/api/checkout/survey";
const HOUR = 3600_000;

const body = (order: number, answers: Record<string, unknown> = { nps: 9 }, extra: Record<string, unknown> = {}) => ({
  orderId: `gid://shopify/OrderIdentity/${order}`,
  locale: "fr",
  answers,
  ...extra,
});

async function post(options: CheckoutRequestOptions, store = STORE_A) {
  return callAction(action, await checkoutRequest(store, PATH, options));
}

const stored = (shop: string, orderId: string) => prisma.surveyResponse.findUnique({ where: { shop_orderId: { shop, orderId } } });
/** Answers to an order the app has not received yet wait apart, counted nowhere (decision 022). */
const pending = (shop: string, orderId: string) => prisma.pendingSurveyAnswer.findUnique({ where: { shop_orderId: { shop, orderId } } });
/** An order placed a day ago: inside any answer window, whenever the test runs. */
const recentOrder = (id: number, extra: Partial<Parameters<typeof restOrder>[0]> = {}) => {
  const at = new Date(Date.now() - 24 * HOUR).toISOString();
  return restOrder({ id, created_at: at, processed_at: at, updated_at: at, ...extra });
};
const OWNER_501 = "gid://shopify/Customer/501";

function expectCors(response: Response) {
  expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
}

beforeEach(() => resetSurveyRateLimits());

async function status(search: string, options: CheckoutRequestOptions = {}, store = STORE_A) {
  return loader({ request: await checkoutRequest(store, PATH, { ...options, method: "GET", search }), params: {}, context: {} });
}

describe("POST /api/checkout/survey", () => {
  it("stores a valid answer for the token's shop only, with CORS, 201", async () => {
    // GIVEN a checkout session token for shop A
    // WHEN the extension posts answers for order 2001
    const response = await post({ body: body(2001, { nps: 9, csat: 5, attribution: { optionId: "other", other: "podcast" }, comment: "super" }) });

    // THEN they are stored for shop A, from the thank-you page, pending until the order arrives (guest token)
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ ok: true });
    expectCors(response);
    expect(await pending(SHOP_A, "2001")).toMatchObject({
      nps: 9, csat: 5, ces: null, attributionOption: "other", attributionOther: "podcast", comment: "super",
      locale: "fr", surface: "thank-you", tokenCustomerId: null,
    });
    expect(await stored(SHOP_A, "2001")).toBeNull();
    expect(await prisma.pendingSurveyAnswer.count({ where: { shop: { not: SHOP_A } } })).toBe(0);
  });

  it("never takes the shop from the body: naming another shop is an unknown field, nothing stored", async () => {
    const response = await post({ body: body(2002, { nps: 3 }, { shop: SHOP_B }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: { shop: "Unknown field" } });
    expectCors(response);
    expect(await prisma.surveyResponse.count({ where: { orderId: "2002" } })).toBe(0);
  });

  it("stores the order status surface when the extension says so, and refuses unknown surfaces", async () => {
    const ok = await post({ body: body(2003), search: "?surface=order-status" });
    expect(ok.status).toBe(201);
    expect((await pending(SHOP_A, "2003"))?.surface).toBe("order-status");
    const bad = await post({ body: body(2004), search: "?surface=admin" });
    expect(bad.status).toBe(400);
    expect(await pending(SHOP_A, "2004")).toBeNull();
  });

  it.each([
    ["a token signed with another secret", { secret: "not-the-app-secret" }],
    ["an expired token", { expiresIn: -60 }],
    ["no token", { token: null }],
    ["garbage", { token: "not-a-jwt" }],
  ] as const)("answers 401 to %s, with CORS, and stores nothing", async (_label, options) => {
    const response = await post({ ...options, body: body(2010) });
    expect(response.status).toBe(401);
    expectCors(response);
    expect(await prisma.surveyResponse.count({ where: { orderId: "2010" } })).toBe(0);
  });

  it("answers 400 with field errors to out-of-range scores and stores nothing", async () => {
    const response = await post({ body: body(2020, { nps: 11, csat: 0, ces: 8 }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: {
        "answers.nps": "Expected a whole number from 0 to 10",
        "answers.csat": "Expected a whole number from 1 to 5",
        "answers.ces": "Expected a whole number from 1 to 7",
      },
    });
    expect(await prisma.surveyResponse.count({ where: { orderId: "2020" } })).toBe(0);
  });

  it("answers malformed JSON with 400 and a body over 16 KB with 413", async () => {
    const malformed = await post({ rawBody: "{nps: 9" });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ errors: { body: "Expected a JSON object" } });
    expectCors(malformed);

    const huge = JSON.stringify(body(2030, { nps: 9, comment: "x".repeat(17 * 1024) }));
    const declared = await post({ rawBody: huge });
    expect(declared.status).toBe(413);
    expectCors(declared);

    // A lying Content-Length does not get past the limit either: the bytes read are counted.
    const lying = await checkoutRequest(STORE_A, PATH, { rawBody: huge, headers: { "Content-Length": "100" } });
    const streamed = new Request(lying.url, {
      method: "POST",
      headers: lying.headers,
      body: new ReadableStream({ start: (c) => { c.enqueue(new TextEncoder().encode(huge)); c.close(); } }),
      duplex: "half",
    } as RequestInit);
    expect((await callAction(action, streamed)).status).toBe(413);
    expect(await prisma.surveyResponse.count({ where: { orderId: "2030" } })).toBe(0);
  });

  it("answers the OPTIONS preflight with 204 and CORS headers, without a token", async () => {
    const response = await callAction(action, await checkoutRequest(STORE_A, PATH, { method: "OPTIONS", token: null }));
    expect(response.status).toBe(204);
    expectCors(response);
    expect(response.headers.get("Access-Control-Max-Age")).toBe("7200");
  });

  it("refuses other methods with 405", async () => {
    const response = await callAction(action, await checkoutRequest(STORE_A, PATH, { method: "PUT", body: body(2005) }));
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, POST, OPTIONS");
    expect(await stored(SHOP_A, "2005")).toBeNull();
  });

  it("updates the answers within 24 h of the first (200), then locks them (409)", async () => {
    // GIVEN orders 2040 and 2041 of customer 501, and an answer to 2040 recorded 23 hours ago
    for (const id of [2040, 2041]) await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP_A, body: recentOrder(id) }));
    const first = new Date(Date.now() - 23 * HOUR);
    const submission = { ...body(2040, { nps: 4, comment: "slow" }), orderNumericId: "2040" };
    expect(await recordSurveyAnswer(SHOP_A, submission, { surface: "thank-you", now: first })).toEqual({ outcome: "created" });

    // WHEN the shopper (signed in as the order's customer) changes the score on the order status page
    const update = await post({ sub: OWNER_501, body: body(2040, { nps: 8 }), search: "?surface=order-status" });

    // THEN the new score replaces the old one, the comment is kept, and the creation time stays
    expect(update.status).toBe(200);
    expect(await update.json()).toEqual({ ok: true });
    const row = await stored(SHOP_A, "2040");
    expect(row).toMatchObject({ nps: 8, comment: "slow", surface: "order-status" });
    expect(row?.createdAt.getTime()).toBe(first.getTime());

    // AND 24 hours after the first answer, they are final
    const late = new Date(first.getTime() + 24 * HOUR + 1);
    expect(await recordSurveyAnswer(SHOP_A, { ...submission, answers: { nps: 10 } }, { surface: "thank-you", now: late })).toEqual({ outcome: "locked" });
    const old = { ...submission, orderNumericId: "2041", orderId: "gid://shopify/OrderIdentity/2041" };
    await recordSurveyAnswer(SHOP_A, old, { surface: "thank-you", now: new Date(Date.now() - 25 * HOUR) });
    const locked = await post({ sub: OWNER_501, body: body(2041, { nps: 10 }) });
    expect(locked.status).toBe(409);
    expect(await locked.json()).toEqual({ errors: { order: expect.any(String) } });
    expectCors(locked);
    expect((await stored(SHOP_A, "2041"))?.nps).toBe(4);
  });

  it("a later answer set writes only the answers it carries, confirmed or pending; a new option replaces the 'Other' text", async () => {
    // GIVEN a full answer set an hour ago to order 2060 (stored) and to order 2061 (not received yet: pending)
    await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP_A, body: recentOrder(2060) }));
    const first = new Date(Date.now() - HOUR);
    const all = { nps: 9, csat: 4, ces: 6, attribution: { optionId: "social", other: "a podcast" }, comment: "great" };
    const submit = (id: string, answers: Record<string, unknown>, now: Date) =>
      recordSurveyAnswer(SHOP_A, { ...body(Number(id), answers), orderNumericId: id }, { surface: "thank-you", now });
    for (const id of ["2060", "2061"]) await submit(id, all, first);
    const kept = { csat: 4, ces: 6, attributionOption: "social", attributionOther: "a podcast", comment: "great" };
    expect(await stored(SHOP_A, "2060")).toMatchObject({ nps: 9, ...kept });
    expect(await pending(SHOP_A, "2061")).toMatchObject({ nps: 9, ...kept });

    // WHEN each gets a set with only a new NPS
    for (const id of ["2060", "2061"]) await submit(id, { nps: 3 }, new Date());
    // THEN only the NPS changes
    expect(await stored(SHOP_A, "2060")).toMatchObject({ nps: 3, ...kept });
    expect(await pending(SHOP_A, "2061")).toMatchObject({ nps: 3, ...kept });

    // WHEN each gets a set with only another attribution option
    for (const id of ["2060", "2061"]) await submit(id, { attribution: { optionId: "search" } }, new Date());
    // THEN the option and its "Other" text are replaced together, the rest is kept
    const replaced = { nps: 3, csat: 4, ces: 6, attributionOption: "search", attributionOther: null, comment: "great" };
    expect(await stored(SHOP_A, "2060")).toMatchObject(replaced);
    expect(await pending(SHOP_A, "2061")).toMatchObject(replaced);
  });

  it("links the customer: at once when the order is known, later when its webhook arrives", async () => {
    // GIVEN order 2050 already ingested for customer 501
    await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP_A, body: recentOrder(2050) }));
    expect((await post({ body: body(2050) })).status).toBe(201);
    expect((await stored(SHOP_A, "2050"))?.customerId).toBe("501");

    // GIVEN an answer to order 2051 before its webhook: pending, in no figure
    expect((await post({ body: body(2051, { nps: 2 }) })).status).toBe(201);
    expect(await stored(SHOP_A, "2051")).toBeNull();
    expect(await pending(SHOP_A, "2051")).toMatchObject({ nps: 2 });
    // WHEN the order webhook arrives
    const webhook = await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP_A, body: recentOrder(2051, { customer: { id: 502, first_name: "Grace", last_name: "Hopper", email: "g@example.com" } }) }));
    expect(webhook.status).toBe(200);
    // THEN the answer is counted and belongs to its customer
    expect((await stored(SHOP_A, "2051"))?.customerId).toBe("502");
    expect(await pending(SHOP_A, "2051")).toBeNull();
    // and another shop's order with the same id changes nothing here
    await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP_B, body: restOrder({ id: 2051, customer: { id: 999, first_name: "X", last_name: "Y", email: "x@example.com" } }) }));
    expect((await stored(SHOP_A, "2051"))?.customerId).toBe("502");

    expect(await latestNpsByCustomer(SHOP_A, ["501", "502", "nobody"])).toEqual({ "501": 9, "502": 2 });
    const page = await listSurveyResponses(SHOP_A, { question: "nps", band: "detractor" });
    const linked = page.rows.filter((r) => r.customerId !== null && r.orderId.startsWith("205"));
    expect(linked.map((r) => [r.orderId, r.orderName, r.customerName])).toEqual([["2051", "#2051", "Grace Hopper"]]);

    // customers/redact erases the shopper's free text, keeps the scores
    await prisma.surveyResponse.update({ where: { shop_orderId: { shop: SHOP_A, orderId: "2051" } }, data: { comment: "call me" } });
    await erasePersonalData(SHOP_A, "502");
    expect(await stored(SHOP_A, "2051")).toMatchObject({ comment: null, attributionOther: null, nps: 2 });
  });
  // Rate limits (per order, token and shop): tests/integration/survey-rate-limits.test.ts.
});

describe("listSurveyResponses", () => {
  it("pages newest first with a keyset cursor and filters by band and date", async () => {
    const shop = "list-shop.myshopify.com";
    const base = Date.parse("2026-09-01T00:00:00Z");
    const placed = "2026-08-31T10:00:00Z";
    for (let i = 0; i < 7; i++) {
      const order = restOrder({ id: 5000 + i, created_at: placed, processed_at: placed, updated_at: placed });
      expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body: order }))).status).toBe(200);
      const submission = { ...body(5000 + i, { nps: i, csat: (i % 5) + 1 }), orderNumericId: String(5000 + i) };
      // two answers share a timestamp to exercise the id tie-break
      await recordSurveyAnswer(shop, submission, { surface: "thank-you", now: new Date(base + Math.min(i, 5) * HOUR) });
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listSurveyResponses(shop, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.rows.map((r) => r.orderId));
      sizes.push(page.rows.length);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["5006", "5005", "5004", "5003", "5002", "5001", "5000"]);
    expect(sizes).toEqual([3, 3, 1]);
    // a page the answers exactly fill has no next page; one short of them has
    expect(await listSurveyResponses(shop, { limit: 7 })).toMatchObject({ nextCursor: null });
    expect((await listSurveyResponses(shop, { limit: 6 })).nextCursor).toEqual(expect.any(String));
    // the page size is kept between 1 and 100
    expect((await listSurveyResponses(shop, { limit: 0 })).rows.map((r) => r.orderId)).toEqual(["5006"]);
    expect((await listSurveyResponses(shop, { limit: 1000 })).rows).toHaveLength(7);
    const high = await listSurveyResponses(shop, { question: "csat", band: "high" });
    expect(high.rows.map((r) => r.csat)).toEqual([5, 4]);
    const ranged = await listSurveyResponses(shop, { from: new Date(base + HOUR), to: new Date(base + 2 * HOUR) });
    expect(ranged.rows.map((r) => r.orderId)).toEqual(["5002", "5001"]);
    expect((await listSurveyResponses("other.myshopify.com")).rows).toEqual([]);
  });
});

describe("GET /api/checkout/survey?orderId= (the order status page's check)", () => {
  it("says whether the token's shop has an answer for the order, and whether it can still change", async () => {
    // GIVEN shop A has a fresh answer for 2501 and a 2-day-old one for 2502; shop B has one for 2503
    await recordSurveyAnswer(SHOP_A, { ...body(2501), orderNumericId: "2501" }, { surface: "thank-you" });
    await recordSurveyAnswer(SHOP_A, { ...body(2502), orderNumericId: "2502" }, { surface: "thank-you", now: new Date(Date.now() - 48 * HOUR) });
    await recordSurveyAnswer(SHOP_B, { ...body(2503), orderNumericId: "2503" }, { surface: "thank-you" });

    // WHEN the order status page of shop A asks, THEN
    const fresh = await status("?orderId=gid://shopify/Order/2501");
    expect(fresh.status).toBe(200);
    expectCors(fresh);
    expect(fresh.headers.get("Cache-Control")).toBe("no-store");
    expect(await fresh.json()).toEqual({ answered: true, editable: true });
    expect(await (await status("?orderId=gid://shopify/Order/2502")).json()).toEqual({ answered: true, editable: false });
    // shop B's answer is invisible to shop A's token
    expect(await (await status("?orderId=gid://shopify/Order/2503")).json()).toEqual({ answered: false, editable: true });
  });

  it("needs an order GID and a valid token", async () => {
    const bad = await status("?orderId=2501");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errors: { orderId: "Expected an order GID such as gid://shopify/Order/123" } });
    const forged = await status("?orderId=gid://shopify/Order/2501", { secret: "not-the-app-secret" });
    expect(forged.status).toBe(401);
    expectCors(forged);
  });
});
