import { afterAll, describe, expect, it } from "vitest";
import { AdminStub } from "./support/admin-stub";
import { expectSentOnce } from "./support/outbox-checks";
import { AppServer, freshDatabase, installShops, removeDatabase, waitFor } from "./support/server";
import { rows, scalar, snapshot } from "./support/snapshot";
import { delivery, random, send, type Delivery } from "./support/webhooks";

/**
 * Concurrency against the real server: 50 deliveries at once of the same webhook, and of different webhooks for
 * the same customer, through one server process and through two processes sharing the database (as during a
 * rolling deploy). One effect each, every delivery answered 200, and no SQLite busy error surfacing anywhere.
 */
const SHOP = "faults-concurrency.myshopify.com";
const PARALLEL = 50;
const databases: string[] = [];
afterAll(() => databases.forEach(removeDatabase));

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

async function withServer<T>(name: string, port: number, run: (server: AppServer, dbFile: string) => Promise<T>) {
  const dbFile = freshDatabase(name);
  databases.push(dbFile);
  const server = new AppServer({ name, port, dbFile });
  await server.start();
  try {
    return await run(server, dbFile);
  } finally {
    await server.stop();
  }
}

/** Sends all at once (after a common start line) and expects a 200 for each. */
async function burst(targets: string[], deliveries: Delivery[]) {
  const results = await Promise.all(deliveries.map((d, i) => send(targets[i % targets.length]!, d)));
  const failed = results.flatMap((r, i) => (r.status === 200 ? [] : [{ topic: deliveries[i]!.topic, target: targets[i % targets.length], ...r }]));
  expect(failed).toEqual([]);
}

const noBusyErrors = (server: AppServer) => {
  expect(server.logRecords("error")).toEqual([]);
  expect(server.logRecords().filter((r) => /busy|locked/i.test(JSON.stringify(r)))).toEqual([]);
};

describe("50 parallel deliveries", () => {
  it("of the same webhook: one order, one ledger row, one delivery recorded", async () => {
    await withServer("same-webhook", 3331, async (server, dbFile) => {
      const d = delivery(SHOP, "orders/create", order(7001, 501, 42_50, now - 30 * DAY), "same-webhook-id");
      await burst([server.url], Array.from({ length: PARALLEL }, () => d));

      expect(scalar(dbFile, `SELECT COUNT(*) FROM "WebhookDelivery"`)).toBe(1);
      expect(rows(dbFile, `SELECT "id", "totalMinor" FROM "Order"`)).toEqual([{ id: "7001", totalMinor: 4250 }]);
      expect(rows(dbFile, `SELECT "sourceKey", "points" FROM "PointsLedger"`)).toEqual([{ sourceKey: "order:7001", points: 42 }]);
      expect(rows(dbFile, `SELECT "orderCount", "pointsBalance", "tierSlug" FROM "Customer"`)).toEqual([{ orderCount: 1, pointsBalance: 42, tierSlug: "bronze" }]);
      expect(rows(dbFile, `SELECT "operation" FROM "OutboxMessage" ORDER BY "id"`)).toEqual([{ operation: "tagsAdd" }, { operation: "metafieldsSet" }]);
      noBusyErrors(server);
    });
  });

  it("of different webhooks for the same customer: each applied once, tiers climbed in order", async () => {
    await withServer("same-customer", 3332, async (server, dbFile) => {
      // 50 orders of $30.00 for customer 502: $1,500 in all, Gold from $1,000.
      const deliveries = Array.from({ length: PARALLEL }, (_, i) => delivery(SHOP, "orders/create", order(7100 + i, 502, 30_00, now - 30 * DAY)));
      await burst([server.url], deliveries);

      expect(scalar(dbFile, `SELECT COUNT(*) FROM "WebhookDelivery"`)).toBe(PARALLEL);
      expect(scalar(dbFile, `SELECT COUNT(*) FROM "Order"`)).toBe(PARALLEL);
      expect(scalar(dbFile, `SELECT COUNT(*) FROM "PointsLedger" WHERE "kind" = 'order'`)).toBe(PARALLEL);
      expect(rows(dbFile, `SELECT "orderCount", "lifetimeNetMinor", "pointsBalance", "tierSlug" FROM "Customer"`)).toEqual([
        { orderCount: 50, lifetimeNetMinor: 150_000, pointsBalance: 1500, tierSlug: "gold" },
      ]);
      // Each step once: none → bronze → silver → gold, whatever the order the transactions ran in.
      expect(rows(dbFile, `SELECT "fromSlug", "toSlug" FROM "TierChange" ORDER BY "id"`)).toEqual([
        { fromSlug: null, toSlug: "bronze" },
        { fromSlug: "bronze", toSlug: "silver" },
        { fromSlug: "silver", toSlug: "gold" },
      ]);
      noBusyErrors(server);
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
    const sequential = await withServer("shuffled-reference", 3333, async (server, dbFile) => {
      for (const d of deliveries) expect((await send(server.url, d)).status).toBe(200);
      return snapshot(dbFile);
    });
    const parallel = await withServer("shuffled-parallel", 3334, async (server, dbFile) => {
      await burst([server.url], random(3).shuffle(deliveries));
      noBusyErrors(server);
      return snapshot(dbFile);
    });
    // (independent arithmetic: 10 × ($120 − $37.50) = $825 net, Silver; 10 × (120 − 38) points)
    expect(parallel.customers).toMatchObject([{ orderCount: 10, lifetimeNetMinor: 82_500, tierSlug: "silver", pointsBalance: 820 }]);
    expect(parallel.orders).toEqual(sequential.orders);
    expect(parallel.refunds).toEqual(sequential.refunds);
    expect(parallel.customers).toEqual(sequential.customers);
    expect(parallel.pointsByOrder).toEqual(sequential.pointsByOrder);
    expect(parallel.deliveries).toBe(50);
  });

  it("through two server processes sharing one database: no busy errors, one effect each", async () => {
    const dbFile = freshDatabase("two-processes");
    databases.push(dbFile);
    installShops(dbFile, [SHOP]);
    const stub = new AdminStub(3345);
    await stub.start();
    const servers = [3335, 3336].map(
      (port, i) => new AppServer({ name: `two-processes-${i + 1}`, port, dbFile, adminOrigin: stub.origin, timeScale: 0.02 }),
    );
    try {
      await Promise.all(servers.map((s) => s.start()));
      // Both outbox workers run too, competing for the same messages.
      const same = delivery(SHOP, "orders/create", order(7300, 504, 99_00, now - 30 * DAY), "shared-webhook-id");
      const different = Array.from({ length: PARALLEL }, (_, i) => delivery(SHOP, "orders/create", order(7400 + i, 505, 25_00, now - 30 * DAY)));
      // Writers in two processes queue on SQLite's one write lock (busy_timeout), so under this burst some answers
      // can take longer than Shopify's 5 s: those count as failed deliveries and are retried, as Shopify would. No
      // delivery may ever be answered with an error status.
      const targets = servers.map((s) => s.url);
      let pending = [...Array.from({ length: PARALLEL }, () => same), ...different];
      for (let round = 0; pending.length && round < 5; round++) {
        const results = await Promise.all(pending.map((d, i) => send(targets[i % targets.length]!, d)));
        expect(results.filter((r) => r.status !== 200 && r.status !== null)).toEqual([]);
        pending = pending.filter((_, i) => results[i]!.status !== 200);
        if (pending.length) console.log(`two processes: ${pending.length} deliveries unanswered within 5 s, retried`);
      }
      expect(pending).toEqual([]);
      expect(scalar(dbFile, `SELECT COUNT(*) FROM "WebhookDelivery"`)).toBe(PARALLEL + 1);
      expect(rows(dbFile, `SELECT "id", "orderCount", "pointsBalance", "tierSlug" FROM "Customer" ORDER BY "id"`)).toEqual([
        { id: "504", orderCount: 1, pointsBalance: 99, tierSlug: "bronze" },
        { id: "505", orderCount: 50, pointsBalance: 1250, tierSlug: "gold" },
      ]);
      await waitFor("the outbox to drain", () => scalar(dbFile, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "status" <> 'delivered'`) === 0);
      // Two workers, one queue: every message sent once. Tag calls map one to one to their messages; the coalesced
      // metafield may go out again with newer values, never twice with the same (the customer's points only grow).
      expectSentOnce(stub, rows(dbFile, `SELECT "shop", "operation", "variables" FROM "OutboxMessage" ORDER BY "id"`));
      expect(stub.mirror()).toMatchObject({
        [`${SHOP} gid://shopify/Customer/504`]: { tags: ["afterglow-tier-bronze"], metafield: { tierSlug: "bronze", points: 99 } },
        [`${SHOP} gid://shopify/Customer/505`]: { tags: ["afterglow-tier-gold"], metafield: { tierSlug: "gold", points: 1250 } },
      });
      for (const server of servers) noBusyErrors(server);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await stub.close();
    }
  });
});
