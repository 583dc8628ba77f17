import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { connectRaw, prisma, sqlOn, type SqlClient } from "~/db.server";
import { claimDueMessages } from "~/models/outbox.server";
import { enqueueOutbox } from "../../support/outbox";
import { parseIngestEvent, type IngestEvent } from "~/services/ingest-webhook.server";
import { adjustPoints } from "~/services/loyalty.server";
import { applyOne } from "../../support/ingest";
import { pointsAvailableAtOnce } from "../../support/rewards";
import { restOrder, restRefund } from "../../support/orders";
import { numbers } from "../../support/numbers";

/**
 * Several app instances apply webhooks to one PostgreSQL at the same time: two transactions, each on its own
 * connection, as two processes would run them. Each case opens transaction A, applies an event in it and leaves it
 * open; applies a second event in transaction B, which must wait (the order's lock, the customer's row lock) rather
 * than read a state A is about to change; then commits A, lets B finish, commits B, and checks the result against
 * plain arithmetic. Without those locks, B would read the state before A and write facts, balances or refunds
 * that miss A's event.
 */

interface OpenTransaction {
  tx: SqlClient;
  commit: () => Promise<void>;
}

const open: { release: () => void }[] = [];

async function begin(): Promise<OpenTransaction> {
  const connection = await connectRaw();
  const entry = { release: () => connection.release() };
  open.push(entry);
  await connection.query("BEGIN");
  return {
    tx: sqlOn(connection),
    commit: async () => {
      await connection.query("COMMIT");
      open.splice(open.indexOf(entry), 1);
      connection.release();
    },
  };
}

afterEach(() => {
  for (const entry of open.splice(0)) entry.release();
});

let shops = 0;
const newShop = () => `concurrent-${++shops}.myshopify.com`;

async function apply(tx: SqlClient, event: IngestEvent) {
  return applyOne(tx, await parseIngestEvent(event));
}

/** Still pending after a while: it is waiting for a lock. */
async function isWaiting(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol("pending");
  const winner = await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(marker), 150))]);
  return winner === marker;
}

/**
 * `first` applied in one open transaction, then `second` in another: the second must wait for the first's locks
 * (it is still pending after a while), then both commit, in that order. Resolves to what each event was.
 */
async function race(first: IngestEvent, second: IngestEvent): Promise<[unknown, unknown]> {
  const a = await begin();
  const firstOutcome = await apply(a.tx, first);
  const b = await begin();
  const pending = apply(b.tx, second);
  expect(await isWaiting(pending)).toBe(true);
  await a.commit();
  const secondOutcome = await pending;
  await b.commit();
  return [firstOutcome, secondOutcome];
}

const customer = { id: 4242, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" };
const order = (id: number, total: string, extra: Partial<Parameters<typeof restOrder>[0]> = {}) =>
  restOrder({ id, total_price: total, customer, line_items: [{ id: id * 10, product_id: 7, title: "Tee", quantity: 1, price: total }], ...extra });

async function standing(shop: string) {
  const row = await prisma.customer.findUniqueOrThrow({
    where: { shop_id: { shop, id: String(customer.id) } },
    select: { orderCount: true, lifetimeNetMinor: true, pointsBalance: true, tierSlug: true },
  });
  const ledger = await prisma.pointsLedger.findMany({ where: { shop }, orderBy: { sourceKey: "asc" }, select: { sourceKey: true, points: true } });
  return { ...numbers(row), ledger: ledger.map(numbers) };
}

describe("two transactions applying webhooks at the same time", () => {
  it("the same webhook id twice: the second waits for the first and is a duplicate", async () => {
    const shop = newShop();
    const event = { shop, topic: "orders/create", webhookId: randomUUID(), payload: order(1, "120.00") };
    expect(await race(event, event)).toEqual(["applied", "duplicate"]);
    expect(await standing(shop)).toEqual({ orderCount: 1, lifetimeNetMinor: 12000, pointsBalance: 120, tierSlug: "bronze", ledger: [{ sourceKey: "order:1", points: 120 }] });
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(1);
  });

  it("two orders of one customer: the second waits on the customer's row, and the facts count both", async () => {
    const shop = newShop();
    const [, second] = await race(
      { shop, topic: "orders/create", webhookId: randomUUID(), payload: order(1, "150.00") },
      { shop, topic: "orders/create", webhookId: randomUUID(), payload: order(2, "150.00") },
    );
    expect(second).toBe("applied");
    // $300 over two orders: Silver (threshold $250), 300 points in two rows
    expect(await standing(shop)).toEqual({
      orderCount: 2,
      lifetimeNetMinor: 30000,
      pointsBalance: 300,
      tierSlug: "silver",
      ledger: [
        { sourceKey: "order:1", points: 150 },
        { sourceKey: "order:2", points: 150 },
      ],
    });
  });

  it("a refund racing its order's first delivery: it waits for the order, then is converted and counted", async () => {
    const shop = newShop();
    const refund = restRefund({ id: 91, order_id: 1, transactions: [{ id: 910, kind: "refund", status: "success", amount: "40.00", currency: "USD" }] });
    const [, second] = await race(
      { shop, topic: "orders/create", webhookId: randomUUID(), payload: order(1, "100.00") },
      { shop, topic: "refunds/create", webhookId: randomUUID(), payload: refund },
    );
    expect(second).toBe("applied");
    expect(await standing(shop)).toEqual({
      orderCount: 1,
      lifetimeNetMinor: 6000,
      pointsBalance: 60,
      tierSlug: "bronze",
      ledger: [
        { sourceKey: "order:1", points: 100 },
        { sourceKey: "refund:91", points: -40 },
      ],
    });
  });

  it("two refunds of one order: the second waits, and the reversals add up to the refunded share", async () => {
    const shop = newShop();
    const setup = await begin();
    await apply(setup.tx, { shop, topic: "orders/create", webhookId: randomUUID(), payload: order(1, "100.00") });
    await setup.commit();
    const partial = (id: number, amount: string) =>
      restRefund({ id, order_id: 1, transactions: [{ id: id * 10, kind: "refund", status: "success", amount, currency: "USD" }] });
    const [, second] = await race(
      { shop, topic: "refunds/create", webhookId: randomUUID(), payload: partial(91, "33.33") },
      { shop, topic: "refunds/create", webhookId: randomUUID(), payload: partial(92, "33.34") },
    );
    expect(second).toBe("applied");
    // 66.67 of 100.00 refunded: 67 of 100 points back (33 then 34, on the running total), 33.33 net
    expect(await standing(shop)).toEqual({
      orderCount: 1,
      lifetimeNetMinor: 3333,
      pointsBalance: 33,
      tierSlug: "bronze",
      ledger: [
        { sourceKey: "order:1", points: 100 },
        { sourceKey: "refund:91", points: -33 },
        { sourceKey: "refund:92", points: -34 },
      ],
    });
  });

  it("an older version racing a newer one never overwrites it, nor its line items", async () => {
    const shop = newShop();
    const newer = order(1, "80.00", { updated_at: "2026-10-03T00:00:00Z", financial_status: "partially_refunded" });
    const older = order(1, "60.00", { updated_at: "2026-10-02T00:00:00Z" });
    const [, second] = await race(
      { shop, topic: "orders/updated", webhookId: randomUUID(), payload: newer },
      { shop, topic: "orders/updated", webhookId: randomUUID(), payload: older },
    );
    expect(second).toBe("stale");
    const stored = await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop, id: "1" } }, select: { totalMinor: true, financialStatus: true } });
    expect(numbers(stored)).toEqual({ totalMinor: 8000, financialStatus: "partially_refunded" });
    const lines = await prisma.orderLineItem.findMany({ where: { shop, orderId: "1" }, select: { priceMinor: true } });
    expect(lines.map(numbers)).toEqual([{ priceMinor: 8000 }]);
  });
});

describe("round trips", () => {
  it("every statement of an orders/create is a prepared statement of its connection (parsed and planned once)", async () => {
    const shop = newShop();
    const a = await begin();
    const event = { shop, topic: "orders/create", webhookId: randomUUID(), payload: order(1, "300.00") };
    expect(await applyOne(a.tx, await parseIngestEvent(event))).toBe("applied");
    const prepared = (await a.tx.$queryRaw<{ statement: string }[]>`SELECT "statement" FROM pg_prepared_statements`).map((r) => r.statement);
    // The order's upsert with its claim, the ledger booking with the facts, the tier change with its outbox messages
    // (statements composed of shared SQL fragments included): none sent unnamed, to be planned again on every event.
    for (const table of ['INSERT INTO "WebhookDelivery"', 'INSERT INTO "Order"', 'INSERT INTO "PointsLedger"', 'INSERT INTO "OutboxMessage"']) {
      expect(prepared.some((statement) => statement.includes(table)), table).toBe(true);
    }
    await a.commit();
  });

  it("an orders/create runs four statements; a repeat delivery two (the lock, and the upsert whose claim finds it)", async () => {
    const shop = newShop();
    await pointsAvailableAtOnce(shop);
    const statements: string[] = [];
    const a = await begin();
    const counting: SqlClient = {
      $queryRaw: (query, ...values) => (statements.push("query"), a.tx.$queryRaw(query, ...values)),
      $executeRaw: (query, ...values) => (statements.push("execute"), a.tx.$executeRaw(query, ...values)),
    };
    const event = { shop, topic: "orders/create", webhookId: randomUUID(), payload: order(1, "300.00") };
    expect(await applyOne(counting, await parseIngestEvent(event))).toBe("applied");
    // order lock; claim, order, lines, customer and the loyalty reads; ledger + facts + balance; tier + outbox
    expect(statements).toHaveLength(4);
    statements.length = 0;
    expect(await applyOne(counting, await parseIngestEvent(event))).toBe("duplicate");
    expect(statements).toHaveLength(2);
    await a.commit();
  });
});

describe("outbox claims across workers", () => {
  it("claims the due run in one statement, never a message another worker holds, nor anything after it", async () => {
    const shop = newShop();
    const now = new Date("2026-12-01T00:00:00Z");
    const lease = new Date(now.getTime() + 300_000);
    const setup = await begin();
    for (const tag of ["a", "b", "c"]) {
      await enqueueOutbox(setup.tx, shop, { operation: "tagsAdd", variables: { id: "gid://shopify/Customer/1", tags: [tag] } }, now);
    }
    await setup.commit();
    const ids = (await prisma.outboxMessage.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { id: true } })).map((m) => m.id);

    // GIVEN another transaction holds the second message (e.g. an event coalescing new variables into it)
    const holder = await begin();
    await holder.tx.$queryRaw`SELECT 1 FROM "OutboxMessage" WHERE "id" = ${ids[1]} FOR UPDATE`;
    // THEN a worker claims only the first: the third must not overtake the second
    expect((await claimDueMessages(shop, now, lease, 10)).map((m) => m.id)).toEqual([ids[0]]);
    await holder.commit();
    // AND a second worker finds the first leased (a blocker): nothing for it, in id order
    expect(await claimDueMessages(shop, now, lease, 10)).toEqual([]);
    // AND once the lease has passed, the whole run is claimed at once
    const later = new Date(lease.getTime() + 1);
    expect((await claimDueMessages(shop, later, new Date(later.getTime() + 300_000), 10)).map((m) => m.id)).toEqual(ids);
  });
});

describe("outbox coalescing across transactions", () => {
  const status = (points: number) => ({
    operation: "metafieldsSet" as const,
    variables: { metafields: [{ ownerId: "gid://shopify/Customer/7", value: JSON.stringify({ points }) }] },
    coalesceKey: "loyalty-status:7",
  });

  it("two transactions queue the same key at once: one pending message, the later variables, the first one's place", async () => {
    const shop = newShop();
    const now = new Date("2026-12-01T00:00:00Z");
    // GIVEN transaction A queued the customer's status and has not committed
    const a = await begin();
    await enqueueOutbox(a.tx, shop, status(100), now);
    // WHEN transaction B queues the same key: it cannot see A's row, so it must wait for it, not insert a second
    const b = await begin();
    const pending = enqueueOutbox(b.tx, shop, status(250), now);
    expect(await isWaiting(pending)).toBe(true);
    await a.commit();
    await pending;
    await b.commit();
    // THEN one pending message holds B's variables
    const rows = await prisma.outboxMessage.findMany({ where: { shop }, select: { status: true, coalesceKey: true, variables: true } });
    expect(rows).toEqual([{ status: "pending", coalesceKey: "loyalty-status:7", variables: JSON.stringify(status(250).variables) }]);
  });

  it("the database refuses a second pending message for one key, whoever writes it", async () => {
    const shop = newShop();
    const now = new Date("2026-12-01T00:00:00Z");
    const insert = () => prisma.$executeRaw`
      INSERT INTO "OutboxMessage" ("shop", "operation", "variables", "coalesceKey", "status", "attempts", "nextAttemptAt", "createdAt")
      VALUES (${shop}, 'metafieldsSet', '{}', 'loyalty-status:7', 'pending', 0, ${now}, ${now})`;
    await insert();
    await expect(insert()).rejects.toThrow(/OutboxMessage_pending_coalesce_key|Unique constraint/);
    // A delivered or failed message with the key is history, not a duplicate: a new pending one is allowed beside it.
    await prisma.outboxMessage.updateMany({ where: { shop }, data: { status: "delivered" } });
    await insert();
    expect(await prisma.outboxMessage.count({ where: { shop } })).toBe(2);
  });
});

describe("points debits across instances", () => {
  it("two debits of 60 against a balance of 100 at the same moment: one is booked, the other refused, never below zero", async () => {
    const shop = newShop();
    await prisma.customer.create({ data: { shop, id: "501" } });
    expect(await adjustPoints(shop, "501", { points: 100, reason: "Welcome" }, null)).toEqual({ ok: true, balance: 100 });
    // GIVEN the customer's row is held (another instance booking an event for them)
    const holder = await begin();
    await holder.tx.$queryRaw`SELECT 1 FROM "Customer" WHERE "shop" = ${shop} AND "id" = '501' FOR UPDATE`;
    // WHEN two staff debits start meanwhile: both must wait for the row, not check a balance about to change
    const debits = [adjustPoints(shop, "501", { points: -60, reason: "Redeemed" }, null), adjustPoints(shop, "501", { points: -60, reason: "Redeemed" }, null)];
    expect(await isWaiting(Promise.all(debits))).toBe(true);
    await holder.commit();
    // THEN one of them is booked and the other sees the balance it left
    const outcomes = await Promise.all(debits);
    expect(outcomes.filter((o) => o.ok)).toEqual([{ ok: true, balance: 40 }]);
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, errors: { points: "The balance is 40; it cannot go below zero." } }]);
    const customer = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "501" } } });
    expect(numbers(customer).pointsBalance).toBe(40);
    const ledger = await prisma.pointsLedger.aggregate({ where: { shop, customerId: "501" }, _sum: { points: true } });
    expect(Number(ledger._sum.points)).toBe(40);
  });
});
