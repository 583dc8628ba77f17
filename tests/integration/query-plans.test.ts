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

/** The names a statement reads Refund under: the table itself and every alias it gives it (`"Refund" x`). */
function refundNames(sql: string): string[] {
  return ["Refund", ...[...sql.matchAll(/"Refund"\s+(?:AS\s+)?(?!WHERE\b|ON\b|JOIN\b|LEFT\b|GROUP\b)(\w+)/gi)].map((m) => m[1]!)];
}

/** Every step of a plan that reads Refund, under its name or an alias, whether by an index or by a scan. */
function refundAccess(names: string[], lines: string[]): string[] {
  return lines.filter((line) => {
    const object = /^(?:SCAN|SEARCH)\s+(\w+)/.exec(line)?.[1];
    return (object !== undefined && names.includes(object)) || /INDEX Refund_/.test(line);
  });
}
const BY_ORDER = /^SEARCH .*\(shop=\? AND orderId=\?\)/;

describe("query plans of the rollup expressions", () => {
  const statements = backfill()
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  const readingRefunds = statements.filter((sql) => sql.includes('"Refund"'));

  it("has statements to check, some of them reading refunds", () => {
    expect(statements.length).toBeGreaterThan(3);
    expect(readingRefunds.length).toBeGreaterThanOrEqual(2);
  });

  it.each(readingRefunds.map((sql) => [sql.replace(/\s+/g, " ").slice(0, 60), sql]))("%s: refunds by (shop, orderId), no scan of Refund", async (_label, sql) => {
    const names = refundNames(sql);
    const lines = await plan(sql);
    const reads = refundAccess(names, lines);
    expect(reads.length, lines.join("\n")).toBeGreaterThan(0);
    for (const line of reads) expect(line).toMatch(BY_ORDER);
  });

  it("the check above fails on a full scan of Refund, under its name or an alias", () => {
    const names = refundNames('SELECT 1 FROM "Refund" x WHERE x."shop" = ?');
    expect(names).toEqual(["Refund", "x"]);
    const bad = ["SCAN Refund", "SCAN x", "SEARCH x USING INDEX Refund_shop_createdAt_idx (shop=?)"];
    expect(refundAccess(names, ["SCAN o", ...bad])).toEqual(bad);
    for (const line of bad) expect(line).not.toMatch(BY_ORDER);
    expect("SEARCH x USING COVERING INDEX Refund_shop_orderId_shopAmountMinor_idx (shop=? AND orderId=?)").toMatch(BY_ORDER);
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
