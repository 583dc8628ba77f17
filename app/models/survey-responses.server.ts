import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { recoveryTrigger } from "~/domain/followups/rules";
import { pendingAnswerFate, type PendingFate } from "~/domain/survey/answer-integrity";
import { isEditable } from "~/domain/survey/edit-window";
import { linkFollowUpsToOrderCustomer, upsertRecoveryFollowUp } from "./followups.server";
import { findAnswerWindowDays } from "./survey-settings.server";
import type { SqlTx, Tx } from "./transaction.server";
import { sqlNullableNumber, sqlStamp } from "./sql-values";

/**
 * The only Prisma code for SurveyResponse: one answer set per (shop, order). Every function takes `shop` first and
 * scopes every statement by it.
 */

export interface SurveyResponseFields {
  nps: number | null;
  csat: number | null;
  ces: number | null;
  attributionOption: string | null;
  attributionOther: string | null;
  comment: string | null;
  locale: string;
  surface: "thank-you" | "order-status";
  /** The customer the session token named (numeric id); null for a guest's token or the app itself. Kept from the first answer. */
  tokenCustomerId: string | null;
}

export type SaveOutcome = "created" | "updated" | "locked";

/** The stored answer set after a save: what follow-ups are decided on. */
export interface StoredSurveyResponse {
  id: number;
  orderId: string;
  customerId: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
}

const STORED_FIELDS = { id: true, orderId: true, customerId: true, nps: true, csat: true, ces: true } as const;

/** A unique-constraint violation, from Prisma (P2002) or from a prepared statement (better-sqlite3). */
export const isUniqueViolation = (error: unknown) =>
  (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") ||
  (typeof error === "object" && error !== null && String((error as { code?: unknown }).code).startsWith("SQLITE_CONSTRAINT_UNIQUE"));

/**
 * Another instance wrote the order's first answer while this transaction was between its read and its write: its
 * insert won the unique key (a unique violation), or, on SQLite, it committed after this transaction's first read, so
 * the read snapshot can no longer become a write (SQLITE_BUSY_SNAPSHOT, raised instead of waiting). Either way,
 * running the transaction again reads the other instance's row (tests/integration/invariants/answer-race.test.ts).
 */
export const isLostWriteRace = (error: unknown) =>
  isUniqueViolation(error) || (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "SQLITE_BUSY_SNAPSHOT");

/**
 * Stores the answers to order `orderId`, inside the caller's transaction `tx`: the first set creates the row
 * (linked to the order's customer when the order is already known); a later set updates it while the first one is
 * less than 24 hours old (`isEditable`, app/domain/survey/edit-window.ts) — the answers it carries replace the stored
 * ones, the ones it leaves out are kept (choosing an attribution option replaces the "other" text too) — and from
 * then on the row is locked. Returns the stored row as it is now (null when locked). Transactions run one at a
 * time on the app's connection, so the read and the write cannot interleave with another submission; another
 * process racing the insert makes it fail (`isLostWriteRace`), and the caller retries (then this finds the row and
 * updates it).
 */
export async function saveSurveyResponse(
  shop: string,
  orderId: string,
  fields: SurveyResponseFields,
  now: Date,
  tx: SqlTx,
): Promise<{ outcome: "created" | "updated"; response: StoredSurveyResponse } | { outcome: "locked"; response: null }> {
  const [existing] = await tx.$queryRaw<{ id: number; createdAt: Date }[]>`
    SELECT "id", "createdAt" FROM "SurveyResponse" WHERE "shop" = ${shop} AND "orderId" = ${orderId}`;
  if (!existing) {
    await tx.$executeRaw`
      INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "tokenCustomerId", "nps", "csat", "ces", "attributionOption",
        "attributionOther", "comment", "locale", "surface", "createdAt", "updatedAt")
      VALUES (${shop}, ${orderId}, (SELECT o."customerId" FROM "Order" o WHERE o."shop" = ${shop} AND o."id" = ${orderId}),
        ${fields.tokenCustomerId}, ${fields.nps}, ${fields.csat}, ${fields.ces}, ${fields.attributionOption}, ${fields.attributionOther},
        ${fields.comment}, ${fields.locale}, ${fields.surface}, ${now}, ${now})`;
    return { outcome: "created", response: await storedResponse(tx, shop, orderId) };
  }
  if (!isEditable(existing.createdAt, now)) return { outcome: "locked", response: null };
  await updateAnsweredFields(tx, "SurveyResponse", shop, orderId, fields, now);
  return { outcome: "updated", response: await storedResponse(tx, shop, orderId) };
}

async function storedResponse(tx: SqlTx, shop: string, orderId: string): Promise<StoredSurveyResponse> {
  const [row] = await tx.$queryRaw<StoredSurveyResponse[]>`
    SELECT "id", "orderId", "customerId", "nps", "csat", "ces" FROM "SurveyResponse" WHERE "shop" = ${shop} AND "orderId" = ${orderId}`;
  if (!row) throw new Error("the answer set just written is missing");
  return row;
}

/**
 * A later answer set over the stored one (confirmed or pending): only the answers it carries are written, the others
 * keep their stored values. The table name is one of two literals, never input.
 */
function updateAnsweredFields(
  tx: SqlTx,
  table: "SurveyResponse" | "PendingSurveyAnswer",
  shop: string,
  orderId: string,
  fields: SurveyResponseFields,
  now: Date,
) {
  const patch = answeredFields(fields);
  const has = (key: keyof SurveyResponseFields) => (key in patch ? 1 : 0);
  return tx.$executeRaw(Prisma.sql`
    UPDATE ${Prisma.raw(`"${table}"`)} SET
      "nps" = CASE WHEN ${has("nps")} = 1 THEN ${fields.nps} ELSE "nps" END,
      "csat" = CASE WHEN ${has("csat")} = 1 THEN ${fields.csat} ELSE "csat" END,
      "ces" = CASE WHEN ${has("ces")} = 1 THEN ${fields.ces} ELSE "ces" END,
      "attributionOption" = CASE WHEN ${has("attributionOption")} = 1 THEN ${fields.attributionOption} ELSE "attributionOption" END,
      "attributionOther" = CASE WHEN ${has("attributionOption")} = 1 THEN ${fields.attributionOther} ELSE "attributionOther" END,
      "comment" = CASE WHEN ${has("comment")} = 1 THEN ${fields.comment} ELSE "comment" END,
      "locale" = ${fields.locale}, "surface" = ${fields.surface}, "updatedAt" = ${now}
    WHERE "shop" = ${shop} AND "orderId" = ${orderId}`);
}

function answeredFields(fields: SurveyResponseFields): Partial<SurveyResponseFields> {
  const patch: Partial<SurveyResponseFields> = { locale: fields.locale, surface: fields.surface };
  if (fields.nps !== null) patch.nps = fields.nps;
  if (fields.csat !== null) patch.csat = fields.csat;
  if (fields.ces !== null) patch.ces = fields.ces;
  if (fields.attributionOption !== null) {
    patch.attributionOption = fields.attributionOption;
    patch.attributionOther = fields.attributionOther;
  }
  if (fields.comment !== null) patch.comment = fields.comment;
  return patch;
}

/** What an answer to order `orderId` is checked against: the stored order, and the answers it already has. */
export interface AnswerContext {
  order: { customerId: string | null; placedAt: Date } | null;
  /** The order's answers: confirmed (SurveyResponse) or pending (PendingSurveyAnswer), or none yet. */
  existing: { state: "confirmed" | "pending"; tokenCustomerId: string | null; createdAt: Date } | null;
}

export async function findAnswerContext(shop: string, orderId: string, tx: SqlTx): Promise<AnswerContext> {
  const [order] = await tx.$queryRaw<{ customerId: string | null; placedAt: unknown }[]>`
    SELECT "customerId", "placedAt" FROM "Order" WHERE "shop" = ${shop} AND "id" = ${orderId}`;
  const [confirmed] = await tx.$queryRaw<{ tokenCustomerId: string | null; createdAt: unknown }[]>`
    SELECT "tokenCustomerId", "createdAt" FROM "SurveyResponse" WHERE "shop" = ${shop} AND "orderId" = ${orderId}`;
  const [pending] = confirmed
    ? []
    : await tx.$queryRaw<{ tokenCustomerId: string | null; createdAt: unknown }[]>`
        SELECT "tokenCustomerId", "createdAt" FROM "PendingSurveyAnswer" WHERE "shop" = ${shop} AND "orderId" = ${orderId}`;
  const found = confirmed ? { state: "confirmed" as const, ...confirmed } : pending ? { state: "pending" as const, ...pending } : null;
  return {
    order: order ? { customerId: order.customerId, placedAt: sqlStamp(order.placedAt) } : null,
    existing: found ? { state: found.state, tokenCustomerId: found.tokenCustomerId, createdAt: sqlStamp(found.createdAt) } : null,
  };
}

/**
 * Stores the answers to an order the app has not received yet, apart from every figure (PendingSurveyAnswer), with
 * the same create / update-within-24-hours (`isEditable`) / locked rules as `saveSurveyResponse`.
 */
export async function savePendingSurveyAnswer(
  shop: string,
  orderId: string,
  fields: SurveyResponseFields,
  now: Date,
  tx: SqlTx,
): Promise<"created" | "updated" | "locked"> {
  const [existing] = await tx.$queryRaw<{ createdAt: unknown }[]>`
    SELECT "createdAt" FROM "PendingSurveyAnswer" WHERE "shop" = ${shop} AND "orderId" = ${orderId}`;
  if (!existing) {
    await tx.$executeRaw`
      INSERT INTO "PendingSurveyAnswer" ("shop", "orderId", "tokenCustomerId", "nps", "csat", "ces", "attributionOption",
        "attributionOther", "comment", "locale", "surface", "createdAt", "updatedAt")
      VALUES (${shop}, ${orderId}, ${fields.tokenCustomerId}, ${fields.nps}, ${fields.csat}, ${fields.ces}, ${fields.attributionOption},
        ${fields.attributionOther}, ${fields.comment}, ${fields.locale}, ${fields.surface}, ${now}, ${now})`;
    return "created";
  }
  if (!isEditable(sqlStamp(existing.createdAt), now)) return "locked";
  await updateAnsweredFields(tx, "PendingSurveyAnswer", shop, orderId, fields, now);
  return "updated";
}

/**
 * Settles the pending answers to order `orderId` now that the order is stored: confirmed (moved into SurveyResponse
 * with their first answer time, so they count from now on, and an unhappy one opens its recovery follow-up), or
 * deleted when the order names another customer than the token did or was placed before the shop's answer window.
 * Null when the order has no pending answers (or is still unknown).
 */
export async function settlePendingSurveyAnswer(shop: string, orderId: string, tx: SqlTx, now = new Date()): Promise<PendingFate | null> {
  const [pending] = await tx.$queryRaw<{ tokenCustomerId: string | null; createdAt: unknown }[]>`
    SELECT "tokenCustomerId", "createdAt" FROM "PendingSurveyAnswer" WHERE "shop" = ${shop} AND "orderId" = ${orderId}`;
  if (!pending) return null;
  const [order] = await tx.$queryRaw<{ customerId: string | null; placedAt: unknown }[]>`
    SELECT "customerId", "placedAt" FROM "Order" WHERE "shop" = ${shop} AND "id" = ${orderId}`;
  if (!order) return null;
  const fate = pendingAnswerFate({
    tokenCustomerId: pending.tokenCustomerId,
    order: { customerId: order.customerId, placedAt: sqlStamp(order.placedAt) },
    answeredAt: sqlStamp(pending.createdAt),
    windowDays: await findAnswerWindowDays(shop, tx),
  });
  if (fate === "confirm") {
    await tx.$executeRaw`
      INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "tokenCustomerId", "nps", "csat", "ces", "attributionOption",
        "attributionOther", "comment", "locale", "surface", "createdAt", "updatedAt")
      SELECT p."shop", p."orderId", ${order.customerId}, p."tokenCustomerId", p."nps", p."csat", p."ces", p."attributionOption",
        p."attributionOther", p."comment", p."locale", p."surface", p."createdAt", p."updatedAt"
      FROM "PendingSurveyAnswer" p WHERE p."shop" = ${shop} AND p."orderId" = ${orderId}`;
    const response = await storedResponse(tx, shop, orderId);
    const trigger = recoveryTrigger(response);
    if (trigger) await upsertRecoveryFollowUp(tx, shop, { responseId: response.id, orderId, customerId: response.customerId }, trigger, now);
  }
  await tx.$executeRaw`DELETE FROM "PendingSurveyAnswer" WHERE "shop" = ${shop} AND "orderId" = ${orderId}`;
  return fate;
}

/**
 * The periodic clean-up of `shop`'s pending answers: those whose order has arrived meanwhile are settled (an order
 * stored in the same instant as its answer), those still pending after `ttlMs` are deleted. Returns how many went
 * each way.
 */
export async function sweepPendingSurveyAnswers(shop: string, now: Date, ttlMs: number): Promise<{ settled: number; expired: number }> {
  return prisma.$transaction(async (tx) => {
    const arrived = await tx.$queryRaw<{ orderId: string }[]>`
      SELECT p."orderId" FROM "PendingSurveyAnswer" p
      WHERE p."shop" = ${shop} AND EXISTS (SELECT 1 FROM "Order" o WHERE o."shop" = p."shop" AND o."id" = p."orderId")`;
    for (const { orderId } of arrived) await settlePendingSurveyAnswer(shop, orderId, tx, now);
    // serves from @@index([shop, createdAt]).
    const expired = await tx.$executeRaw`
      DELETE FROM "PendingSurveyAnswer" WHERE "shop" = ${shop} AND "createdAt" < ${new Date(now.getTime() - ttlMs)}`;
    return { settled: arrived.length, expired };
  });
}

/** The shops that hold pending answers (installed or not: an uninstalled shop's expire too). */
export async function shopsWithPendingAnswers(): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ shop: string }[]>`SELECT DISTINCT "shop" FROM "PendingSurveyAnswer"`;
  return rows.map((r) => r.shop);
}

/** One pending answer set, for tests and the answer status check. */
export async function findPendingSurveyAnswer(shop: string, orderId: string) {
  return prisma.pendingSurveyAnswer.findUnique({ where: { shop_orderId: { shop, orderId } } });
}

/**
 * Sets the customer of the answers to order `orderId`, and of their follow-ups, from the stored order (called by
 * the ingest service right after it upserted the order, inside its transaction, so an answer given before the
 * webhook gets its customer). Pending answers to the order are settled first (confirmed or deleted, see
 * `settlePendingSurveyAnswer`). Returns the number of confirmed answers changed.
 */
export async function linkSurveyResponsesToOrderCustomer(shop: string, orderId: string, tx: SqlTx = prisma): Promise<number> {
  await settlePendingSurveyAnswer(shop, orderId, tx);
  // Most orders have no answer (yet): one probe on the unique (shop, orderId) instead of two UPDATEs that match nothing.
  const [answered] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "SurveyResponse" WHERE "shop" = ${shop} AND "orderId" = ${orderId}`;
  if (!answered) return 0;
  // Their follow-ups follow, in the same transaction (the queue shows and links the customer).
  await linkFollowUpsToOrderCustomer(tx, shop, orderId);
  return tx.$executeRaw`
    UPDATE "SurveyResponse"
    SET "customerId" = (SELECT o."customerId" FROM "Order" o WHERE o."shop" = ${shop} AND o."id" = ${orderId})
    WHERE "shop" = ${shop} AND "orderId" = ${orderId}
      AND "customerId" IS NOT (SELECT o."customerId" FROM "Order" o WHERE o."shop" = ${shop} AND o."id" = ${orderId})`;
}

/** One stored answer set, for tests and the answers page. */
export async function findSurveyResponse(shop: string, orderId: string) {
  return prisma.surveyResponse.findUnique({ where: { shop_orderId: { shop, orderId } } });
}

/** One answer set of `shop` by its id (null for another shop's id). */
export async function findSurveyResponseById(shop: string, id: number, tx: Tx = prisma): Promise<StoredSurveyResponse | null> {
  return tx.surveyResponse.findFirst({ where: { shop, id }, select: STORED_FIELDS });
}

export async function countSurveyResponses(shop: string): Promise<number> {
  return prisma.surveyResponse.count({ where: { shop } });
}

// ---------------------------------------------------------------------------------------------------------------
// Answers list (keyset pagination) and per-customer lookups

export type ResponseQuestion = "nps" | "csat" | "ces";
export type ResponseBand = "detractor" | "passive" | "promoter" | "low" | "high";

export interface ListSurveyResponsesOptions {
  question?: ResponseQuestion;
  /** Applies only together with a question it belongs to (NPS: detractor/passive/promoter; CSAT, CES: low/high). */
  band?: ResponseBand;
  /** Inclusive bounds on the answer time. */
  from?: Date;
  to?: Date;
  /** The `nextCursor` of the previous page; an unreadable cursor starts from the newest answer. */
  cursor?: string;
  /** 1–100, default 25. */
  limit?: number;
}

export interface SurveyResponseRow {
  id: number;
  orderId: string;
  orderName: string | null;
  customerId: string | null;
  customerName: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  attributionOption: string | null;
  attributionOther: string | null;
  comment: string | null;
  locale: string;
  surface: string;
  createdAt: Date;
}

/** Score ranges per band. CSAT: 1–2 low, 4–5 high. CES (7 = very easy): 1–3 low, 5–7 high. */
const BAND_RANGES: Record<ResponseQuestion, Partial<Record<ResponseBand, [number, number]>>> = {
  nps: { detractor: [0, 6], passive: [7, 8], promoter: [9, 10] },
  csat: { low: [1, 2], high: [4, 5] },
  ces: { low: [1, 3], high: [5, 7] },
};

const COLUMN: Record<ResponseQuestion, Prisma.Sql> = {
  nps: Prisma.sql`r."nps"`,
  csat: Prisma.sql`r."csat"`,
  ces: Prisma.sql`r."ces"`,
};

export function encodeCursor(createdAt: Date, id: number): string {
  return Buffer.from(`${createdAt.getTime()}:${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: Date; id: number } | null {
  const match = /^(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) return null;
  return { createdAt: new Date(Number(match[1])), id: Number(match[2]) };
}


interface RawRow {
  id: bigint | number;
  orderId: string;
  orderName: string | null;
  customerId: string | null;
  firstName: string | null;
  lastName: string | null;
  nps: bigint | number | null;
  csat: bigint | number | null;
  ces: bigint | number | null;
  attributionOption: string | null;
  attributionOther: string | null;
  comment: string | null;
  locale: string;
  surface: string;
  createdAt: Date | number | string;
}

/** Answers newest first, `(createdAt desc, id desc)` keyset pages, with the order name and customer name. */
export async function listSurveyResponses(
  shop: string,
  options: ListSurveyResponsesOptions = {},
): Promise<{ rows: SurveyResponseRow[]; nextCursor: string | null }> {
  const limit = Math.min(100, Math.max(1, Math.floor(options.limit ?? 25)));
  const where: Prisma.Sql[] = [Prisma.sql`r."shop" = ${shop}`];
  if (options.question) {
    const column = COLUMN[options.question];
    const range = options.band ? BAND_RANGES[options.question][options.band] : undefined;
    where.push(range ? Prisma.sql`${column} BETWEEN ${range[0]} AND ${range[1]}` : Prisma.sql`${column} IS NOT NULL`);
  }
  if (options.from) where.push(Prisma.sql`r."createdAt" >= ${options.from}`);
  if (options.to) where.push(Prisma.sql`r."createdAt" <= ${options.to}`);
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  if (after) {
    where.push(Prisma.sql`(r."createdAt" < ${after.createdAt} OR (r."createdAt" = ${after.createdAt} AND r."id" < ${after.id}))`);
  }
  // serves from @@index([shop, createdAt]): newest first within the shop.
  const raw = await prisma.$queryRaw<RawRow[]>`
    SELECT r."id", r."orderId", o."name" AS "orderName", r."customerId", c."firstName", c."lastName",
           r."nps", r."csat", r."ces", r."attributionOption", r."attributionOther", r."comment", r."locale",
           r."surface", r."createdAt"
    FROM "SurveyResponse" r
    LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId"
    LEFT JOIN "Customer" c ON c."shop" = r."shop" AND c."id" = r."customerId"
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY r."createdAt" DESC, r."id" DESC
    LIMIT ${limit + 1}`;
  const rows = raw.slice(0, limit).map((r): SurveyResponseRow => {
    const name = [r.firstName, r.lastName].filter(Boolean).join(" ").trim();
    return {
      id: Number(r.id),
      orderId: r.orderId,
      orderName: r.orderName,
      customerId: r.customerId,
      customerName: name || null,
      nps: sqlNullableNumber(r.nps),
      csat: sqlNullableNumber(r.csat),
      ces: sqlNullableNumber(r.ces),
      attributionOption: r.attributionOption,
      attributionOther: r.attributionOther,
      comment: r.comment,
      locale: r.locale,
      surface: r.surface,
      createdAt: sqlStamp(r.createdAt),
    };
  });
  const last = rows[rows.length - 1];
  return { rows, nextCursor: raw.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** Each given customer's latest NPS score (customers without one are absent). */
export async function latestNpsByCustomer(shop: string, customerIds: string[]): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  const unique = [...new Set(customerIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    // serves from @@index([shop, customerId, createdAt]).
    const rows = await prisma.$queryRaw<{ customerId: string; nps: bigint | number }[]>`
      SELECT "customerId", "nps" FROM (
        SELECT r."customerId", r."nps",
               ROW_NUMBER() OVER (PARTITION BY r."customerId" ORDER BY r."createdAt" DESC, r."id" DESC) AS rn
        FROM "SurveyResponse" r
        WHERE r."shop" = ${shop} AND r."customerId" IN (${Prisma.join(chunk)}) AND r."nps" IS NOT NULL)
      WHERE rn = 1`;
    for (const row of rows) result[row.customerId] = Number(row.nps);
  }
  return result;
}
