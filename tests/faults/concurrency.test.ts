import { afterAll, describe, expect, it } from "vitest";
import { AdminStub } from "./support/admin-stub";
import { expectSentInOrder, expectSentOnce } from "./support/outbox-checks";
import { AppServer, freshDatabase, installShops, pointsAvailableAtOnce, removeDatabase, waitFor } from "./support/server";
import { ledgerMismatches, rows, scalar, snapshot } from "./support/snapshot";
import { delivery, random, send, type Delivery } from "./support/webhooks";

/**
 * Concurrency against the real server: 50 deliveries at once of the same webhook, and of different webhooks for
 * the same customer, each through one server process and through two processes sharing one PostgreSQL database
 * (several app instances, or a rolling deploy), the burst split between them. One effect each (no webhook applied
 * twice, no outbox message delivered twice, points balances equal to the ledger), every delivery answered 200,
 * and no deadlock, serialization failure or lock timeout surfacing anywhere.
 */
const SHOP = "faults-concurrency.myshopify.com";
const PARALLEL = 50;
const databases: string[] = [];
afterAll(async () => {
  for (const db of databases) await removeDatabase(db);
});
const DAY = 86_400_000;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const customer = (id: number) => ({ id, first_name: "Grace", last_name: "Hopper", email: `c${id}@example.com` });

function order(id: number, customerId: number, totalMinor: number, updatedAt: number, extra: Record<string, unknown> = {}) {
  const placed = now - 30 * DAY;
  const total = `${Math.floor(totalMinor / 100)}.${String(totalMinor % 100).padStart(2, "0")}`;
  return {
    id,
    name: `#${id}`,
    created_at: iso(placed),
    processed_at: iso(placed),
    updated_at: iso(updatedAt),
    currency: "USD",
    total_price: total,
    financial_status: "paid",
    customer: customer(customerId),
    line_items: [],
    ...extra,
  };
}

/** One server process, or several sharing one database (as app instances do); a burst alternates between them. */
async function withServers<T>(name: string, ports: number[], run: (targets: string[], servers: AppServer[], dbUrl: string) => Promise<T>) {
  const dbUrl = await freshDatabase(name);
  databases.push(dbUrl);
  await pointsAvailableAtOnce(dbUrl, [SHOP]);
  const servers = ports.map((port, i) => new AppServer({ name: ports.length > 1 ? `${name}-${i + 1}` : name, port, dbUrl }));
  try {
    await Promise.all(servers.map((s) => s.start()));
    return await run(
      servers.map((s) => s.url),
      servers,
      dbUrl,
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** Deadlocks PostgreSQL detected in the database so far (each costs a victim deadlock_timeout, 1 s, and a retry). */
const deadlocks = async (dbUrl: string) => scalar(dbUrl, `SELECT "deadlocks" FROM pg_stat_database WHERE "datname" = current_database()`);

/**
 * Sends all at once (after a common start line), alternating between the targets, and expects a 200 for each
 * within Shopify's 5 s; a failure names the deadlocks PostgreSQL resolved meanwhile.
 */
async function burst(targets: string[], deliveries: Delivery[], dbUrl: string) {
  const results = await Promise.all(deliveries.map((d, i) => send(targets[i % targets.length]!, d)));
  const failed = results.flatMap((r, i) => (r.status === 200 ? [] : [{ topic: deliveries[i]!.topic, target: targets[i % targets.length], ...r }]));
  expect(failed, failed.length ? `${failed.length} not answered 200; deadlocks in the database: ${await deadlocks(dbUrl)}` : undefined).toEqual([]);
}

/** PostgreSQL's contention errors (logged as `postgres <SQLSTATE>`): deadlock, serialization failure, lock or statement timeout. */
const CONTENTION = /40P01|40001|55P03|57014|deadlock/i;

const noContentionErrors = (servers: AppServer[]) => {
  for (const server of servers) {
    expect(server.logRecords("error")).toEqual([]);
    expect(server.logRecords().filter((r) => CONTENTION.test(JSON.stringify(r)))).toEqual([]);
  }
};

/** Through one process, and through two processes on one database: the same expectations hold. */
const TOPOLOGIES = [
  { label: "one server process", ports: (base: number) => [base] },
  { label: "two server processes on one database", ports: (base: number) => [base + 40, base + 50] },
];

describe.each(TOPOLOGIES)("50 parallel deliveries through $label", ({ ports }) => {
  it("of the same webhook: one order, one ledger row, one delivery recorded", async () => {
    await withServers("same-webhook", ports(3331), async (targets, servers, dbUrl) => {
      const d = delivery(SHOP, "orders/create", order(7001, 501, 42_50, now - 30 * DAY), "same-webhook-id");
      await burst(targets, Array.from({ length: PARALLEL }, () => d), dbUrl);

      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "WebhookDelivery"`)).toBe(1);
      expect(await rows(dbUrl, `SELECT "id", "totalMinor" FROM "Order"`)).toEqual([{ id: "7001", totalMinor: 4250 }]);
      expect(await rows(dbUrl, `SELECT "sourceKey", "points" FROM "PointsLedger"`)).toEqual([{ sourceKey: "order:7001", points: 42 }]);
      expect(await rows(dbUrl, `SELECT "orderCount", "pointsBalance", "tierSlug" FROM "Customer"`)).toEqual([{ orderCount: 1, pointsBalance: 42, tierSlug: "bronze" }]);
      expect(await rows(dbUrl, `SELECT "operation" FROM "OutboxMessage" ORDER BY "id"`)).toEqual([{ operation: "tagsAdd" }, { operation: "metafieldsSet" }]);
      noContentionErrors(servers);
    });
  });

  it("of different webhooks for the same customer: each applied once, tiers climbed in order", async () => {
    await withServers("same-customer", ports(3332), async (targets, servers, dbUrl) => {
      // 50 orders of $30.00 for customer 502: $1,500 in all, Gold from $1,000.
      const deliveries = Array.from({ length: PARALLEL }, (_, i) => delivery(SHOP, "orders/create", order(7100 + i, 502, 30_00, now - 30 * DAY)));
      await burst(targets, deliveries, dbUrl);

      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "WebhookDelivery"`)).toBe(PARALLEL);
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "Order"`)).toBe(PARALLEL);
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "PointsLedger" WHERE "kind" = 'order'`)).toBe(PARALLEL);
      expect(await rows(dbUrl, `SELECT "orderCount", "lifetimeNetMinor", "pointsBalance", "tierSlug" FROM "Customer"`)).toEqual([
        { orderCount: 50, lifetimeNetMinor: 150_000, pointsBalance: 1500, tierSlug: "gold" },
      ]);
      expect(await ledgerMismatches(dbUrl)).toEqual([]);
      // Each step once: none → bronze → silver → gold, whatever the order the transactions ran in.
      expect(await rows(dbUrl, `SELECT "fromSlug", "toSlug" FROM "TierChange" ORDER BY "id"`)).toEqual([
        { fromSlug: null, toSlug: "bronze" },
        { fromSlug: "bronze", toSlug: "silver" },
        { fromSlug: "silver", toSlug: "gold" },
      ]);
      noContentionErrors(servers);
    });
  });

  it("of creates, updates, payments and refunds of one customer's orders, shuffled: the same state as one by one", async () => {
    // 10 orders × (create, paid, updated) + 2 refunds on 10 of them = 50 deliveries for customer 503.
    const deliveries: Delivery[] = [];
    for (let k = 0; k < 10; k++) {
      const id = 7200 + k;
      const t = now - 30 * DAY;
      deliveries.push(delivery(SHOP, "orders/create", order(id, 503, 120_00, t, { financial_status: "pending" })));
      deliveries.push(delivery(SHOP, "orders/paid", order(id, 503, 120_00, t + 60_000)));
      deliveries.push(delivery(SHOP, "orders/updated", order(id, 503, 120_00, t + 5 * DAY, { financial_status: "partially_refunded" })));
      for (const r of [1, 2]) {
        const refund = {
          id: id * 10 + r,
          order_id: id,
          created_at: iso(t + r * DAY),
          transactions: [{ id: id * 100 + r, kind: "refund", status: "success", amount: r === 1 ? "25.00" : "12.50", currency: "USD" }],
        };
        deliveries.push(delivery(SHOP, "refunds/create", refund));
      }
    }
    const sequential = await withServers("shuffled-reference", [3333], async ([target], _servers, dbUrl) => {
      for (const d of deliveries) expect((await send(target!, d)).status).toBe(200);
      return snapshot(dbUrl);
    });
    const parallel = await withServers("shuffled-parallel", ports(3334), async (targets, servers, dbUrl) => {
      await burst(targets, random(3).shuffle(deliveries), dbUrl);
      noContentionErrors(servers);
      return snapshot(dbUrl);
    });
    // (independent arithmetic: 10 × ($120 − $37.50) = $825 net, Silver; 10 × (120 − 38) points)
    expect(parallel.customers).toMatchObject([{ orderCount: 10, lifetimeNetMinor: 82_500, tierSlug: "silver", pointsBalance: 820 }]);
    expect(parallel.orders).toEqual(sequential.orders);
    expect(parallel.refunds).toEqual(sequential.refunds);
    expect(parallel.customers).toEqual(sequential.customers);
    expect(parallel.pointsByOrder).toEqual(sequential.pointsByOrder);
    expect(parallel.balancesOffLedger).toEqual([]);
    expect(parallel.deliveries).toBe(50);
  });
});

describe("two server processes on one database, outbox workers included", () => {
  it("50 copies of one webhook, 50 orders and 10 refunds of one customer, split between them: one effect each, every message sent once", async () => {
    const dbUrl = await freshDatabase("two-processes");
    databases.push(dbUrl);
    await installShops(dbUrl, [SHOP]);
    await pointsAvailableAtOnce(dbUrl, [SHOP]);
    const stub = new AdminStub(3345);
    await stub.start();
    const servers = [3335, 3336].map(
      (port, i) => new AppServer({ name: `two-processes-${i + 1}`, port, dbUrl, adminOrigin: stub.origin, timeScale: 0.02 }),
    );
    try {
      await Promise.all(servers.map((s) => s.start()));
      // Both outbox workers run too, competing for the same messages.
      const same = delivery(SHOP, "orders/create", order(7300, 504, 99_00, now - 30 * DAY), "shared-webhook-id");
      const different = Array.from({ length: PARALLEL }, (_, i) => delivery(SHOP, "orders/create", order(7400 + i, 505, 25_00, now - 30 * DAY)));
      // $5.00 back on ten of those orders, in the same burst: some refunds arrive before their order.
      const refunds = Array.from({ length: 10 }, (_, i) =>
        delivery(SHOP, "refunds/create", {
          id: 97_400 + i,
          order_id: 7400 + i,
          created_at: iso(now - 20 * DAY),
          transactions: [{ id: 974_000 + i, kind: "refund", status: "success", amount: "5.00", currency: "USD" }],
        }),
      );
      // An answer later than Shopify's 5 s counts as a failed delivery and is retried, as Shopify would. No
      // delivery may ever be answered with an error status.
      const targets = servers.map((s) => s.url);
      let pending = random(11).shuffle([...Array.from({ length: PARALLEL }, () => same), ...different, ...refunds]);
      for (let round = 0; pending.length && round < 5; round++) {
        const results = await Promise.all(pending.map((d, i) => send(targets[i % targets.length]!, d)));
        expect(results.filter((r) => r.status !== 200 && r.status !== null)).toEqual([]);
        pending = pending.filter((_, i) => results[i]!.status !== 200);
        if (pending.length) console.log(`two processes: ${pending.length} deliveries unanswered within 5 s, retried (deadlocks so far: ${await deadlocks(dbUrl)})`);
      }
      expect(pending).toEqual([]);
      // No webhook applied twice: one delivery row per webhook id, one order per order id, one ledger row per source.
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "WebhookDelivery"`)).toBe(1 + PARALLEL + 10);
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "Order"`)).toBe(1 + PARALLEL);
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "Refund"`)).toBe(10);
      expect(await rows(dbUrl, `SELECT "kind", COUNT(*) AS n, SUM("points") AS points FROM "PointsLedger" GROUP BY "kind" ORDER BY "kind"`)).toEqual([
        { kind: "order", n: 1 + PARALLEL, points: 99 + PARALLEL * 25 },
        { kind: "refund", n: 10, points: -50 },
      ]);
      // (independent arithmetic: 50 × $25 − 10 × $5 = $1,200 net, Gold; 1,250 − 50 points)
      expect(await rows(dbUrl, `SELECT "id", "orderCount", "lifetimeNetMinor", "pointsBalance", "tierSlug" FROM "Customer" ORDER BY "id"`)).toEqual([
        { id: "504", orderCount: 1, lifetimeNetMinor: 99_00, pointsBalance: 99, tierSlug: "bronze" },
        { id: "505", orderCount: 50, lifetimeNetMinor: 1_200_00, pointsBalance: 1200, tierSlug: "gold" },
      ]);
      // Balances equal to the ledger.
      expect(await ledgerMismatches(dbUrl)).toEqual([]);
      await waitFor("the outbox to drain", async () => (await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "status" <> 'delivered'`)) === 0);
      // Two workers, one queue: every message sent once. Tag calls map one to one to their messages; the coalesced
      // metafield may go out again with newer values, never twice with the same.
      const messages = await rows(dbUrl, `SELECT "shop", "operation", "variables" FROM "OutboxMessage" ORDER BY "id"`);
      expectSentOnce(stub, messages);
      expectSentInOrder(stub, messages);
      expect(stub.mirror()).toMatchObject({
        [`${SHOP} gid://shopify/Customer/504`]: { tags: ["afterglow-tier-bronze"], metafield: { tierSlug: "bronze", points: 99 } },
        [`${SHOP} gid://shopify/Customer/505`]: { tags: ["afterglow-tier-gold"], metafield: { tierSlug: "gold", points: 1200 } },
      });
      // Both processes did part of the work.
      for (const server of servers) expect(server.logRecords().length, server.options.name).toBeGreaterThan(0);
      noContentionErrors(servers);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await stub.close();
    }
  });
});
