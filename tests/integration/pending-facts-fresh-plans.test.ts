import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { pendingFactsFor } from "~/models/pending-points.server";
import { analyseTablesNeverAnalysed, INGEST_TABLES } from "~/models/table-statistics.server";
import { autoExplained, driverValues, recordedStatements, rowsReadBy } from "../support/plans";

/**
 * Every order group reads its orders' pending facts (`pendingFactsFor`: each order with its PendingPoints row), on the
 * group's generic plan, made once per connection (docs/decisions/055-generic-plans-for-the-ingest-group.md). On a
 * brand-new database that plan is made over empty tables (docs/decisions/057-plans-for-young-tables.md), and the
 * shop's held orders pile up under it. Joined plainly, the plan hashed every held order of the shop on each group
 * (5,400 rows a group a minute into the benchmark). Here the statement runs as the group runs it, through the stages
 * of a new install: this file's database is the migrated template, never analysed.
 */

const SHOP = "pending-fresh.myshopify.com";
const HELD = 3_000;
const at = (day: number) => new Date(Date.UTC(2026, 5, day));

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  for (const table of ["Order", "PendingPoints"]) await client.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
});

afterAll(async () => {
  await client?.end();
});

/** Orders `from`..`to` of the shop ("o-N"), each held until June 28 unless `released`. */
const storeHeld = (from: number, to: number) =>
  client.query(
    `WITH o AS (
       INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor",
         "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt", "lineItemCount")
       SELECT $1, 'o-' || g, '#' || g, 'c-' || (g % 100), 'USD', 'USD', 1000, 1000, $4, $4, 1 FROM generate_series($2::int, $3::int) g
       RETURNING "id")
     INSERT INTO "PendingPoints" ("shop", "orderId", "availableAt", "capAt", "createdAt") SELECT $1, o."id", $5, $5, $4 FROM o`,
    [SHOP, from, to, at(1), at(28)],
  );

describe("an order group's pending facts on a brand-new database", () => {
  it("read each order's PendingPoints row by its key, one lookup per order, whatever the plan was made over", async () => {
    const { rows } = await client.query<{ estimate: number }>(`SELECT reltuples::int AS "estimate" FROM pg_class WHERE oid = '"PendingPoints"'::regclass`);
    expect(rows).toEqual([{ estimate: -1 }]); // never analysed

    // Five orders the group has just written: two held (o-1, o-2), one released (o-3), two never held (new-1, new-2).
    const orderIds = ["o-1", "o-2", "o-3", "new-1", "new-2"];
    const [statement, ...more] = await recordedStatements((tx) => pendingFactsFor(tx, SHOP, orderIds));
    expect(more).toEqual([]);
    const prepared = { name: "fresh-pending-facts", text: statement!.text, values: driverValues(statement!.values) };
    const execute = async () => {
      await client.query("BEGIN");
      await client.query(prepared);
      await client.query("ROLLBACK");
    };
    // The group's settings, for this connection (ingest-plan-mode.test.ts).
    await client.query("SET plan_cache_mode = force_generic_plan");
    await client.query("SET enable_seqscan = off");
    // The first execution, on the empty tables never analysed, makes the connection's generic plan ...
    await execute();
    // ... the shop's first 200 orders arrive, held, and the first statistics are taken (PendingPoints among them) ...
    await storeHeld(1, 200);
    expect(await analyseTablesNeverAnalysed(INGEST_TABLES)).toContain("PendingPoints");
    await execute();
    // ... then the shop's held orders pile up (no automatic ANALYZE runs) ...
    await storeHeld(201, HELD);
    await client.query(`UPDATE "PendingPoints" SET "releasedAt" = $2 WHERE "shop" = $1 AND "orderId" = 'o-3'`, [SHOP, at(2)]);
    const stored = `INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor",
        "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt", "lineItemCount")
      VALUES ('${SHOP}', 'new-1', '#n1', 'c-1', 'USD', 'USD', 500, 500, timestamptz '2026-06-03', timestamptz '2026-06-03', 1),
             ('${SHOP}', 'new-2', '#n2', 'c-2', 'USD', 'USD', 500, 500, timestamptz '2026-06-03', timestamptz '2026-06-03', 1)`;
    // ... and the group's read runs again.
    const plans = await autoExplained(
      client,
      async () => {
        await client.query(stored);
        await client.query(prepared);
      },
      ["auto_explain.log_analyze = on"],
    );
    const facts = plans.filter((plan) => plan.query.includes('AS "timeZone"'));
    expect(facts).toHaveLength(1);
    const reads = facts[0]!.nodes.filter((n) => n["Relation Name"] === "PendingPoints");
    expect(reads.map((n) => `${n["Node Type"]} using ${n["Index Name"]}`)).toEqual(["Index Scan using PendingPoints_pkey"]);
    // One lookup per order, a row at most each: none of the shop's other 2,997 held orders read.
    expect(reads[0]!["Actual Loops"]).toBe(orderIds.length);
    expect(rowsReadBy(reads[0]!)).toBeLessThanOrEqual(orderIds.length);

    const read = await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(stored);
      const facts = await pendingFactsFor(tx, SHOP, orderIds);
      await tx.$executeRawUnsafe(`DELETE FROM "Order" WHERE "shop" = '${SHOP}' AND "id" LIKE 'new-%'`);
      return facts;
    });
    expect(read.timeZone).toBeNull();
    expect(read.versions).toEqual([]);
    expect(Object.fromEntries(read.orders.map((o) => [o.id, o.hold]))).toEqual({
      "o-1": { availableAt: at(28), capAt: at(28), releasedAt: null },
      "o-2": { availableAt: at(28), capAt: at(28), releasedAt: null },
      "o-3": { availableAt: at(28), capAt: at(28), releasedAt: at(2) },
      "new-1": null,
      "new-2": null,
    });
  });
});
