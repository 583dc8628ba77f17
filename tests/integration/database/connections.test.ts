import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openPoolConnections, poolSql, prisma } from "~/db.server";
import { env } from "~/env.server";
import { inSqlTransaction, type SqlTx } from "~/models/transaction.server";

/**
 * The process's connections (docs/decisions/052-database-connections.md): the pools keep what they open and start-up
 * opens them all; raw transactions commit together or not at all and give their connection back usable.
 */
const shopName = () => `connections-${randomUUID()}.myshopify.com`;

async function shopExists(shop: string): Promise<boolean> {
  const rows = await poolSql().$queryRaw<{ shop: string }[]>`SELECT "shop" FROM "Shop" WHERE "shop" = ${shop}`;
  return rows.length === 1;
}

const insertShop = (shop: string) => async (tx: SqlTx) =>
  tx.$executeRaw`INSERT INTO "Shop" ("shop", "name", "currency", "timezone", "installedAt", "updatedAt")
    VALUES (${shop}, 'Connections', 'EUR', 'UTC', ${new Date()}, ${new Date()})`;

describe("database connections", () => {
  it("start-up opens every connection of both pools, and they stay open past node-postgres's 10-second idle limit", { timeout: 30_000 }, async () => {
    const readers = Math.max(2, Math.ceil(env.DATABASE_POOL_SIZE / 2));
    expect(await openPoolConnections()).toBe(env.DATABASE_POOL_SIZE + readers);
    // A second call finds them all open and opens none.
    expect(await openPoolConnections()).toBe(env.DATABASE_POOL_SIZE + readers);
    const others = async () => {
      const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM pg_stat_activity WHERE "datname" = current_database() AND "pid" <> pg_backend_pid()`;
      return Number(row!.n);
    };
    expect(await others()).toBeGreaterThanOrEqual(env.DATABASE_POOL_SIZE + readers - 1);
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    expect(await others()).toBeGreaterThanOrEqual(env.DATABASE_POOL_SIZE + readers - 1);
  });

  it("a raw transaction commits its statements together", async () => {
    const shop = shopName();
    const result = await inSqlTransaction(async (tx) => {
      await insertShop(shop)(tx);
      // Inside, the transaction sees its own write; outside, nobody does yet.
      expect(await tx.$queryRaw<unknown[]>`SELECT 1 FROM "Shop" WHERE "shop" = ${shop}`).toHaveLength(1);
      expect(await shopExists(shop)).toBe(false);
      return "done";
    });
    expect(result).toBe("done");
    expect(await shopExists(shop)).toBe(true);
  });

  it("a raw transaction that throws writes nothing, rethrows the error and gives back a usable connection", async () => {
    const shop = shopName();
    const failure = new Error("refused halfway");
    await expect(
      inSqlTransaction(async (tx) => {
        await insertShop(shop)(tx);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await shopExists(shop)).toBe(false);
    // Every connection of the pool is outside any transaction again: a run of transactions as large as the pool
    // commits, none of them inheriting the aborted one.
    const shops = Array.from({ length: env.DATABASE_POOL_SIZE }, shopName);
    await Promise.all(shops.map((s) => inSqlTransaction(insertShop(s))));
    for (const s of shops) expect(await shopExists(s)).toBe(true);
  });

  it("a statement error inside a raw transaction rolls back the statements before it", async () => {
    const shop = shopName();
    await expect(
      inSqlTransaction(async (tx) => {
        await insertShop(shop)(tx);
        await insertShop(shop)(tx); // the same key again: a unique violation
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await shopExists(shop)).toBe(false);
  });
});
