import { prisma } from "~/db.server";

/**
 * Fresh planner statistics for tables a bulk load grows (docs/decisions/036-statistics-during-bulk-loads.md).
 * PostgreSQL plans each statement from the statistics of the last ANALYZE; autovacuum refreshes them only after a
 * minute's nap and a tenth of the table changed. A historical import or a tier recompute grows these tables from
 * nothing to hundreds of thousands of rows faster than that, and a statement planned for "one row" (a nested loop)
 * over thousands takes minutes instead of milliseconds. ANALYZE reads a fixed-size sample (about 30,000 rows a table
 * at the default target), so it costs well under a second whatever the table's size, and it never blocks reads or
 * writes. Without the right to analyze a table (another role owns it), PostgreSQL skips it with a warning.
 */
type GrowingTable =
  | "Order"
  | "OrderLineItem"
  | "Refund"
  | "Customer"
  | "PointsLedger"
  | "TierChange"
  | "OutboxMessage"
  | "WebhookDelivery"
  | "PendingPoints";

/** The tables the ingest path fills, in the order ANALYZE takes them. */
export const INGEST_TABLES: readonly GrowingTable[] = ["WebhookDelivery", "Order", "OrderLineItem", "Refund", "Customer", "PointsLedger", "TierChange", "OutboxMessage", "PendingPoints"];

export async function refreshTableStatistics(tables: readonly GrowingTable[]): Promise<void> {
  if (!tables.length) return;
  // Names from the closed union above, quoted: nothing outside this module reaches the statement.
  await prisma.$executeRawUnsafe(`ANALYZE ${tables.map((table) => `"${table}"`).join(", ")}`);
}

/**
 * ANALYZE of those of `tables` PostgreSQL has never analysed (`reltuples` is -1 until the first ANALYZE); the ones it
 * analysed. On a brand-new database a connection's cached generic plans are made over such tables, where every index
 * leading with the shop costs the same as the key, and stay until the first ANALYZE replaces them
 * (docs/decisions/057-plans-for-young-tables.md).
 */
export async function analyseTablesNeverAnalysed(tables: readonly GrowingTable[]): Promise<GrowingTable[]> {
  if (!tables.length) return [];
  const rows = await prisma.$queryRaw<{ table: string }[]>`
    SELECT c."relname"::text AS "table" FROM pg_class c
    WHERE c."oid" = ANY (${tables.map((table) => `"${table}"`)}::regclass[]) AND c."reltuples" < 0`;
  const unseen = tables.filter((table) => rows.some((row) => row.table === table));
  await refreshTableStatistics(unseen);
  return unseen;
}
