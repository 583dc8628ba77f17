import { describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { createJob } from "~/models/jobs.server";
import { unauthenticated } from "~/shopify.server";
import { stubAdminOperation } from "../support/admin-api";
import { runOrderImport } from "../support/order-import";
import { bulkOrderLine } from "../support/orders";
import { installShop } from "../support/sessions";

// Decision 036: an import refreshes the planner statistics of the tables it fills, at 1,000 orders and then each
// time the count doubles, so its statements are not planned for the empty tables of the last ANALYZE.
const SHOP = "import-statistics.myshopify.com";
// Each test imports about a thousand orders through the real import: seconds on a quiet machine, more on a busy CI
// runner (the default 5 s timed out once). A time limit, not an assertion: the checks are on the statistics.
vi.setConfig({ testTimeout: 60_000 });
const OP = "gid://shopify/BulkOperation/36";

/** The tables the ingest path fills. */
const FILLED = ["Customer", "Order", "OrderLineItem", "OutboxMessage", "PendingPoints", "PointsLedger", "Refund", "TierChange", "WebhookDelivery"];

/** When each of FILLED was last analyzed by hand (ANALYZE), not by autovacuum; null when never. */
async function lastAnalyzed(): Promise<Record<string, Date | null>> {
  const rows = await prisma.$queryRaw<{ relname: string; last_analyze: Date | null }[]>`
    SELECT relname::text AS relname, last_analyze FROM pg_stat_user_tables WHERE relname = ANY (${FILLED}::text[])`;
  return Object.fromEntries(rows.map((r) => [r.relname, r.last_analyze]));
}

async function importOrders(count: number) {
  stubAdminOperation("AfterglowBulkOrders", () => ({ bulkOperationRunQuery: { bulkOperation: { id: OP, status: "CREATED" }, userErrors: [] } }));
  stubAdminOperation("AfterglowBulkOperationStatus", () => ({
    node: { id: OP, status: "COMPLETED", errorCode: null, objectCount: String(count), rootObjectCount: String(count), url: "https://storage.example/orders.jsonl" },
  }));
  stubAdminOperation("AfterglowProducts", () => ({ products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }));
  const { admin } = await unauthenticated.admin(SHOP);
  const job = await createJob(SHOP, "order-import", 0, new Date());
  async function* lines() {
    for (let n = 1; n <= count; n++) {
      yield JSON.stringify(bulkOrderLine(n, "20.00", { customer: { id: `gid://shopify/Customer/${9000 + (n % 50)}`, firstName: null, lastName: null, email: null } }));
    }
  }
  return runOrderImport(SHOP, job.id, { graphql: admin.graphql, download: () => lines(), sleep: async () => undefined }, null);
}

describe("statistics during an import (decision 036)", () => {
  it("an import of fewer than 1,000 orders leaves the statistics to autovacuum", async () => {
    await installShop(SHOP);
    // A database in use: its tables were analysed before (a brand-new database's first statistics are taken by the
    // ingest path itself after 200 events, docs/decisions/057-plans-for-young-tables.md).
    await prisma.$executeRawUnsafe(`ANALYZE ${FILLED.map((table) => `"${table}"`).join(", ")}`);
    const before = await lastAnalyzed();
    expect(Object.values(before).every((at) => at !== null)).toBe(true);
    expect((await importOrders(999)).orders).toBe(999);
    expect(await lastAnalyzed()).toEqual(before);
  });

  it("at the 1,000th order every table the ingest path fills is analyzed", async () => {
    await installShop(SHOP);
    const started = new Date(Date.now() - 1000);
    expect((await importOrders(1_000)).orders).toBe(1_000);
    const analyzed = await lastAnalyzed();
    expect(Object.keys(analyzed).sort()).toEqual(FILLED);
    for (const [table, at] of Object.entries(analyzed)) expect(at?.getTime() ?? 0, table).toBeGreaterThanOrEqual(started.getTime());
  });
});
