import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import type { ShopperRewardsView } from "~/domain/loyalty/rewards-view";
import { action, loader } from "~/routes/api.customer-account.rewards";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { stubAdminOperation } from "../support/admin-api";
import { callHandler } from "../support/handlers";
import { restOrder, restRefund } from "../support/orders";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { addReward, pointsAvailableAtOnce, pointsOf, rewardsRequest } from "../support/rewards";
import { installNewShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * A refund after the points were spent: the ledger takes the order's points back whatever the balance, so the balance
 * goes below zero. The shopper sees it as points owed (never an error), cannot redeem, and the next earnings pay it
 * off first. Real signed webhooks, real routes, real PostgreSQL.
 */

const CUSTOMER = "901";
const storeOf = (shop: string) => shop.replace(".myshopify.com", "");
const customer = { id: Number(CUSTOMER), first_name: "Owen", last_name: "Dee", email: "owen@example.com" };

async function order(shop: string, id: number, total: string, daysAgo: number) {
  const at = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  const body = restOrder({ id, created_at: at, processed_at: at, updated_at: at, total_price: total, customer, line_items: [{ id: id * 10, product_id: 77, title: "Coat", quantity: 1, price: total }] });
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
}

async function view(shop: string): Promise<ShopperRewardsView> {
  const response = await callHandler(loader, await rewardsRequest(storeOf(shop), CUSTOMER, { method: "GET" }));
  expect(response.status).toBe(200);
  return JSON.parse(response.text) as ShopperRewardsView;
}

beforeEach(() => {
  resetSurveyRateLimits();
  stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] } }));
});

describe("a refund after the points were spent: an owed balance", () => {
  it("takes the balance below zero, shows it as owed without blocking the page, refuses redemptions (409), and future earnings pay it off first", async () => {
    // GIVEN a $600 order (600 points) and 500 of them spent on a reward
    const shop = await installNewShop("rewards-owed");
    await pointsAvailableAtOnce(shop);
    await order(shop, 5001, "600.00", 3);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    const redeemed = await callHandler(action, await rewardsRequest(storeOf(shop), CUSTOMER, { body: { rewardId, idempotencyKey: randomUUID() } }));
    expect(redeemed.status).toBe(201);
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(100);

    // WHEN the whole order is refunded
    const refund = restRefund({
      id: 7001,
      order_id: 5001,
      created_at: new Date(Date.now() + 1000).toISOString(), // after the redemption
      transactions: [{ id: 70010, kind: "refund", status: "success", amount: "600.00", currency: "USD" }],
    });
    expect((await callAction(refundsCreate, signedWebhook({ topic: "refunds/create", shop, body: refund }))).status).toBe(200);

    // THEN the order's 600 points are taken back in full: 100 - 600 = -500, the code stays issued (it was paid for)
    const ledger = await prisma.pointsLedger.findMany({ where: { shop, customerId: CUSTOMER }, orderBy: { id: "asc" }, select: { kind: true, points: true } });
    expect(ledger.map((l) => [l.kind, Number(l.points)])).toEqual([
      ["order", 600],
      ["redemption", -500],
      ["refund", -600],
    ]);
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(-500);
    const owed = await view(shop);
    expect(owed.balance).toBe(-500);
    expect(owed.rewards).toMatchObject([{ id: rewardId, affordable: false }]);
    expect(owed.codes).toHaveLength(1);
    expect(owed.history[0]).toMatchObject({ kind: "refund", points: -600 });

    // AND a redemption is refused with 409, the shopper told they have 0 points, nothing booked
    const refused = await callHandler(action, await rewardsRequest(storeOf(shop), CUSTOMER, { body: { rewardId, idempotencyKey: randomUUID() } }));
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.text)).toEqual({ errors: { points: "This reward costs 500 points; you have 0." }, balance: -500 });
    expect(await prisma.rewardRedemption.count({ where: { shop } })).toBe(1);

    // WHEN the shopper buys again: the new points pay the debt first
    await order(shop, 5002, "200.00", 0);
    expect((await view(shop)).balance).toBe(-300);
    await order(shop, 5003, "400.00", 0);
    const paidOff = await view(shop);
    expect(paidOff.balance).toBe(100);
    expect(paidOff.rewards).toMatchObject([{ id: rewardId, affordable: false }]);
  });
});
