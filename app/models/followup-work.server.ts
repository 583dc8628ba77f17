import { Prisma } from "@prisma/client";
import { prisma, readSql } from "~/db.server";
import type { CustomerAnswerRow } from "./customer-queries.server";
import type { SqlTx, Tx } from "./transaction.server";
import { sqlNullableNumber, sqlStamp } from "./sql-values";

/**
 * The only Prisma code for what staff do on a follow-up beyond its status (decision 044): authored notes
 * (FollowUpNote), goodwill (FollowUpGoodwill), the shop's response-time target (FollowUpSettings), and the figures
 * built on them (overdue count, median times). Every function takes `shop` first and scopes every statement by it.
 */

// ---------------------------------------------------------------------------------------------------------------
// Notes

interface FollowUpNoteRow {
  id: number;
  followUpId: number;
  author: string | null;
  body: string;
  createdAt: Date;
}

export async function insertFollowUpNote(
  tx: Tx,
  shop: string,
  note: { followUpId: number; customerId: string | null; orderId: string; authorUserId: string | null; author: string | null; body: string },
  now: Date,
): Promise<void> {
  await tx.followUpNote.create({ data: { shop, ...note, createdAt: now } });
}

/** The notes of the given follow-ups, oldest first (index (shop, followUpId, id)); the newest `perFollowUp` of each. */
export async function notesOfFollowUps(shop: string, followUpIds: number[], perFollowUp = 20): Promise<FollowUpNoteRow[]> {
  if (!followUpIds.length) return [];
  const rows = await readSql().$queryRaw<{ id: number; followUpId: number; author: string | null; body: string; createdAt: Date | string | number }[]>`
    SELECT x."id", x."followUpId", x."author", x."body", x."createdAt" FROM unnest(${followUpIds}::int[]) AS q("id")
    CROSS JOIN LATERAL (
      SELECT n."id", n."followUpId", n."author", n."body", n."createdAt" FROM "FollowUpNote" n
      WHERE n."shop" = ${shop} AND n."followUpId" = q."id" ORDER BY n."id" DESC LIMIT ${perFollowUp}
    ) x
    ORDER BY x."followUpId", x."id"`;
  return rows.map((r) => ({ id: Number(r.id), followUpId: Number(r.followUpId), author: r.author, body: r.body, createdAt: sqlStamp(r.createdAt) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Goodwill

export interface GoodwillRow {
  id: number;
  followUpId: number;
  customerId: string;
  orderId: string;
  kind: string;
  points: number | null;
  reward: string | null;
  redemptionId: string | null;
  status: string;
  reason: string;
  staff: string | null;
  createdAt: Date;
}

interface GoodwillInsert {
  followUpId: number;
  customerId: string;
  orderId: string;
  kind: "points" | "code";
  points: number | null;
  reward: string | null;
  reason: string;
  staff: string | null;
  staffUserId: string | null;
  idempotencyKey: string;
  status: "granted" | "pending";
}

/**
 * Records goodwill once per form key: returns the new row's id, or null when the key was used already (a repeated
 * post; a concurrent one waits on the unique index and then finds it taken).
 */
export async function insertGoodwill(tx: SqlTx, shop: string, goodwill: GoodwillInsert, now: Date): Promise<number | null> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "FollowUpGoodwill" ("shop", "followUpId", "customerId", "orderId", "kind", "points", "reward", "status", "reason", "staff", "staffUserId", "idempotencyKey", "createdAt")
    VALUES (${shop}, ${goodwill.followUpId}, ${goodwill.customerId}, ${goodwill.orderId}, ${goodwill.kind}, ${goodwill.points}, ${goodwill.reward},
      ${goodwill.status}, ${goodwill.reason}, ${goodwill.staff}, ${goodwill.staffUserId}, ${goodwill.idempotencyKey}, ${now})
    ON CONFLICT ("shop", "idempotencyKey") DO NOTHING
    RETURNING "id"`;
  return rows[0] ? Number(rows[0].id) : null;
}

/** The goodwill recorded under a form key (the answer to a repeated post). */
export async function findGoodwillByKey(shop: string, idempotencyKey: string): Promise<GoodwillRow | null> {
  const row = await prisma.followUpGoodwill.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey } } });
  return row && toGoodwillRow(row);
}

/**
 * A code's outcome as the grant saw it: its redemption and status (granted: issued; pending: Shopify's answer not in;
 * refused, with Shopify's reason). What the rewards service settles later is read from the redemption (GOODWILL_STATE).
 */
export async function settleGoodwillCode(
  tx: SqlTx,
  shop: string,
  id: number,
  settled: { redemptionId: string | null; status: string; refusal?: string | null },
): Promise<void> {
  // Raw SQL: the settling of every issued redemption runs it (see pendingGoodwillOfRedemption). A refusal left out
  // keeps the stored one.
  const keepRefusal = settled.refusal === undefined;
  await tx.$executeRaw`
    UPDATE "FollowUpGoodwill" SET "redemptionId" = ${settled.redemptionId}::text, "status" = ${settled.status}::text,
      "refusal" = CASE WHEN ${keepRefusal}::boolean THEN "refusal" ELSE ${settled.refusal ?? null}::text END
    WHERE "shop" = ${shop} AND "id" = ${id}`;
}

/**
 * The goodwill codes linked to redemption `redemptionId` that the grant left waiting on Shopify: the rewards service
 * marks them granted, in the transaction that settles the redemption as issued, and sends "Goodwill granted" for each.
 */
export async function pendingGoodwillOfRedemption(tx: SqlTx, shop: string, redemptionId: string): Promise<GoodwillRow[]> {
  // Raw SQL: it runs on every redemption, and a model query costs Prisma's query compiler about a millisecond of CPU.
  const rows = await tx.$queryRaw<(Omit<GoodwillRow, "id" | "followUpId" | "points"> & Record<"id" | "followUpId" | "points", unknown>)[]>`
    SELECT "id", "followUpId", "customerId", "orderId", "kind", "points", "reward", "redemptionId", "status", "reason", "staff", "createdAt"
    FROM "FollowUpGoodwill" WHERE "shop" = ${shop} AND "redemptionId" = ${redemptionId} AND "status" = 'pending' ORDER BY "id"`;
  return rows.map((r) => toGoodwillRow({ ...r, id: Number(r.id), followUpId: Number(r.followUpId), points: sqlNullableNumber(r.points) }));
}

/** The row as the page needs it (a stored row also holds the shop, the staff user id and the form key). */
function toGoodwillRow(r: GoodwillRow): GoodwillRow {
  return {
    id: r.id,
    followUpId: r.followUpId,
    customerId: r.customerId,
    orderId: r.orderId,
    kind: r.kind,
    points: r.points,
    reward: r.reward,
    redemptionId: r.redemptionId,
    status: r.status,
    reason: r.reason,
    staff: r.staff,
    createdAt: r.createdAt,
  };
}

/**
 * Where goodwill `g` stands, with its code's redemption `rr` joined (decision 050): a code with a redemption is in the
 * redemption's state (the rewards service settles a late Shopify answer there, and marks the code used or expired):
 * issued → "granted", else "pending" | "refused" | "used" | "expired"; points, and a code refused before it had a
 * redemption, keep the grant's own status. `refusal`: Shopify's reason for a refused code.
 */
const GOODWILL_STATE = Prisma.sql`
  CASE WHEN g."kind" <> 'code' OR rr."id" IS NULL THEN g."status" WHEN rr."status" = 'issued' THEN 'granted' ELSE rr."status" END AS "status",
  CASE WHEN rr."status" = 'refused' THEN rr."reason" WHEN rr."id" IS NULL AND g."status" = 'refused' THEN g."refusal" END AS "refusal"`;

/** A goodwill row with its state read through its redemption (GOODWILL_STATE) and the code once Shopify holds it. */
interface GoodwillState extends GoodwillRow {
  refusal: string | null;
  code: string | null;
}

type GoodwillStateRow = Omit<GoodwillState, "id" | "followUpId" | "createdAt" | "points"> & { id: unknown; followUpId: unknown; points: unknown; createdAt: Date | string | number };

const toGoodwillState = (r: GoodwillStateRow): GoodwillState => ({
  ...r,
  id: Number(r.id),
  followUpId: Number(r.followUpId),
  points: sqlNullableNumber(r.points),
  createdAt: sqlStamp(r.createdAt),
});

/**
 * Goodwill of the given follow-ups (index (shop, followUpId)), oldest first, in its real state (GOODWILL_STATE), with
 * the code of a code's redemption when Shopify holds it (issued or used).
 */
export async function goodwillOfFollowUps(shop: string, followUpIds: number[]): Promise<GoodwillState[]> {
  if (!followUpIds.length) return [];
  const rows = await readSql().$queryRaw<GoodwillStateRow[]>`
    SELECT g."id", g."followUpId", g."customerId", g."orderId", g."kind", g."points", g."reward", g."redemptionId", g."reason",
      g."staff", g."createdAt", CASE WHEN rr."status" IN ('issued', 'used') THEN rr."code" END AS "code", ${GOODWILL_STATE}
    FROM "FollowUpGoodwill" g
    LEFT JOIN "RewardRedemption" rr ON rr."shop" = g."shop" AND rr."id" = g."redemptionId"
    WHERE g."shop" = ${shop} AND g."followUpId" = ANY(${followUpIds}::int[])
    ORDER BY g."followUpId", g."id"`;
  return rows.map(toGoodwillState);
}

// ---------------------------------------------------------------------------------------------------------------
// Earlier answers of the customers on a page

/** A customer's earlier answer set (the customer page's answer row, its id as `answerId`). */
export interface EarlierAnswerRow extends Omit<CustomerAnswerRow, "id"> {
  /** The follow-up's answer these are earlier than. */
  responseId: number;
  /** The earlier answer. */
  answerId: number;
}

/**
 * For each (customer, answer) pair, the customer's other answer sets, newest first, at most `perCustomer`: one LATERAL
 * read of SurveyResponse @@index([shop, customerId, createdAt]) per follow-up on the page.
 */
export async function earlierAnswersOf(shop: string, pairs: { customerId: string; responseId: number }[], perCustomer: number): Promise<EarlierAnswerRow[]> {
  if (!pairs.length) return [];
  const customers = pairs.map((p) => p.customerId);
  const responses = pairs.map((p) => p.responseId);
  const rows = await readSql().$queryRaw<
    { customerId: string; responseId: number; id: number; orderId: string; orderName: string | null; nps: unknown; csat: unknown; ces: unknown; comment: string | null; createdAt: Date | string | number }[]
  >`
    SELECT q."customerId", q."responseId", x."id", x."orderId", o."name" AS "orderName", x."nps", x."csat", x."ces", x."comment", x."createdAt"
    FROM unnest(${customers}::text[], ${responses}::int[]) AS q("customerId", "responseId")
    CROSS JOIN LATERAL (
      SELECT r."id", r."orderId", r."nps", r."csat", r."ces", r."comment", r."createdAt" FROM "SurveyResponse" r
      WHERE r."shop" = ${shop} AND r."customerId" = q."customerId" AND r."id" <> q."responseId"
      ORDER BY r."createdAt" DESC, r."id" DESC LIMIT ${perCustomer}
    ) x
    LEFT JOIN "Order" o ON o."shop" = ${shop} AND o."id" = x."orderId"
    ORDER BY q."responseId", x."createdAt" DESC, x."id" DESC`;
  return rows.map((r) => ({
    responseId: Number(r.responseId),
    answerId: Number(r.id),
    orderId: r.orderId,
    orderName: r.orderName,
    nps: sqlNullableNumber(r.nps),
    csat: sqlNullableNumber(r.csat),
    ces: sqlNullableNumber(r.ces),
    comment: r.comment,
    createdAt: sqlStamp(r.createdAt),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// The response-time target and the figures built on it

/** The shop's target in hours; null when it never saved one. */
export async function responseTargetHours(shop: string): Promise<number | null> {
  const row = await prisma.followUpSettings.findUnique({ where: { shop }, select: { responseTargetHours: true } });
  return row?.responseTargetHours ?? null;
}

export async function saveResponseTargetHours(shop: string, hours: number, now: Date): Promise<void> {
  await prisma.followUpSettings.upsert({
    where: { shop },
    create: { shop, responseTargetHours: hours, updatedAt: now },
    update: { responseTargetHours: hours, updatedAt: now },
  });
}

/**
 * Open and overdue recovery follow-ups in one statement for the nav badge: both are ranges of
 * @@index([shop, status, createdAt]) (overdue: open and opened before `dueBefore`), never a table read.
 */
export async function countOpenAndOverdue(shop: string, dueBefore: Date): Promise<{ open: number; overdue: number }> {
  const [row] = await readSql().$queryRaw<{ open: unknown; overdue: unknown }[]>`
    SELECT COUNT(*) AS "open", COUNT(*) FILTER (WHERE "createdAt" <= ${dueBefore}) AS "overdue"
    FROM "FollowUp" WHERE "shop" = ${shop} AND "status" = 'open'`;
  return { open: Number(row?.open ?? 0), overdue: Number(row?.overdue ?? 0) };
}

/**
 * The dashboard's median times, in SQL (percentile_cont), over the recovery follow-ups opened in [from, to): from
 * opening to the first contact, and to resolution (only those resolved now), in seconds; with how many each median
 * is over. Index "FollowUp_shop_recovery_created_idx" (shop, createdAt) WHERE kind = 'recovery'.
 */
export async function followUpMedianTimes(shop: string, from: Date, to: Date) {
  const [row] = await readSql().$queryRaw<{ contactSeconds: unknown; contacted: unknown; resolveSeconds: unknown; resolved: unknown }[]>`
    SELECT
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("firstContactAt" - "createdAt"))) FILTER (WHERE "firstContactAt" IS NOT NULL) AS "contactSeconds",
      COUNT(*) FILTER (WHERE "firstContactAt" IS NOT NULL) AS "contacted",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("resolvedAt" - "createdAt"))) FILTER (WHERE "status" = 'resolved' AND "resolvedAt" IS NOT NULL) AS "resolveSeconds",
      COUNT(*) FILTER (WHERE "status" = 'resolved' AND "resolvedAt" IS NOT NULL) AS "resolved"
    FROM "FollowUp"
    WHERE "shop" = ${shop} AND "kind" = 'recovery' AND "createdAt" >= ${from} AND "createdAt" < ${to}`;
  return {
    contactSeconds: sqlNullableNumber(row?.contactSeconds),
    contacted: Number(row?.contacted ?? 0),
    resolveSeconds: sqlNullableNumber(row?.resolveSeconds),
    resolved: Number(row?.resolved ?? 0),
  };
}

/**
 * The outbox message a mark's trigger was just queued as, in the same transaction: the newest `flowTriggerReceive`
 * of `handle` whose payload names follow-up `followUpId` (partial index "OutboxMessage_shop_flow_idx", newest first).
 */
export async function queuedFlowMessageId(tx: SqlTx, shop: string, handle: string, followUpId: number): Promise<number | null> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT "id" FROM "OutboxMessage"
    WHERE "shop" = ${shop} AND "operation" = 'flowTriggerReceive' AND "variables"::jsonb ->> 'handle' = ${handle}
      AND ("variables"::jsonb -> 'payload' ->> 'follow up id') = ${String(followUpId)}
    ORDER BY "id" DESC LIMIT 1`;
  return rows[0] ? Number(rows[0].id) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Privacy: the export's rows (customers/redact and shop/redact delete them in models/privacy.server.ts)

export async function exportFollowUpNoteRows(shop: string, customerId: string, orderIds: string[], limit: number) {
  return prisma.followUpNote.findMany({
    where: { shop, OR: [{ customerId }, { customerId: null, orderId: { in: orderIds } }] },
    orderBy: { id: "asc" },
    take: limit,
  });
}

/** The customer's goodwill, oldest first (index (shop, customerId)), in its real state as the pages show it. */
export async function exportGoodwillRows(shop: string, customerId: string, limit: number): Promise<GoodwillState[]> {
  const rows = await readSql().$queryRaw<GoodwillStateRow[]>`
    SELECT g."id", g."followUpId", g."customerId", g."orderId", g."kind", g."points", g."reward", g."redemptionId", g."reason",
      g."staff", g."createdAt", CASE WHEN rr."status" IN ('issued', 'used') THEN rr."code" END AS "code", ${GOODWILL_STATE}
    FROM "FollowUpGoodwill" g
    LEFT JOIN "RewardRedemption" rr ON rr."shop" = g."shop" AND rr."id" = g."redemptionId"
    WHERE g."shop" = ${shop} AND g."customerId" = ${customerId}
    ORDER BY g."id"
    LIMIT ${limit}`;
  return rows.map(toGoodwillState);
}
