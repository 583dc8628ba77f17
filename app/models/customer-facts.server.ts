import { Prisma } from "@prisma/client";
import { ledgerInsert, type LedgerEntry } from "./loyalty.server";
import { heldUntil } from "./pending-points.server";
import { opaqueShop, sqlDate, sqlNumber } from "./sql-values";
import type { SqlTx } from "./transaction.server";

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

interface CustomerStandingRow {
  lifetimeNetMinor: number;
  rolling12NetMinor: number;
  orderCount: number;
  rolling12Orders: number;
  /** What the customer can spend: SUM(points) of their ledger rows less `pointsPending`. */
  pointsBalance: number;
  /** Points of orders whose return window is still open (`pendingPointsCtes`). */
  pointsPending: number;
  /** When the next pending points become available; null when none are pending. */
  pointsPendingNextAt: Date | null;
  /** `pointsPending` and `pointsPendingNextAt` as they were before this statement (the mirror compares them). */
  pendingBefore: number;
  nextBefore: Date | null;
}

type Row = Record<keyof CustomerStandingRow | "id", unknown>;

/**
 * CTEs "pending" (per customer: the points of orders still held in PendingPoints, per order what the customer holds
 * of it and never below zero, and the earliest `availableAt` of those) and "before" (the customers' pending figures
 * before the statement), for a statement whose "booked" CTE returned the ledger rows it inserted (not in its
 * snapshot). Driven from the customers' own ledger rows (PointsLedger[shop, customerId, createdAt]), each order then
 * looked up by the PendingPoints key in a subquery the planner cannot turn into a join: the cost follows the
 * customers' history, never the shop's. A join let the planner start from the shop's unreleased rows while its
 * statistics still said the table was empty, and the webhook path slowed as the shop's orders grew (decision 043).
 */
function pendingCtes(shop: string, key: Prisma.Sql, customerIds: string[]): Prisma.Sql {
  return Prisma.sql`"held" AS MATERIALIZED (
      SELECT m."customerId", SUM(m."points") AS "points", ${heldUntil(shop, Prisma.sql`m."orderId"`)} AS "availableAt"
      FROM (
        SELECT l."customerId", l."orderId", l."points" FROM "PointsLedger" l
        WHERE l."shop" = ${key} AND l."customerId" = ANY (${customerIds}::text[]) AND l."orderId" IS NOT NULL
        UNION ALL
        SELECT b."customerId", b."orderId", b."points" FROM "booked" b WHERE b."orderId" IS NOT NULL
      ) m
      GROUP BY m."customerId", m."orderId"
    ), "pending" AS (
      SELECT "customerId", SUM("points") AS "points", MIN("availableAt") AS "next" FROM "held"
      WHERE "points" > 0 AND "availableAt" IS NOT NULL GROUP BY "customerId"
    ), "before" AS (
      SELECT "id", "pointsPending", "pointsPendingNextAt" FROM "Customer" WHERE "shop" = ${key} AND "id" = ANY (${customerIds}::text[])
    )`;
}

/**
 * Books `book` in the points ledger (each row at most once: the ledger's unique (shop, sourceKey) is the
 * idempotency key) and recomputes the customers' facts in SQL from their orders and refunds (test and cancelled
 * orders excluded, refunds in shop currency, an order never counts below zero) and their points balance from the
 * ledger, storing both in the same statement; with `facts: false`, only the balance. Returns what is stored, by
 * customer (unknown customers are absent). One statement for a whole group of events: this runs on every order and
 * refund event.
 *
 * Concurrency: the caller holds the customers' row locks, taken in an EARLIER statement (the order upsert's customer
 * upsert, `lockCustomerStanding`, or the refund settlement), so this statement's snapshot holds every order, refund
 * and ledger row another transaction committed for them, and no other transaction adds any until this one commits.
 * Rows booked here are not in the statement's snapshot: they are added to the balance from the INSERT's RETURNING.
 */
export async function refreshCustomerStandings(
  tx: SqlTx,
  shop: string,
  customerIds: string[],
  now: Date,
  options: { facts?: boolean; book?: LedgerEntry[] } = {},
): Promise<Map<string, CustomerStandingRow>> {
  if (!customerIds.length) return new Map();
  const since = new Date(now.getTime() - YEAR_MS);
  // Every lookup names the shop through opaqueShop (decision 054); the ledger's new rows carry it as a value.
  const key = opaqueShop(shop);
  const rows =
    options.facts === false
      ? await tx.$queryRaw<Row[]>`
    WITH "booked" AS (${ledgerInsert(shop, options.book ?? [])} RETURNING "customerId", "orderId", "points"),
    ${pendingCtes(shop, key, customerIds)}
    UPDATE "Customer" c SET
      "pointsBalance" = (SELECT COALESCE(SUM(l."points"), 0) FROM "PointsLedger" l WHERE l."shop" = ${key} AND l."customerId" = c."id")
                      + (SELECT COALESCE(SUM(b."points"), 0) FROM "booked" b WHERE b."customerId" = c."id")
                      - COALESCE((SELECT pe."points" FROM "pending" pe WHERE pe."customerId" = c."id"), 0),
      "pointsPending" = COALESCE((SELECT pe."points" FROM "pending" pe WHERE pe."customerId" = c."id"), 0),
      "pointsPendingNextAt" = (SELECT pe."next" FROM "pending" pe WHERE pe."customerId" = c."id"),
      "updatedAt" = ${new Date()}
    FROM "before" o
    WHERE c."shop" = ${key} AND c."id" = ANY (${customerIds}::text[]) AND o."id" = c."id"
    RETURNING c."id", c."lifetimeNetMinor", c."rolling12NetMinor", c."orderCount", c."rolling12Orders", c."pointsBalance",
      c."pointsPending", c."pointsPendingNextAt", o."pointsPending" AS "pendingBefore", o."pointsPendingNextAt" AS "nextBefore"`
      : await tx.$queryRaw<Row[]>`
    WITH "booked" AS (${ledgerInsert(shop, options.book ?? [])} RETURNING "customerId", "orderId", "points"),
    ${pendingCtes(shop, key, customerIds)}
    UPDATE "Customer" c SET
      ("lifetimeNetMinor", "rolling12NetMinor", "lifetimeGrossMinor", "orderCount", "rolling12Orders", "firstOrderAt", "lastOrderAt") = (
        SELECT COALESCE(SUM(f."net"), 0), COALESCE(SUM(f."net") FILTER (WHERE f."placedAt" >= ${since}::timestamptz), 0),
               COALESCE(SUM(f."total"), 0), COUNT(*), COUNT(*) FILTER (WHERE f."placedAt" >= ${since}::timestamptz),
               MIN(f."placedAt"), MAX(f."placedAt")
        FROM (
          SELECT o."totalMinor" AS "total", o."placedAt",
                 GREATEST(o."totalMinor" - (SELECT COALESCE(SUM(r."shopAmountMinor"), 0) FROM "Refund" r
                                            WHERE r."shop" = o."shop" AND r."orderId" = o."id"), 0) AS "net"
          FROM "Order" o
          WHERE o."shop" = ${key} AND o."customerId" = c."id" AND NOT o."test" AND o."cancelledAt" IS NULL
        ) AS f),
      "pointsBalance" = (SELECT COALESCE(SUM(l."points"), 0) FROM "PointsLedger" l WHERE l."shop" = ${key} AND l."customerId" = c."id")
                      + (SELECT COALESCE(SUM(b."points"), 0) FROM "booked" b WHERE b."customerId" = c."id")
                      - COALESCE((SELECT pe."points" FROM "pending" pe WHERE pe."customerId" = c."id"), 0),
      "pointsPending" = COALESCE((SELECT pe."points" FROM "pending" pe WHERE pe."customerId" = c."id"), 0),
      "pointsPendingNextAt" = (SELECT pe."next" FROM "pending" pe WHERE pe."customerId" = c."id"),
      "factsAt" = ${now}, "updatedAt" = ${new Date()}
    FROM "before" o
    WHERE c."shop" = ${key} AND c."id" = ANY (${customerIds}::text[]) AND o."id" = c."id"
    RETURNING c."id", c."lifetimeNetMinor", c."rolling12NetMinor", c."orderCount", c."rolling12Orders", c."pointsBalance",
      c."pointsPending", c."pointsPendingNextAt", o."pointsPending" AS "pendingBefore", o."pointsPendingNextAt" AS "nextBefore"`;
  return new Map(
    rows.map((row) => [
      String(row.id),
      {
        lifetimeNetMinor: sqlNumber(row.lifetimeNetMinor),
        rolling12NetMinor: sqlNumber(row.rolling12NetMinor),
        orderCount: sqlNumber(row.orderCount),
        rolling12Orders: sqlNumber(row.rolling12Orders),
        pointsBalance: sqlNumber(row.pointsBalance),
        pointsPending: sqlNumber(row.pointsPending),
        pointsPendingNextAt: sqlDate(row.pointsPendingNextAt),
        pendingBefore: sqlNumber(row.pendingBefore),
        nextBefore: sqlDate(row.nextBefore),
      },
    ]),
  );
}

/**
 * Recomputes the facts of every customer of `shop` in one UPDATE (used by the daily rolling-window sweep and
 * after rule changes). Returns the number of customers updated. A customer whose facts an event rewrote while this
 * statement ran keeps the event's (fresher) facts: the `factsAt` test is re-checked on the row's latest version.
 */
export async function refreshAllCustomerFacts(tx: SqlTx, shop: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - YEAR_MS);
  return tx.$executeRaw`
    WITH "per_order" AS (
      SELECT o."customerId", o."totalMinor" AS "total", o."placedAt",
             GREATEST(o."totalMinor" - COALESCE(rf."refunded", 0), 0) AS "net"
      FROM "Order" o
      LEFT JOIN (SELECT "orderId", SUM("shopAmountMinor") AS "refunded" FROM "Refund" WHERE "shop" = ${shop} GROUP BY "orderId") rf
        ON rf."orderId" = o."id"
      WHERE o."shop" = ${shop} AND o."customerId" IS NOT NULL AND NOT o."test" AND o."cancelledAt" IS NULL
    ), "agg" AS (
      SELECT "customerId", COUNT(*) AS "orders", SUM("total") AS "gross", SUM("net") AS "net", MIN("placedAt") AS "first",
             MAX("placedAt") AS "last", COUNT(*) FILTER (WHERE "placedAt" >= ${since}::timestamptz) AS "r12orders",
             SUM("net") FILTER (WHERE "placedAt" >= ${since}::timestamptz) AS "r12net"
      FROM "per_order" GROUP BY "customerId"
    )
    UPDATE "Customer" c SET
      "orderCount" = COALESCE(a."orders", 0), "lifetimeGrossMinor" = COALESCE(a."gross", 0),
      "lifetimeNetMinor" = COALESCE(a."net", 0), "firstOrderAt" = a."first", "lastOrderAt" = a."last",
      "rolling12Orders" = COALESCE(a."r12orders", 0), "rolling12NetMinor" = COALESCE(a."r12net", 0),
      "factsAt" = ${now}
    FROM (SELECT "id", "factsAt" FROM "Customer" WHERE "shop" = ${shop}) AS ids
    LEFT JOIN "agg" a ON a."customerId" = ids."id"
    WHERE c."shop" = ${shop} AND c."id" = ids."id" AND c."factsAt" IS NOT DISTINCT FROM ids."factsAt"`;
}
