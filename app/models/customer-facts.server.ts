import { sqlNumber } from "./sql-values";
import type { SqlTx, Tx } from "./transaction.server";

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

type Num = number | bigint | null;

export interface CustomerStandingRow {
  lifetimeNetMinor: number;
  rolling12NetMinor: number;
  orderCount: number;
  rolling12Orders: number;
  /** SUM(points) of the customer's ledger rows. */
  pointsBalance: number;
}

/**
 * Recomputes one customer's facts in SQL from their orders and refunds (test and cancelled orders excluded, refunds
 * in shop currency, an order never counts below zero) and their points balance from the ledger, and stores both in
 * one UPDATE; with `facts: false`, only the balance. Returns what is stored, or null for an unknown customer.
 * One statement instead of a read and a write for each: this runs on every order and refund event.
 */
export async function refreshCustomerStanding(
  tx: SqlTx,
  shop: string,
  customerId: string,
  now: Date,
  options: { facts?: boolean } = {},
): Promise<CustomerStandingRow | null> {
  const since = new Date(now.getTime() - YEAR_MS);
  const rows =
    options.facts === false
      ? await tx.$queryRaw<Record<keyof CustomerStandingRow, Num>[]>`
    UPDATE "Customer" SET
      "pointsBalance" = (SELECT COALESCE(SUM(l."points"), 0) FROM "PointsLedger" l WHERE l."shop" = ${shop} AND l."customerId" = ${customerId}),
      "updatedAt" = ${new Date()}
    WHERE "shop" = ${shop} AND "id" = ${customerId}
    RETURNING "lifetimeNetMinor", "rolling12NetMinor", "orderCount", "rolling12Orders", "pointsBalance"`
      : await tx.$queryRaw<Record<keyof CustomerStandingRow, Num>[]>`
    UPDATE "Customer" SET
      ("lifetimeNetMinor", "rolling12NetMinor", "lifetimeGrossMinor", "orderCount", "rolling12Orders", "firstOrderAt", "lastOrderAt") = (
        SELECT COALESCE(SUM(net), 0), COALESCE(SUM(CASE WHEN placedAt >= ${since} THEN net ELSE 0 END), 0), COALESCE(SUM(total), 0),
               COUNT(*), COALESCE(SUM(CASE WHEN placedAt >= ${since} THEN 1 ELSE 0 END), 0), MIN(placedAt), MAX(placedAt)
        FROM (
          SELECT o."totalMinor" AS total, o."placedAt" AS placedAt,
                 MAX(o."totalMinor" - (SELECT COALESCE(SUM(r."shopAmountMinor"), 0) FROM "Refund" r
                                       WHERE r."shop" = o."shop" AND r."orderId" = o."id"), 0) AS net
          FROM "Order" o
          WHERE o."shop" = ${shop} AND o."customerId" = ${customerId} AND o."test" = 0 AND o."cancelledAt" IS NULL
        )),
      "pointsBalance" = (SELECT COALESCE(SUM(l."points"), 0) FROM "PointsLedger" l WHERE l."shop" = ${shop} AND l."customerId" = ${customerId}),
      "factsAt" = ${now}, "updatedAt" = ${new Date()}
    WHERE "shop" = ${shop} AND "id" = ${customerId}
    RETURNING "lifetimeNetMinor", "rolling12NetMinor", "orderCount", "rolling12Orders", "pointsBalance"`;
  const [row] = rows;
  if (!row) return null;
  return {
    lifetimeNetMinor: sqlNumber(row.lifetimeNetMinor),
    rolling12NetMinor: sqlNumber(row.rolling12NetMinor),
    orderCount: sqlNumber(row.orderCount),
    rolling12Orders: sqlNumber(row.rolling12Orders),
    pointsBalance: sqlNumber(row.pointsBalance),
  };
}

/**
 * Recomputes the facts of every customer of `shop` in one UPDATE (used by the daily rolling-window sweep and
 * after rule changes). Returns the number of customers updated.
 */
export async function refreshAllCustomerFacts(tx: Tx, shop: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - YEAR_MS);
  return tx.$executeRaw`
    WITH per_order AS (
      SELECT o."customerId" AS customerId, o."totalMinor" AS total, o."placedAt" AS placedAt,
             MAX(o."totalMinor" - COALESCE(rf.refunded, 0), 0) AS net
      FROM "Order" o
      LEFT JOIN (SELECT "orderId", SUM("shopAmountMinor") AS refunded FROM "Refund" WHERE "shop" = ${shop} GROUP BY "orderId") rf
        ON rf."orderId" = o."id"
      WHERE o."shop" = ${shop} AND o."customerId" IS NOT NULL AND o."test" = 0 AND o."cancelledAt" IS NULL
    ), agg AS (
      SELECT customerId, COUNT(*) AS orders, SUM(total) AS gross, SUM(net) AS net, MIN(placedAt) AS first,
             MAX(placedAt) AS last, SUM(CASE WHEN placedAt >= ${since} THEN 1 ELSE 0 END) AS r12orders,
             SUM(CASE WHEN placedAt >= ${since} THEN net ELSE 0 END) AS r12net
      FROM per_order GROUP BY customerId
    )
    UPDATE "Customer" SET
      "orderCount" = COALESCE(agg.orders, 0), "lifetimeGrossMinor" = COALESCE(agg.gross, 0),
      "lifetimeNetMinor" = COALESCE(agg.net, 0), "firstOrderAt" = agg.first, "lastOrderAt" = agg.last,
      "rolling12Orders" = COALESCE(agg.r12orders, 0), "rolling12NetMinor" = COALESCE(agg.r12net, 0),
      "factsAt" = ${now}
    FROM (SELECT c."id" AS cid FROM "Customer" c WHERE c."shop" = ${shop}) ids
    LEFT JOIN agg ON agg.customerId = ids.cid
    WHERE "Customer"."shop" = ${shop} AND "Customer"."id" = ids.cid`;
}
