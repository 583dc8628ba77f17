import { describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { inTransaction } from "~/models/transaction.server";
import { action } from "~/routes/api.checkout.survey";
import { action as lifecycleAction } from "~/routes/flow.trigger-lifecycle";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { deliverDueOutbox } from "~/services/outbox.server";
import { sweepPendingAnswersAllShops } from "~/services/scheduler.server";
import { decideSurveyAnswerReceived, sweepSurveyAnswerMoments } from "~/services/survey-answer-events.server";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "~/shopify/flow-triggers.server";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { checkoutRequest, type CheckoutRequestOptions } from "../support/checkout";
import { flowLifecycleRequest } from "../support/flow";
import { restOrder } from "../support/orders";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { installNewShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * "Survey answer received" (issue 23, decisions 038 and 041): answers are saved step by step, and the Flow trigger is
 * queued through the outbox once per answer set — when its last step completes it, or when its 24-hour edit window
 * closes (the hourly sweep) for a shopper who left — only while the shop's workflows use it; the exact document is
 * asserted.
 */
vi.setConfig({ testTimeout: 30_000 });

const HANDLE = "survey-answer-received";
const HOUR = 3600_000;
const CUSTOMER = { id: 207119551, first_name: "Bob", last_name: "Norman", email: "bob@example.com" };

let nextOrder = 51_000;
const newOrderId = () => (nextOrder += 1);
const store = (shop: string) => shop.replace(".myshopify.com", "");
const step = (order: number, answers: Record<string, unknown>, extra: Record<string, unknown> = { complete: false }) => ({
  orderId: `gid://shopify/OrderIdentity/${order}`,
  locale: "en",
  answers,
  ...extra,
});
async function post(shop: string, body: unknown, options: CheckoutRequestOptions = {}) {
  await resetSurveyRateLimits();
  return callAction(action, await checkoutRequest(store(shop), "/api/checkout/survey", { ...options, body }));
}

async function setUse(shop: string, enabled: boolean, timestamp: string) {
  const body = { flow_trigger_definition_id: HANDLE, has_enabled_flow: enabled, shop_id: 1, shopify_domain: shop, timestamp };
  expect((await callAction(lifecycleAction, flowLifecycleRequest(body))).status).toBe(200);
}

async function deliverOrder(shop: string, id: number, customer: typeof CUSTOMER | null = CUSTOMER) {
  const at = new Date(Date.now() - 2 * HOUR).toISOString();
  const body = { ...restOrder({ id, created_at: at, processed_at: at, updated_at: at }), customer };
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
}

const flowMessages = (shop: string) => prisma.outboxMessage.findMany({ where: { shop, operation: "flowTriggerReceive" }, orderBy: { id: "asc" } });
const flowCalls = (shop: string) => adminCalls.filter((c) => c.shop === shop && c.operation === "AfterglowFlowTriggerReceive");
function stubFlow() {
  stubAdminOperation("AfterglowFlowTriggerReceive", () => ({ flowTriggerReceive: { userErrors: [] } }));
  // The order's own calls (the customer's loyalty tags and metafield) go out through the same outbox first.
  stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
  stubAdminOperation("AfterglowTagsRemove", () => ({ tagsRemove: { userErrors: [] } }));
  stubAdminOperation("AfterglowMetafieldsSet", () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1" }], userErrors: [] } }));
}
const setOf = (shop: string, order: number) => prisma.surveyResponse.findUnique({ where: { shop_orderId: { shop, orderId: String(order) } } });

describe('"Survey answer received"', () => {
  it("is queued once, when the last step completes the set, and the outbox sends the exact document", async () => {
    stubFlow();
    const shop = await installNewShop("survey-flow");
    await setUse(shop, true, "2026-12-01T10:00:00Z");
    const order = newOrderId();
    await deliverOrder(shop, order);
    const signedIn = { sub: `gid://shopify/Customer/${CUSTOMER.id}` };

    // WHEN the shopper answers step by step: nothing is queued before the last step
    expect((await post(shop, step(order, { nps: 4 }), signedIn)).status).toBe(201);
    expect((await post(shop, step(order, { nps: 4, csat: 2 }), signedIn)).status).toBe(200);
    expect(await flowMessages(shop)).toEqual([]);
    // the last step completes it
    expect((await post(shop, step(order, { nps: 4, csat: 2, attribution: { optionId: "search" }, comment: "Box was crushed" }, {}), signedIn)).status).toBe(200);
    expect(await flowMessages(shop)).toHaveLength(1);
    expect((await setOf(shop, order))?.flowDecidedAt).toBeInstanceOf(Date);
    // a change within the edit window, and the sweep, queue nothing more
    expect((await post(shop, step(order, { nps: 5 }, {}), signedIn)).status).toBe(200);
    expect(await sweepSurveyAnswerMoments(shop, new Date(Date.now() + 25 * HOUR))).toEqual({ decided: 0, queued: 0 });
    expect(await flowMessages(shop)).toHaveLength(1);

    // THEN the outbox sends flowTriggerReceive with the set as it was when completed
    expect(await deliverDueOutbox()).toMatchObject({ retried: 0, failed: 0 });
    const calls = flowCalls(shop);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.query).toBe(FLOW_TRIGGER_RECEIVE_MUTATION);
    expect(calls[0]!.variables).toEqual({
      handle: HANDLE,
      payload: {
        customer_id: CUSTOMER.id,
        order_id: order,
        "nps score": 4,
        "nps group": "detractor",
        "csat score": 2,
        "ces score": null,
        comment: "Box was crushed",
        attribution: "search",
      },
    });
    expect((await flowMessages(shop))[0]!.status).toBe("delivered");
  });

  it("a shopper who left after some questions: queued by the sweep once the edit window closed, once; a guest's has no customer_id", async () => {
    stubFlow();
    const shop = await installNewShop("survey-flow");
    await setUse(shop, true, "2026-12-01T10:00:00Z");
    const order = newOrderId();
    await deliverOrder(shop, order, null);
    expect((await post(shop, step(order, { nps: 10 }))).status).toBe(201);
    const answeredAt = (await setOf(shop, order))!.createdAt;

    // before the window closes: nothing
    expect(await sweepSurveyAnswerMoments(shop, new Date(answeredAt.getTime() + 24 * HOUR - 1))).toEqual({ decided: 0, queued: 0 });
    expect(await flowMessages(shop)).toEqual([]);
    // at 24 hours the answers are final: the sweep queues it, once
    expect(await sweepSurveyAnswerMoments(shop, new Date(answeredAt.getTime() + 24 * HOUR))).toEqual({ decided: 1, queued: 1 });
    expect(await sweepSurveyAnswerMoments(shop, new Date(answeredAt.getTime() + 48 * HOUR))).toEqual({ decided: 0, queued: 0 });
    const messages = await flowMessages(shop);
    expect(messages.map((m) => JSON.parse(m.variables) as unknown)).toEqual([
      { handle: HANDLE, payload: { order_id: order, "nps score": 10, "nps group": "promoter", "csat score": null, "ces score": null, comment: "", attribution: "" } },
    ]);
    // two deciders at once (two instances' sweeps, or the last step and a sweep): exactly one gets the set
    const other = newOrderId();
    await deliverOrder(shop, other, null);
    expect((await post(shop, step(other, { nps: 1 }))).status).toBe(201);
    const later = new Date((await setOf(shop, other))!.createdAt.getTime() + 25 * HOUR);
    const results = await Promise.all([0, 1, 2].map(() => inTransaction((tx) => decideSurveyAnswerReceived(tx, shop, String(other), later))));
    expect(results.filter(Boolean)).toEqual([true]);
    expect(await flowMessages(shop)).toHaveLength(2);
  });

  it("a set completed before its order arrived is queued by the hourly sweep after the order comes", async () => {
    stubFlow();
    const shop = await installNewShop("survey-flow");
    await setUse(shop, true, "2026-12-01T10:00:00Z");
    const order = newOrderId();
    expect((await post(shop, step(order, { nps: 8 }, {}))).status).toBe(201);
    expect(await flowMessages(shop)).toEqual([]);
    await deliverOrder(shop, order);
    // the scheduler's hourly run (one instance claims the hour): pending answers first, then the sets' moments
    expect(await sweepPendingAnswersAllShops(new Date(Date.UTC(2031, 0, 1, 5)))).toBe(true);
    expect((await flowMessages(shop)).map((m) => JSON.parse(m.variables) as unknown)).toEqual([
      { handle: HANDLE, payload: { customer_id: CUSTOMER.id, order_id: order, "nps score": 8, "nps group": "passive", "csat score": null, "ces score": null, comment: "", attribution: "" } },
    ]);
  });

  it("is not queued when no workflow uses it (never said, or disabled since), and the set is still decided once", async () => {
    const shop = await installNewShop("survey-flow");
    const first = newOrderId();
    await deliverOrder(shop, first);
    expect((await post(shop, step(first, { nps: 9 }, {}))).status).toBe(201);
    expect((await setOf(shop, first))?.flowDecidedAt).toBeInstanceOf(Date);

    await setUse(shop, true, "2026-12-01T10:00:00Z");
    await setUse(shop, false, "2026-12-01T11:00:00Z");
    const second = newOrderId();
    await deliverOrder(shop, second);
    expect((await post(shop, step(second, { nps: 9 }))).status).toBe(201);
    expect(await sweepSurveyAnswerMoments(shop, new Date(Date.now() + 25 * HOUR))).toEqual({ decided: 1, queued: 0 });
    expect(await flowMessages(shop)).toEqual([]);
    // enabled later: earlier sets are not sent
    await setUse(shop, true, "2026-12-01T12:00:00Z");
    expect(await sweepSurveyAnswerMoments(shop, new Date(Date.now() + 50 * HOUR))).toEqual({ decided: 0, queued: 0 });
    expect(await flowMessages(shop)).toEqual([]);
  });
});
