import { Prisma } from "@prisma/client";
import { readSql } from "~/db.server";
import { dayNumber } from "./cx-scores.server";
import { sqlNumber } from "./sql-values";

/**
 * Return figures for a range of whole UTC days [from, to) (midnights), aggregated in SQL on the read connection
 * (docs/decisions/014-returns-data.md):
 * - orders, refunded orders and gross sales count orders by the day they were placed, from the OrderDaily rollup
 *   (kept by triggers): orders not test and not cancelled, those with at least one refund, and their total. The
 *   return rate is refundedOrders / orders of the same placed orders.
 * - the refunded amount counts refunds by the day they were made (Refund[shop, createdAt, orderId, shopAmountMinor]),
 *   in the shop currency, of orders not test and not cancelled (a cancellation is not a return).
 * - items count refund lines by the refund's day, by product (by title for a line without a product).
 * A refund counts once its order is known (before that its shop-currency amount is not either).
 */
export interface ReturnCounts {
  orders: number;
  refundedOrders: number;
  grossMinor: number;
  refundedMinor: number;
}

type ReturnBucket = "week" | "month";

interface RefundedItem {
  productId: string | null;
  /** The product's current title when known, else the title on the refunded lines. */
  title: string;
  quantity: number;
  refundedMinor: number;
  orders: number;
}

/**
 * Bucket key of a UTC day-number expression (days since 1970-01-01): "YYYY-MM" (UTC) or the 7-day week counted
 * from `fromDay` ("0", "1", …; days before `fromDay` are never read).
 */
function bucketOf(day: Prisma.Sql, granularity: ReturnBucket, fromDay: number) {
  return granularity === "month"
    ? Prisma.sql`to_char(DATE '1970-01-01' + ${day}, 'YYYY-MM')`
    : Prisma.sql`((${day} - ${fromDay}::int) / 7)::text`;
}

async function orderCounts(shop: string, from: Date, to: Date, bucket: Prisma.Sql) {
  return readSql().$queryRaw<{ bucket: string; orders: unknown; refundedOrders: unknown; gross: unknown }[]>`
    SELECT ${bucket} AS "bucket", SUM("liveOrders") AS "orders", SUM("refundedOrders") AS "refundedOrders", SUM("liveGrossMinor") AS "gross"
    FROM "OrderDaily" WHERE "shop" = ${shop} AND "day" >= ${dayNumber(from)}::int AND "day" < ${dayNumber(to)}::int
    GROUP BY 1`;
}

async function refundedAmounts(shop: string, from: Date, to: Date, bucket: Prisma.Sql) {
  return readSql().$queryRaw<{ bucket: string; refunded: unknown }[]>`
    SELECT ${bucket} AS "bucket", SUM(x."shopAmountMinor") AS "refunded"
    FROM "Refund" x
    JOIN "Order" o ON o."shop" = x."shop" AND o."id" = x."orderId"
    WHERE x."shop" = ${shop} AND x."createdAt" >= ${from} AND x."createdAt" < ${to} AND NOT o."test" AND o."cancelledAt" IS NULL
    GROUP BY 1`;
}

const CONSTANT = Prisma.sql`''`;

/** Totals of [from, to). */
export async function returnTotals(shop: string, from: Date, to: Date): Promise<ReturnCounts> {
  const [[orders], [refunds]] = await Promise.all([orderCounts(shop, from, to, CONSTANT), refundedAmounts(shop, from, to, CONSTANT)]);
  return { orders: sqlNumber(orders?.orders), refundedOrders: sqlNumber(orders?.refundedOrders), grossMinor: sqlNumber(orders?.gross), refundedMinor: sqlNumber(refunds?.refunded) };
}

/**
 * Figures per bucket of [from, to): calendar months (UTC, "YYYY-MM") or 7-day weeks counted from `from` ("0", "1",
 * …), the dashboard's trend buckets. Only buckets with something in them; sorted by key.
 */
export async function returnFiguresByBucket(shop: string, from: Date, to: Date, granularity: ReturnBucket): Promise<(ReturnCounts & { bucket: string })[]> {
  const fromDay = dayNumber(from);
  const [orders, refunds] = await Promise.all([
    orderCounts(shop, from, to, bucketOf(Prisma.sql`"day"`, granularity, fromDay)),
    refundedAmounts(shop, from, to, bucketOf(Prisma.sql`"utc_day"(x."createdAt")`, granularity, fromDay)),
  ]);
  const buckets = new Map<string, ReturnCounts & { bucket: string }>();
  const at = (bucket: string) => {
    const known = buckets.get(bucket) ?? { bucket, orders: 0, refundedOrders: 0, grossMinor: 0, refundedMinor: 0 };
    buckets.set(bucket, known);
    return known;
  };
  for (const row of orders) Object.assign(at(String(row.bucket)), { orders: sqlNumber(row.orders), refundedOrders: sqlNumber(row.refundedOrders), grossMinor: sqlNumber(row.gross) });
  for (const row of refunds) at(String(row.bucket)).refundedMinor = sqlNumber(row.refunded);
  return [...buckets.values()]
    .filter((b) => b.orders || b.refundedOrders || b.grossMinor || b.refundedMinor)
    .sort((a, b) => (granularity === "week" ? Number(a.bucket) - Number(b.bucket) : a.bucket.localeCompare(b.bucket)));
}

/**
 * The items most refunded in [from, to) by quantity (then amount, then title): per product, or per title for lines
 * without a product, with the refunded amount and the number of orders they were refunded from.
 */
export async function mostRefundedItems(shop: string, from: Date, to: Date, limit = 10): Promise<RefundedItem[]> {
  const rows = await readSql().$queryRaw<{ productId: string | null; title: string; quantity: unknown; refunded: unknown; orders: unknown }[]>`
    SELECT i."productId", COALESCE(NULLIF(p."title", ''), i."title") AS "title", i."quantity", i."refunded", i."orders"
    FROM (
      SELECT l."productId", MAX(l."title") AS "title", SUM(l."quantity") AS "quantity", SUM(l."subtotalMinor") AS "refunded",
        COUNT(DISTINCT l."orderId") AS "orders"
      FROM "RefundLineItem" l
      JOIN "Order" o ON o."shop" = l."shop" AND o."id" = l."orderId"
      WHERE l."shop" = ${shop} AND l."createdAt" >= ${from} AND l."createdAt" < ${to} AND NOT o."test" AND o."cancelledAt" IS NULL
      GROUP BY l."productId", CASE WHEN l."productId" IS NULL THEN l."title" END
    ) i
    LEFT JOIN "Product" p ON p."shop" = ${shop} AND p."id" = i."productId"
    ORDER BY i."quantity" DESC, i."refunded" DESC, "title" ASC
    LIMIT ${limit}::int`;
  return rows.map((r) => ({ productId: r.productId, title: r.title, quantity: sqlNumber(r.quantity), refundedMinor: sqlNumber(r.refunded), orders: sqlNumber(r.orders) }));
}
