import { describe, expect, it } from "vitest";
import { stubAdminOperation } from "../support/admin-api";
import { earnPoints, pointsAvailableAtOnce, rewardsRequest } from "../support/rewards";
import { prisma } from "~/db.server";
import { action as customerRewards } from "~/routes/api.customer-account.rewards";
import { action, loader } from "~/routes/app.loyalty/route";
import { callHandler } from "../support/handlers";
import { restOrder, restRefund } from "../support/orders";
import { callAction, signedWebhook } from "../support/webhooks";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { installNewShop, adminRequest } from "../support/sessions";
import { postJson } from "../support/shop-seed";

/**
 * The rewards catalogue on the Loyalty page: added and edited through the page's action with App Bridge's session
 * token, validated on the server with the editor's own messages, listed by the page's loader, scoped to the shop.
 */

const storeOf = (shop: string) => shop.replace(".myshopify.com", "");

async function newShop(currency: string) {
  const shop = await installNewShop("catalogue");
  await pointsAvailableAtOnce(shop);
  await prisma.shop.create({ data: { shop, name: "Catalogue", currency, timezone: "UTC" } });
  return shop;
}

const saveReward = async (shop: string, form: Record<string, unknown>, rewardId?: number) =>
  callHandler(action, await postJson(storeOf(shop), "/app/loyalty", { intent: "save-reward", ...(rewardId === undefined ? {} : { rewardId }), form }));

async function page(shop: string) {
  const result = await callHandler(loader, await adminRequest(storeOf(shop), "/app/loyalty"));
  expect(result.status).toBe(200);
  return (result.value as { rewards: Record<string, unknown>[] }).rewards;
}

async function figures(shop: string) {
  const result = await callHandler(loader, await adminRequest(storeOf(shop), "/app/loyalty"));
  return (result.value as { rewardFigures: Record<string, unknown> }).rewardFigures;
}

const fiveOff = { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5", minimum: "", validityDays: "30", enabled: true };

describe("the rewards catalogue", () => {
  it("adds a reward, lists it with what it gives, and stores exact minor units with the stated defaults", async () => {
    const shop = await newShop("USD");

    const saved = await saveReward(shop, { ...fiveOff, minimum: "25.50" });

    expect(saved.status).toBe(200);
    const { rewardId } = saved.value as { ok: true; rewardId: number };
    const row = await prisma.reward.findUniqueOrThrow({ where: { id: rewardId } });
    expect(row).toMatchObject({
      shop,
      title: "$5 off",
      kind: "fixed_amount",
      pointsCost: 500,
      amountMinor: 500n,
      percent: null,
      minimumMinor: 2550n,
      currency: "USD",
      enabled: true,
      validityDays: 30,
      combinesWithOrder: true,
      combinesWithProduct: true,
      combinesWithShipping: true,
    });
    expect(await page(shop)).toEqual([
      expect.objectContaining({ id: rewardId, title: "$5 off", pointsCost: 500, amountMinor: 500, minimumMinor: 2550, valueText: "$5.00 off orders of $25.50 or more", enabled: true }),
    ]);
  });

  it("reads amounts in the shop's currency: yen have no decimals", async () => {
    const shop = await newShop("JPY");
    const refused = await saveReward(shop, { ...fiveOff, amount: "500.5" });
    expect(refused.status).toBe(400);
    expect(refused.value).toEqual({ ok: false, errors: { amount: "Enter the amount off as a whole number of JPY" } });
    expect((await saveReward(shop, { ...fiveOff, amount: "500" })).status).toBe(200);
    expect(await page(shop)).toMatchObject([{ amountMinor: 500, currency: "JPY", valueText: "¥500 off" }]);
  });

  it("refuses an invalid reward with the editor's message per field, and stores nothing", async () => {
    const shop = await newShop("USD");
    const result = await saveReward(shop, { title: "", kind: "percentage", pointsCost: "0", percent: "150", validityDays: "400" });
    expect(result.status).toBe(400);
    expect(result.value).toEqual({
      ok: false,
      errors: {
        title: "Give the reward a name shoppers will see",
        pointsCost: "The points cost must be at least 1",
        percent: "The percentage can be at most 100",
        validityDays: "The number of days a code stays valid can be at most 365",
      },
    });
    expect(await prisma.reward.count({ where: { shop } })).toBe(0);
  });

  it("edits a reward and switches it off and on; an id of another shop is 404 and changes nothing", async () => {
    const shop = await newShop("USD");
    const other = await newShop("USD");
    const mine = (await saveReward(shop, fiveOff)).value as { rewardId: number };
    const theirs = (await saveReward(other, fiveOff)).value as { rewardId: number };

    const edited = await saveReward(shop, { ...fiveOff, title: "Free shipping", kind: "free_shipping", pointsCost: "300", combinesWithShipping: true }, mine.rewardId);
    expect(edited.status).toBe(200);
    expect(await page(shop)).toMatchObject([{ id: mine.rewardId, title: "Free shipping", kind: "free_shipping", amountMinor: null, currency: null, valueText: "Free shipping" }]);

    expect((await saveReward(shop, { ...fiveOff, title: "Free shipping", kind: "free_shipping", pointsCost: "300", enabled: false }, mine.rewardId)).status).toBe(200);
    expect(await page(shop)).toMatchObject([{ enabled: false }]);

    const foreign = await saveReward(shop, { ...fiveOff, title: "Hijack" }, theirs.rewardId);
    expect(foreign.status).toBe(404);
    expect(foreign.value).toEqual({ ok: false, errors: { reward: "This reward does not exist" } });
    expect(await page(other)).toMatchObject([{ title: "$5 off", enabled: true }]);
    expect(await page(shop)).toHaveLength(1);
  });

  it("refuses a reward id that is not a whole number", async () => {
    const shop = await newShop("USD");
    const result = await callHandler(action, await postJson(storeOf(shop), "/app/loyalty", { intent: "save-reward", rewardId: "1", form: fiveOff }));
    expect(result.status).toBe(400);
    expect(result.value).toEqual({ ok: false, errors: { reward: "Unknown reward" } });
  });

  it("sums the programme on the page: points earned, redeemed (net of points given back), outstanding and what they are worth, codes per status", async () => {
    // GIVEN two customers with 1,200 and 300 points, a $5-for-500 reward and a $12-for-1000 one
    const shop = await newShop("USD");
    await earnPoints(shop, "601", 1200);
    await earnPoints(shop, "602", 300);
    const five = ((await saveReward(shop, fiveOff)).value as { rewardId: number }).rewardId;
    await saveReward(shop, { ...fiveOff, title: "$12 off", pointsCost: "1000", amount: "12" });
    expect(await figures(shop)).toEqual({
      earned: 1500,
      redeemed: 0,
      outstanding: 1500,
      // none wait out a return window: the programme never turned pending points on (decision 043)
      pending: 0,
      // at the better rate, $12 per 1,000 points
      liabilityMinor: 1800,
      liabilityRate: { amountMinor: 1200, pointsCost: 1000 },
      codes: { pending: 0, issued: 0, refused: 0, used: 0, expired: 0 },
      rewardOrders: { orders: 0, netMinor: 0 },
    });

    // WHEN 601 redeems $5 off twice: Shopify issues the first code and refuses the second (its points come back)
    let calls = 0;
    stubAdminOperation("AfterglowRewardCodeBasicCreate", () =>
      ++calls === 1
        ? { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] } }
        : { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["basicCodeDiscount"], message: "Discount limit reached", code: null }] } },
    );
    const store = storeOf(shop);
    const first = await callHandler(customerRewards, await rewardsRequest(store, "601", { body: { rewardId: five, idempotencyKey: "fig-click-1" } }));
    expect(first.status).toBe(201);
    const code = (JSON.parse(first.text) as { redemption: { code: string } }).redemption.code;
    expect((await callHandler(customerRewards, await rewardsRequest(store, "601", { body: { rewardId: five, idempotencyKey: "fig-click-2" } }))).status).toBe(422);

    // THEN 500 points redeemed, 1,000 outstanding worth $12.00, one code issued and one refused
    expect(await figures(shop)).toEqual({
      earned: 1500,
      redeemed: 500,
      outstanding: 1000,
      pending: 0,
      liabilityMinor: 1200,
      liabilityRate: { amountMinor: 1200, pointsCost: 1000 },
      codes: { pending: 0, issued: 1, refused: 1, used: 0, expired: 0 },
      rewardOrders: { orders: 0, netMinor: 0 },
    });

    // WHEN 601 places a $40.00 order with the code (and a test order names it too), then $15.00 of it is refunded
    const order = (id: number, extra: Record<string, unknown> = {}) =>
      restOrder({
        id,
        total_price: "40.00",
        customer: { id: 601, first_name: "Ida", last_name: "Moss", email: "ida@example.com" },
        line_items: [{ id: id * 10, product_id: 77, title: "Tee", quantity: 1, price: "45.00" }],
        discount_codes: [{ code, amount: "5.00", type: "fixed_amount" }],
        ...extra,
      });
    for (const [id, extra] of [[970_001, {}], [970_002, { test: true }]] as const) {
      const response = await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body: order(id, extra) }));
      expect(response.status).toBe(200);
    }
    const refund = restRefund({ id: 970_901, order_id: 970_001, transactions: [{ id: 9_709_010, kind: "refund", status: "success", amount: "15.00", currency: "USD" }] });
    expect((await callAction(refundsCreate, signedWebhook({ topic: "refunds/create", shop, body: refund }))).status).toBe(200);

    // THEN the code counts as used, and the orders that used a code are worth $25.00 net (the test order left out)
    expect(await figures(shop)).toMatchObject({
      codes: { pending: 0, issued: 0, refused: 1, used: 1, expired: 0 },
      rewardOrders: { orders: 1, netMinor: 2500 },
    });
  });

  it("has no worth for the points without an amount-off reward, and counts no owed balance as outstanding", async () => {
    const shop = await newShop("USD");
    await earnPoints(shop, "701", 200);
    await prisma.customer.create({ data: { shop, id: "702", pointsBalance: -40 } });
    await saveReward(shop, { title: "Free shipping", kind: "free_shipping", pointsCost: "100", validityDays: "30" });
    expect(await figures(shop)).toMatchObject({ outstanding: 200, liabilityMinor: null, liabilityRate: null });
  });
});
