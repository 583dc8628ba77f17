import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import type { ShopperRewardsView } from "~/domain/loyalty/rewards-view";
import { action, loader } from "~/routes/api.customer-account.rewards";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { saveShopProfile } from "~/models/shops.server";
import { issueRewardByStaff } from "~/services/rewards.server";
import { EXPIRY_GRACE_MS, PENDING_AFTER_MS, sweepRewardCodes, sweepRewardsAllShops } from "~/services/rewards-sweep.server";
import { recordingGraphql } from "~/demo/admin-recorder.server";
import { adminCalls, failAdminOperation, stubAdminOperation } from "../support/admin-api";
import { callHandler } from "../support/handlers";
import { restOrder } from "../support/orders";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { addReward, earnPoints, pointsAvailableAtOnce, pointsOf, rewardsRequest } from "../support/rewards";
import { installNewShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * The rewards sweep: issued codes unused past their end (and the grace for late order webhooks) expire and give their
 * points back through the ledger, once; redemptions left pending by a lost answer are settled by looking the code up.
 * Real PostgreSQL; the Admin API stubbed, the documents sent to it asserted.
 */

const CUSTOMER = "801";
const MINUTE = 60_000;
const DAY = 86_400_000;
const storeOf = (shop: string) => shop.replace(".myshopify.com", "");

/** Shopify creates every code it is sent and finds the ones it created. */
function shopifyCreatesCodes() {
  let n = 0;
  const created = new Map<string, string>();
  stubAdminOperation("AfterglowRewardCodeBasicCreate", (call) => {
    const id = `gid://shopify/DiscountCodeNode/${++n}`;
    created.set(String((call.variables?.basicCodeDiscount as { code: string }).code), id);
    return { discountCodeBasicCreate: { codeDiscountNode: { id }, userErrors: [] } };
  });
  stubAdminOperation("AfterglowRewardCodeByCode", (call) => {
    const id = created.get(String(call.variables?.code));
    return { codeDiscountNodeByCode: id ? { id } : null };
  });
  return created;
}

async function redeem(shop: string, rewardId: number, customerId = CUSTOMER) {
  return callHandler(action, await rewardsRequest(storeOf(shop), customerId, { body: { rewardId, idempotencyKey: randomUUID() } }));
}

const rowOf = (shop: string, id: string) => prisma.rewardRedemption.findUniqueOrThrow({ where: { shop_id: { shop, id } } });
const only = async (shop: string) => (await prisma.rewardRedemption.findMany({ where: { shop } }))[0]!;

beforeEach(() => resetSurveyRateLimits());

describe("expired reward codes give their points back", () => {
  it("an issued code unused past its end and the grace becomes expired; its points come back once, as a ledger row", async () => {
    // GIVEN a shopper who spent 500 of 600 points on a 30-day code
    const shop = await installNewShop("rewards-sweep");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();
    expect((await redeem(shop, rewardId)).status).toBe(201);
    const row = await only(shop);
    const end = row.expiresAt.getTime();

    // WHEN the sweep runs at the code's end, and a day later (within the grace): nothing happens
    expect(await sweepRewardCodes(shop, new Date(end + MINUTE))).toEqual({ expired: 0, issued: 0, refused: 0, stillPending: 0 });
    expect(await sweepRewardCodes(shop, new Date(end + EXPIRY_GRACE_MS - MINUTE))).toMatchObject({ expired: 0 });
    expect((await rowOf(shop, row.id)).status).toBe("issued");

    // WHEN it runs after the grace: expired, and the 500 points are back
    const after = new Date(end + EXPIRY_GRACE_MS + MINUTE);
    expect(await sweepRewardCodes(shop, after)).toEqual({ expired: 1, issued: 0, refused: 0, stillPending: 0 });
    expect(await rowOf(shop, row.id)).toMatchObject({ status: "expired", updatedAt: after });
    expect(await pointsOf(shop, CUSTOMER)).toEqual({
      balance: 600,
      ledger: [
        { kind: "redemption", points: -500, sourceKey: `redeem:${row.id}` },
        { kind: "redemption-reversal", points: 500, sourceKey: `redeem-reversal:${row.id}` },
      ],
    });

    // AND again: nothing more
    expect(await sweepRewardCodes(shop, new Date(after.getTime() + DAY))).toMatchObject({ expired: 0 });
    expect((await pointsOf(shop, CUSTOMER)).ledger).toHaveLength(2);
    // The shopper's page shows the points back and the code as expired, not as unused.
    const view = JSON.parse((await callHandler(loader, await rewardsRequest(storeOf(shop), CUSTOMER, { method: "GET" }))).text) as ShopperRewardsView;
    expect(view.balance).toBe(600);
    expect(view.codes).toEqual([]);
    expect(view.redemptions).toMatchObject([{ id: row.id, status: "expired" }]);
    expect(view.history.slice(0, 2).map((h) => [h.kind, h.points])).toEqual([
      ["redemption-reversal", 500],
      ["redemption", -500],
    ]);
  });

  it("a code used on an order (its webhook late but within the grace) is never expired nor refunded", async () => {
    const shop = await installNewShop("rewards-sweep");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();
    await redeem(shop, rewardId);
    const row = await only(shop);
    const at = new Date(row.expiresAt.getTime() - MINUTE).toISOString();
    const order = restOrder({
      id: 4242,
      created_at: at,
      processed_at: at,
      updated_at: at,
      total_price: "20.00",
      customer: { id: Number(CUSTOMER), first_name: "Rae", last_name: "Ward", email: "rae@example.com" },
      discount_codes: [{ code: row.code, amount: "5.00", type: "fixed_amount" }],
    });
    expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body: order }))).status).toBe(200);

    expect(await sweepRewardCodes(shop, new Date(row.expiresAt.getTime() + EXPIRY_GRACE_MS + DAY))).toMatchObject({ expired: 0 });
    expect(await rowOf(shop, row.id)).toMatchObject({ status: "used", usedOrderId: "4242" });
    expect((await pointsOf(shop, CUSTOMER)).ledger.map((l) => l.kind)).toEqual(["redemption"]);
  });

  it("a goodwill code from staff (no points taken) expires with no ledger row", async () => {
    const shop = await installNewShop("rewards-sweep");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 10);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();
    const issued = await issueRewardByStaff(shop, CUSTOMER, { rewardId: String(rewardId), reason: "Late parcel" }, "Sam", recordingGraphql);
    expect(issued.ok).toBe(true);
    const row = await only(shop);

    expect(await sweepRewardCodes(shop, new Date(row.expiresAt.getTime() + EXPIRY_GRACE_MS + MINUTE))).toMatchObject({ expired: 1 });
    expect((await rowOf(shop, row.id)).status).toBe("expired");
    expect(await pointsOf(shop, CUSTOMER)).toEqual({ balance: 10, ledger: [] });
  });

  it("two sweeps at once (two instances) expire each code once and give its points back once", async () => {
    const shop = await installNewShop("rewards-sweep");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 900);
    const rewardId = await addReward(shop, { title: "$1 off", kind: "fixed_amount", pointsCost: "100", amount: "1" });
    shopifyCreatesCodes();
    for (let i = 0; i < 6; i++) expect((await redeem(shop, rewardId)).status).toBe(201);
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(300);
    const latest = Math.max(...(await prisma.rewardRedemption.findMany({ where: { shop } })).map((r) => r.expiresAt.getTime()));
    const now = new Date(latest + EXPIRY_GRACE_MS + MINUTE);

    // small batches so both sweeps go round several times over the same rows
    const [a, b] = await Promise.all([sweepRewardCodes(shop, now, { batch: 2 }), sweepRewardCodes(shop, now, { batch: 2 })]);

    expect(a.expired + b.expired).toBe(6);
    const { balance, ledger } = await pointsOf(shop, CUSTOMER);
    expect(balance).toBe(900);
    expect(ledger.filter((l) => l.kind === "redemption-reversal")).toHaveLength(6);
    expect(await prisma.rewardRedemption.count({ where: { shop, status: "expired" } })).toBe(6);
  });

  it("touches only codes past their end in the shop swept", async () => {
    const shop = await installNewShop("rewards-sweep");
    await pointsAvailableAtOnce(shop);
    const other = await installNewShop("rewards-sweep-other");
    await pointsAvailableAtOnce(other);
    await earnPoints(other, CUSTOMER, 600);
    const rewardId = await addReward(other, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();
    await redeem(other, rewardId);
    const row = await only(other);

    expect(await sweepRewardCodes(shop, new Date(row.expiresAt.getTime() + EXPIRY_GRACE_MS + DAY))).toMatchObject({ expired: 0 });
    expect((await rowOf(other, row.id)).status).toBe("issued");
  });
});

describe("redemptions left pending are settled by looking the code up", () => {
  /** A redemption whose create call and lookup both failed: 202, pending, its points held. */
  async function pendingRedemption(shop: string, rewardId: number) {
    failAdminOperation("AfterglowRewardCodeBasicCreate", { network: true });
    failAdminOperation("AfterglowRewardCodeByCode", { status: 503 });
    const response = await redeem(shop, rewardId);
    expect(response.status).toBe(202);
    const { redemption } = JSON.parse(response.text) as { redemption: { id: string } };
    return rowOf(shop, redemption.id);
  }

  it("found in Shopify: issued with its discount id; absent: refused with the points back; lookup failing: still pending; a young one is left alone", async () => {
    const shop = await installNewShop("rewards-sweep");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 2000);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    const created = shopifyCreatesCodes();
    const found = await pendingRedemption(shop, rewardId);
    const absent = await pendingRedemption(shop, rewardId);
    const unreachable = await pendingRedemption(shop, rewardId);
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(500);
    // Shopify did create the first code (its answer was lost); the others it never received.
    created.set(found.code, "gid://shopify/DiscountCodeNode/555");
    stubAdminOperation("AfterglowRewardCodeByCode", (call) => {
      const code = String(call.variables?.code);
      if (code === unreachable.code) throw new Error("lookup refused");
      return { codeDiscountNodeByCode: created.has(code) ? { id: created.get(code)! } : null };
    });

    // Within PENDING_AFTER_MS nothing is looked up (the redeeming process may still be waiting for its answer).
    adminCalls.length = 0;
    expect(await sweepRewardCodes(shop, new Date(found.createdAt.getTime() + PENDING_AFTER_MS - MINUTE))).toEqual({ expired: 0, issued: 0, refused: 0, stillPending: 0 });
    expect(adminCalls).toHaveLength(0);

    const now = new Date(unreachable.createdAt.getTime() + PENDING_AFTER_MS + MINUTE);
    const result = await sweepRewardCodes(shop, now);

    expect(result).toEqual({ expired: 0, issued: 1, refused: 1, stillPending: 1 });
    expect(adminCalls.filter((c) => c.operation === "AfterglowRewardCodeByCode").map((c) => c.variables)).toEqual([
      { code: found.code },
      { code: absent.code },
      { code: unreachable.code },
    ]);
    expect(await rowOf(shop, found.id)).toMatchObject({ status: "issued", discountId: "gid://shopify/DiscountCodeNode/555" });
    expect(await rowOf(shop, absent.id)).toMatchObject({ status: "refused", reason: "The code could not be created; your points are back. Please try again." });
    expect(await rowOf(shop, unreachable.id)).toMatchObject({ status: "pending", discountId: null });
    const { balance, ledger } = await pointsOf(shop, CUSTOMER);
    expect(balance).toBe(1000);
    expect(ledger.filter((l) => l.kind === "redemption-reversal")).toEqual([{ kind: "redemption-reversal", points: 500, sourceKey: `redeem-reversal:${absent.id}` }]);

    // The next sweep, Shopify answering again: the last one is settled too (absent: refused, points back).
    stubAdminOperation("AfterglowRewardCodeByCode", () => ({ codeDiscountNodeByCode: null }));
    expect(await sweepRewardCodes(shop, new Date(now.getTime() + 10 * MINUTE))).toMatchObject({ refused: 1, stillPending: 0 });
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(1500);
  });

  it("no Admin API session for the shop: its pending redemptions wait; its expired codes are still expired", async () => {
    const shop = await installNewShop("rewards-sweep");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 1000);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();
    const pending = await pendingRedemption(shop, rewardId);

    const result = await sweepRewardCodes(shop, new Date(pending.createdAt.getTime() + PENDING_AFTER_MS + MINUTE), {
      graphql: async () => {
        throw new Error("no offline session");
      },
    });

    expect(result).toEqual({ expired: 0, issued: 0, refused: 0, stillPending: 1 });
    expect((await rowOf(shop, pending.id)).status).toBe("pending");
  });
});

describe("the sweep over every shop", () => {
  it("runs once per 10-minute period across instances: the first caller claims it, another in the same period does nothing", async () => {
    const shop = await installNewShop("rewards-sweep");
    await pointsAvailableAtOnce(shop);
    // An installed shop (its profile recorded, as the install does)
    await saveShopProfile(shop, { name: "S", currency: "USD", timezone: "UTC", domain: null });
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();
    await redeem(shop, rewardId);
    const row = await only(shop);
    // A period of its own (far from any other test's): 10:20 UTC, EXPIRY_GRACE_MS + a few days after the code's end.
    const now = new Date(Math.ceil((row.expiresAt.getTime() + EXPIRY_GRACE_MS + 3 * DAY) / DAY) * DAY + 10 * 3_600_000 + 20 * MINUTE);

    const [first, second] = await Promise.all([sweepRewardsAllShops(now, "instance-a"), sweepRewardsAllShops(new Date(now.getTime() + 5 * MINUTE), "instance-b")]);
    expect([first, second].sort()).toEqual([false, true]);
    expect((await rowOf(shop, row.id)).status).toBe("expired");
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(600);

    // The next period is another run.
    expect(await sweepRewardsAllShops(new Date(now.getTime() + 10 * MINUTE), "instance-b")).toBe(true);
  });
});
