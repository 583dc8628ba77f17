import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseOrderPayload } from "~/domain/orders/order-payload";
import {
  claimWebhookDelivery,
  countOrders,
  customersOrderedSince,
  earliestOrderPlacedAt,
  insertRefunds,
  lockOrders,
  monthlyRevenue,
  orderTotals,
  settleOrdersRefunds,
  settleRefundAmounts,
  upsertOrdersIfNewer,
} from "~/models/orders.server";
import { inSqlTransaction } from "~/models/transaction.server";
import { ingestEvent } from "~/services/ingest-webhook.server";
import { delivered, parseRefundPayload, restOrder, restRefund } from "../support/orders";
import { recordedStatements } from "../support/plans";

/**
 * The order model's own contract, asserted on its exact results: what an order write returns (outcome, previous
 * customer, the state the loyalty bookkeeping reads), the order its refunds come in, which refunds a settlement
 * writes, what it refuses before sending anything, and the figures the dashboard reads from the daily rollup.
 */

let shops = 0;
const newShop = () => `order-rows-${++shops}.myshopify.com`;
const order = (overrides: Parameters<typeof restOrder>[0]) => parseOrderPayload(restOrder(overrides));
const refund = (overrides: Parameters<typeof restRefund>[0]) => parseRefundPayload(restRefund(overrides));

/** Order 7001 of customer 501 as its state carries it (restOrder's defaults). */
const storedOrder7001 = {
  id: "7001",
  customerId: "501",
  currency: "USD",
  presentmentCurrency: "USD",
  totalMinor: 6000,
  presentmentTotalMinor: 6000,
  test: false,
  cancelledAt: null,
  placedAt: new Date("2026-10-01T10:00:00Z"),
};

describe("upsertOrdersIfNewer: what a write returns", () => {
  it("a new order: created, no previous customer, its customer's standing, and its state with no refunds, ledger or saved program", async () => {
    const shop = newShop();
    const [result] = await inSqlTransaction((tx) => upsertOrdersIfNewer(tx, shop, ...delivered([order({ id: 7001 })])));
    expect(result).toEqual({
      outcome: "created",
      previousCustomerId: null,
      customer: { tierSlug: null, pointsBalance: 0 },
      surveyed: false,
      state: { order: storedOrder7001, refunds: [], ledger: [], program: null },
    });
  });

  it("a newer version naming another customer: updated, with the customer the stored version named; an older one: stale", async () => {
    const shop = newShop();
    await inSqlTransaction((tx) => upsertOrdersIfNewer(tx, shop, ...delivered([order({ id: 7001 })])));
    const newer = order({
      id: 7001,
      updated_at: "2026-10-02T10:00:00Z",
      customer: { id: 502, first_name: "Grace", last_name: "Hopper", email: "grace@example.com" },
    });
    const [updated] = await inSqlTransaction((tx) => upsertOrdersIfNewer(tx, shop, ...delivered([newer])));
    expect(updated).toMatchObject({ outcome: "updated", previousCustomerId: "501", state: { order: { ...storedOrder7001, customerId: "502" } } });

    const [stale] = await inSqlTransaction((tx) => upsertOrdersIfNewer(tx, shop, ...delivered([order({ id: 7001, updated_at: "2026-10-01T11:00:00Z" })])));
    expect(stale).toEqual({ outcome: "stale" });
  });

  it("a guest order has no customer, and the state carries the shop's saved program as stored, pending setting included", async () => {
    const shop = newShop();
    const tiers = [{ name: "Gold", threshold: 100 }];
    await prisma.loyaltyProgram.create({
      data: { shop, basis: "orders", window: "rolling12", pointsPerUnit: 3, tiers: JSON.stringify(tiers), version: 4, pendingPoints: true, pendingMaxDays: 21 },
    });
    const [result] = await inSqlTransaction((tx) => upsertOrdersIfNewer(tx, shop, ...delivered([order({ id: 7001, customer: null })])));
    expect(result).toMatchObject({ outcome: "created", customer: null, state: { order: { customerId: null } } });
    expect(result?.outcome === "created" && result.state.program).toEqual({
      raw: { basis: "orders", window: "rolling12", pointsPerUnit: 3, tiers, pending: { enabled: true, maxDays: 21 } },
      version: 4,
    });

    await prisma.loyaltyProgram.update({ where: { shop }, data: { pendingPoints: false } });
    const [off] = await inSqlTransaction((tx) => upsertOrdersIfNewer(tx, shop, ...delivered([order({ id: 7002, customer: null })])));
    expect(off?.outcome === "created" && off.state.program?.raw).toMatchObject({ pending: { enabled: false, maxDays: 21 } });
  });

  it("refunds stored before their order come in the order they were made, by id when made at the same instant, with their currency", async () => {
    const shop = newShop();
    // Stored in this order: the latest first, then three of one instant, not in id order.
    for (const [id, at] of [
      [1, "2026-10-09T10:00:00Z"],
      [4, "2026-10-05T10:00:00Z"],
      [2, "2026-10-05T10:00:00Z"],
      [3, "2026-10-05T10:00:00Z"],
    ] as const) {
      await inSqlTransaction((tx) => insertRefunds(tx, shop, ...delivered([refund({ id, order_id: 7001, created_at: at })], "refunds/create")));
    }
    // Read in the table's own order (no index: the order they were stored in), the order is still theirs.
    const [result] = await inSqlTransaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_indexscan = off`;
      await tx.$executeRaw`SET LOCAL enable_bitmapscan = off`;
      await tx.$executeRaw`SET LOCAL enable_indexonlyscan = off`;
      return upsertOrdersIfNewer(tx, shop, ...delivered([order({ id: 7001 })]));
    });
    const refunds = result?.outcome === "created" ? result.state.refunds : [];
    expect(refunds.map((r) => [r.id, r.createdAt.toISOString()])).toEqual([
      ["2", "2026-10-05T10:00:00.000Z"],
      ["3", "2026-10-05T10:00:00.000Z"],
      ["4", "2026-10-05T10:00:00.000Z"],
      ["1", "2026-10-09T10:00:00.000Z"],
    ]);
    expect(refunds[0]).toEqual({
      id: "2",
      amountMinor: 6000,
      currency: "USD",
      amountDecimal: "60.00",
      shopAmountMinor: null,
      createdAt: new Date("2026-10-05T10:00:00Z"),
    });
  });
});

describe("upsertOrdersIfNewer / insertRefunds with deliveries: the write claims them", () => {
  const delivery = (webhookId: string, topic = "orders/updated") => ({ webhookId, topic });
  const deliveryRows = (shop: string) =>
    prisma.webhookDelivery.findMany({ where: { shop }, select: { webhookId: true, topic: true }, orderBy: { webhookId: "asc" } });

  it("a delivery claimed before comes back duplicate and writes nothing, while the others of the statement are written", async () => {
    const shop = newShop();
    await inSqlTransaction((tx) => upsertOrdersIfNewer(tx, shop, [order({ id: 7001 })], [delivery("wh-1", "orders/create")]));
    // The same delivery again, now carrying a newer version, beside a new order's delivery.
    const results = await inSqlTransaction((tx) =>
      upsertOrdersIfNewer(
        tx,
        shop,
        [order({ id: 7001, updated_at: "2026-10-03T10:00:00Z", total_price: "99.00" }), order({ id: 7002 })],
        [delivery("wh-1", "orders/create"), delivery("wh-2")],
      ),
    );
    expect(results.map((r) => r.outcome)).toEqual(["duplicate", "created"]);
    const stored = await prisma.order.findMany({ where: { shop }, select: { id: true, totalMinor: true }, orderBy: { id: "asc" } });
    expect(stored.map((o) => [o.id, Number(o.totalMinor)])).toEqual([
      ["7001", 6000],
      ["7002", 6000],
    ]);
    expect(await deliveryRows(shop)).toEqual([
      { webhookId: "wh-1", topic: "orders/create" },
      { webhookId: "wh-2", topic: "orders/updated" },
    ]);
  });

  it("a refund whose delivery was claimed before is not inserted; another delivery of a stored refund inserts nothing either", async () => {
    const shop = newShop();
    await inSqlTransaction((tx) => insertRefunds(tx, shop, [refund({ id: 1, order_id: 7001 })], [delivery("wh-r1", "refunds/create")]));
    const again = await inSqlTransaction((tx) =>
      insertRefunds(
        tx,
        shop,
        [refund({ id: 2, order_id: 7001 }), refund({ id: 1, order_id: 7002 }), refund({ id: 3, order_id: 7003 })],
        [delivery("wh-r1", "refunds/create"), delivery("wh-r2", "refunds/create"), delivery("wh-r3", "refunds/create")],
      ),
    );
    // wh-r1 repeated (its refund 2 is not stored), refund 1 under a new delivery (stored already), refund 3 new.
    expect(again.map((r) => r.inserted)).toEqual([false, false, true]);
    expect((await prisma.refund.findMany({ where: { shop }, select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id)).toEqual(["1", "3"]);
    expect((await deliveryRows(shop)).map((d) => d.webhookId)).toEqual(["wh-r1", "wh-r2", "wh-r3"]);
  });

  it("deliveries that do not match the rows one to one are refused before anything is sent", async () => {
    const shop = "delivery-refusals.myshopify.com";
    const sent = await recordedStatements(async (tx) => {
      await expect(upsertOrdersIfNewer(tx, shop, [order({ id: 7001 }), order({ id: 7002 })], [delivery("wh-1")])).rejects.toEqual(
        new Error("upsertOrdersIfNewer: one delivery per row expected"),
      );
      await expect(upsertOrdersIfNewer(tx, shop, [order({ id: 7001 }), order({ id: 7002 })], [delivery("wh-1"), delivery("wh-1")])).rejects.toEqual(
        new Error("upsertOrdersIfNewer: a webhook id appears twice"),
      );
      await expect(insertRefunds(tx, shop, [refund({ id: 1, order_id: 7001 })], [])).rejects.toEqual(new Error("insertRefunds: one delivery per row expected"));
    });
    expect(sent).toEqual([]);
  });
});

describe("claimWebhookDelivery: a delivery that writes no order is claimed once", () => {
  it("the first claim of a webhook id is new, a repeat is not, and another id or shop is new again", async () => {
    const shop = newShop();
    const claim = (on: string, id: string) => inSqlTransaction((tx) => claimWebhookDelivery(tx, on, id, "products/update"));
    expect(await claim(shop, "wh-product-1")).toBe(true);
    expect(await claim(shop, "wh-product-1")).toBe(false);
    expect(await claim(shop, "wh-product-2")).toBe(true);
    expect(await claim(newShop(), "wh-product-1")).toBe(true);
  });
});

describe("what the order model refuses or skips before sending anything", () => {
  it("empty batches send no statement", async () => {
    const sent = await recordedStatements(async (tx) => {
      expect(await upsertOrdersIfNewer(tx, "empty.myshopify.com", [], [])).toEqual([]);
      expect(await insertRefunds(tx, "empty.myshopify.com", [], [])).toEqual([]);
      await lockOrders(tx, "empty.myshopify.com", []);
    });
    expect(sent).toEqual([]);
  });

  it("an order id twice in one write, or two refunds of one order: refused by name", async () => {
    const shop = "refusals.myshopify.com";
    const sent = await recordedStatements(async (tx) => {
      await expect(upsertOrdersIfNewer(tx, shop, ...delivered([order({ id: 7001 }), order({ id: 7002 }), order({ id: 7001 })]))).rejects.toEqual(
        new Error("upsertOrdersIfNewer: an order id appears twice"),
      );
      await expect(
        insertRefunds(tx, shop, ...delivered([refund({ id: 1, order_id: 7001 }), refund({ id: 2, order_id: 7002 }), refund({ id: 3, order_id: 7001 })], "refunds/create")),
      ).rejects.toEqual(new Error("insertRefunds: two refunds of one order"));
    });
    expect(sent).toEqual([]);
  });
});

describe("settleRefundAmounts / settleOrdersRefunds: only what changes is written", () => {
  const usd = storedOrder7001;
  const stored = (overrides: Partial<{ currency: string | null; amountMinor: number; amountDecimal: string | null; shopAmountMinor: number | null }>) => ({
    id: "1",
    amountMinor: 6000,
    currency: "USD" as string | null,
    amountDecimal: "60.00" as string | null,
    shopAmountMinor: 6000 as number | null,
    createdAt: new Date("2026-10-05T10:00:00Z"),
    ...overrides,
  });

  it("refunds already settled and no customer to lock: nothing is sent, and no customer is returned", async () => {
    const sent = await recordedStatements(async (tx) => {
      expect(await settleRefundAmounts(tx, "settled.myshopify.com", usd, [stored({})])).toEqual({ refunds: [stored({})], customer: null });
    });
    expect(sent).toEqual([]);
  });

  it("a refund whose currency is still unknown (a zero amount included) is written even when its shop amount is already right", async () => {
    for (const [before, after] of [
      [stored({ currency: null, amountMinor: 0, amountDecimal: "0.00", shopAmountMinor: 0 }), { currency: "USD", amountMinor: 0, shopAmountMinor: 0 }],
      [stored({ currency: null, amountMinor: 0, amountDecimal: "41.94", shopAmountMinor: 4194 }), { currency: "USD", amountMinor: 4194, shopAmountMinor: 4194 }],
      [stored({ shopAmountMinor: null }), { currency: "USD", amountMinor: 6000, shopAmountMinor: 6000 }],
    ] as const) {
      const sent = await recordedStatements((tx) => settleOrdersRefunds(tx, "unsettled.myshopify.com", [{ order: usd, refunds: [before] }], []));
      expect(sent).toHaveLength(1);
      expect(sent[0]!.values).toContain(JSON.stringify([{ id: "1", ...after }]));
    }
  });

  it("writes the changed refund rows, leaves the others untouched, and returns the locked customer's standing", async () => {
    const shop = newShop();
    await inSqlTransaction(async (tx) => {
      await insertRefunds(tx, shop, ...delivered([refund({ id: 1, order_id: 7001 })], "refunds/create"));
      await upsertOrdersIfNewer(tx, shop, ...delivered([order({ id: 7001 })]));
    });
    await prisma.customer.update({ where: { shop_id: { shop, id: "501" } }, data: { tierSlug: "silver", pointsBalance: 250 } });
    const first = await inSqlTransaction((tx) => settleRefundAmounts(tx, shop, usd, [stored({ shopAmountMinor: null })], "501"));
    expect(first).toEqual({ refunds: [stored({})], customer: { tierSlug: "silver", pointsBalance: 250 } });
    const row = await prisma.refund.findUniqueOrThrow({ where: { shop_id: { shop, id: "1" } } });
    expect(row.shopAmountMinor).toBe(6000n);

    const version = async () =>
      (await prisma.$queryRaw<{ xmin: string }[]>`SELECT xmin::text AS "xmin" FROM "Refund" WHERE "shop" = ${shop} AND "id" = '1'`)[0]!.xmin;
    const before = await version();
    const again = await inSqlTransaction((tx) => settleRefundAmounts(tx, shop, usd, [stored({})], "501"));
    expect(again.customer).toEqual({ tierSlug: "silver", pointsBalance: 250 });
    expect(await version()).toBe(before);
  });

  it("a customer to lock who has no row is absent from the result", async () => {
    const shop = newShop();
    const settled = await inSqlTransaction((tx) => settleOrdersRefunds(tx, shop, [], ["404"]));
    expect(settled).toEqual({ refunds: [], customers: new Map() });
    expect(await inSqlTransaction((tx) => settleRefundAmounts(tx, shop, usd, [], "404"))).toEqual({ refunds: [], customer: null });
  });
});

describe("the order figures the dashboard reads (UTC days, from the daily rollup)", () => {
  const deliver = (shop: string, n: number, payload: unknown, topic = "orders/create") =>
    ingestEvent({ shop, topic, webhookId: `order-rows-${n}`, payload });
  const placed = (id: number, at: string, extra: Partial<Parameters<typeof restOrder>[0]> = {}) =>
    restOrder({ id, created_at: at, processed_at: at, updated_at: at, ...extra });
  const ada = { id: 501, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" };
  const grace = { id: 502, first_name: "Grace", last_name: "Hopper", email: "grace@example.com" };

  async function seed(shop: string) {
    await deliver(shop, 1, placed(8001, "2026-09-30T23:59:59Z", { total_price: "5.00", customer: grace }));
    await deliver(shop, 2, placed(8002, "2026-10-01T00:00:00Z", { total_price: "60.00", customer: ada }));
    await deliver(shop, 3, placed(8003, "2026-10-02T23:59:59Z", { total_price: "10.50", customer: ada }));
    await deliver(shop, 4, placed(8004, "2026-10-03T00:00:00Z", { total_price: "7.00", customer: null }));
    await deliver(shop, 5, placed(8005, "2026-10-01T12:00:00Z", { total_price: "99.00", test: true }));
    await deliver(shop, 6, placed(8006, "2026-11-02T12:00:00Z", { total_price: "40.00", cancelled_at: "2026-11-03T12:00:00Z", customer: null }));
    await deliver(
      shop,
      7,
      restRefund({ id: 90, order_id: 8003, transactions: [{ id: 900, kind: "refund", status: "success", amount: "2.25", currency: "USD" }] }),
      "refunds/create",
    );
  }

  it("totals, customers, months, count and first order of one shop", async () => {
    const shop = newShop();
    await seed(shop);
    // [from, to) by whole UTC days: a `from` inside a day counts that whole day.
    expect(await orderTotals(shop, new Date("2026-10-01T12:00:00Z"), new Date("2026-10-03T00:00:00Z"))).toEqual({
      orders: 2,
      grossMinor: 7050,
      refundedMinor: 225,
    });
    expect(await orderTotals(shop, new Date("2026-09-30T00:00:00Z"), new Date("2026-10-04T00:00:00Z"))).toEqual({
      orders: 4,
      grossMinor: 8250,
      refundedMinor: 225,
    });
    expect(await customersOrderedSince(shop, new Date("2026-10-01T00:00:00Z"))).toBe(1);
    expect(await customersOrderedSince(shop, new Date("2026-09-30T23:59:59Z"))).toBe(2);
    // The cancelled November order leaves no month behind it.
    expect(await monthlyRevenue(shop, new Date("2026-09-01T00:00:00Z"))).toEqual([
      { month: "2026-09", orders: 1, netMinor: 500 },
      { month: "2026-10", orders: 3, netMinor: 6000 + 1050 - 225 + 700 },
    ]);
    expect(await monthlyRevenue(shop, new Date("2026-10-02T00:00:00Z"))).toEqual([{ month: "2026-10", orders: 2, netMinor: 1050 - 225 + 700 }]);
    // Every stored order counts, test and cancelled ones too.
    expect(await countOrders(shop)).toBe(6);
    expect(await earliestOrderPlacedAt(shop)).toEqual(new Date("2026-09-30T23:59:59Z"));
  });

  it("a shop without orders: zeros, no months, no first order", async () => {
    const shop = newShop();
    expect(await orderTotals(shop, new Date("2026-01-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"))).toEqual({ orders: 0, grossMinor: 0, refundedMinor: 0 });
    expect(await customersOrderedSince(shop, new Date("2026-01-01T00:00:00Z"))).toBe(0);
    expect(await monthlyRevenue(shop, new Date("2026-01-01T00:00:00Z"))).toEqual([]);
    expect(await countOrders(shop)).toBe(0);
    expect(await earliestOrderPlacedAt(shop)).toBeNull();
  });
});
