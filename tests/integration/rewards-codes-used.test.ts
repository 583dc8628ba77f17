import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { connectRaw, prisma, sqlOn, type SqlClient } from "~/db.server";
import type { ShopperRewardsView } from "~/domain/loyalty/rewards-view";
import { action, loader } from "~/routes/api.customer-account.rewards";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { applyIngestEvents, parseIngestEvent } from "~/services/ingest-webhook.server";
import { stubAdminOperation } from "../support/admin-api";
import { callHandler } from "../support/handlers";
import { restOrder } from "../support/orders";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { addReward, earnPoints, pointsAvailableAtOnce, pointsOf, rewardsRequest } from "../support/rewards";
import { installNewShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * A reward code used on an order: the order webhook's `discount_codes` names it, and the redemption becomes `used` by
 * that order, in the ingest's transaction. Real signed webhooks through the real routes, real PostgreSQL.
 */

const CUSTOMER = "701";
const storeOf = (shop: string) => shop.replace(".myshopify.com", "");

function shopifyCreatesCodes() {
  let n = 0;
  stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${++n}` }, userErrors: [] } }));
}

/** Redeems a $5 off reward for the customer through the extension's endpoint; returns the code. */
async function redeemCode(shop: string, customerId = CUSTOMER): Promise<string> {
  const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "100", amount: "5" });
  const response = await callHandler(action, await rewardsRequest(storeOf(shop), customerId, { body: { rewardId, idempotencyKey: randomUUID() } }));
  expect(response.status).toBe(201);
  return String((JSON.parse(response.text) as { redemption: { code: string } }).redemption.code);
}

let orderIds = 990_000;
function orderUsing(codes: string[], overrides: Record<string, unknown> = {}) {
  const id = ++orderIds;
  const at = new Date().toISOString();
  return restOrder({
    id,
    created_at: at,
    processed_at: at,
    updated_at: at,
    total_price: "40.00",
    customer: { id: Number(CUSTOMER), first_name: "Rae", last_name: "Ward", email: "rae@example.com" },
    line_items: [{ id: id * 10, product_id: 77, title: "Tee", quantity: 1, price: "45.00" }],
    discount_codes: codes.map((code) => ({ code, amount: "5.00", type: "fixed_amount" })),
    ...overrides,
  });
}

async function deliver(topic: "orders/create" | "orders/updated", shop: string, body: unknown, webhookId?: string) {
  const response = await callAction(topic === "orders/create" ? ordersCreate : ordersUpdated, signedWebhook({ topic, shop, body, webhookId }));
  expect(response.status).toBe(200);
}

/** The app's log lines this worker captured so far (tests/support/setup.ts). */
const captured = () => fs.readFileSync(path.join(inject("logDir"), `${process.pid}.jsonl`), "utf8").split("\n").filter(Boolean);

const redemption = (shop: string, code: string) =>
  prisma.rewardRedemption.findUniqueOrThrow({ where: { shop_code: { shop, code } }, select: { status: true, usedOrderId: true, usedAt: true, updatedAt: true } });

beforeEach(() => {
  resetSurveyRateLimits();
  shopifyCreatesCodes();
});

describe("a reward code used on an order", () => {
  it("an orders/create naming the code (as the shopper typed it) marks the redemption used by that order; the points stay spent", async () => {
    const shop = await installNewShop("codes-used");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 300);
    const code = await redeemCode(shop);
    const before = await pointsOf(shop, CUSTOMER);

    const order = orderUsing([code.toLowerCase(), "SPRING10"]);
    await deliver("orders/create", shop, order);

    expect(await redemption(shop, code)).toMatchObject({ status: "used", usedOrderId: String(order.id) });
    // The redemption's debit stands and nothing was given back; the order earned its own points.
    const after = await pointsOf(shop, CUSTOMER);
    expect(after.ledger).toEqual(before.ledger);
    expect(after.balance).toBe(before.balance + 40);
    // The shopper's page no longer lists it as unused; their history of redemptions shows it used.
    const view = JSON.parse((await callHandler(loader, await rewardsRequest(storeOf(shop), CUSTOMER, { method: "GET" }))).text) as ShopperRewardsView;
    expect(view.codes).toEqual([]);
    expect(view.redemptions).toMatchObject([{ code, status: "used" }]);
  });

  it("is idempotent and safe out of order: the update before the create, repeats, and a later order naming the code change nothing more", async () => {
    const shop = await installNewShop("codes-used");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 300);
    const code = await redeemCode(shop);
    const created = orderUsing([code]);
    const updated = { ...created, updated_at: new Date(Date.now() + 60_000).toISOString(), financial_status: "paid" };

    // orders/updated arrives first (newer), then orders/create (older: stale for the order, still naming the code)
    await deliver("orders/updated", shop, updated, "wh-upd-1");
    const first = await redemption(shop, code);
    expect(first).toMatchObject({ status: "used", usedOrderId: String(created.id) });
    await deliver("orders/create", shop, created, "wh-create-1");
    await deliver("orders/updated", shop, updated, "wh-upd-1");
    await deliver("orders/updated", shop, updated, "wh-upd-2");
    expect(await redemption(shop, code)).toEqual(first);

    // Another order naming the same code (Shopify allows one use; a replayed or hand-made payload) does not take it over.
    await deliver("orders/create", shop, orderUsing([code]));
    expect(await redemption(shop, code)).toEqual(first);
  });

  it("touches only the shop's own code: another shop's redemption with the same code string stays issued", async () => {
    const shop = await installNewShop("codes-used");
    await pointsAvailableAtOnce(shop);
    const other = await installNewShop("codes-used-other");
    await pointsAvailableAtOnce(other);
    await earnPoints(other, CUSTOMER, 300);
    const code = await redeemCode(other);

    await earnPoints(shop, CUSTOMER, 10);
    await deliver("orders/create", shop, orderUsing([code]));

    expect(await redemption(other, code)).toMatchObject({ status: "issued", usedOrderId: null, usedAt: null });
  });

  it("a pending redemption whose code an order used becomes used (the code exists); refused and expired ones do not move", async () => {
    const shop = await installNewShop("codes-used");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 500);
    const pending = await redeemCode(shop);
    const refused = await redeemCode(shop);
    const expired = await redeemCode(shop);
    await prisma.rewardRedemption.update({ where: { shop_code: { shop, code: pending } }, data: { status: "pending", discountId: null } });
    await prisma.rewardRedemption.update({ where: { shop_code: { shop, code: refused } }, data: { status: "refused" } });
    await prisma.rewardRedemption.update({ where: { shop_code: { shop, code: expired } }, data: { status: "expired" } });

    const order = orderUsing([pending, refused, expired]);
    const start = captured().length;
    await deliver("orders/create", shop, order);

    expect(await redemption(shop, pending)).toMatchObject({ status: "used", usedOrderId: String(order.id) });
    expect(await redemption(shop, refused)).toMatchObject({ status: "refused", usedOrderId: null });
    expect(await redemption(shop, expired)).toMatchObject({ status: "expired", usedOrderId: null });
    // The expired one (its points given back already) is reported, with ids only.
    const logged = captured()
      .slice(start)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => String(line.msg ?? line.message).startsWith("reward code used"));
    const expiredId = (await prisma.rewardRedemption.findUniqueOrThrow({ where: { shop_code: { shop, code: expired } } })).id;
    const pendingId = (await prisma.rewardRedemption.findUniqueOrThrow({ where: { shop_code: { shop, code: pending } } })).id;
    expect(logged.map((l) => [l.level, l.msg ?? l.message, l.redemptionId, l.orderId])).toEqual(
      expect.arrayContaining([
        ["info", "reward code used", pendingId, String(order.id)],
        ["warn", "reward code used after it expired: its points had been given back", expiredId, String(order.id)],
      ]),
    );
    expect(logged).toHaveLength(2);
  });
});

describe("reward codes in a group of webhook events", () => {
  async function inOwnTransaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const connection = await connectRaw();
    try {
      await connection.query("BEGIN");
      const result = await work(sqlOn(connection));
      await connection.query("COMMIT");
      return result;
    } catch (error) {
      await connection.query("ROLLBACK");
      throw error;
    } finally {
      connection.release();
    }
  }

  it("eight orders of eight customers, each using its own code, mark them all in one more statement; orders naming no reward code add none", async () => {
    const shop = await installNewShop("codes-used-group");
    await pointsAvailableAtOnce(shop);
    const customers = Array.from({ length: 8 }, (_, i) => String(720 + i));
    const codes: string[] = [];
    for (const customerId of customers) {
      await earnPoints(shop, customerId, 200);
      codes.push(await redeemCode(shop, customerId));
    }
    const events = await Promise.all(
      customers.map((customerId, i) =>
        parseIngestEvent({
          shop,
          topic: "orders/create",
          webhookId: randomUUID(),
          payload: orderUsing([codes[i]!, "WELCOME"], { customer: { id: Number(customerId), first_name: "G", last_name: "R", email: `g${customerId}@example.com` } }),
        }),
      ),
    );
    const count = (tx: SqlClient, statements: string[]): SqlClient => ({
      $queryRaw: (query, ...values) => (statements.push("query"), tx.$queryRaw(query, ...values)),
      $executeRaw: (query, ...values) => (statements.push("execute"), tx.$executeRaw(query, ...values)),
    });

    const statements: string[] = [];
    const outcomes = await inOwnTransaction((tx) => applyIngestEvents(count(tx, statements), events));

    expect(outcomes).toEqual(Array(8).fill("applied"));
    // the ingest's four (claims, orders, ledger, tiers + outbox) and one for the codes
    expect(statements).toHaveLength(5);
    const rows = await prisma.rewardRedemption.findMany({ where: { shop }, select: { code: true, status: true, usedOrderId: true } });
    expect(rows).toHaveLength(8);
    for (const [i, code] of codes.entries()) {
      expect(rows.find((r) => r.code === code)).toEqual({ code, status: "used", usedOrderId: (events[i]!.parsed as { order: { id: string } }).order.id });
    }

    // Orders with only the merchant's own codes: no statement for codes at all.
    const plain = await Promise.all(
      customers.slice(0, 4).map((customerId) =>
        parseIngestEvent({
          shop,
          topic: "orders/create",
          webhookId: randomUUID(),
          payload: orderUsing(["WELCOME"], { customer: { id: Number(customerId) + 100, first_name: "P", last_name: "R", email: null } }),
        }),
      ),
    );
    statements.length = 0;
    await inOwnTransaction((tx) => applyIngestEvents(count(tx, statements), plain));
    expect(statements).toHaveLength(4);
  });
});
