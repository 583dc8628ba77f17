import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { prisma } from "~/db.server";
import { action, loader } from "~/routes/api.checkout.survey";
import { action as seenAction, loader as seenLoader } from "~/routes/api.checkout.survey.seen";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { checkoutRequest, type CheckoutRequestOptions } from "../support/checkout";
import { restOrder } from "../support/orders";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * Answers saved as the shopper gives them (issue 23, decision 041), through the real routes with real session-token
 * JWTs: each step merges into the order's one answer set, the last one completes it, a shopper who left after the
 * first question counts; a guest may only fill blanks; POST /api/checkout/survey/seen; hostile input on every new
 * field.
 */
const STORE = "partial";
const SHOP = `${STORE}.myshopify.com`;
const PATH = "/api/checkout/survey";
const SEEN = "/api/checkout/survey/seen";
const HOUR = 3600_000;
const ADA = { id: 701, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" };
const gid = (id: number) => `gid://shopify/Customer/${id}`;

let nextOrder = 9100;
const newOrderId = () => (nextOrder += 1);
const orderGid = (order: number) => `gid://shopify/OrderIdentity/${order}`;

const step = (order: number, answers: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ orderId: orderGid(order), locale: "en", answers, ...extra });
const post = async (body: unknown, options: CheckoutRequestOptions = {}, store = STORE) => callAction(action, await checkoutRequest(store, PATH, { ...options, body }));
const postSeen = async (body: unknown, options: CheckoutRequestOptions = {}, store = STORE) => callAction(seenAction, await checkoutRequest(store, SEEN, { search: "?surface=thank-you", ...options, body }));

async function deliverOrder(id: number, customer: typeof ADA | null = null, shop = SHOP) {
  const at = new Date(Date.now() - 2 * HOUR).toISOString();
  const order = { ...restOrder({ id, created_at: at, processed_at: at, updated_at: at }), customer };
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body: order }))).status).toBe(200);
}

const stored = (order: number, shop = SHOP) => prisma.surveyResponse.findUnique({ where: { shop_orderId: { shop, orderId: String(order) } } });
const pending = (order: number) => prisma.pendingSurveyAnswer.findUnique({ where: { shop_orderId: { shop: SHOP, orderId: String(order) } } });
const rollupAnswers = async () => Number((await prisma.cxDaily.aggregate({ where: { shop: SHOP, dimension: "tier" }, _sum: { answers: true } }))._sum.answers ?? 0);

/** This worker's captured log lines (tests/support/setup.ts tees every line the app logs). */
const LOG_FILE = path.join(inject("logDir"), `${process.pid}.jsonl`);
const logText = () => (fs.existsSync(LOG_FILE) ? fs.readFileSync(LOG_FILE, "utf8") : "");

beforeEach(() => resetSurveyRateLimits());

describe("each answer saved as the shopper gives it", () => {
  it("a shopper who leaves after the first question counts: the set is stored and counted, not complete", async () => {
    const order = newOrderId();
    await deliverOrder(order);
    const before = await rollupAnswers();
    const response = await post(step(order, { nps: 9 }, { complete: false, reached: ["nps", "csat"] }));
    expect(response.status).toBe(201);
    expect(await stored(order)).toMatchObject({ nps: 9, csat: null, completedAt: null, reached: ["nps", "csat"], flowDecidedAt: null });
    expect(await rollupAnswers()).toBe(before + 1);
  });

  it("steps merge into the order's one set; the last completes it; a step after completion keeps the first completion", async () => {
    const order = newOrderId();
    await deliverOrder(order, ADA);
    const signedIn = { sub: gid(ADA.id) };
    expect((await post(step(order, { nps: 3 }, { complete: false, reached: ["nps", "csat"] }), signedIn)).status).toBe(201);
    expect((await post(step(order, { nps: 3, csat: 2 }, { complete: false, reached: ["nps", "csat", "attribution"] }), signedIn)).status).toBe(200);
    expect(await stored(order)).toMatchObject({ nps: 3, csat: 2, comment: null, completedAt: null, reached: ["nps", "csat", "attribution"] });
    // the last step (no `complete`: a whole set) adds the comment and completes the set
    expect((await post(step(order, { nps: 3, csat: 2, comment: "Late" }, { reached: ["nps", "csat", "attribution", "comment"] }), signedIn)).status).toBe(200);
    const complete = await stored(order);
    expect(complete).toMatchObject({ nps: 3, csat: 2, comment: "Late", reached: ["nps", "csat", "attribution", "comment"], customerId: "701" });
    expect(complete?.completedAt).toBeInstanceOf(Date);
    expect(await prisma.surveyResponse.count({ where: { shop: SHOP, orderId: String(order) } })).toBe(1);
    // one recovery follow-up for the set, whatever the number of steps
    expect(await prisma.followUp.count({ where: { shop: SHOP, orderId: String(order) } })).toBe(1);
    // the customer changes a score within the window: the completion time stays the first one
    expect((await post(step(order, { nps: 4 }, { complete: false, reached: ["nps"] }), signedIn)).status).toBe(200);
    expect(await stored(order)).toMatchObject({ nps: 4, csat: 2, comment: "Late", completedAt: complete!.completedAt, reached: ["nps", "csat", "attribution", "comment"] });
  });

  it("a guest only fills blanks: a retry passes, a changed answer or anything new after completion is 409", async () => {
    const order = newOrderId();
    await deliverOrder(order);
    const refused = { errors: { order: "This order already has answers; only its customer, signed in, can change them" } };
    expect((await post(step(order, { nps: 9 }, { complete: false }))).status).toBe(201);
    // the same step again (a response lost to the network): nothing changes, nothing refused
    expect((await post(step(order, { nps: 9 }, { complete: false }))).status).toBe(200);
    expect((await post(step(order, { nps: 9, attribution: { optionId: "other", other: "A podcast" } }, { complete: false }))).status).toBe(200);
    // changing an answer given before
    const changed = await post(step(order, { nps: 2, csat: 5 }, { complete: false }));
    expect(changed.status).toBe(409);
    expect(await changed.json()).toEqual(refused);
    // the "Other" words are an answer too
    expect((await post(step(order, { attribution: { optionId: "other", other: "A blog" } }, { complete: false }))).status).toBe(409);
    expect((await post(step(order, { attribution: { optionId: "search" } }, { complete: false }))).status).toBe(409);
    expect(await stored(order)).toMatchObject({ nps: 9, csat: null, attributionOption: "other", attributionOther: "A podcast", completedAt: null });
    // the last step completes it
    expect((await post(step(order, { nps: 9, attribution: { optionId: "other", other: "A podcast" }, comment: "Thanks" }))).status).toBe(200);
    const done = await stored(order);
    expect(done).toMatchObject({ nps: 9, comment: "Thanks" });
    expect(done?.completedAt).toBeInstanceOf(Date);
    // after completion: the whole set again is a retry (200), a blank filled later is not (409)
    expect((await post(step(order, { nps: 9, comment: "Thanks" }))).status).toBe(200);
    expect((await post(step(order, { csat: 5 }))).status).toBe(409);
    expect(await stored(order)).toMatchObject({ nps: 9, csat: null, comment: "Thanks", completedAt: done!.completedAt });
  });

  it("an order not received yet: its steps merge in the pending set, which keeps its completion when the order arrives", async () => {
    const order = newOrderId();
    expect((await post(step(order, { nps: 10 }, { complete: false, reached: ["nps", "csat"] }))).status).toBe(201);
    expect((await post(step(order, { nps: 10, csat: 5 }, { complete: false, reached: ["nps", "csat", "attribution"] }))).status).toBe(200);
    expect(await pending(order)).toMatchObject({ nps: 10, csat: 5, completedAt: null, reached: ["nps", "csat", "attribution"] });
    expect((await post(step(order, { nps: 10, csat: 5 }, { reached: ["nps", "csat", "attribution", "comment"] }))).status).toBe(200);
    const completedAt = (await pending(order))?.completedAt;
    expect(completedAt).toBeInstanceOf(Date);
    await deliverOrder(order);
    expect(await pending(order)).toBeNull();
    expect(await stored(order)).toMatchObject({ nps: 10, csat: 5, completedAt, reached: ["nps", "csat", "attribution", "comment"] });
  });

  it("the order status page's check: a set left unfinished is not answered (the survey is offered again), a complete one is", async () => {
    const order = newOrderId();
    await deliverOrder(order, ADA);
    const status = async () =>
      (await loader({ request: await checkoutRequest(STORE, PATH, { method: "GET", search: `?orderId=gid://shopify/Order/${order}` }), params: {}, context: {} })).json();
    expect(await status()).toEqual({ answered: false, editable: true });
    expect((await post(step(order, { nps: 6 }, { complete: false }))).status).toBe(201);
    expect(await status()).toEqual({ answered: false, editable: true });
    // the signed-in customer finishes it on the order status page
    expect((await post(step(order, { nps: 7, csat: 4 }), { sub: gid(ADA.id), search: "?surface=order-status" })).status).toBe(200);
    expect(await status()).toEqual({ answered: true, editable: true });
    expect(await stored(order)).toMatchObject({ nps: 7, csat: 4, surface: "order-status" });
  });

  it("refuses hostile values of the new fields with 400 naming the field, stores nothing, and logs none of them", async () => {
    const order = newOrderId();
    const email = "shopper-secret@example.com";
    const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ complete: "false" }, { complete: "Expected true or false" }],
      [{ complete: { $ne: 1 } }, { complete: "Expected true or false" }],
      [{ reached: [email] }, { reached: "Expected at most 15 question keys" }],
      [{ reached: "nps" }, { reached: "Expected at most 15 question keys" }],
      [{ reached: Array.from({ length: 16 }, (_, i) => `q${i}`) }, { reached: "Expected at most 15 question keys" }],
      [{ reached: ["<img src=x onerror=alert(1)>"] }, { reached: "Expected at most 15 question keys" }],
      [{ reached: [{ key: "nps" }] }, { reached: "Expected at most 15 question keys" }],
      [{ [email]: true }, { [email]: "Unknown field" }],
    ];
    for (const [extra, errors] of cases) {
      const response = await post(step(order, { nps: 9 }, extra));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors });
    }
    expect(await stored(order)).toBeNull();
    expect(await pending(order)).toBeNull();
    expect(logText()).not.toContain(email);
    expect(logText()).not.toContain("onerror");
  });
});

describe("POST /api/checkout/survey/seen", () => {
  const seenRows = (shop = SHOP) => prisma.surveySeen.findMany({ where: { shop }, orderBy: [{ orderId: "asc" }, { surface: "asc" }] });

  it("stores the order once per surface (201, then 200 for a repeat), with CORS, nothing else", async () => {
    const order = newOrderId();
    const first = await postSeen({ orderId: orderGid(order) });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ ok: true });
    expect(first.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect((await postSeen({ orderId: orderGid(order) })).status).toBe(200);
    expect((await postSeen({ orderId: `gid://shopify/Order/${order}` }, { search: "?surface=order-status" })).status).toBe(201);
    const rows = (await seenRows()).filter((r) => r.orderId === String(order));
    expect(rows.map((r) => [r.shop, r.orderId, r.surface])).toEqual([
      [SHOP, String(order), "order-status"],
      [SHOP, String(order), "thank-you"],
    ]);
    expect(Object.keys(rows[0]!).sort()).toEqual(["orderId", "seenAt", "shop", "surface"]);
  });

  it("is scoped to the token's shop: another shop's token records under that shop only", async () => {
    const order = newOrderId();
    await deliverOrder(order);
    expect((await postSeen({ orderId: orderGid(order) }, {}, "partial-other")).status).toBe(201);
    expect((await seenRows("partial-other.myshopify.com")).map((r) => r.orderId)).toContain(String(order));
    expect((await seenRows()).map((r) => r.orderId)).not.toContain(String(order));
  });

  it("answers the preflight, refuses a missing or forged token, another method, a bad surface, a bad or oversize body", async () => {
    const preflight = await seenLoader({ request: await checkoutRequest(STORE, SEEN, { method: "OPTIONS", token: null, headers: { "Access-Control-Request-Method": "POST" } }), params: {}, context: {} });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const order = newOrderId();
    const body = { orderId: orderGid(order) };
    expect((await postSeen(body, { token: null })).status).toBe(401);
    expect((await postSeen(body, { secret: "not-the-app-secret" })).status).toBe(401);
    const get = await seenLoader({ request: await checkoutRequest(STORE, SEEN, { method: "GET" }), params: {}, context: {} });
    expect(get.status).toBe(405);
    const email = "seen-secret@example.com";
    const refusals: Array<[CheckoutRequestOptions, number, unknown]> = [
      [{ search: "?surface=checkout" }, 400, { errors: { surface: "Expected thank-you or order-status" } }],
      [{ body: { orderId: email } }, 400, { errors: { orderId: "Expected an order GID such as gid://shopify/Order/123" } }],
      [{ body: { ...body, [email]: 1 } }, 400, { errors: { [email]: "Unknown field" } }],
      [{ body: { ...body, answers: { nps: 1 } } }, 400, { errors: { answers: "Unknown field" } }],
      [{ body: [body] }, 400, { errors: { body: "Expected a JSON object" } }],
      [{ rawBody: "{not json" }, 400, { errors: { body: "Expected a JSON object" } }],
      [{ rawBody: JSON.stringify({ ...body, pad: "x".repeat(2000) }) }, 413, { errors: { body: "Larger than 1024 bytes" } }],
    ];
    for (const [options, status, expected] of refusals) {
      const response = await callAction(seenAction, await checkoutRequest(STORE, SEEN, { search: "?surface=thank-you", body, ...options }));
      expect([response.status, await response.json()]).toEqual([status, expected]);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    }
    expect((await seenRows()).map((r) => r.orderId)).not.toContain(String(order));
    expect(logText()).not.toContain(email);
  });
});
