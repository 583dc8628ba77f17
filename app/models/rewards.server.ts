import { Prisma } from "@prisma/client";
import { poolSql, prisma, readSql } from "~/db.server";
import type { RewardDefinition, RewardKind } from "~/domain/loyalty/rewards";
import { sqlNullableNumber, sqlNumber } from "./sql-values";
import type { SqlTx, Tx } from "./transaction.server";

/**
 * The rewards catalogue (Reward) and shoppers' redemptions (RewardRedemption). Every function takes `shop` first and
 * scopes every query by it. A redemption's points are PointsLedger rows, booked by services/loyalty-ledger.server.ts.
 */

export interface StoredReward extends RewardDefinition {
  id: number;
}

type RewardRow = Awaited<ReturnType<typeof prisma.reward.findFirstOrThrow>>;

/** The columns of a Reward row that `storedReward` reads, from Prisma's model API or raw SQL (integers as number or bigint). */
type RewardColumns = Pick<RewardRow, "title" | "kind" | "amountMinor" | "minimumMinor" | "currency" | "enabled"> &
  Pick<RewardRow, "combinesWithOrder" | "combinesWithProduct" | "combinesWithShipping"> &
  Record<"id" | "pointsCost" | "percent" | "validityDays", unknown>;

function storedReward(row: RewardColumns): StoredReward {
  return {
    id: sqlNumber(row.id),
    title: row.title,
    kind: row.kind as RewardKind,
    pointsCost: sqlNumber(row.pointsCost),
    amountMinor: sqlNullableNumber(row.amountMinor),
    percent: sqlNullableNumber(row.percent),
    minimumMinor: sqlNullableNumber(row.minimumMinor),
    currency: row.currency,
    enabled: row.enabled,
    validityDays: sqlNumber(row.validityDays),
    combinesWith: { order: row.combinesWithOrder, product: row.combinesWithProduct, shipping: row.combinesWithShipping },
  };
}

function rewardData(reward: RewardDefinition) {
  return {
    title: reward.title,
    kind: reward.kind,
    pointsCost: reward.pointsCost,
    amountMinor: reward.amountMinor === null ? null : BigInt(reward.amountMinor),
    percent: reward.percent,
    minimumMinor: reward.minimumMinor === null ? null : BigInt(reward.minimumMinor),
    currency: reward.currency,
    enabled: reward.enabled,
    validityDays: reward.validityDays,
    combinesWithOrder: reward.combinesWith.order,
    combinesWithProduct: reward.combinesWith.product,
    combinesWithShipping: reward.combinesWith.shipping,
  };
}

/** The shop's catalogue, oldest first (the order the merchant added them in). */
export async function listRewards(shop: string): Promise<StoredReward[]> {
  const rows = await prisma.reward.findMany({ where: { shop }, orderBy: { id: "asc" } });
  return rows.map(storedReward);
}

/** Raw SQL on the redemption path: a model query costs Prisma's query compiler a millisecond or so of CPU each time. */
export async function findReward(client: SqlTx, shop: string, id: number): Promise<StoredReward | null> {
  const [row] = await client.$queryRaw<RewardColumns[]>`
    SELECT "id", "title", "kind", "pointsCost", "amountMinor", "percent", "minimumMinor", "currency", "enabled", "validityDays",
      "combinesWithOrder", "combinesWithProduct", "combinesWithShipping"
    FROM "Reward" WHERE "shop" = ${shop} AND "id" = ${id}`;
  return row ? storedReward(row) : null;
}

export async function insertReward(shop: string, reward: RewardDefinition, now: Date): Promise<number> {
  const row = await prisma.reward.create({ data: { shop, ...rewardData(reward), createdAt: now, updatedAt: now }, select: { id: true } });
  return row.id;
}

/** Rewrites a reward of the shop; false when the shop has no reward with that id. */
export async function updateReward(shop: string, id: number, reward: RewardDefinition, now: Date): Promise<boolean> {
  const { count } = await prisma.reward.updateMany({ where: { shop, id }, data: { ...rewardData(reward), updatedAt: now } });
  return count === 1;
}

type RedemptionStatus = "pending" | "issued" | "refused" | "used" | "expired";

export interface Redemption {
  id: string;
  customerId: string;
  rewardId: number;
  title: string;
  kind: RewardKind;
  points: number;
  code: string;
  status: RedemptionStatus;
  reason: string | null;
  discountId: string | null;
  staff: string | null;
  note: string | null;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

type RedemptionRow = Awaited<ReturnType<typeof prisma.rewardRedemption.findFirstOrThrow>>;

/** The columns of a RewardRedemption row that `redemption` reads, from Prisma's model API or raw SQL (integers as number or bigint). */
type RedemptionColumns = Pick<RedemptionRow, "id" | "customerId" | "title" | "kind" | "code" | "status" | "reason" | "discountId"> &
  Pick<RedemptionRow, "staff" | "note" | "expiresAt" | "createdAt" | "updatedAt"> &
  Record<"rewardId" | "points", unknown>;

function redemption(row: RedemptionColumns): Redemption {
  return {
    id: row.id,
    customerId: row.customerId,
    rewardId: sqlNumber(row.rewardId),
    title: row.title,
    kind: row.kind as RewardKind,
    points: sqlNumber(row.points),
    code: row.code,
    status: row.status as RedemptionStatus,
    reason: row.reason,
    discountId: row.discountId,
    staff: row.staff,
    note: row.note,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The columns `redemption` reads, for the raw queries of the redemption path. */
const REDEMPTION_COLUMNS = Prisma.sql`"id", "customerId", "rewardId", "title", "kind", "points", "code", "status", "reason",
  "discountId", "staff", "note", "expiresAt", "createdAt", "updatedAt"`;

/** The customer's redemption made with this idempotency key, if any. */
export async function findRedemptionByKey(client: SqlTx, shop: string, customerId: string, idempotencyKey: string): Promise<Redemption | null> {
  const [row] = await client.$queryRaw<RedemptionColumns[]>`
    SELECT ${REDEMPTION_COLUMNS} FROM "RewardRedemption"
    WHERE "shop" = ${shop} AND "customerId" = ${customerId} AND "idempotencyKey" = ${idempotencyKey}`;
  return row ? redemption(row) : null;
}

export async function findRedemption(shop: string, id: string): Promise<Redemption | null> {
  const [row] = await poolSql().$queryRaw<RedemptionColumns[]>`SELECT ${REDEMPTION_COLUMNS} FROM "RewardRedemption" WHERE "shop" = ${shop} AND "id" = ${id}`;
  return row ? redemption(row) : null;
}

interface NewRedemption {
  id: string;
  customerId: string;
  rewardId: number;
  title: string;
  kind: RewardKind;
  points: number;
  code: string;
  idempotencyKey: string;
  staff: string | null;
  note: string | null;
  expiresAt: Date;
}

/** Records a pending redemption (the caller books its points in the same transaction). */
export async function insertPendingRedemption(tx: SqlTx, shop: string, row: NewRedemption, now: Date): Promise<Redemption> {
  const [inserted] = await tx.$queryRaw<RedemptionColumns[]>`
    INSERT INTO "RewardRedemption" ("shop", "id", "customerId", "rewardId", "title", "kind", "points", "code", "status",
      "idempotencyKey", "staff", "note", "expiresAt", "createdAt", "updatedAt")
    VALUES (${shop}, ${row.id}, ${row.customerId}, ${row.rewardId}, ${row.title}, ${row.kind}, ${row.points}, ${row.code}, 'pending',
      ${row.idempotencyKey}, ${row.staff}, ${row.note}, ${row.expiresAt}, ${now}, ${now})
    RETURNING ${REDEMPTION_COLUMNS}`;
  return redemption(inserted!);
}

/**
 * Moves a pending redemption to `status` (with Shopify's discount id, or the refusal's reason) and returns it as
 * moved. Only a pending one moves: null when it had already left pending (another request settled it), so its points
 * are never given back twice nor kept for a code that was not issued.
 */
export async function settlePendingRedemption(
  shop: string,
  id: string,
  to: { status: "issued"; discountId: string } | { status: "refused"; reason: string },
  now: Date,
  client: SqlTx = poolSql(),
): Promise<Redemption | null> {
  const set = to.status === "issued" ? Prisma.sql`"discountId" = ${to.discountId}` : Prisma.sql`"reason" = ${to.reason}`;
  const [moved] = await client.$queryRaw<RedemptionColumns[]>`
    UPDATE "RewardRedemption" SET "status" = ${to.status}, ${set}, "updatedAt" = ${now}
    WHERE "shop" = ${shop} AND "id" = ${id} AND "status" = 'pending'
    RETURNING ${REDEMPTION_COLUMNS}`;
  return moved ? redemption(moved) : null;
}

/**
 * Redemption `id`'s status and code, its row locked until `tx` ends: a settle of the same redemption waits for it, or
 * it waits for the settle and reads what the settle wrote.
 */
export async function lockRedemptionState(tx: SqlTx, shop: string, id: string): Promise<{ status: string; code: string } | null> {
  const rows = await tx.$queryRaw<{ status: string; code: string }[]>`
    SELECT "status", "code" FROM "RewardRedemption" WHERE "shop" = ${shop} AND "id" = ${id} FOR UPDATE`;
  return rows[0] ?? null;
}

/** A reward code an order named, in capitals (`orderDiscountCodes`). */
interface CodeUse {
  shop: string;
  code: string;
  orderId: string;
}

/**
 * Marks the codes that orders used as `used` by those orders, in one statement whatever their number (the ingest's
 * group transaction). Only an issued or pending redemption of the code's own shop moves: a repeat delivery, an
 * older version of the order, or a second order naming the code changes nothing (the first order to use it stays).
 * A pending one counts too: a code an order used exists in Shopify, whatever the create call's answer was (a later
 * settling only moves pending rows, so its points stay spent). Returns the redemptions marked now (`late: false`) and,
 * from the same statement, the expired ones an order named (`late: true`: their points were already given back; they
 * stay expired).
 */
export async function markRewardCodesUsed(tx: SqlTx, uses: CodeUse[], now: Date): Promise<{ shop: string; id: string; orderId: string; late: boolean }[]> {
  if (!uses.length) return [];
  return tx.$queryRaw<{ shop: string; id: string; orderId: string; late: boolean }[]>`
    WITH "u" AS (
      SELECT DISTINCT ON (x."shop", x."code") x."shop", x."code", x."orderId"
      FROM unnest(${uses.map((u) => u.shop)}::text[], ${uses.map((u) => u.code)}::text[], ${uses.map((u) => u.orderId)}::text[])
        WITH ORDINALITY AS x("shop", "code", "orderId", "n")
      ORDER BY x."shop", x."code", x."n"
    ), "marked" AS (
      UPDATE "RewardRedemption" AS r
      SET "status" = 'used', "usedOrderId" = "u"."orderId", "usedAt" = ${now}, "updatedAt" = ${now}
      FROM "u"
      WHERE r."shop" = "u"."shop" AND r."code" = "u"."code" AND r."status" IN ('issued', 'pending')
      RETURNING r."shop", r."id", "u"."orderId"
    )
    SELECT "shop", "id", "orderId", false AS "late" FROM "marked"
    UNION ALL
    SELECT r."shop", r."id", "u"."orderId", true AS "late"
    FROM "RewardRedemption" r JOIN "u" ON r."shop" = "u"."shop" AND r."code" = "u"."code"
    WHERE r."status" = 'expired'`;
}

/**
 * The sweep's work in a shop (services/rewards-sweep.server.ts): issued codes that ended before `expiredBefore`, and
 * redemptions still pending since before `pendingBefore` (their Shopify call's answer was lost), oldest first, at most
 * `limit` of each. Served by the (shop, status, expiresAt) index.
 */
export async function redemptionsToSweep(
  shop: string,
  { expiredBefore, pendingBefore }: { expiredBefore: Date; pendingBefore: Date },
  limit: number,
): Promise<{ expired: Redemption[]; pending: Redemption[] }> {
  const [expired, pending] = await Promise.all([
    prisma.rewardRedemption.findMany({ where: { shop, status: "issued", expiresAt: { lt: expiredBefore } }, orderBy: [{ expiresAt: "asc" }, { id: "asc" }], take: limit }),
    prisma.rewardRedemption.findMany({ where: { shop, status: "pending", createdAt: { lt: pendingBefore } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit }),
  ]);
  return { expired: expired.map(redemption), pending: pending.map(redemption) };
}

/**
 * Moves an issued redemption whose code ended before `expiredBefore` to `expired` (the caller gives its points back in
 * the same transaction, under the customer's lock). False when it is no longer issued (used, or another sweep expired
 * it), so its points are given back once at most.
 */
export async function expireIssuedRedemption(tx: Tx, shop: string, id: string, expiredBefore: Date, now: Date): Promise<boolean> {
  const { count } = await tx.rewardRedemption.updateMany({ where: { shop, id, status: "issued", expiresAt: { lt: expiredBefore } }, data: { status: "expired", updatedAt: now } });
  return count === 1;
}

/** The customer's redemptions, newest first. */
export async function customerRedemptions(shop: string, customerId: string, limit: number): Promise<Redemption[]> {
  const rows = await prisma.rewardRedemption.findMany({
    where: { shop, customerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
  return rows.map(redemption);
}

/** The programme's points and codes, summed in SQL over the shop's ledger, customers and redemptions. */
interface RewardFiguresRow {
  /** Points earned and given, net of what refunds, cancellations and staff took back (everything but redemptions). */
  earned: number;
  /** Points spent on rewards, net of those given back. */
  redeemed: number;
  /** Points customers hold (positive balances only: an owed balance is no liability). */
  outstanding: number;
  /** Points waiting out their orders' return windows (not spendable yet; decision 043). */
  pending: number;
  /** Redemptions per status. */
  codes: Record<RedemptionStatus, number>;
  /** Orders that used a reward code (not test, not cancelled), and their revenue net of refunds in shop minor units. */
  rewardOrders: { orders: number; netMinor: number };
}

export async function rewardFigures(shop: string): Promise<RewardFiguresRow> {
  const sql = readSql();
  const [[points], statuses, [used]] = await Promise.all([
    sql.$queryRaw<{ earned: unknown; redeemed: unknown; outstanding: unknown; pending: unknown }[]>`
      SELECT
        (SELECT COALESCE(SUM(l."points") FILTER (WHERE l."kind" NOT IN ('redemption', 'redemption-reversal')), 0)
           FROM "PointsLedger" l WHERE l."shop" = ${shop}) AS "earned",
        (SELECT COALESCE(-SUM(l."points") FILTER (WHERE l."kind" IN ('redemption', 'redemption-reversal')), 0)
           FROM "PointsLedger" l WHERE l."shop" = ${shop}) AS "redeemed",
        (SELECT COALESCE(SUM(c."pointsBalance") FILTER (WHERE c."pointsBalance" > 0), 0)
           FROM "Customer" c WHERE c."shop" = ${shop}) AS "outstanding",
        (SELECT COALESCE(SUM(c."pointsPending"), 0) FROM "Customer" c WHERE c."shop" = ${shop}) AS "pending"`,
    sql.$queryRaw<{ status: string; n: unknown }[]>`
      SELECT r."status", COUNT(*) AS "n" FROM "RewardRedemption" r WHERE r."shop" = ${shop} GROUP BY r."status"`,
    // Net as customer facts count it: the order's total less its refunds, never below zero.
    sql.$queryRaw<{ orders: unknown; net: unknown }[]>`
      SELECT COUNT(*) AS "orders",
             COALESCE(SUM(GREATEST(o."totalMinor" - (SELECT COALESCE(SUM(x."shopAmountMinor"), 0) FROM "Refund" x
                                                     WHERE x."shop" = o."shop" AND x."orderId" = o."id"), 0)), 0) AS "net"
      FROM "Order" o
      WHERE o."shop" = ${shop} AND NOT o."test" AND o."cancelledAt" IS NULL
        AND o."id" IN (SELECT r."usedOrderId" FROM "RewardRedemption" r WHERE r."shop" = ${shop} AND r."usedOrderId" IS NOT NULL)`,
  ]);
  const codes: Record<RedemptionStatus, number> = { pending: 0, issued: 0, refused: 0, used: 0, expired: 0 };
  for (const row of statuses) if (row.status in codes) codes[row.status as RedemptionStatus] = sqlNumber(row.n);
  return {
    earned: sqlNumber(points?.earned),
    redeemed: sqlNumber(points?.redeemed),
    outstanding: sqlNumber(points?.outstanding),
    pending: sqlNumber(points?.pending),
    codes,
    rewardOrders: { orders: sqlNumber(used?.orders), netMinor: sqlNumber(used?.net) },
  };
}

/** The shop's customers holding the most points (the demo seed's redeemers), most first. */
export async function customersWithMostPoints(shop: string, limit: number): Promise<{ id: string; balance: number }[]> {
  const rows = await prisma.customer.findMany({ where: { shop, pointsBalance: { gt: 0 } }, orderBy: [{ pointsBalance: "desc" }, { id: "asc" }], take: limit, select: { id: true, pointsBalance: true } });
  return rows.map((r) => ({ id: r.id, balance: Number(r.pointsBalance) }));
}
