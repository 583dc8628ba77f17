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
  | "WebhookDelivery";

/** The tables the ingest path fills, in the order ANALYZE takes them. */
export const INGEST_TABLES: readonly GrowingTable[] = ["WebhookDelivery", "Order", "OrderLineItem", "Refund", "Customer", "PointsLedger", "TierChange", "OutboxMessage"];

export async function refreshTableStatistics(tables: readonly GrowingTable[]): Promise<void> {
  if (!tables.length) return;
  // Names from the closed union above, quoted: nothing outside this module reaches the statement.
  await prisma.$executeRawUnsafe(`ANALYZE ${tables.map((table) => `"${table}"`).join(", ")}`);
}
