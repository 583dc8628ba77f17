import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { opaqueShop, sqlDate, sqlJson, sqlNumber, sqlStamp } from "./sql-values";
import type { SqlTx } from "./transaction.server";

/**
 * PendingPoints rows: an order's points waiting out its return window (docs/decisions/043-pending-points.md). Who holds
 * the points is the ledger's business (PointsLedger rows with the order's id); a row here only says until when they
 * wait, and whether the sweep has released them.
 */

/**
 * The `availableAt` of the order whose id is `orderId` while its points are held, else null: one lookup by the
 * PendingPoints key per row. `orderId` is a qualified column of the enclosing row (a bare "orderId" would name the
 * subquery's own). A scalar subquery, which PostgreSQL never turns into a join, so a statement reading a customer's
 * ledger rows never starts from the shop's held orders; and "released" is read from the row, not put in the WHERE,
 * so the only index that matches is the key: with the test in the WHERE, the partial index of unreleased rows
 * matched too, and while the table's statistics still said it was empty the planner chose it and read every held
 * order of the shop per lookup (decision 043). The shop goes through opaqueShop, for the same reason (decision 054).
 */
export function heldUntil(shop: string, orderId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT CASE WHEN hp."releasedAt" IS NULL THEN hp."availableAt" END FROM "PendingPoints" hp
    WHERE hp."shop" = ${opaqueShop(shop)} AND hp."orderId" = ${orderId})`;
}

/** An order as the pending rule reads it, with its PendingPoints row (null: none). */
interface OrderPendingFacts {
  id: string;
  placedAt: Date;
  fulfilledAt: Date | null;
  deliveredAt: Date | null;
  hold: { availableAt: Date; capAt: Date; releasedAt: Date | null } | null;
}

/** What working out orders' pending dates reads: the shop's time zone, its return policy versions, the orders. */
export interface PendingFacts {
  timeZone: string | null;
  versions: { version: number; savedAt: Date; settings: string }[];
  orders: OrderPendingFacts[];
}

type Raw = Record<string, unknown>;

/**
 * One round trip: the shop's time zone, every saved return policy version (a shop has a handful), and the orders,
 * looked up by key (the shop through opaqueShop, decision 054), each with its PendingPoints row looked up by key too.
 * That lookup is a LATERAL subquery with a LIMIT (the key holds one row at most), which PostgreSQL runs once per order
 * and never turns into a join: as a plain join, the ingest group's generic plan, made while the table was small, hashed
 * every held order of the shop on each group (5,400 rows a group a minute into the benchmark, the group's slowest read).
 */
export async function pendingFactsFor(tx: SqlTx, shop: string, orderIds: string[]): Promise<PendingFacts> {
  const [row] = await tx.$queryRaw<Raw[]>`
    SELECT (SELECT s."timezone" FROM "Shop" s WHERE s."shop" = ${shop}) AS "timeZone",
      (SELECT json_agg(json_build_object('version', v."version", 'savedAt', v."savedAt", 'settings', v."settings"))
         FROM "ReturnPolicyVersion" v WHERE v."shop" = ${shop}) AS "versions",
      (SELECT json_agg(json_build_object('id', o."id", 'placedAt', o."placedAt", 'fulfilledAt', o."fulfilledAt",
           'deliveredAt', o."deliveredAt", 'availableAt', p."availableAt", 'capAt', p."capAt", 'releasedAt', p."releasedAt"))
         FROM "Order" o LEFT JOIN LATERAL (
           SELECT h."availableAt", h."capAt", h."releasedAt" FROM "PendingPoints" h
           WHERE h."shop" = o."shop" AND h."orderId" = o."id" LIMIT 1
         ) p ON true
         WHERE o."shop" = ${opaqueShop(shop)} AND o."id" = ANY (${orderIds}::text[])) AS "orders"`;
  const versions = ((sqlJson(row?.versions) as Raw[] | null) ?? []).map((v) => ({
    version: sqlNumber(v.version),
    savedAt: sqlStamp(v.savedAt),
    settings: String(v.settings),
  }));
  const orders = ((sqlJson(row?.orders) as Raw[] | null) ?? []).map((o) => {
    const availableAt = sqlDate(o.availableAt);
    return {
      id: String(o.id),
      placedAt: sqlStamp(o.placedAt),
      fulfilledAt: sqlDate(o.fulfilledAt),
      deliveredAt: sqlDate(o.deliveredAt),
      hold: availableAt ? { availableAt, capAt: sqlStamp(o.capAt), releasedAt: sqlDate(o.releasedAt) } : null,
    };
  });
  return { timeZone: (row?.timeZone as string | null | undefined) ?? null, versions, orders };
}

/**
 * Writes orders' pending dates: a new row per order not held yet, or the new `availableAt` of a row not released yet
 * (a released row never changes: points once available stay available). `capAt` of an existing row is kept.
 */
export async function upsertPendingPoints(tx: SqlTx, shop: string, holds: { orderId: string; availableAt: Date; capAt: Date }[], now: Date): Promise<void> {
  if (!holds.length) return;
  const records = JSON.stringify(holds.map((h) => ({ orderId: h.orderId, availableAt: h.availableAt.toISOString(), capAt: h.capAt.toISOString() })));
  await tx.$executeRaw`
    INSERT INTO "PendingPoints" ("shop", "orderId", "availableAt", "capAt", "createdAt")
    SELECT ${shop}::text, h."orderId", h."availableAt", h."capAt", ${now}::timestamptz
    FROM jsonb_to_recordset(${records}::jsonb) AS h("orderId" text, "availableAt" timestamptz, "capAt" timestamptz)
    ORDER BY h."orderId"
    ON CONFLICT ("shop", "orderId") DO UPDATE SET "availableAt" = excluded."availableAt"
    WHERE "PendingPoints"."releasedAt" IS NULL AND "PendingPoints"."availableAt" <> excluded."availableAt"`;
}

/** A shop's orders whose points are due by `now` and not released yet, earliest first (no lock: the release re-checks). */
export async function duePendingOrders(shop: string, now: Date, limit: number): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ orderId: string }[]>`
    SELECT "orderId" FROM "PendingPoints"
    WHERE "shop" = ${shop} AND "releasedAt" IS NULL AND "availableAt" <= ${now}
    ORDER BY "availableAt", "orderId" LIMIT ${limit}`;
  return rows.map((r) => r.orderId);
}

/** The customers who hold some of these orders' points (their ledger rows), in id order. */
export async function pointHoldersOf(tx: SqlTx, shop: string, orderIds: string[]): Promise<string[]> {
  const rows = await tx.$queryRaw<{ customerId: string }[]>`
    SELECT DISTINCT "customerId" FROM "PointsLedger" WHERE "shop" = ${shop} AND "orderId" = ANY (${orderIds}::text[]) ORDER BY 1`;
  return rows.map((r) => r.customerId);
}

/**
 * Releases those of `orderIds` still unreleased and due by `now`, skipping rows another transaction holds (an order
 * event moving its date: the next round takes it). Returns the orders released by this call: a second sweep finds
 * them released and releases nothing.
 */
export async function releasePendingPoints(tx: SqlTx, shop: string, orderIds: string[], now: Date): Promise<string[]> {
  if (!orderIds.length) return [];
  const rows = await tx.$queryRaw<{ orderId: string }[]>`
    UPDATE "PendingPoints" p SET "releasedAt" = ${now}
    FROM (
      SELECT "orderId" FROM "PendingPoints"
      WHERE "shop" = ${shop} AND "orderId" = ANY (${orderIds}::text[]) AND "releasedAt" IS NULL AND "availableAt" <= ${now}
      FOR UPDATE SKIP LOCKED
    ) due
    WHERE p."shop" = ${shop} AND p."orderId" = due."orderId"
    RETURNING p."orderId"`;
  return rows.map((r) => r.orderId);
}
