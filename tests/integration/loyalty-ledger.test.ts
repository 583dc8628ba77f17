import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_PROGRAM, tierTag } from "~/domain/loyalty/program";
import { parseOrderPayload } from "~/domain/orders/order-payload";
import { storeProgram } from "~/models/loyalty.server";
import { insertRefunds, settleRefundAmounts, upsertOrdersIfNewer } from "~/models/orders.server";
import { inSqlTransaction } from "~/models/transaction.server";
import { ingestEvent } from "~/services/ingest-webhook.server";
import { applyOrderLoyalty, applyOrdersLoyalty, moveOrderLoyalty, programFrom, refreshReleasedStandings } from "~/services/loyalty-ledger.server";
import { loyaltyMetafieldVariables, tagVariables } from "~/shopify/customer-mirror.server";
import { numbers } from "../support/numbers";
import { delivered, parseRefundPayload, restOrder, restRefund } from "../support/orders";
import { listOutbox } from "../support/outbox";
import { recordedStatements } from "../support/plans";
import { pointsAvailableAtOnce } from "../support/rewards";

/**
 * The loyalty ledger service's bookings, asserted on the exact ledger rows, pending holds, tier changes and queued
 * Shopify calls: what an order books when it first arrives (with refunds that came before it, already cancelled, or
 * worth no points), what a cancellation takes back after a refund, which program applies, and what it refuses.
 */

let shops = 0;
const newShop = () => `ledger-${++shops}.myshopify.com`;
let hooks = 0;
const deliver = (shop: string, topic: string, payload: unknown) => ingestEvent({ shop, topic, webhookId: `ledger-${++hooks}`, payload });
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const recent = (id: number, extra: Partial<Parameters<typeof restOrder>[0]> = {}) =>
  restOrder({ id, created_at: ago(1), processed_at: ago(1), updated_at: ago(1), ...extra });
/** A refund of `amount` (USD) made half a day ago. */
const refundOf = (id: number, orderId: number, amount = "20.00") =>
  restRefund({ id, order_id: orderId, created_at: ago(0.5), transactions: [{ id: id * 10, kind: "refund", status: "success", amount, currency: "USD" }] });

async function ledger(shop: string) {
  const rows = await prisma.pointsLedger.findMany({ where: { shop }, orderBy: { id: "asc" } });
  return rows.map((r) => [r.kind, r.sourceKey, Number(r.points)]);
}

describe("programFrom", () => {
  it("no saved program, or one that no longer validates: the default, version 0; a valid one: itself with its version", () => {
    expect(programFrom(null)).toEqual({ program: DEFAULT_PROGRAM, version: 0, isDefault: true });
    expect(programFrom({ raw: { basis: "nonsense" }, version: 7 })).toEqual({ program: DEFAULT_PROGRAM, version: 0, isDefault: true });
    const saved = programFrom({ raw: { ...DEFAULT_PROGRAM, pointsPerUnit: 4 }, version: 7 });
    expect(saved).toMatchObject({ version: 7, isDefault: false, program: { pointsPerUnit: 4 } });
  });
});

describe("what an order books when it first arrives", () => {
  it("with a refund that came before it: its points and the refund's reversal together, the points held pending", async () => {
    const shop = newShop();
    await deliver(shop, "refunds/create", refundOf(61, 6001));
    await deliver(shop, "orders/create", recent(6001));
    expect(await ledger(shop)).toEqual([
      ["order", "order:6001", 60],
      ["refund", "refund:61", -20],
    ]);
    expect(await prisma.pendingPoints.count({ where: { shop, orderId: "6001" } })).toBe(1);
    expect(numbers(await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "501" } } }))).toMatchObject({ pointsBalance: 0 });
  });

  it("already cancelled: nothing booked, nothing held", async () => {
    const shop = newShop();
    await deliver(shop, "refunds/create", refundOf(62, 6002));
    await deliver(shop, "orders/create", recent(6002, { cancelled_at: ago(0.5) }));
    expect(await ledger(shop)).toEqual([]);
    expect(await prisma.pendingPoints.count({ where: { shop } })).toBe(0);
  });

  it("a guest order refunded and cancelled, then given a customer: nothing to book, nothing fails", async () => {
    const shop = newShop();
    await deliver(shop, "orders/create", recent(6008, { customer: null }));
    await deliver(shop, "refunds/create", refundOf(68, 6008));
    await expect(deliver(shop, "orders/updated", recent(6008, { cancelled_at: ago(0.25), updated_at: ago(0.25) }))).resolves.toBe("applied");
    expect(await ledger(shop)).toEqual([]);
    expect(await prisma.pendingPoints.count({ where: { shop } })).toBe(0);
    expect(numbers(await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "501" } } }))).toMatchObject({ pointsBalance: 0, orderCount: 0 });
  });

  it("worth no points (under one unit): a zero row, nothing held", async () => {
    const shop = newShop();
    await deliver(shop, "orders/create", recent(6003, { total_price: "0.50" }));
    expect(await ledger(shop)).toEqual([["order", "order:6003", 0]]);
    expect(await prisma.pendingPoints.count({ where: { shop } })).toBe(0);
  });
});

describe("a cancellation after refunds", () => {
  it("a refund and the cancellation booked in one event: the cancellation takes back what the refund left, dated when cancelled", async () => {
    const shop = newShop();
    await pointsAvailableAtOnce(shop);
    await deliver(shop, "orders/create", recent(6004));
    const cancelledAt = ago(0.25);
    await inSqlTransaction(async (tx) => {
      await insertRefunds(tx, shop, ...delivered([parseRefundPayload(refundOf(64, 6004))], "refunds/create"));
      const newer = parseOrderPayload(recent(6004, { cancelled_at: cancelledAt, updated_at: cancelledAt }));
      const [written] = await upsertOrdersIfNewer(tx, shop, ...delivered([newer]));
      if (written?.outcome !== "updated" || !written.state.order) throw new Error("expected the order updated");
      const { refunds } = await settleRefundAmounts(tx, shop, written.state.order, written.state.refunds);
      await applyOrderLoyalty(tx, shop, { ...written.state, refunds }, null, new Date());
    });
    expect(await ledger(shop)).toEqual([
      ["order", "order:6004", 60],
      ["refund", "refund:64", -20],
      ["cancellation", "cancel:6004", -40],
    ]);
    const cancellation = await prisma.pointsLedger.findUniqueOrThrow({ where: { shop_sourceKey: { shop, sourceKey: "cancel:6004" } } });
    expect(cancellation.createdAt.toISOString()).toBe(cancelledAt);
  });

  it("after a full refund: no cancellation row; a cancellation that drops the tier says so", async () => {
    const shop = newShop();
    await deliver(shop, "orders/create", recent(6005, { total_price: "300.00" }));
    await deliver(shop, "refunds/create", refundOf(65, 6005, "300.00"));
    await deliver(shop, "orders/updated", recent(6005, { total_price: "300.00", cancelled_at: ago(0.25), updated_at: ago(0.25) }));
    expect(await ledger(shop)).toEqual([
      ["order", "order:6005", 300],
      ["refund", "refund:65", -300],
    ]);

    const other = newShop();
    await pointsAvailableAtOnce(other);
    await deliver(other, "orders/create", recent(6006, { total_price: "300.00" }));
    await deliver(other, "orders/updated", recent(6006, { total_price: "300.00", cancelled_at: ago(0.25), updated_at: ago(0.25) }));
    const changes = await prisma.tierChange.findMany({ where: { shop: other }, orderBy: { id: "asc" } });
    expect(changes.map((c) => [c.fromSlug, c.toSlug, c.cause])).toEqual([
      [null, "silver", "order"],
      ["silver", "bronze", "cancellation"],
    ]);
  });
});

describe("a refund that takes a customer out of every tier", () => {
  it("records the drop to no tier, takes the tier tag off, adds none, and mirrors the status without a tier", async () => {
    const shop = newShop();
    const gold = DEFAULT_PROGRAM.tiers[0]!;
    await storeProgram(shop, { ...DEFAULT_PROGRAM, pending: { enabled: false, maxDays: 60 }, tiers: [{ ...gold, name: "Gold", threshold: 10_000 }] });
    await deliver(shop, "orders/create", recent(6007, { total_price: "150.00" }));
    await deliver(shop, "refunds/create", refundOf(67, 6007, "150.00"));
    const changes = await prisma.tierChange.findMany({ where: { shop }, orderBy: { id: "asc" } });
    expect(changes.map((c) => [c.customerId, c.fromSlug, c.toSlug, c.cause])).toEqual([
      ["501", null, "gold", "order"],
      ["501", "gold", null, "order"],
    ]);
    expect(numbers(await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "501" } } }))).toMatchObject({ tierSlug: null, pointsBalance: 0 });
    const calls = (await listOutbox(shop)).map((m) => [m.operation, m.variables]);
    expect(calls.filter(([operation]) => operation !== "metafieldsSet")).toEqual([
      ["tagsAdd", tagVariables("501", tierTag("gold"))],
      ["tagsRemove", tagVariables("501", tierTag("gold"))],
    ]);
    // The status, coalesced into one pending call: no tier, no points
    expect(calls.filter(([operation]) => operation === "metafieldsSet").at(-1)![1]).toEqual(
      loyaltyMetafieldVariables("501", { tierName: null, tierSlug: null, points: 0, pending: 0, pendingAvailableAt: null }),
    );
  });
});

describe("applyOrdersLoyalty: customers and what it refuses", () => {
  it("two orders of one customer in one call: refused by name before anything is sent", async () => {
    const shop = "ledger-refusal.myshopify.com";
    const state = (id: number) => ({
      order: { ...parseOrderPayload(restOrder({ id })), customerId: "501", placedAt: new Date("2026-10-01T10:00:00Z") },
      refunds: [],
      ledger: [],
      program: null,
    });
    let refusal: unknown;
    const sent = await recordedStatements((tx) =>
      applyOrdersLoyalty(tx, shop, [{ state: state(1), customer: null }, { state: state(2), customer: null }], new Date()).catch((error: unknown) => {
        refusal = error;
      }),
    );
    expect(refusal).toEqual(new Error("applyOrdersLoyalty: two orders of one customer"));
    expect(sent).toEqual([]);
  });

  it("two customers in one call, neither locked by the caller: both locked here and both balances refreshed", async () => {
    const shop = newShop();
    await pointsAvailableAtOnce(shop);
    const ada = { id: 501, first_name: "Ada", last_name: "L", email: "a@example.com" };
    const grace = { id: 502, first_name: "Grace", last_name: "H", email: "g@example.com" };
    await inSqlTransaction(async (tx) => {
      const orders = [parseOrderPayload(recent(6007, { customer: ada })), parseOrderPayload(recent(6008, { customer: grace, total_price: "25.00" }))];
      const written = await upsertOrdersIfNewer(tx, shop, ...delivered(orders, "orders/create"));
      const items = written.map((w) => {
        if (w.outcome === "duplicate" || w.outcome === "stale") throw new Error("expected written orders");
        return { state: w.state, customer: null };
      });
      await applyOrdersLoyalty(tx, shop, items, new Date());
    });
    const balances = await prisma.customer.findMany({ where: { shop }, orderBy: { id: "asc" } });
    expect(balances.map((c) => [c.id, Number(c.pointsBalance)])).toEqual([
      ["501", 60],
      ["502", 25],
    ]);
  });

  it("an order whose customer has no row: its points are booked, no customer row is made and nothing is queued", async () => {
    const shop = newShop();
    await pointsAvailableAtOnce(shop);
    const state = {
      order: { ...parseOrderPayload(recent(6009)), customerId: "999" },
      refunds: [],
      ledger: [],
      program: { raw: { ...DEFAULT_PROGRAM, pending: { enabled: false, maxDays: 60 } }, version: 1 },
    };
    await inSqlTransaction((tx) => applyOrderLoyalty(tx, shop, state, null, new Date()));
    expect(await ledger(shop)).toEqual([["order", "order:6009", 60]]);
    expect(await prisma.customer.count({ where: { shop } })).toBe(0);
    expect(await prisma.outboxMessage.count({ where: { shop } })).toBe(0);
  });

  it("an order state without its order books nothing and sends nothing", async () => {
    const sent = await recordedStatements((tx) => applyOrderLoyalty(tx, "ledger-none.myshopify.com", { order: null, refunds: [], ledger: [], program: null }, null, new Date()));
    expect(sent).toEqual([]);
  });
});

describe("refreshReleasedStandings", () => {
  it("with no customer whose points were released: sends nothing", async () => {
    expect(await recordedStatements((tx) => refreshReleasedStandings(tx, "ledger-none.myshopify.com", new Map(), new Date()))).toEqual([]);
  });
});

describe("the loyalty status mirror: queued only when the standing changed", () => {
  it("a balance change alone queues the status; an update that changes nothing queues nothing", async () => {
    const shop = newShop();
    await pointsAvailableAtOnce(shop);
    await deliver(shop, "orders/create", recent(6010));
    const status = () => prisma.outboxMessage.findMany({ where: { shop, operation: "metafieldsSet", status: "pending" } });
    expect(await status()).toHaveLength(1);
    await prisma.outboxMessage.updateMany({ where: { shop }, data: { status: "sent" } });

    await deliver(shop, "orders/updated", recent(6010, { name: "#6010-renamed", updated_at: ago(0.5) }));
    expect(await status()).toEqual([]);

    await deliver(shop, "refunds/create", refundOf(70, 6010));
    expect(await status()).toHaveLength(1);
  });
});

describe("moveOrderLoyalty: the order's points follow it", () => {
  const MOVED_AT = new Date("2026-11-01T00:00:00Z");
  /** Order 6020 as its state carries it, now naming `customerId`, with the ledger rows read under its lock. */
  const movedState = (customerId: string | null, rows: [string, string, number, string][], test = false) => ({
    order: { ...parseOrderPayload(restOrder({ id: 6020 })), customerId, test },
    refunds: [],
    ledger: rows.map(([customer, kind, points, sourceKey]) => ({ customerId: customer, kind, points, sourceKey })),
    program: { raw: { ...DEFAULT_PROGRAM, pending: { enabled: false, maxDays: 60 } }, version: 1 },
  });
  async function moved(shop: string, state: ReturnType<typeof movedState>, previous: string | null) {
    for (const id of ["501", "502"]) await prisma.customer.create({ data: { shop, id } });
    await inSqlTransaction((tx) => moveOrderLoyalty(tx, shop, state, previous, MOVED_AT));
    const rows = await prisma.pointsLedger.findMany({ where: { shop }, orderBy: { id: "asc" } });
    return rows.map((r) => [r.customerId, r.sourceKey, Number(r.points)]);
  }

  it("to a customer who already holds part of it: the others give back what they hold, the customer gets only the rest", async () => {
    const state = movedState("502", [
      ["501", "order", 60, "order:6020"],
      ["501", "transfer", -20, "transfer:6020:0"],
      ["502", "transfer", 20, "transfer:6020:1"],
    ]);
    expect(await moved(newShop(), state, "501")).toEqual([
      ["501", "transfer:6020:2", -40],
      ["502", "transfer:6020:3", 40],
    ]);
  });

  it("a repeat, where the customer holds it all: books nothing", async () => {
    const state = movedState("502", [
      ["501", "order", 60, "order:6020"],
      ["501", "transfer", -60, "transfer:6020:0"],
      ["502", "transfer", 60, "transfer:6020:1"],
    ]);
    expect(await moved(newShop(), state, "501")).toEqual([]);
  });

  it("a repeat with no previous customer, where the customer holds it all: sends nothing at all", async () => {
    const state = movedState("502", [
      ["501", "order", 60, "order:6020"],
      ["501", "transfer", -60, "transfer:6020:0"],
      ["502", "transfer", 60, "transfer:6020:1"],
    ]);
    expect(await recordedStatements((tx) => moveOrderLoyalty(tx, "ledger-none.myshopify.com", state, null, MOVED_AT))).toEqual([]);
  });

  it("now a test order: every holder gives back, nobody gets it", async () => {
    const state = movedState("502", [["501", "order", 60, "order:6020"]], true);
    expect(await moved(newShop(), state, "501")).toEqual([["501", "transfer:6020:0", -60]]);
  });

  it("an order state without its order: nothing is sent", async () => {
    const sent = await recordedStatements((tx) => moveOrderLoyalty(tx, "ledger-none.myshopify.com", { order: null, refunds: [], ledger: [], program: null }, "501", MOVED_AT));
    expect(sent).toEqual([]);
  });

  it("from a customer who held none of its points (worth nothing): their facts still lose the order", async () => {
    const shop = newShop();
    await pointsAvailableAtOnce(shop);
    const person = (id: number) => ({ id, first_name: "Ada", last_name: "L", email: `c${id}@example.com` });
    await deliver(shop, "orders/create", recent(6021, { total_price: "0.50", customer: person(501) }));
    await deliver(shop, "orders/updated", recent(6021, { total_price: "0.50", customer: person(502), updated_at: ago(0.5) }));
    const facts = await prisma.customer.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { id: true, orderCount: true } });
    expect(facts).toEqual([
      { id: "501", orderCount: 0 },
      { id: "502", orderCount: 1 },
    ]);
  });
});
