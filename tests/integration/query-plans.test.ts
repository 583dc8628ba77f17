import { describe, expect, it } from "vitest";
import { dropValueSamples, prisma } from "~/db.server";
import { backfill } from "../../prisma/sql/cx-rollups.mjs";

/**
 * Query plans on a migrated database without statistics (as a production database is until someone runs ANALYZE):
 * the rollup expressions (shared by the backfill and the triggers that run on every order, refund and answer) must
 * reach an order's refunds by (shop, orderId). With a covering (shop, createdAt, …) index beside it, SQLite once
 * chose that one and scanned every refund of the shop per row: a 1M-answer backfill went from seconds to hours.
 */
async function plan(sql: string): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`);
  return rows.map((r) => r.detail);
}

describe("query plans of the rollup expressions", () => {
  const statements = backfill()
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);

  it("has statements to check", () => {
    expect(statements.length).toBeGreaterThan(3);
  });

  it.each(statements.map((sql) => [sql.replace(/\s+/g, " ").slice(0, 60), sql]))("%s: refunds by (shop, orderId), no scan of Refund", async (_label, sql) => {
    const lines = await plan(sql);
    const refundAccess = lines.filter((l) => /INDEX Refund_|SCAN x\b/.test(l));
    for (const line of refundAccess) expect(line).toMatch(/\(shop=\? AND orderId=\?\)/);
  });
});

describe("planner statistics", () => {
  it("keeps ANALYZE's table statistics but drops STAT4's value samples, which re-plan every execution", async () => {
    const shop = "stats-shop.myshopify.com";
    const at = new Date("2026-01-01T00:00:00Z");
    await prisma.order.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        shop,
        id: String(1000 + i),
        name: `#${1000 + i}`,
        currency: "USD",
        presentmentCurrency: "USD",
        totalMinor: 1000 + i,
        presentmentTotalMinor: 1000 + i,
        placedAt: at,
        shopifyUpdatedAt: at,
      })),
    });
    await prisma.$executeRawUnsafe("ANALYZE");
    const count = async (table: string) => Number((await prisma.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
    expect(await count("sqlite_stat4")).toBeGreaterThan(0);

    await dropValueSamples(prisma);

    expect(await count("sqlite_stat4")).toBe(0);
    expect(await count("sqlite_stat1")).toBeGreaterThan(0);
    // Idempotent (every other test file runs it at start-up on a database never analyzed, without sqlite_stat4).
    await dropValueSamples(prisma);
    expect(await count("sqlite_stat4")).toBe(0);
  });
});
