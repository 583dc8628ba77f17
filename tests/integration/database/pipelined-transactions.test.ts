import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connectRaw, poolSql, prisma, sqlOn } from "~/db.server";
import { sqlState } from "~/models/sql-errors";
import { createBatchGroupCommit, inSqlTransaction, sendAhead } from "~/models/transaction.server";
import { applyIngestEvents, parseIngestEvent, type ParsedIngestEvent } from "~/services/ingest-webhook.server";
import { flightsDuring } from "../../support/flights";
import { restOrder } from "../../support/orders";

/**
 * Raw transactions on pipelined connections (docs/decisions/053-pipelined-group-commit.md): a write whose answer
 * nobody needs travels with the next statement or with the COMMIT, in the order it was sent, and its failure is the
 * one reported, not the "transaction is aborted" of the statements behind it.
 */
const shopName = () => `pipelined-${randomUUID()}.myshopify.com`;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

afterEach(() => {
  vi.restoreAllMocks();
});

async function parsedOrders(shop: string, count: number, firstId: number): Promise<ParsedIngestEvent[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      parseIngestEvent({
        shop,
        topic: "orders/create",
        webhookId: randomUUID(),
        payload: restOrder({
          id: firstId + i,
          created_at: hoursAgo(2),
          processed_at: hoursAgo(2),
          updated_at: hoursAgo(2),
          total_price: "80.00",
          customer: { id: 9100 + firstId + i, first_name: "Pia", last_name: "Line", email: `p${firstId + i}@example.com` },
          line_items: [{ id: (firstId + i) * 10, product_id: 7, title: "Tee", quantity: 1, price: "80.00" }],
        }),
      }),
    ),
  );
}

/** Counts the writes (system calls) a connection's socket makes while `run` runs. */
async function writesDuring(connection: pg.PoolClient, run: () => Promise<unknown>): Promise<number> {
  const socket = (connection as unknown as { connection: { stream: { _write: (...a: unknown[]) => unknown; _writev?: (...a: unknown[]) => unknown } } }).connection.stream;
  const one = vi.spyOn(socket, "_write");
  const many = socket._writev ? vi.spyOn(socket as Required<typeof socket>, "_writev") : undefined;
  try {
    await run();
    return one.mock.calls.length + (many?.mock.calls.length ?? 0);
  } finally {
    one.mockRestore();
    many?.mockRestore();
  }
}

describe("coalesced writes", () => {
  it("statements sent in one turn of the event loop leave in one write, and each gets its own answer", async () => {
    const connection = await connectRaw();
    try {
      const together = await writesDuring(connection, async () => {
        const answers = await Promise.all([
          connection.query("SELECT 1 AS n"),
          connection.query({ name: "coalesce-probe", text: "SELECT $1::int AS n", values: [2] }),
          connection.query({ text: "SELECT $1::text AS n", values: ["three"] }),
        ]);
        expect(answers.map((a) => a.rows[0].n)).toEqual([1, 2, "three"]);
      });
      expect(together).toBe(1);
      // One after the other (each waits for the answer before it): a write each.
      const apart = await writesDuring(connection, async () => {
        await connection.query("SELECT 1");
        await connection.query("SELECT 2");
      });
      expect(apart).toBe(2);
    } finally {
      connection.release();
    }
  });
});

describe("pipelined raw transactions", () => {
  it("the pool's connections are pipelined, and a write sent ahead that fails is the error the next statement reports", async () => {
    const connection = await connectRaw();
    try {
      expect(connection.pipeline).toBe(true);
      await connection.query("BEGIN");
      const tx = sqlOn(connection);
      await tx.$executeRaw`CREATE TEMP TABLE "AheadProbe" ("k" integer PRIMARY KEY) ON COMMIT DROP`;
      await sendAhead(tx, () => tx.$executeRaw`INSERT INTO "AheadProbe" VALUES (1), (1)`);
      const next = tx.$queryRaw<{ one: number }[]>`SELECT 1 AS "one"`;
      // The duplicate key (23505), not the aborted transaction (25P02) of the SELECT behind it.
      await expect(next).rejects.toSatisfy((error) => sqlState(error) === "23505");
      await connection.query("ROLLBACK");
      // The connection is usable again, with nothing left ahead.
      expect(await tx.$queryRaw<{ one: number }[]>`SELECT 1 AS "one"`).toEqual([{ one: 1 }]);
    } finally {
      connection.release();
    }
  });

  it("a raw transaction whose last write, sent ahead with its COMMIT, fails rolls back and reports that write's error", async () => {
    const shop = shopName();
    const now = new Date();
    const attempt = inSqlTransaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "Shop" ("shop", "name", "currency", "timezone", "installedAt", "updatedAt")
        VALUES (${shop}, 'Pipelined', 'EUR', 'UTC', ${now}, ${now})`;
      await sendAhead(tx, () => tx.$executeRaw`INSERT INTO "Shop" ("shop", "name", "currency", "timezone", "installedAt", "updatedAt")
        VALUES (${shop}, 'Twice', 'EUR', 'UTC', ${now}, ${now})`);
    });
    await expect(attempt).rejects.toSatisfy((error) => sqlState(error) === "23505");
    expect(await poolSql().$queryRaw<unknown[]>`SELECT 1 FROM "Shop" WHERE "shop" = ${shop}`).toHaveLength(0);
  });

  it("a raw transaction's writes sent ahead commit with it, in the order they were sent", async () => {
    const shop = shopName();
    const now = new Date();
    await inSqlTransaction(async (tx) => {
      await sendAhead(tx, () => tx.$executeRaw`INSERT INTO "Shop" ("shop", "name", "currency", "timezone", "installedAt", "updatedAt")
        VALUES (${shop}, 'First', 'EUR', 'UTC', ${now}, ${now})`);
      await sendAhead(tx, () => tx.$executeRaw`UPDATE "Shop" SET "name" = 'Second' WHERE "shop" = ${shop}`);
    });
    expect(await poolSql().$queryRaw<{ name: string }[]>`SELECT "name" FROM "Shop" WHERE "shop" = ${shop}`).toEqual([{ name: "Second" }]);
  });

  it("a group of four new orders (points pending) costs three round trips: BEGIN with the locks, the upsert (claiming) and the pending facts; the pending dates with the balances; the tiers with COMMIT", async () => {
    const shop = shopName();
    const events = await parsedOrders(shop, 4, 41_000);
    const run = createBatchGroupCommit(applyIngestEvents);
    const { result: outcomes, flights } = await flightsDuring(() => Promise.all(events.map((event) => run(event, shop))));
    expect(outcomes).toEqual(["applied", "applied", "applied", "applied"]);
    expect(flights).toHaveLength(1);
    expect(flights[0]!.map((flight) => flight.length)).toEqual([4, 2, 2]);
    expect(flights[0]![0]).toEqual([
      expect.stringMatching(/^BEGIN;/),
      expect.stringMatching(/^SELECT count\(pg_advisory_xact_lock/),
      expect.stringMatching(/^WITH "input"/),
      expect.stringMatching(/^SELECT \(SELECT/),
    ]);
    expect(flights[0]![2]).toEqual([expect.stringMatching(/^WITH "change"/), "COMMIT"]);
    // Everything they sent committed: the orders' points wait out their return window.
    const customers = await prisma.customer.findMany({ where: { shop }, select: { pointsBalance: true, pointsPending: true } });
    expect(customers).toEqual(Array(4).fill({ pointsBalance: 0n, pointsPending: 80n }));
    expect(await prisma.pendingPoints.count({ where: { shop, releasedAt: null } })).toBe(4);
    expect(await prisma.outboxMessage.count({ where: { shop, operation: "metafieldsSet" } })).toBe(4);
  });

  it("a write sent ahead that fails inside a group fails its own event with its own error; the others commit", async () => {
    const shop = shopName();
    const events = await parsedOrders(shop, 3, 42_000);
    const failing = "42001";
    await prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION pipelined_probe_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."orderId" = '${failing}' THEN RAISE EXCEPTION 'pending probe refused' USING ERRCODE = 'check_violation'; END IF;
        RETURN NEW;
      END $$`);
    await prisma.$executeRawUnsafe(`
      CREATE TRIGGER pipelined_probe BEFORE INSERT ON "PendingPoints" FOR EACH ROW EXECUTE FUNCTION pipelined_probe_refuse()`);
    try {
      const run = createBatchGroupCommit(applyIngestEvents);
      const outcomes = await Promise.allSettled(events.map((event) => run(event, shop)));
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      const refused = (outcomes[1] as PromiseRejectedResult).reason;
      // The pending dates' own refusal (23514), not the aborted transaction (25P02) of the balances behind them.
      expect(sqlState(refused)).toBe("23514");
      expect(String((refused as Error).message)).toContain("pending probe refused");
      const orders = await prisma.order.findMany({ where: { shop }, select: { id: true }, orderBy: { id: "asc" } });
      expect(orders.map((o) => o.id)).toEqual(["42000", "42002"]);
      expect(await prisma.pendingPoints.count({ where: { shop } })).toBe(2);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER pipelined_probe ON "PendingPoints"`);
    }
  });
});
