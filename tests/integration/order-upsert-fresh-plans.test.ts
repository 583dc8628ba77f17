import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOrderPayload } from "~/domain/orders/order-payload";
import { upsertOrdersIfNewer } from "~/models/orders.server";
import { analyseTablesNeverAnalysed, INGEST_TABLES } from "~/models/table-statistics.server";
import { autoExplained, driverValues, recordedStatements, rowsReadBy } from "../support/plans";
import { delivered, restOrder } from "../support/orders";

/**
 * The ingest group's statements run on generic plans (docs/decisions/055-generic-plans-for-the-ingest-group.md), and
 * a connection makes a statement's generic plan once, at its first execution, and keeps it until the statistics
 * change. On a brand-new database (docs/decisions/057-plans-for-young-tables.md):
 * - the first execution finds the tables empty and never analysed, where every index leading with the shop costs the
 *   same as the order key: the stored version of each order was found by walking the shop's orders by customer (about
 *   3 ms a lookup at 4,000 orders) until the first automatic ANALYZE, a minute or more later. The ingest path takes the
 *   first statistics itself after its first events (ingest-first-statistics.test.ts);
 * - a plan made from the statistics of a small table reads it whole, cheapest at 200 rows, and keeps doing so as the
 *   table grows by thousands of rows before the next ANALYZE, unless the group refuses sequential scans.
 * Here the statement runs as the group runs it (both settings: ingest-plan-mode.test.ts) through those stages. This
 * file's database is the migrated template, as new as a new install's.
 */

const SHOP = "upsert-fresh.myshopify.com";
const STORED = 3_000;

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  for (const table of ["Order", "OrderLineItem", "Customer"]) await client.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
});

afterAll(async () => {
  await client?.end();
});

const order = (id: number) =>
  parseOrderPayload(
    restOrder({
      id,
      updated_at: "2026-10-02T10:00:00Z",
      customer: { id: 7000 + id, first_name: "Fresh", last_name: "Plan", email: `f${id}@example.com` },
      line_items: [{ id: id * 10, product_id: 7, title: "Tee", quantity: 1, price: "10.00" }],
    }),
  );

describe("a group's order upsert on a brand-new database", () => {
  it("reaches stored orders by their key once the shop's orders pile up, whatever the plan was made over", async () => {
    const { rows } = await client.query<{ estimate: number }>(`SELECT reltuples::int AS "estimate" FROM pg_class WHERE oid = '"Order"'::regclass`);
    expect(rows).toEqual([{ estimate: -1 }]); // never analysed

    const orders = [order(10), order(20), order(5001), order(5002), order(5003)];
    const [statement] = await recordedStatements((tx) => upsertOrdersIfNewer(tx, SHOP, ...delivered(orders)));
    const prepared = {
      name: "fresh-upsert",
      text: statement!.text,
      values: driverValues(statement!.values),
    };
    const stored = (from: number, to: number) =>
      client.query(
        `INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor",
           "presentmentTotalMinor", "placedAt", "shopifyUpdatedAt", "lineItemCount")
         SELECT $1, g::text, '#' || g, 'c-' || (g % 100), 'USD', 'USD', 1000, 1000, timestamptz '2026-09-01', timestamptz '2026-09-01', 1
         FROM generate_series($2::int, $3::int) g`,
        [SHOP, from, to],
      );
    const execute = async () => {
      await client.query("BEGIN");
      await client.query(prepared);
      await client.query("ROLLBACK");
    };
    // The group's settings, for this connection.
    await client.query("SET plan_cache_mode = force_generic_plan");
    await client.query("SET enable_seqscan = off");
    // The first execution, on the empty tables never analysed, makes the connection's generic plan ...
    await execute();
    // ... the shop's first 200 orders arrive, the first statistics are taken (only of the tables never analysed), and
    // the plan is made again from them ...
    await stored(1, 200);
    expect(await analyseTablesNeverAnalysed(INGEST_TABLES)).toEqual(INGEST_TABLES);
    expect(await analyseTablesNeverAnalysed(INGEST_TABLES)).toEqual([]);
    await execute();
    // ... then the shop's orders pile up (no automatic ANALYZE runs) ...
    await stored(201, STORED);
    // ... and the statement runs again: orders 10 and 20 are stored, the other three new.
    const plans = await autoExplained(client, () => client.query(prepared), ["auto_explain.log_analyze = on"]);
    expect(plans).toHaveLength(1);
    const orderReads = plans[0]!.nodes
      .filter((n) => n["Relation Name"] === "Order" && n["Node Type"] !== "ModifyTable")
      .map((n) => ({ index: n["Index Name"], read: rowsReadBy(n) }));
    expect(orderReads.length).toBeGreaterThan(0);
    // Each of the five orders looked up by its key: two found, none of the shop's other orders read.
    expect(orderReads).toEqual(orderReads.map(() => expect.objectContaining({ index: "Order_pkey" })));
    expect(orderReads.reduce((sum, r) => sum + r.read, 0)).toBeLessThanOrEqual(5);
    // No table read whole (the line items, the refunds, the ledger, the answers: each by its key too).
    expect(plans[0]!.nodes.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"])).toEqual([]);
  });
});
