import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { action, loader } from "~/routes/api.checkout.survey.audience";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { checkoutRequest, type CheckoutRequestOptions } from "../support/checkout";
import { restOrder } from "../support/orders";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * POST /api/checkout/survey/audience (issue 23, decision 045): survey targeting's "first order or returning customer",
 * answered from the app's own orders for the customer the session token names, through the real route with real
 * session-token JWTs and orders delivered as signed webhooks.
 */
const STORE = "audience";
const SHOP = `${STORE}.myshopify.com`;
const PATH = "/api/checkout/survey/audience";
const DAY = 24 * 3600_000;
const gid = (id: number) => `gid://shopify/Customer/${id}`;
const orderGid = (order: number) => `gid://shopify/OrderIdentity/${order}`;

const ask = async (order: number | string, options: CheckoutRequestOptions = {}, store = STORE) =>
  callAction(action, await checkoutRequest(store, PATH, { body: { orderId: typeof order === "number" ? orderGid(order) : order }, ...options }));
const answer = async (order: number, options: CheckoutRequestOptions = {}, store = STORE) => {
  const response = await ask(order, options, store);
  expect(response.status).toBe(200);
  expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  return response.json();
};

async function deliver(id: number, customerId: number | null, daysAgo: number, extra: Record<string, unknown> = {}, shop = SHOP) {
  const at = new Date(Date.now() - daysAgo * DAY).toISOString();
  const customer = customerId === null ? null : { id: customerId, first_name: "Ada", last_name: "Lovelace", email: `c${customerId}@example.com` };
  const body = { ...restOrder({ id, created_at: at, processed_at: at, updated_at: at }), customer, ...extra };
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
}

const LOG_FILE = path.join(inject("logDir"), `${process.pid}.jsonl`);
const logText = () => (fs.existsSync(LOG_FILE) ? fs.readFileSync(LOG_FILE, "utf8") : "");

beforeEach(() => resetSurveyRateLimits());

describe("first order or returning customer, from the app's own orders", () => {
  it("a signed-in customer with no earlier order: first order, whether or not this order has reached the app", async () => {
    expect(await answer(5001, { sub: gid(801) })).toEqual({ firstOrder: true, known: true });
    await deliver(5001, 801, 0);
    expect(await answer(5001, { sub: gid(801) })).toEqual({ firstOrder: true, known: true });
  });

  it("a customer with an earlier order is returning, on the thank-you page before the new order arrives and after", async () => {
    await deliver(5010, 802, 30);
    expect(await answer(5011, { sub: gid(802) })).toEqual({ firstOrder: false, known: true });
    await deliver(5011, 802, 0);
    expect(await answer(5011, { sub: gid(802) })).toEqual({ firstOrder: false, known: true });
    // The order status page of the customer's first order, viewed later: that order was their first.
    expect(await answer(5010, { sub: gid(802) })).toEqual({ firstOrder: true, known: true });
  });

  it("test and cancelled orders do not make a returning customer", async () => {
    await deliver(5020, 803, 20, { test: true });
    await deliver(5021, 803, 10, { cancelled_at: new Date(Date.now() - 9 * DAY).toISOString(), cancel_reason: "customer" });
    expect(await answer(5022, { sub: gid(803) })).toEqual({ firstOrder: true, known: true });
    await deliver(5023, 803, 5);
    expect(await answer(5022, { sub: gid(803) })).toEqual({ firstOrder: false, known: true });
  });

  it("a guest counts as a first order, even for an order whose customer the app knows: nothing about them is told", async () => {
    await deliver(5030, 804, 40);
    await deliver(5031, 804, 1);
    expect(await answer(5031)).toEqual({ firstOrder: true, known: false });
    // A token naming another customer learns only about that customer: the order's own date is not used either.
    expect(await answer(5031, { sub: gid(805) })).toEqual({ firstOrder: true, known: true });
  });

  it("another shop's orders never count: the shop is the token's", async () => {
    await deliver(5040, 806, 15, {}, "audience-other.myshopify.com");
    expect(await answer(5041, { sub: gid(806) })).toEqual({ firstOrder: true, known: true });
    expect(await answer(5041, { sub: gid(806) }, "audience-other")).toEqual({ firstOrder: false, known: true });
  });
});

describe("refusals", () => {
  it("answers the preflight, refuses a missing or forged token, another method, a bad or oversize body, and logs no sender text", async () => {
    const preflight = await loader({ request: await checkoutRequest(STORE, PATH, { method: "OPTIONS", token: null, headers: { "Access-Control-Request-Method": "POST" } }), params: {}, context: {} });
    expect(preflight.status).toBe(204);
    expect((await ask(5050, { token: null })).status).toBe(401);
    expect((await ask(5050, { secret: "not-the-app-secret" })).status).toBe(401);
    expect((await ask(5050, { expiresIn: -60 })).status).toBe(401);
    const get = await loader({ request: await checkoutRequest(STORE, PATH, { method: "GET" }), params: {}, context: {} });
    expect([get.status, await get.json()]).toEqual([405, { errors: { method: "Use POST" } }]);
    const email = "audience-secret@example.com";
    const body = { orderId: orderGid(5050) };
    const refusals: Array<[CheckoutRequestOptions, number, unknown]> = [
      [{ body: { orderId: email } }, 400, { errors: { orderId: "Expected an order GID such as gid://shopify/Order/123" } }],
      [{ body: { orderId: 5050 } }, 400, { errors: { orderId: "Expected an order GID such as gid://shopify/Order/123" } }],
      [{ body: { ...body, [email]: 1 } }, 400, { errors: { [email]: "Unknown field" } }],
      [{ body: { ...body, customerId: gid(802) } }, 400, { errors: { customerId: "Unknown field" } }],
      [{ body: [body] }, 400, { errors: { body: "Expected a JSON object" } }],
      [{ rawBody: "{not json" }, 400, { errors: { body: "Expected a JSON object" } }],
      [{ rawBody: JSON.stringify({ ...body, pad: "x".repeat(2000) }) }, 413, { errors: { body: "Larger than 1024 bytes" } }],
    ];
    for (const [options, status, expected] of refusals) {
      const response = await callAction(action, await checkoutRequest(STORE, PATH, { body, sub: gid(802), ...options }));
      expect([response.status, await response.json()]).toEqual([status, expected]);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    }
    expect(logText()).not.toContain(email);
  });

  it("counts against the order's survey rate limit like the other survey requests", async () => {
    let last = 0;
    for (let i = 0; i < 31; i += 1) last = (await ask(5060, { sub: gid(807) })).status;
    expect(last).toBe(429);
  });
});
