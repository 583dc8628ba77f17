import { Prisma } from "@prisma/client";
import { prisma, readSql } from "~/db.server";
import { decodeTimeIdCursor, encodeTimeIdCursor } from "~/domain/cursor";
import { recoveryTrigger } from "~/domain/followups/rules";
import { pendingAnswerFate, type PendingFate } from "~/domain/survey/answer-integrity";
import { isEditable } from "~/domain/survey/edit-window";
import type { ScoreBand, ScoreQuestion } from "~/domain/survey/score-bands";
import { linkFollowUpsToOrderCustomer, upsertRecoveryFollowUp } from "./followups.server";
import { findAnswerWindowDays } from "./survey-settings.server";
import { inTransaction, type SqlTx, type Tx } from "./transaction.server";
import { scoreFilterSql } from "./score-filter";
import { sqlNullableNumber, sqlStamp, type RawAnswerWithNames } from "./sql-values";

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
  /**
   * Answers to custom questions: choices and ratings (`customAnswers`), the shopper's words apart (`customText`,
   * personal data), each by question id; null when the set answers no custom question (decision 037).
   */
  customAnswers: Record<string, unknown> | null;
  customText: Record<string, string> | null;
  locale: string;
  surface: "thank-you" | "order-status";
  /** The customer the session token named (numeric id); null for a guest's token or the app itself. Kept from the first answer. */
  tokenCustomerId: string | null;
  /** The survey's last step: the set is complete from now on (never un-completed). Decision 041. */
  complete: boolean;
  /** Question keys the shopper was shown; added to the stored ones. */
  reached: string[];
}

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

/**
 * What a save did. `lost-race`: the caller saw no answer set, but another transaction inserted the order's first one
 * meanwhile (committed by the time this returns); nothing was written, and the caller decides again on that row.
 */
type SaveOutcome = "created" | "updated" | "locked" | "lost-race" | "conflict";

/**
 * Stores the answers to order `orderId`, inside the caller's transaction `tx`, given the order's confirmed answer set
 * as the caller read it (`existing`, null for none). A first set is inserted with `ON CONFLICT DO NOTHING`: when
 * another instance inserted the order's first answers between the caller's read and this insert, nothing is written
 * and the outcome is `lost-race` (no error, so the transaction goes on; the caller reads again and decides on the
 * other row). The insert links the order's customer when the order is already known. A later set updates the row
 * while the first one is less than 24 hours old (`isEditable`, app/domain/survey/edit-window.ts, the same rule as
 * the status check) — the answers it carries replace the stored ones, the ones it leaves out are kept (choosing an
 * attribution option replaces the "other" text too) — and from then on the row is locked. Returns the stored row as
 * it is now (null when locked or lost).
 */
export async function saveSurveyResponse(
  shop: string,
  orderId: string,
  fields: SurveyResponseFields,
  now: Date,
  tx: SqlTx,
  existing: { createdAt: Date } | null,
  fillOnly = false,
): Promise<{ outcome: "created" | "updated"; response: StoredSurveyResponse } | { outcome: "locked" | "lost-race" | "conflict"; response: null }> {
  if (!existing) {
    const [created] = await tx.$queryRaw<StoredSurveyResponse[]>`
      INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "tokenCustomerId", "nps", "csat", "ces", "attributionOption",
        "attributionOther", "comment", "customAnswers", "customText", "locale", "surface", "createdAt", "updatedAt", "completedAt", "reached")
      VALUES (${shop}, ${orderId}, (SELECT o."customerId" FROM "Order" o WHERE o."shop" = ${shop} AND o."id" = ${orderId}),
        ${fields.tokenCustomerId}, ${fields.nps}, ${fields.csat}, ${fields.ces}, ${fields.attributionOption}, ${fields.attributionOther},
        ${fields.comment}, ${jsonParam(fields.customAnswers)}::jsonb, ${jsonParam(fields.customText)}::jsonb, ${fields.locale}, ${fields.surface}, ${now}, ${now},
        ${fields.complete ? now : null}::timestamptz, ${fields.reached}::text[])
      ON CONFLICT ("shop", "orderId") DO NOTHING
      RETURNING "id", "orderId", "customerId", "nps", "csat", "ces"`;
    return created ? { outcome: "created", response: created } : { outcome: "lost-race", response: null };
  }
  if (!isEditable(existing.createdAt, now)) return { outcome: "locked", response: null };
  const [updated] = await tx.$queryRaw<StoredSurveyResponse[]>(
    updateAnsweredFields("SurveyResponse", shop, orderId, fields, now, fillOnly, Prisma.sql`RETURNING "id", "orderId", "customerId", "nps", "csat", "ces"`),
  );
  if (updated) return { outcome: "updated", response: updated };
  // A guest's write that would change the set (fillOnly), or the set is gone since the caller's read (shop/redact):
  // decide again.
  return { outcome: fillOnly && (await answerSetExists(tx, "SurveyResponse", shop, orderId)) ? "conflict" : "lost-race", response: null };
}

/** Whether the order's answer set is still there (a write that matched no row: refused by its guard, or gone). */
async function answerSetExists(tx: SqlTx, table: "SurveyResponse" | "PendingSurveyAnswer", shop: string, orderId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ found: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM ${Prisma.raw(`"${table}"`)} WHERE "shop" = ${shop} AND "orderId" = ${orderId}) AS "found"`;
  return row?.found === true;
}

/**
 * A later answer set over the stored one (confirmed or pending): only the answers it carries are written, the others
 * keep their stored values. The table name is one of two literals, never input.
 */
function updateAnsweredFields(
  table: "SurveyResponse" | "PendingSurveyAnswer",
  shop: string,
  orderId: string,
  fields: SurveyResponseFields,
  now: Date,
  fillOnly: boolean,
  returning: Prisma.Sql,
): Prisma.Sql {
  const patch = answeredFields(fields);
  const has = (key: keyof SurveyResponseFields) => key in patch;
  const answered = [...new Set([...Object.keys(fields.customAnswers ?? {}), ...Object.keys(fields.customText ?? {})])];
  const guard = fillOnly ? Prisma.sql`AND ${fillsOnlyBlanks(fields, has, answered)}` : Prisma.empty;
  return Prisma.sql`
    UPDATE ${Prisma.raw(`"${table}"`)} SET
      "nps" = CASE WHEN ${has("nps")}::boolean THEN ${fields.nps}::int ELSE "nps" END,
      "csat" = CASE WHEN ${has("csat")}::boolean THEN ${fields.csat}::int ELSE "csat" END,
      "ces" = CASE WHEN ${has("ces")}::boolean THEN ${fields.ces}::int ELSE "ces" END,
      "attributionOption" = CASE WHEN ${has("attributionOption")}::boolean THEN ${fields.attributionOption}::text ELSE "attributionOption" END,
      "attributionOther" = CASE WHEN ${has("attributionOption")}::boolean THEN ${fields.attributionOther}::text ELSE "attributionOther" END,
      "comment" = CASE WHEN ${has("comment")}::boolean THEN ${fields.comment}::text ELSE "comment" END,
      -- Custom answers merge question by question: the questions this set answers replace their stored answer and
      -- words (a choice without "Other" now drops the words kept before), the others stay.
      "customAnswers" = NULLIF((COALESCE("customAnswers", '{}'::jsonb) - ${answered}::text[]) || ${jsonParam(fields.customAnswers) ?? "{}"}::jsonb, '{}'::jsonb),
      "customText" = NULLIF((COALESCE("customText", '{}'::jsonb) - ${answered}::text[]) || ${jsonParam(fields.customText) ?? "{}"}::jsonb, '{}'::jsonb),
      "locale" = ${fields.locale}, "surface" = ${fields.surface}, "updatedAt" = ${now},
      -- Completing is once: a later step of a complete set keeps its first completion time.
      "completedAt" = COALESCE("completedAt", ${fields.complete ? now : null}::timestamptz),
      "reached" = "reached" || ARRAY(SELECT k FROM unnest(${fields.reached}::text[]) AS k WHERE NOT k = ANY("reached"))
    WHERE "shop" = ${shop} AND "orderId" = ${orderId}
    ${guard}
    ${returning}`;
}

/**
 * The guard of a guest's write to an existing set (decision 041): every answer it carries is the stored one (a retry),
 * or fills a question the set has no answer to while the set is not complete. Nothing else may change: a choice that
 * drops the "Other" words stored with it is a change too.
 */
function fillsOnlyBlanks(fields: SurveyResponseFields, has: (key: keyof SurveyResponseFields) => boolean, answered: string[]): Prisma.Sql {
  const open = Prisma.sql`"completedAt" IS NULL`;
  const same = (column: "nps" | "csat" | "ces" | "comment", value: Prisma.Sql) =>
    has(column) ? Prisma.sql`(${Prisma.raw(`"${column}"`)} = ${value} OR (${Prisma.raw(`"${column}"`)} IS NULL AND ${open}))` : Prisma.sql`TRUE`;
  const sameAttribution = has("attributionOption")
    ? Prisma.sql`(("attributionOption" = ${fields.attributionOption}::text AND "attributionOther" IS NOT DISTINCT FROM ${fields.attributionOther}::text)
        OR ("attributionOption" IS NULL AND ${open}))`
    : Prisma.sql`TRUE`;
  const sameJson = (column: "customAnswers" | "customText", value: Record<string, unknown> | null) => Prisma.sql`
    NOT EXISTS (SELECT 1 FROM jsonb_each(COALESCE(${jsonParam(value)}::jsonb, '{}'::jsonb)) AS n
      WHERE CASE WHEN ${Prisma.raw(`"${column}"`)} -> n.key IS NULL THEN NOT (${open}) ELSE ${Prisma.raw(`"${column}"`)} -> n.key <> n.value END)`;
  return Prisma.sql`(${same("nps", Prisma.sql`${fields.nps}::int`)} AND ${same("csat", Prisma.sql`${fields.csat}::int`)}
    AND ${same("ces", Prisma.sql`${fields.ces}::int`)} AND ${same("comment", Prisma.sql`${fields.comment}::text`)} AND ${sameAttribution}
    AND ${sameJson("customAnswers", fields.customAnswers)} AND ${sameJson("customText", fields.customText)}
    AND NOT EXISTS (SELECT 1 FROM jsonb_object_keys(COALESCE("customText", '{}'::jsonb)) AS k
      WHERE k = ANY(${answered}::text[]) AND COALESCE(${jsonParam(fields.customText)}::jsonb, '{}'::jsonb) -> k IS NULL))`;
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

/** A JSON column's parameter: the object as JSON text, null for none. */
const jsonParam = (value: Record<string, unknown> | null): string | null => (value === null ? null : JSON.stringify(value));

/** What an answer to order `orderId` is checked against: the stored order, and the answers it already has. */
interface AnswerContext {
  order: { customerId: string | null; placedAt: Date } | null;
  /** The order's answers: confirmed (SurveyResponse) or pending (PendingSurveyAnswer), or none yet. */
  existing: { state: "confirmed" | "pending"; tokenCustomerId: string | null; createdAt: Date } | null;
}

/** The order, its confirmed answers and its pending answers, in one statement (three unique-key probes). */
export async function findAnswerContext(shop: string, orderId: string, tx: SqlTx): Promise<AnswerContext> {
  const [row] = await tx.$queryRaw<
    {
      orderKnown: boolean;
      orderCustomerId: string | null;
      placedAt: unknown;
      confirmed: boolean;
      confirmedToken: string | null;
      confirmedAt: unknown;
      pending: boolean;
      pendingToken: string | null;
      pendingAt: unknown;
    }[]
  >`
    SELECT o."id" IS NOT NULL AS "orderKnown", o."customerId" AS "orderCustomerId", o."placedAt",
           r."id" IS NOT NULL AS "confirmed", r."tokenCustomerId" AS "confirmedToken", r."createdAt" AS "confirmedAt",
           p."id" IS NOT NULL AS "pending", p."tokenCustomerId" AS "pendingToken", p."createdAt" AS "pendingAt"
    FROM (SELECT ${shop}::text AS "shop", ${orderId}::text AS "orderId") k
    LEFT JOIN "Order" o ON o."shop" = k."shop" AND o."id" = k."orderId"
    LEFT JOIN "SurveyResponse" r ON r."shop" = k."shop" AND r."orderId" = k."orderId"
    LEFT JOIN "PendingSurveyAnswer" p ON p."shop" = k."shop" AND p."orderId" = k."orderId"`;
  if (!row) throw new Error("the answer context query returned no row");
  const existing = row.confirmed
    ? { state: "confirmed" as const, tokenCustomerId: row.confirmedToken, createdAt: sqlStamp(row.confirmedAt) }
    : row.pending
      ? { state: "pending" as const, tokenCustomerId: row.pendingToken, createdAt: sqlStamp(row.pendingAt) }
      : null;
  return {
    order: row.orderKnown ? { customerId: row.orderCustomerId, placedAt: sqlStamp(row.placedAt) } : null,
    existing,
  };
}

/**
 * Stores the answers to an order the app has not received yet, apart from every figure (PendingSurveyAnswer), with
 * the same create (race-free: `lost-race` when another instance inserted first) / update-within-24-hours
 * (`isEditable`) / locked rules as `saveSurveyResponse`. `existing` is the pending answer set as the caller read it.
 */
export async function savePendingSurveyAnswer(
  shop: string,
  orderId: string,
  fields: SurveyResponseFields,
  now: Date,
  tx: SqlTx,
  existing: { createdAt: Date } | null,
  fillOnly = false,
): Promise<SaveOutcome> {
  if (!existing) {
    const inserted = await tx.$executeRaw`
      INSERT INTO "PendingSurveyAnswer" ("shop", "orderId", "tokenCustomerId", "nps", "csat", "ces", "attributionOption",
        "attributionOther", "comment", "customAnswers", "customText", "locale", "surface", "createdAt", "updatedAt", "completedAt", "reached")
      VALUES (${shop}, ${orderId}, ${fields.tokenCustomerId}, ${fields.nps}, ${fields.csat}, ${fields.ces}, ${fields.attributionOption},
        ${fields.attributionOther}, ${fields.comment}, ${jsonParam(fields.customAnswers)}::jsonb, ${jsonParam(fields.customText)}::jsonb,
        ${fields.locale}, ${fields.surface}, ${now}, ${now}, ${fields.complete ? now : null}::timestamptz, ${fields.reached}::text[])
      ON CONFLICT ("shop", "orderId") DO NOTHING`;
    return inserted > 0 ? "created" : "lost-race";
  }
  if (!isEditable(existing.createdAt, now)) return "locked";
  const updated = await tx.$executeRaw(updateAnsweredFields("PendingSurveyAnswer", shop, orderId, fields, now, fillOnly, Prisma.empty));
  if (updated > 0) return "updated";
  // Refused by a guest's guard, or settled or swept since the caller's read: decide again.
  return fillOnly && (await answerSetExists(tx, "PendingSurveyAnswer", shop, orderId)) ? "conflict" : "lost-race";
}

/**
 * Settles the pending answers to order `orderId` now that the order is stored: confirmed (moved into SurveyResponse
 * with their first answer time, so they count from now on, and an unhappy one opens its recovery follow-up), or
 * deleted when the order names another customer than the token did or was placed before the shop's answer window.
 * Null when the order has no pending answers (or is still unknown). The move is one statement (DELETE … RETURNING
 * feeding the INSERT), so two transactions settling the same order at once (an order event and the sweep) move it
 * once: the later one finds nothing to delete, inserts nothing and opens no follow-up.
 */
export async function settlePendingSurveyAnswer(shop: string, orderId: string, tx: SqlTx, now = new Date()): Promise<PendingFate | null> {
  const [pending] = await tx.$queryRaw<{ tokenCustomerId: string | null; createdAt: unknown; orderKnown: boolean; customerId: string | null; placedAt: unknown }[]>`
    SELECT p."tokenCustomerId", p."createdAt", o."id" IS NOT NULL AS "orderKnown", o."customerId", o."placedAt"
    FROM "PendingSurveyAnswer" p
    LEFT JOIN "Order" o ON o."shop" = p."shop" AND o."id" = p."orderId"
    WHERE p."shop" = ${shop} AND p."orderId" = ${orderId}`;
  if (!pending || !pending.orderKnown) return null;
  const fate = pendingAnswerFate({
    tokenCustomerId: pending.tokenCustomerId,
    order: { customerId: pending.customerId, placedAt: sqlStamp(pending.placedAt) },
    answeredAt: sqlStamp(pending.createdAt),
    windowDays: await findAnswerWindowDays(shop, tx),
  });
  if (fate !== "confirm") {
    await tx.$executeRaw`DELETE FROM "PendingSurveyAnswer" WHERE "shop" = ${shop} AND "orderId" = ${orderId}`;
    return fate;
  }
  // A confirmed set already there (answered after the order was stored, before this settled) is kept: it is newer.
  const [response] = await tx.$queryRaw<StoredSurveyResponse[]>`
    WITH moved AS (
      DELETE FROM "PendingSurveyAnswer" p WHERE p."shop" = ${shop} AND p."orderId" = ${orderId}
      RETURNING p."shop", p."orderId", p."tokenCustomerId", p."nps", p."csat", p."ces", p."attributionOption",
        p."attributionOther", p."comment", p."customAnswers", p."customText", p."locale", p."surface", p."createdAt", p."updatedAt",
        p."completedAt", p."reached")
    INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "tokenCustomerId", "nps", "csat", "ces", "attributionOption",
      "attributionOther", "comment", "customAnswers", "customText", "locale", "surface", "createdAt", "updatedAt", "completedAt", "reached")
    SELECT m."shop", m."orderId", ${pending.customerId}::text, m."tokenCustomerId", m."nps", m."csat", m."ces", m."attributionOption",
      m."attributionOther", m."comment", m."customAnswers", m."customText", m."locale", m."surface", m."createdAt", m."updatedAt",
      m."completedAt", m."reached"
    FROM moved m
    ON CONFLICT ("shop", "orderId") DO NOTHING
    RETURNING "id", "orderId", "customerId", "nps", "csat", "ces"`;
  const trigger = response ? recoveryTrigger(response) : null;
  if (response && trigger) await upsertRecoveryFollowUp(tx, shop, { responseId: response.id, orderId, customerId: response.customerId }, trigger, now);
  return fate;
}

/**
 * The periodic clean-up of `shop`'s pending answers: those whose order has arrived meanwhile are settled (an order
 * stored in the same instant as its answer), each in its own short transaction so the sweep never holds many rows
 * that order events also write; those still pending after `ttlMs` are deleted. Returns how many went each way.
 */
export async function sweepPendingSurveyAnswers(shop: string, now: Date, ttlMs: number): Promise<{ settled: number; expired: number }> {
  const arrived = await prisma.$queryRaw<{ orderId: string }[]>`
    SELECT p."orderId" FROM "PendingSurveyAnswer" p
    WHERE p."shop" = ${shop} AND EXISTS (SELECT 1 FROM "Order" o WHERE o."shop" = p."shop" AND o."id" = p."orderId")`;
  for (const { orderId } of arrived) await inTransaction((tx) => settlePendingSurveyAnswer(shop, orderId, tx, now));
  // serves from @@index([shop, createdAt]).
  const expired = await prisma.$executeRaw`
    DELETE FROM "PendingSurveyAnswer" WHERE "shop" = ${shop} AND "createdAt" < ${new Date(now.getTime() - ttlMs)}`;
  return { settled: arrived.length, expired };
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
  // Most orders have no answer (yet): one probe on the two unique (shop, orderId) keys, one round trip per event.
  const [probe] = await tx.$queryRaw<{ pending: boolean; answered: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "PendingSurveyAnswer" p WHERE p."shop" = ${shop} AND p."orderId" = ${orderId}) AS "pending",
           EXISTS (SELECT 1 FROM "SurveyResponse" r WHERE r."shop" = ${shop} AND r."orderId" = ${orderId}) AS "answered"`;
  if (!probe || (!probe.pending && !probe.answered)) return 0;
  // Settling may create the confirmed answers (with the order's customer already).
  if (probe.pending) await settlePendingSurveyAnswer(shop, orderId, tx);
  // Their follow-ups follow, in the same transaction (the queue shows and links the customer).
  await linkFollowUpsToOrderCustomer(tx, shop, orderId);
  return tx.$executeRaw`
    UPDATE "SurveyResponse" r
    SET "customerId" = o."customerId"
    FROM "Order" o
    WHERE r."shop" = ${shop} AND r."orderId" = ${orderId} AND o."shop" = r."shop" AND o."id" = r."orderId"
      AND r."customerId" IS DISTINCT FROM o."customerId"`;
}

/** One stored answer set, for tests and the answers page. */
export async function findSurveyResponse(shop: string, orderId: string) {
  return prisma.surveyResponse.findUnique({ where: { shop_orderId: { shop, orderId } } });
}

/** One answer set of `shop` by its id (null for another shop's id). */
export async function findSurveyResponseById(shop: string, id: number, tx: Tx = prisma): Promise<StoredSurveyResponse | null> {
  return tx.surveyResponse.findFirst({ where: { shop, id }, select: STORED_FIELDS });
}

// ---------------------------------------------------------------------------------------------------------------
// Answers list (keyset pagination) and per-customer lookups: admin page reads, on the read connection (decision 017)

interface ListSurveyResponsesOptions {
  question?: ScoreQuestion;
  /** Applies only together with a question it belongs to (NPS: detractor/passive/promoter; CSAT, CES: low/high). */
  band?: ScoreBand;
  /** Inclusive bounds on the answer time. */
  from?: Date;
  to?: Date;
  /** The `nextCursor` of the previous page; an unreadable cursor starts from the newest answer. */
  cursor?: string;
  /** 1–100, default 25. */
  limit?: number;
}

/** What a shopper answered, as the answers list and the CSV export read it back (the surface as stored text). */
export type AnswerRead = Pick<SurveyResponseFields, "nps" | "csat" | "ces" | "attributionOption" | "attributionOther" | "comment" | "locale"> & {
  surface: string;
};

interface SurveyResponseRow extends AnswerRead {
  id: number;
  orderId: string;
  orderName: string | null;
  customerId: string | null;
  customerName: string | null;
  createdAt: Date;
}

interface RawRow extends RawAnswerWithNames {
  id: bigint | number;
  attributionOption: string | null;
  attributionOther: string | null;
  locale: string;
  surface: string;
}

/** Answers newest first, `(createdAt desc, id desc)` keyset pages, with the order name and customer name. */
export async function listSurveyResponses(
  shop: string,
  options: ListSurveyResponsesOptions = {},
): Promise<{ rows: SurveyResponseRow[]; nextCursor: string | null }> {
  const limit = Math.min(100, Math.max(1, Math.floor(options.limit ?? 25)));
  const where: Prisma.Sql[] = [Prisma.sql`r."shop" = ${shop}`];
  if (options.question) where.push(scoreFilterSql(options.question, options.band));
  if (options.from) where.push(Prisma.sql`r."createdAt" >= ${options.from}`);
  if (options.to) where.push(Prisma.sql`r."createdAt" <= ${options.to}`);
  const after = decodeTimeIdCursor(options.cursor);
  if (after) {
    where.push(Prisma.sql`(r."createdAt", r."id") < (${after.at}::timestamptz, ${after.id}::int)`);
  }
  // serves from @@index([shop, createdAt]): newest first within the shop; the row comparison bounds the index scan on
  // createdAt, and rows of one instant are ordered by id as they are read (incremental sort).
  const raw = await readSql().$queryRaw<RawRow[]>`
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
  return { rows, nextCursor: raw.length > limit && last ? encodeTimeIdCursor({ at: last.createdAt, id: last.id }) : null };
}

/** Each given customer's latest NPS score (customers without one are absent). */
export async function latestNpsByCustomer(shop: string, customerIds: string[]): Promise<Record<string, number>> {
  const unique = [...new Set(customerIds)];
  if (unique.length === 0) return {};
  // serves from @@index([shop, customerId, createdAt]): one probe per customer, newest first.
  const rows = await readSql().$queryRaw<{ customerId: string; nps: bigint | number }[]>`
    SELECT DISTINCT ON (r."customerId") r."customerId", r."nps"
    FROM "SurveyResponse" r
    WHERE r."shop" = ${shop} AND r."customerId" = ANY(${unique}::text[]) AND r."nps" IS NOT NULL
    ORDER BY r."customerId", r."createdAt" DESC, r."id" DESC`;
  return Object.fromEntries(rows.map((row) => [row.customerId, Number(row.nps)]));
}
