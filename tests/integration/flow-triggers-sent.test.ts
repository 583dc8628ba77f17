import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { storeProgram } from "~/models/loyalty.server";
import { inTransaction } from "~/models/transaction.server";
import { action as rewardsAction } from "~/routes/api.customer-account.rewards";
import { action as lifecycleAction } from "~/routes/flow.trigger-lifecycle";
import { action as appUninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { recomputeTiersPage } from "~/services/loyalty-ledger.server";
import { deliverDueOutbox } from "~/services/outbox.server";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "~/shopify/flow-triggers.server";
import { loader as flowPageLoader, action as flowPageAction } from "~/routes/app.flow/route";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { flowLifecycleRequest } from "../support/flow";
import { callHandler } from "../support/handlers";
import { restOrder } from "../support/orders";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { addReward, earnPoints, pointsAvailableAtOnce, rewardsRequest } from "../support/rewards";
import { adminRequest, installNewShop } from "../support/sessions";
import { postJson } from "../support/shop-seed";
import { callAction, signedWebhook } from "../support/webhooks";
import { allowConsoleError } from "../support/console";

/**
 * Shopify Flow triggers sent (issue 22, decisions 038 and 040): "Loyalty tier changed" (a signed order webhook that
 * crosses a tier threshold, the set-based recompute) and "Reward redeemed" (the customer
 * account's redeem route), each queued in its event's transaction only while Flow's lifecycle callback says a workflow
 * uses it, and sent by the outbox as the exact flowTriggerReceive document; nothing after uninstall.
 */

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });
afterEach(() => vi.restoreAllMocks());

const CUSTOMER = "207119551";
let orderId = 5_000_000;
let callbackAt = Date.parse("2026-12-01T00:00:00.000Z");

async function setTrigger(shop: string, handle: string, enabled: boolean) {
  callbackAt += 60_000;
  const callback = { flow_trigger_definition_id: handle, has_enabled_flow: enabled, shopify_domain: shop, timestamp: new Date(callbackAt).toISOString() };
  expect((await callAction(lifecycleAction, flowLifecycleRequest(callback))).status).toBe(200);
}

/** A signed orders/create of `dollars` for the customer (the default programme: 1 point per dollar; Silver at $250). */
async function order(shop: string, dollars: number, customerId = CUSTOMER) {
  const id = ++orderId;
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const body = restOrder({
    id,
    created_at: at,
    processed_at: at,
    updated_at: at,
    total_price: `${dollars}.00`,
    customer: { id: Number(customerId), first_name: "Rae", last_name: "Ward", email: "rae@example.com" },
    line_items: [{ id: id * 10, product_id: 77, title: "Tee", quantity: 1, price: `${dollars}.00` }],
  });
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
}

const flowMessages = (shop: string) => prisma.outboxMessage.findMany({ where: { shop, operation: "flowTriggerReceive" }, orderBy: { id: "asc" } });
const flowCalls = (shop: string) => adminCalls.filter((c) => c.shop === shop && c.operation === "AfterglowFlowTriggerReceive");

/** Shopify answering the Flow trigger and the tier mirror's calls queued before it. */
function stubFlow() {
  stubAdminOperation("AfterglowFlowTriggerReceive", () => ({ flowTriggerReceive: { userErrors: [] } }));
  stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
  stubAdminOperation("AfterglowTagsRemove", () => ({ tagsRemove: { userErrors: [] } }));
  stubAdminOperation("AfterglowMetafieldsSet", () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1" }], userErrors: [] } }));
}

describe('"Loyalty tier changed"', () => {
  it("a signed order crossing a threshold queues it with the tier change and the outbox sends the exact document", async () => {
    stubFlow();
    const shop = await installNewShop("flow-sent");
    await pointsAvailableAtOnce(shop);
    await setTrigger(shop, "loyalty-tier-changed", true);
    await order(shop, 50); // no tier → Bronze (threshold 0)
    await order(shop, 10); // still Bronze: nothing
    await order(shop, 300); // $360 lifetime: Bronze → Silver
    const messages = await flowMessages(shop);
    expect(messages.map((m) => JSON.parse(m.variables) as unknown)).toEqual([
      { handle: "loyalty-tier-changed", payload: { customer_id: 207119551, "previous tier": "", tier: "Bronze", points: 50 } },
      { handle: "loyalty-tier-changed", payload: { customer_id: 207119551, "previous tier": "Bronze", tier: "Silver", points: 360 } },
    ]);
    await deliverDueOutbox();
    const calls = flowCalls(shop);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.query).toBe(FLOW_TRIGGER_RECEIVE_MUTATION);
    expect(calls.map((c) => c.variables)).toEqual(messages.map((m) => JSON.parse(m.variables) as unknown));
    expect((await flowMessages(shop)).map((m) => m.status)).toEqual(["delivered", "delivered"]);
  });

  it("is not queued while no workflow uses it (never said, or disabled), nor for another shop's use of it", async () => {
    stubFlow();
    const shop = await installNewShop("flow-sent");
    await pointsAvailableAtOnce(shop);
    const other = await installNewShop("flow-sent");
    await pointsAvailableAtOnce(other);
    await setTrigger(other, "loyalty-tier-changed", true);
    await order(shop, 50);
    await setTrigger(shop, "loyalty-tier-changed", true);
    await setTrigger(shop, "loyalty-tier-changed", false);
    await order(shop, 300);
    // Another trigger enabled does not count for this one.
    await setTrigger(shop, "reward-redeemed", true);
    await order(shop, 1000);
    expect(await flowMessages(shop)).toEqual([]);
    // The tier changes themselves happened, with their mirror.
    expect((await prisma.tierChange.findMany({ where: { shop }, orderBy: { id: "asc" } })).map((t) => t.toSlug)).toEqual(["bronze", "silver", "gold"]);
    expect(await prisma.outboxMessage.count({ where: { shop, operation: "tagsAdd" } })).toBe(3);
  });

  it("the set-based recompute queues it for each customer whose tier changed, in the same statement", async () => {
    const shop = await installNewShop("flow-sent");
    await pointsAvailableAtOnce(shop);
    await order(shop, 50, "1001");
    await order(shop, 300, "1002");
    await setTrigger(shop, "loyalty-tier-changed", true);
    // The merchant raises Silver to $400: customer 1002 ($300) falls back to Bronze; 1001 stays Bronze.
    const program = { ...DEFAULT_PROGRAM, pending: { enabled: false, maxDays: 60 }, tiers: DEFAULT_PROGRAM.tiers.map((t) => (t.name === "Silver" ? { ...t, threshold: 40000 } : t)) };
    await storeProgram(shop, program);
    const page = await inTransaction((tx) => recomputeTiersPage(tx, shop, { after: null, limit: 100 }, program, "recompute", new Date()));
    expect(page).toMatchObject({ count: 2, changed: 1 });
    expect((await flowMessages(shop)).map((m) => JSON.parse(m.variables) as unknown)).toEqual([
      { handle: "loyalty-tier-changed", payload: { customer_id: 1002, "previous tier": "Silver", tier: "Bronze", points: 300 } },
    ]);
  });
});

describe('"Reward redeemed"', () => {
  async function redeem(shop: string, rewardId: number, key: string) {
    await resetSurveyRateLimits();
    return callHandler(rewardsAction, await rewardsRequest(shop.replace(".myshopify.com", ""), CUSTOMER, { body: { rewardId, idempotencyKey: key } }));
  }

  it("a redemption issued through the customer account route queues it once, with reward, points and code", async () => {
    stubFlow();
    stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/9" }, userErrors: [] } }));
    const shop = await installNewShop("flow-sent");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 700);
    await setTrigger(shop, "reward-redeemed", true);
    const rewardId = await addReward(shop, { title: "$10 off", kind: "fixed_amount", pointsCost: "500", amount: "10" });
    const redeemed = await redeem(shop, rewardId, "redeem-key-1");
    expect(redeemed.status, redeemed.text).toBe(201);
    // A retried click (same key) is the same redemption: nothing more.
    expect((await redeem(shop, rewardId, "redeem-key-1")).status).toBe(200);
    const redemption = await prisma.rewardRedemption.findFirstOrThrow({ where: { shop } });
    expect(redemption.status).toBe("issued");
    expect((await flowMessages(shop)).map((m) => JSON.parse(m.variables) as unknown)).toEqual([
      { handle: "reward-redeemed", payload: { customer_id: 207119551, reward: "$10 off", "points spent": 500, points: 200, "discount code": redemption.code } },
    ]);
    await deliverDueOutbox();
    expect(flowCalls(shop).map((c) => [c.query, c.variables])).toEqual([
      [FLOW_TRIGGER_RECEIVE_MUTATION, { handle: "reward-redeemed", payload: { customer_id: 207119551, reward: "$10 off", "points spent": 500, points: 200, "discount code": redemption.code } }],
    ]);
  });

  it("is not queued when no workflow uses it, nor for a code Shopify refused", async () => {
    stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/9" }, userErrors: [] } }));
    const shop = await installNewShop("flow-sent");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 2000);
    const rewardId = await addReward(shop, { title: "$10 off", kind: "fixed_amount", pointsCost: "500", amount: "10" });
    expect((await redeem(shop, rewardId, "redeem-key-a1")).status).toBe(201);
    expect(await flowMessages(shop)).toEqual([]);

    await setTrigger(shop, "reward-redeemed", true);
    stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({ discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["code"], message: "Code must be unique" }] } }));
    const refused = await redeem(shop, rewardId, "redeem-key-a2");
    expect(refused.status).toBe(422);
    expect((await prisma.rewardRedemption.findMany({ where: { shop }, orderBy: { createdAt: "asc" } })).map((r) => r.status)).toEqual(["issued", "refused"]);
    expect(await flowMessages(shop)).toEqual([]);
  });
});

describe("after uninstall", () => {
  it("nothing is sent: a queued trigger is failed, and new events queue none once the shop is gone", async () => {
    stubFlow();
    const shop = await installNewShop("flow-sent");
    await pointsAvailableAtOnce(shop);
    await setTrigger(shop, "loyalty-tier-changed", true);
    await order(shop, 50);
    expect(await flowMessages(shop)).toHaveLength(1);
    expect((await callAction(appUninstalled, signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop } }))).status).toBe(200);
    await deliverDueOutbox();
    expect(flowCalls(shop)).toEqual([]);
    expect((await flowMessages(shop)).map((m) => m.status)).toEqual(["failed"]);
  });
});

describe("the Flow page (/app/flow)", () => {
  it("lists each trigger with its use and fields, the sends with their status, and retries a failed send of the shop only", async () => {
    allowConsoleError(); // the outbox logs a message it gives up as an error, on purpose
    stubFlow();
    stubAdminOperation("AfterglowFlowTriggerReceive", () => ({ flowTriggerReceive: { userErrors: [{ field: ["handle"], message: "Trigger not found" }] } }));
    const shop = await installNewShop("flow-sent");
    await pointsAvailableAtOnce(shop);
    const store = shop.replace(".myshopify.com", "");
    await setTrigger(shop, "loyalty-tier-changed", true);
    await order(shop, 50);
    await deliverDueOutbox();
    const [failed] = await flowMessages(shop);
    expect(failed).toMatchObject({ status: "failed", lastError: "flowTriggerReceive: userErrors: handle Trigger not found" });

    const page = await callHandler(flowPageLoader, await adminRequest(store, "/app/flow"));
    expect(page.status).toBe(200);
    const data = page.value as Awaited<ReturnType<typeof flowPageLoader>>;
    expect(data.triggers.map((t) => [t.name, t.inUse, t.fields.join(", ")])).toEqual([
      ["Survey answer received", false, "Customer, Order, nps score, nps group, csat score, ces score, comment, attribution"],
      ["Loyalty tier changed", true, "Customer, previous tier, tier, points"],
      ["Reward redeemed", false, "Customer, reward, points spent, points, discount code"],
      ["Follow-up status changed", false, "Customer, Order, follow up id, previous status, status, owner"],
      ["Goodwill granted", false, "Customer, Order, follow up id, goodwill, points, reward, discount code"],
      ["Review requested", false, "Customer, Order, follow up id, nps score"],
      ["Thank-you requested", false, "Customer, Order, follow up id, nps score"],
    ]);
    expect(data.actions.map((a) => [a.name, a.fields.join(", "), a.path])).toEqual([
      ["Award loyalty points", "Customer, points, reason", "/flow/actions/award-points"],
      ["Set follow-up status", "Order, status", "/flow/actions/set-follow-up-status"],
    ]);
    expect(data.sends).toMatchObject({ pending: 0, delivered: 0, failed: 1 });
    expect(data.sends.recent).toEqual([
      { id: failed!.id, trigger: "Loyalty tier changed", status: "failed", attempts: 1, lastError: "flowTriggerReceive: userErrors: handle Trigger not found", createdAt: failed!.createdAt.toISOString() },
    ]);

    // Another shop cannot retry it; a tag message of the shop is not a Flow send; the shop's own retry puts it back.
    const other = await installNewShop("flow-sent");
    await pointsAvailableAtOnce(other);
    const foreign = await callHandler(flowPageAction, await postJson(other.replace(".myshopify.com", ""), "/app/flow", { intent: "retry", id: failed!.id }));
    expect(foreign.status).toBe(400);
    const tag = await prisma.outboxMessage.findFirstOrThrow({ where: { shop, operation: "tagsAdd" } });
    expect((await callHandler(flowPageAction, await postJson(store, "/app/flow", { intent: "retry", id: tag.id }))).status).toBe(400);
    const retried = await callHandler(flowPageAction, await postJson(store, "/app/flow", { intent: "retry", id: failed!.id }));
    expect(retried).toMatchObject({ status: 200, value: { ok: true, retried: failed!.id } });
    expect((await flowMessages(shop))[0]).toMatchObject({ status: "pending", attempts: 0 });
  });
});
