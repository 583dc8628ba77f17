import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { connectRaw, prisma, sqlOn, type SqlClient } from "~/db.server";
import { insertRefunds } from "~/models/orders.server";
import { applyIngestEvents, parseIngestEvent, type IngestEvent } from "~/services/ingest-webhook.server";
import { applyOne } from "../../support/ingest";
import { pointsAvailableAtOnce } from "../../support/rewards";
import { delivered, restOrder, restRefund } from "../../support/orders";
import { restProduct } from "../../support/products";

/**
 * A group of webhook events that arrive together is applied in a fixed number of statements
 * (`applyIngestEvents`): its orders claimed, upserted, booked and mirrored together, the events that cannot share
 * those statements (a second event of one order or customer) one by one after them. Refunds of distinct orders go
 * together too, after the orders. Whatever the group
 * holds, the result must be the one of applying its events one at a time. Property runs use the test run's seed
 * (printed at the start; AFTERGLOW_TEST_SEED repeats it).
 */
vi.setConfig({ testTimeout: 180_000 });

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

/** `tx`, counting in `statements` each statement sent through it. */
function counting(tx: SqlClient, statements: string[]): SqlClient {
  return {
    $queryRaw: (query, ...values) => (statements.push("query"), tx.$queryRaw(query, ...values)),
    $executeRaw: (query, ...values) => (statements.push("execute"), tx.$executeRaw(query, ...values)),
  };
}

async function parsed(events: IngestEvent[]) {
  return Promise.all(events.map((event) => parseIngestEvent(event)));
}

let shops = 0;
const newShop = () => `batched-${++shops}.myshopify.com`;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const person = (id: number) => ({ id, first_name: `P${id}`, last_name: "Batch", email: `p${id}@example.com` });

/** One order's life as Shopify may send it: created, maybe updated (another total or customer), maybe cancelled, refunds. */
const orderLifeArb = fc.record({
  customer: fc.constantFrom(601, 602, 603, null),
  total: fc.constantFrom("30.00", "250.00", "900.00", "1500.00"),
  update: fc.option(fc.record({ customer: fc.constantFrom(601, 602, 603, null), total: fc.constantFrom("30.00", "700.00", "2400.00") }), { nil: undefined }),
  cancelled: fc.boolean(),
  refunds: fc.array(fc.constantFrom("5.00", "10.00", "25.00"), { maxLength: 2 }),
});

type OrderLife = typeof orderLifeArb extends fc.Arbitrary<infer T> ? T : never;
type Delivery = { topic: string; webhookId: string; payload: unknown };

/** Every delivery of orders 1..n's lives, each with its own webhook id. */
function deliveries(lives: OrderLife[]): Delivery[] {
  const out: Delivery[] = [];
  lives.forEach((life, i) => {
    const id = i + 1;
    const placed = hoursAgo(200 - i);
    const version = (minutes: number, total: string, customer: number | null, extra: Record<string, unknown> = {}) =>
      restOrder({
        id,
        total_price: total,
        customer: customer === null ? null : person(customer),
        created_at: placed,
        processed_at: placed,
        updated_at: new Date(Date.parse(placed) + minutes * 60_000).toISOString(),
        line_items: [{ id: id * 10, product_id: 7, title: "Tee", quantity: 1, price: total }],
        ...extra,
      });
    out.push({ topic: "orders/create", webhookId: `create-${id}`, payload: version(0, life.total, life.customer) });
    const latest = life.update ?? { customer: life.customer, total: life.total };
    if (life.update) out.push({ topic: "orders/updated", webhookId: `update-${id}`, payload: version(5, latest.total, latest.customer) });
    if (life.cancelled) {
      out.push({
        topic: "orders/cancelled",
        webhookId: `cancel-${id}`,
        payload: version(9, latest.total, latest.customer, { cancelled_at: hoursAgo(1), financial_status: "voided" }),
      });
    }
    life.refunds.forEach((amount, r) => {
      const refundId = id * 100 + r;
      out.push({
        topic: "refunds/create",
        webhookId: `refund-${refundId}`,
        payload: restRefund({
          id: refundId,
          order_id: id,
          created_at: hoursAgo(2 - r / 10),
          transactions: [{ id: refundId * 10, kind: "refund", status: "success", amount, currency: "USD" }],
        }),
      });
    });
  });
  return out;
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as unknown;

/** What a shop ended with, without its name: orders, customers' facts, points per order, rollups, Shopify's copy. */
async function outcome(shop: string) {
  const orders = await prisma.order.findMany({
    where: { shop },
    orderBy: { id: "asc" },
    select: { id: true, customerId: true, totalMinor: true, cancelledAt: true, financialStatus: true, shopifyUpdatedAt: true },
  });
  const customers = await prisma.customer.findMany({
    where: { shop },
    orderBy: { id: "asc" },
    select: {
      id: true,
      orderCount: true,
      lifetimeNetMinor: true,
      lifetimeGrossMinor: true,
      rolling12NetMinor: true,
      rolling12Orders: true,
      pointsBalance: true,
      tierSlug: true,
      firstOrderAt: true,
      lastOrderAt: true,
    },
  });
  const points = await prisma.$queryRaw<unknown[]>`
    SELECT "customerId", "orderId", SUM("points")::bigint AS "points" FROM "PointsLedger" WHERE "shop" = ${shop}
    GROUP BY 1, 2 HAVING SUM("points") <> 0 ORDER BY 1, 2`;
  const refunds = await prisma.refund.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { id: true, shopAmountMinor: true } });
  const daily = await prisma.$queryRaw<unknown[]>`
    SELECT "day", "orders", "grossMinor", "refundedMinor", "liveOrders", "liveNetMinor", "answeredOrders", "liveGrossMinor", "refundedOrders"
    FROM "OrderDaily" WHERE "shop" = ${shop} ORDER BY "day"`;
  const mirror = await prisma.$queryRaw<unknown[]>`
    SELECT "coalesceKey", "variables" FROM "OutboxMessage"
    WHERE "shop" = ${shop} AND "operation" = 'metafieldsSet' AND "status" = 'pending' ORDER BY "coalesceKey"`;
  const claims = await prisma.webhookDelivery.count({ where: { shop } });
  return plain({ orders, customers, points, refunds, daily, mirror, claims });
}

describe("a group of webhook events applied together", () => {
  it("ends exactly as the same events applied one at a time, whatever the group holds", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderLifeArb, { minLength: 1, maxLength: 6 }),
        fc.infiniteStream(fc.nat()),
        fc.array(fc.nat(40), { maxLength: 4 }),
        async (lives, order, repeats) => {
          const all = deliveries(lives);
          // A random arrival order, with some deliveries twice (Shopify retries): the group is what arrived together.
          const keyed = all.map((d, i) => ({ d, k: order.next().value as number, i }));
          const arrived = keyed.sort((a, b) => a.k - b.k || a.i - b.i).map(({ d }) => d);
          for (const r of repeats) arrived.splice((r % arrived.length) + 1, 0, arrived[r % arrived.length]!);

          const alone = newShop();
          for (const delivery of arrived) {
            const [event] = await parsed([{ shop: alone, ...delivery }]);
            await inOwnTransaction((tx) => applyOne(tx, event!));
          }
          const together = newShop();
          const group = await parsed(arrived.map((delivery) => ({ shop: together, ...delivery })));
          const outcomes = await inOwnTransaction((tx) => applyIngestEvents(tx, group));

          expect(outcomes).toHaveLength(arrived.length);
          expect(outcomes.filter((o) => o === "duplicate").length).toBeGreaterThanOrEqual(repeats.length);
          expect(await outcome(together)).toEqual(await outcome(alone));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("sixteen orders of sixteen customers cost four statements; the same group again, two", async () => {
    const shop = newShop();
    await pointsAvailableAtOnce(shop);
    const group = await parsed(
      Array.from({ length: 16 }, (_, i) => ({
        shop,
        topic: "orders/create",
        webhookId: randomUUID(),
        payload: restOrder({ id: 1000 + i, total_price: "120.00", customer: person(700 + i), line_items: [{ id: i + 1, product_id: 7, title: "Tee", quantity: 1, price: "120.00" }] }),
      })),
    );
    const statements: string[] = [];
    const outcomes = await inOwnTransaction((tx) => applyIngestEvents(counting(tx, statements), group));
    expect(outcomes).toEqual(Array(16).fill("applied"));
    // the orders' locks; claims, orders, lines, customers and the loyalty reads; ledger + facts + balances; tiers + outbox
    expect(statements).toHaveLength(4);
    expect(await prisma.customer.count({ where: { shop, orderCount: 1, pointsBalance: 120 } })).toBe(16);
    expect(await prisma.outboxMessage.count({ where: { shop, operation: "metafieldsSet" } })).toBe(16);

    statements.length = 0;
    const again = await inOwnTransaction((tx) => applyIngestEvents(counting(tx, statements), group));
    expect(again).toEqual(Array(16).fill("duplicate"));
    // the locks, and the upsert whose claims all find their delivery (nothing else of the group is sent)
    expect(statements).toHaveLength(2);
  });

  it("refunds of distinct orders cost the same statements however many; a second refund of one customer counts after the first", async () => {
    const shop = newShop();
    await pointsAvailableAtOnce(shop);
    // Orders 3001..3008 of customers 1001..1008 (100.00 each), and order 3009 of customer 1001 too.
    const orders = Array.from({ length: 9 }, (_, i) => ({
      shop,
      topic: "orders/create",
      webhookId: `order-${3001 + i}`,
      payload: restOrder({ id: 3001 + i, total_price: "100.00", customer: person(1001 + (i % 8)) }),
    }));
    await inOwnTransaction(async (tx) => applyIngestEvents(tx, await parsed(orders.slice(0, 8))));
    await inOwnTransaction(async (tx) => applyIngestEvents(tx, await parsed(orders.slice(8))));
    const refund = (id: number, orderId: number, amount: string) => ({
      shop,
      topic: "refunds/create",
      webhookId: `refund-${id}`,
      payload: restRefund({ id, order_id: orderId, transactions: [{ id: id * 10, kind: "refund", status: "success", amount, currency: "USD" }] }),
    });
    const counted = async (events: IngestEvent[]) => {
      const statements: string[] = [];
      const group = await parsed(events);
      const outcomes = await inOwnTransaction((tx) => applyIngestEvents(counting(tx, statements), group));
      return { outcomes, statements: statements.length };
    };

    const two = await counted([refund(41, 3002, "10.00"), refund(42, 3003, "10.00")]);
    const six = await counted([...[43, 44, 45, 46, 47].map((id, i) => refund(id, 3004 + i, "10.00")), refund(48, 3001, "10.00")]);
    expect(two.outcomes).toEqual(["applied", "applied"]);
    expect(six.outcomes).toEqual(Array(6).fill("applied"));
    // Claims with the orders' locks, the refunds with their orders' states, the settlement with the customers' locks,
    // the ledger with the facts, the tiers with the mirror: the same for two refunds as for six.
    expect(two.statements).toBe(5);
    expect(six.statements).toBe(two.statements);

    // Customer 1001's two orders refunded in one group: the second refund is settled and counted after the first;
    // a repeat of an earlier refund and a refund of an order not known yet change nothing more.
    const same = await counted([refund(51, 3001, "30.00"), refund(52, 3009, "20.00"), refund(41, 3002, "10.00"), refund(53, 3999, "5.00")]);
    expect(same.outcomes).toEqual(["applied", "applied", "duplicate", "applied"]);
    const standing = async (id: string) => {
      const c = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id } } });
      return { net: c.lifetimeNetMinor, points: c.pointsBalance };
    };
    // 200.00 spent, 10.00 + 30.00 + 20.00 refunded: 140.00 and 140 points.
    expect(await standing("1001")).toEqual({ net: 14_000n, points: 140n });
    expect(await standing("1002")).toEqual({ net: 9_000n, points: 90n });
    expect(await prisma.pointsLedger.count({ where: { shop, kind: "refund" } })).toBe(10);
    expect(await prisma.refund.findUniqueOrThrow({ where: { shop_id: { shop, id: "53" } } })).toMatchObject({ orderId: "3999", shopAmountMinor: null });
  });

  it("refuses two refunds of one order in one insert, writing neither", async () => {
    const shop = newShop();
    const [first, second] = (
      await parsed([
        { shop, topic: "refunds/create", webhookId: "r-61", payload: restRefund({ id: 61, order_id: 3100 }) },
        { shop, topic: "refunds/create", webhookId: "r-62", payload: restRefund({ id: 62, order_id: 3100 }) },
      ])
    ).map((event) => (event.parsed.kind === "refund" ? event.parsed.refund : null));
    await expect(inOwnTransaction((tx) => insertRefunds(tx, shop, ...delivered([first!, second!], "refunds/create")))).rejects.toThrow("insertRefunds: two refunds of one order");
    expect(await prisma.refund.count({ where: { shop } })).toBe(0);
  });

  it("one delivery twice in a group is applied once; a second order of one customer is counted after the first", async () => {
    const shop = newShop();
    const first = { shop, topic: "orders/create", webhookId: "same-id", payload: restOrder({ id: 1, total_price: "100.00", customer: person(801) }) };
    const second = { shop, topic: "orders/create", webhookId: "other-id", payload: restOrder({ id: 2, total_price: "50.00", customer: person(801) }) };
    const outcomes = await inOwnTransaction(async (tx) => applyIngestEvents(tx, await parsed([first, first, second])));
    expect(outcomes).toEqual(["applied", "duplicate", "applied"]);
    const customer = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "801" } } });
    expect({ orderCount: customer.orderCount, net: customer.lifetimeNetMinor, points: customer.pointsBalance }).toEqual({
      orderCount: 2,
      net: 15_000n,
      points: 150n,
    });
    expect(await prisma.pointsLedger.count({ where: { shop } })).toBe(2);
  });

  it("an older version in the same group as a newer one is stale, whichever comes first", async () => {
    const shop = newShop();
    const newer = { shop, topic: "orders/updated", webhookId: "v2", payload: restOrder({ id: 5, total_price: "80.00", updated_at: "2026-10-01T12:00:00Z" }) };
    const older = { shop, topic: "orders/create", webhookId: "v1", payload: restOrder({ id: 5, total_price: "60.00", updated_at: "2026-10-01T10:00:00Z" }) };
    const outcomes = await inOwnTransaction(async (tx) => applyIngestEvents(tx, await parsed([newer, older])));
    expect(outcomes).toEqual(["applied", "stale"]);
    const stored = await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop, id: "5" } } });
    expect(stored.totalMinor).toBe(8_000n);
  });

  it("a group of two shops' orders, products, refunds and a repeat: each event's own outcome, each shop's own rows", async () => {
    // Shop b sorts after shop a but comes first in the group.
    const [a, b] = [newShop(), newShop()].sort() as [string, string];
    const events = [
      { shop: b, topic: "orders/create", webhookId: "b-1", payload: restOrder({ id: 1, total_price: "70.00", customer: person(901) }) },
      { shop: a, topic: "orders/create", webhookId: "a-1", payload: restOrder({ id: 1, total_price: "40.00", customer: person(901) }) },
      { shop: a, topic: "products/create", webhookId: "a-p1", payload: restProduct({ id: 5, updated_at: "2026-09-02T10:00:00Z" }) },
      { shop: a, topic: "products/update", webhookId: "a-p1-old", payload: restProduct({ id: 5, updated_at: "2026-09-01T10:00:00Z" }) },
      { shop: a, topic: "products/create", webhookId: "a-p1", payload: restProduct({ id: 5, updated_at: "2026-09-02T10:00:00Z" }) },
      { shop: a, topic: "products/delete", webhookId: "a-p2-gone", payload: { id: 6 } },
      { shop: a, topic: "refunds/create", webhookId: "a-r-early", payload: restRefund({ id: 31, order_id: 3 }) },
      { shop: b, topic: "refunds/create", webhookId: "b-r-unknown", payload: restRefund({ id: 41, order_id: 4 }) },
      { shop: a, topic: "orders/create", webhookId: "a-3", payload: restOrder({ id: 3, total_price: "60.00", customer: person(902) }) },
    ];
    const outcomes = await inOwnTransaction(async (tx) => applyIngestEvents(tx, await parsed(events)));
    // The refund of order 3 arrived first in the group: order 3 goes after it, finds it and counts it.
    expect(outcomes).toEqual(["applied", "applied", "applied", "stale", "duplicate", "applied", "applied", "applied", "applied"]);
    const standing = async (shop: string) =>
      (await prisma.customer.findMany({ where: { shop }, orderBy: { id: "asc" } })).map((c) => [c.id, c.lifetimeNetMinor, c.pointsBalance]);
    // Customer 901 of each shop has that shop's order only; 902's order is refunded in full (the refund's 60.00).
    expect(await standing(a)).toEqual([
      ["901", 4_000n, 40n],
      ["902", 0n, 0n],
    ]);
    expect(await standing(b)).toEqual([["901", 7_000n, 70n]]);
    expect(await prisma.refund.count({ where: { shop: b } })).toBe(1);
  });

  it("reads the topics as the library and Pub/Sub name them, and refuses a topic it does not ingest", async () => {
    const shop = newShop();
    const [event] = await parsed([{ shop, topic: "ORDERS_CREATE", webhookId: "upper", payload: restOrder({ id: 7 }) }]);
    expect(event!.topic).toBe("orders/create");
    await expect(parseIngestEvent({ shop, topic: "customers/update", webhookId: "other", payload: {} })).rejects.toMatchObject({
      name: "UnsupportedTopicError",
      message: "topic customers/update is not ingested",
    });
  });
});
