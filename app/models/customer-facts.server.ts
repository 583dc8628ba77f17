import type { SqlTx, Tx } from "./transaction.server";

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export interface CustomerFacts {
  lifetimeNetMinor: number;
  rolling12NetMinor: number;
  lifetimeGrossMinor: number;
  orderCount: number;
  rolling12Orders: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

type Num = number | bigint | null;

/**
 * Recomputes one customer's facts in SQL from their orders and refunds (test and cancelled orders excluded,
 * refunds in shop currency, an order never counts below zero) and stores them. Returns the new facts.
 */
export async function refreshCustomerFacts(tx: SqlTx, shop: string, customerId: string, now: Date): Promise<CustomerFacts> {
  const since = new Date(now.getTime() - YEAR_MS);
  const [row] = await tx.$queryRaw<
    { orders: Num; gross: Num; net: Num; first: Num; last: Num; r12orders: Num; r12net: Num }[]
  >`
    SELECT COUNT(*) AS orders, SUM(total) AS gross, SUM(net) AS net, MIN(placedAt) AS first, MAX(placedAt) AS last,
           SUM(CASE WHEN placedAt >= ${since} THEN 1 ELSE 0 END) AS r12orders,
           SUM(CASE WHEN placedAt >= ${since} THEN net ELSE 0 END) AS r12net
    FROM (
      SELECT o."totalMinor" AS total, o."placedAt" AS placedAt,
             MAX(o."totalMinor" - (SELECT COALESCE(SUM(r."shopAmountMinor"), 0) FROM "Refund" r
                                   WHERE r."shop" = o."shop" AND r."orderId" = o."id"), 0) AS net
      FROM "Order" o
      WHERE o."shop" = ${shop} AND o."customerId" = ${customerId} AND o."test" = 0 AND o."cancelledAt" IS NULL
    )`;
  const facts: CustomerFacts = {
    lifetimeNetMinor: Number(row?.net ?? 0),
    rolling12NetMinor: Number(row?.r12net ?? 0),
    lifetimeGrossMinor: Number(row?.gross ?? 0),
    orderCount: Number(row?.orders ?? 0),
    rolling12Orders: Number(row?.r12orders ?? 0),
    firstOrderAt: row?.first == null ? null : new Date(Number(row.first)),
    lastOrderAt: row?.last == null ? null : new Date(Number(row.last)),
  };
  await tx.$executeRaw`
    UPDATE "Customer" SET "lifetimeNetMinor" = ${facts.lifetimeNetMinor}, "rolling12NetMinor" = ${facts.rolling12NetMinor},
      "lifetimeGrossMinor" = ${facts.lifetimeGrossMinor}, "orderCount" = ${facts.orderCount}, "rolling12Orders" = ${facts.rolling12Orders},
      "firstOrderAt" = ${facts.firstOrderAt}, "lastOrderAt" = ${facts.lastOrderAt}, "factsAt" = ${now}, "updatedAt" = ${new Date()}
    WHERE "shop" = ${shop} AND "id" = ${customerId}`;
  return facts;
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
