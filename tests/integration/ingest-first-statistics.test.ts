import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { INGEST_TABLES } from "~/models/table-statistics.server";
import { FIRST_STATISTICS_AFTER, ingestEvent } from "~/services/ingest-webhook.server";
import { restOrder } from "../support/orders";

/**
 * On a brand-new database the ingest path takes its tables' first statistics itself, once a process has applied
 * `FIRST_STATISTICS_AFTER` events, rather than leaving its cached generic plans to the first automatic ANALYZE
 * (docs/decisions/057-plans-for-young-tables.md; what those plans did is order-upsert-fresh-plans.test.ts's). This
 * file's database is the migrated template, never analysed; automatic ANALYZE is off for its tables here.
 */

const SHOP = "first-statistics.myshopify.com";

const neverAnalysed = async () =>
  (
    await prisma.$queryRaw<{ relname: string }[]>`
      SELECT relname::text AS "relname" FROM pg_class WHERE oid = ANY (${INGEST_TABLES.map((t) => `"${t}"`)}::regclass[]) AND reltuples < 0 ORDER BY 1`
  ).map((row) => row.relname);

const orderEvent = (n: number) => ({ shop: SHOP, topic: "orders/create", webhookId: `first-statistics-${n}`, payload: restOrder({ id: 80_000 + n }) });

beforeAll(async () => {
  for (const table of INGEST_TABLES) await prisma.$executeRawUnsafe(`ALTER TABLE "${table}" SET (autovacuum_enabled = off)`);
});

describe("the ingest path's first statistics", () => {
  it(`are taken once the process applied ${FIRST_STATISTICS_AFTER} events, of every ingest table never analysed`, { timeout: 60_000 }, async () => {
    expect(await neverAnalysed()).toEqual([...INGEST_TABLES].sort());
    for (let n = 1; n < FIRST_STATISTICS_AFTER; n++) expect(await ingestEvent(orderEvent(n))).toBe("applied");
    expect(await neverAnalysed()).toEqual([...INGEST_TABLES].sort());

    expect(await ingestEvent(orderEvent(FIRST_STATISTICS_AFTER))).toBe("applied");
    // Taken beside the webhooks, not in their way: the event answered first.
    const deadline = Date.now() + 10_000;
    while ((await neverAnalysed()).length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await neverAnalysed()).toEqual([]);
    const [order] = await prisma.$queryRaw<{ reltuples: number }[]>`SELECT reltuples FROM pg_class WHERE oid = '"Order"'::regclass`;
    expect(order!.reltuples).toBe(FIRST_STATISTICS_AFTER);
  });
});
