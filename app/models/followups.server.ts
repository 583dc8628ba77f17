import { Prisma, type FollowUp } from "@prisma/client";
import { prisma, readSql } from "~/db.server";
import { isMarkAction, type MarkAction, type RecoveryStatus } from "~/domain/followups/rules";
import type { FollowUpPage, FollowUpView, MarkCandidateView } from "~/domain/followups/views";
import type { SqlTx, Tx } from "./transaction.server";
import { sqlDate, sqlNullableNumber, sqlStamp, type RawAnswerWithNames } from "./sql-values";
import { pageLimit, timeIdKeyset, timeIdPage, type TimeIdPageRequest } from "./time-id-keyset";

/**
 * The only Prisma code for FollowUp. Every function takes `shop` first and scopes every statement by it; the
 * write functions take the transaction they belong to (`tx`, default: the client itself).
 */

type FollowUpRecord = FollowUp;

/** The answer a follow-up belongs to, as the survey service stored it. */
interface FollowUpAnswerRef {
  responseId: number;
  orderId: string;
  customerId: string | null;
}

/** Untouched: nobody worked on it yet (still open, no owner, no notes). Only such a follow-up follows its answer. */
const UNTOUCHED = { kind: "recovery", status: "open", owner: null, notes: null } as const;

/**
 * Staff worked on follow-up `f` beyond its status, owner and old notes: an authored note or goodwill (decision 044).
 * Such a follow-up is never withdrawn or re-triggered by an edit of its answer.
 */
const WORKED_ON = Prisma.sql`(EXISTS (SELECT 1 FROM "FollowUpNote" n WHERE n."shop" = f."shop" AND n."followUpId" = f."id")
  OR EXISTS (SELECT 1 FROM "FollowUpGoodwill" g WHERE g."shop" = f."shop" AND g."followUpId" = f."id"))`;

export type RecoveryUpsert = "opened" | "updated" | "unchanged" | "kept";

/**
 * Opens the recovery follow-up of an unhappy answer, once per answer ([shop, responseId, kind] is unique: the insert
 * does nothing when the answer has one already, opened earlier or by another transaction a moment ago). When one
 * exists and is untouched, its trigger and customer follow the answer ("updated"); one staff worked on is "kept" as
 * it is. Inserting first costs an edit one statement and saves a first answer (the common case) one.
 */
export async function upsertRecoveryFollowUp(
  tx: SqlTx,
  shop: string,
  answer: FollowUpAnswerRef,
  trigger: string,
  now: Date,
): Promise<RecoveryUpsert> {
  const opened = await tx.$executeRaw`
    INSERT INTO "FollowUp" ("shop", "responseId", "orderId", "customerId", "kind", "trigger", "status", "createdAt", "updatedAt")
    VALUES (${shop}, ${answer.responseId}, ${answer.orderId}, ${answer.customerId}, 'recovery', ${trigger}, 'open', ${now}, ${now})
    ON CONFLICT ("shop", "responseId", "kind") DO NOTHING`;
  if (opened > 0) return "opened";
  const [existing] = await tx.$queryRaw<{ id: number; status: string; owner: string | null; notes: string | null; trigger: string | null; customerId: string | null; worked: boolean }[]>`
    SELECT f."id", f."status", f."owner", f."notes", f."trigger", f."customerId", ${WORKED_ON} AS "worked" FROM "FollowUp" f
    WHERE f."shop" = ${shop} AND f."responseId" = ${answer.responseId} AND f."kind" = 'recovery'`;
  // Withdrawn by another transaction between the two statements: theirs was the later edit of the answer.
  if (!existing) return "kept";
  if (existing.status !== "open" || existing.owner !== null || existing.notes !== null || existing.worked) return "kept";
  if (existing.trigger === trigger && existing.customerId === answer.customerId) return "unchanged";
  await tx.$executeRaw`
    UPDATE "FollowUp" f SET "trigger" = ${trigger}, "customerId" = ${answer.customerId}, "updatedAt" = ${now}
    WHERE f."shop" = ${shop} AND f."id" = ${existing.id} AND f."kind" = ${UNTOUCHED.kind} AND f."status" = ${UNTOUCHED.status}
      AND f."owner" IS NULL AND f."notes" IS NULL AND NOT ${WORKED_ON}`;
  return "updated";
}

/**
 * Removes the recovery follow-up of an answer that is no longer unhappy, if nobody worked on it. Returns how many
 * rows went (0 or 1).
 */
export async function withdrawUntouchedRecoveryFollowUp(tx: SqlTx, shop: string, responseId: number): Promise<number> {
  return tx.$executeRaw`
    DELETE FROM "FollowUp" f WHERE f."shop" = ${shop} AND f."responseId" = ${responseId} AND f."kind" = ${UNTOUCHED.kind}
      AND f."status" = ${UNTOUCHED.status} AND f."owner" IS NULL AND f."notes" IS NULL AND NOT ${WORKED_ON}`;
}

/**
 * Sets the customer of the follow-ups of order `orderId` from the stored order (the ingest transaction calls this
 * through `linkSurveyResponsesToOrderCustomer`). Goes through the answer's unique (shop, orderId) and the
 * follow-ups' unique (shop, responseId, kind), so an order webhook never scans the queue.
 */
export async function linkFollowUpsToOrderCustomer(tx: SqlTx, shop: string, orderId: string): Promise<number> {
  return tx.$executeRaw`
    UPDATE "FollowUp" f
    SET "customerId" = o."customerId"
    FROM "SurveyResponse" r, "Order" o
    WHERE r."shop" = ${shop} AND r."orderId" = ${orderId} AND o."shop" = r."shop" AND o."id" = r."orderId"
      AND f."shop" = r."shop" AND f."responseId" = r."id"
      AND f."customerId" IS DISTINCT FROM o."customerId"`;
}

export async function findFollowUp(shop: string, id: number, tx: Tx = prisma): Promise<FollowUpRecord | null> {
  return tx.followUp.findFirst({ where: { shop, id } });
}

/**
 * The recovery follow-up of order `orderId` of `shop` (the newest, should an order have had two answers), for Shopify
 * Flow's "Set follow-up status" action; null when the order has none. Index (shop, orderId).
 */
export async function findRecoveryFollowUpByOrder(tx: Tx, shop: string, orderId: string): Promise<FollowUpRecord | null> {
  return tx.followUp.findFirst({ where: { shop, orderId, kind: "recovery" }, orderBy: { id: "desc" } });
}

export interface FollowUpPatch {
  status?: RecoveryStatus;
  owner?: string | null;
  ownerUserId?: string | null;
  notes?: string | null;
  resolvedAt?: Date | null;
  firstContactAt?: Date;
}

/** Applies `patch` to follow-up `id` of `shop` only if it is still in status `expectedStatus`. Returns the count (0 or 1). */
export async function updateFollowUpRow(
  tx: Tx,
  shop: string,
  id: number,
  expectedStatus: string,
  patch: FollowUpPatch,
  now: Date,
): Promise<number> {
  const { count } = await tx.followUp.updateMany({ where: { shop, id, status: expectedStatus }, data: { ...patch, updatedAt: now } });
  return count;
}

/** Records a mark on an answer (idempotent). Returns the new mark's id, or null when the answer was marked already. */
export async function insertMark(tx: Tx, shop: string, answer: FollowUpAnswerRef, action: MarkAction, now: Date): Promise<number | null> {
  const existing = await tx.followUp.findUnique({
    where: { shop_responseId_kind: { shop, responseId: answer.responseId, kind: action } },
    select: { id: true },
  });
  if (existing) return null;
  const created = await tx.followUp.create({
    select: { id: true },
    data: {
      shop,
      responseId: answer.responseId,
      orderId: answer.orderId,
      customerId: answer.customerId,
      kind: action,
      trigger: null,
      status: "marked",
      createdAt: now,
      updatedAt: now,
    },
  });
  return created.id;
}

/** Records what a mark's Shopify Flow trigger came to (decision 044): "queued" with its outbox message, or "no-workflow". */
export async function recordMarkFlowOutcome(tx: Tx, shop: string, id: number, outcome: "queued" | "no-workflow", messageId: number | null): Promise<void> {
  await tx.followUp.updateMany({ where: { shop, id }, data: { flowOutcome: outcome, flowMessageId: messageId } });
}

/** Removes a mark (idempotent). Returns how many rows went (0 or 1). */
export async function deleteMark(shop: string, responseId: number, action: MarkAction, tx: Tx = prisma): Promise<number> {
  const { count } = await tx.followUp.deleteMany({ where: { shop, responseId, kind: action, status: "marked" } });
  return count;
}

/** Follow-ups per status (optionally of one kind). Serves from @@index([shop, status, createdAt]) without a kind. */
export async function countFollowUpsByStatus(shop: string): Promise<Record<string, number>> {
  const groups = await prisma.followUp.groupBy({
    by: ["status"],
    where: { shop },
    _count: { _all: true },
  });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
}

// ---------------------------------------------------------------------------------------------------------------
// The queue, keyset pages on (createdAt, id), newest first; read on the read connection (decision 017)

/** A queue row as read: the page's view of it (app/domain/followups/views.ts) with the raw trigger and instants. */
export type FollowUpRow = Omit<FollowUpView, "trigger" | "createdAt" | "updatedAt" | "resolvedAt" | "contact" | "overdue" | "overdueAt" | "firstContactAt" | "flow" | "noteLog" | "goodwill" | "earlierAnswers"> & {
  trigger: string | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  firstContactAt: Date | null;
  /** The customer's e-mail as the app holds it (Customer.email), and the answer's language. */
  email: string | null;
  locale: string | null;
  ownerUserId: string | null;
  flowOutcome: string | null;
  /** The status of the outbox message of a mark's Flow trigger (pending, delivered, failed), when one was queued. */
  flowMessageStatus: string | null;
};

const fullName = (first: string | null, last: string | null, email: string | null) =>
  [first, last].filter(Boolean).join(" ").trim() || email || null;

interface RawFollowUp extends RawAnswerWithNames {
  id: bigint | number;
  responseId: bigint | number;
  email: string | null;
  kind: string;
  trigger: string | null;
  status: string;
  owner: string | null;
  ownerUserId: string | null;
  notes: string | null;
  locale: string | null;
  updatedAt: Date | number | string;
  resolvedAt: Date | number | string | null;
  firstContactAt: Date | number | string | null;
  flowOutcome: string | null;
  flowMessageStatus: string | null;
}

/**
 * One page of follow-ups with their order name, customer name and the answer's scores and comment. With a status
 * it serves from @@index([shop, status, createdAt]).
 */
export async function listFollowUps(
  shop: string,
  filter: { status?: string; kind?: string },
  page: TimeIdPageRequest,
): Promise<FollowUpPage<FollowUpRow>> {
  const limit = pageLimit(page.limit);
  const where: Prisma.Sql[] = [Prisma.sql`f."shop" = ${shop}`];
  if (filter.status) where.push(Prisma.sql`f."status" = ${filter.status}`);
  if (filter.kind) where.push(Prisma.sql`f."kind" = ${filter.kind}`);
  const keys = timeIdKeyset(Prisma.sql`f`, page);
  if (keys.where) where.push(keys.where);
  const raw = await readSql().$queryRaw<RawFollowUp[]>`
    SELECT f."id", f."responseId", f."orderId", o."name" AS "orderName", f."customerId", c."firstName", c."lastName", c."email",
           f."kind", f."trigger", f."status", f."owner", f."ownerUserId", f."notes", r."nps", r."csat", r."ces", r."comment", r."locale",
           f."createdAt", f."updatedAt", f."resolvedAt", f."firstContactAt", f."flowOutcome", m."status" AS "flowMessageStatus"
    FROM "FollowUp" f
    LEFT JOIN "SurveyResponse" r ON r."shop" = f."shop" AND r."id" = f."responseId"
    LEFT JOIN "Order" o ON o."shop" = f."shop" AND o."id" = f."orderId"
    LEFT JOIN "Customer" c ON c."shop" = f."shop" AND c."id" = f."customerId"
    LEFT JOIN "OutboxMessage" m ON m."shop" = f."shop" AND m."id" = f."flowMessageId"
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY ${keys.order}
    LIMIT ${limit + 1}`;
  const rows = raw.map(
    (r): FollowUpRow => ({
      id: Number(r.id),
      responseId: Number(r.responseId),
      orderId: r.orderId,
      orderName: r.orderName,
      customerId: r.customerId,
      customerName: r.customerId ? fullName(r.firstName, r.lastName, r.email) : null,
      kind: r.kind,
      trigger: r.trigger,
      status: r.status,
      owner: r.owner,
      ownerUserId: r.ownerUserId,
      notes: r.notes,
      nps: sqlNullableNumber(r.nps),
      csat: sqlNullableNumber(r.csat),
      ces: sqlNullableNumber(r.ces),
      comment: r.comment,
      email: r.customerId ? r.email : null,
      locale: r.locale,
      createdAt: sqlStamp(r.createdAt),
      updatedAt: sqlStamp(r.updatedAt),
      resolvedAt: sqlDate(r.resolvedAt),
      firstContactAt: sqlDate(r.firstContactAt),
      flowOutcome: r.flowOutcome,
      flowMessageStatus: r.flowMessageStatus,
    }),
  );
  return timeIdPage(rows, limit, keys);
}

// ---------------------------------------------------------------------------------------------------------------
// Passives and promoters that can be marked (read connection)

/** An answer that can be marked, as read: its view with the instant as a Date, and its id for the keyset. */
export type MarkCandidateRow = Omit<MarkCandidateView, "createdAt"> & { createdAt: Date; id: number };

interface RawCandidate extends Omit<RawAnswerWithNames, "nps"> {
  id: bigint | number;
  email: string | null;
  nps: bigint | number;
  marks: string | null;
}

/**
 * Answers with NPS in [npsFrom, npsTo] and no unhappy CSAT (≤ `csatAbove`) or CES (≤ `cesAbove`), newest first, with
 * the actions marked on them. Serves from SurveyResponse @@index([shop, createdAt]).
 */
export async function listMarkCandidates(
  shop: string,
  filter: { npsFrom: number; npsTo: number; csatAbove: number; cesAbove: number },
  page: TimeIdPageRequest,
): Promise<FollowUpPage<MarkCandidateRow>> {
  const limit = pageLimit(page.limit);
  const keys = timeIdKeyset(Prisma.sql`r`, page);
  const where: Prisma.Sql[] = [
    Prisma.sql`r."shop" = ${shop}`,
    Prisma.sql`r."nps" BETWEEN ${filter.npsFrom} AND ${filter.npsTo}`,
    Prisma.sql`(r."csat" IS NULL OR r."csat" > ${filter.csatAbove})`,
    Prisma.sql`(r."ces" IS NULL OR r."ces" > ${filter.cesAbove})`,
  ];
  if (keys.where) where.push(keys.where);
  const raw = await readSql().$queryRaw<RawCandidate[]>`
    SELECT r."id", r."orderId", o."name" AS "orderName", r."customerId", c."firstName", c."lastName", c."email",
           r."nps", r."csat", r."ces", r."comment", r."createdAt",
           (SELECT string_agg(f."kind", ',') FROM "FollowUp" f
             WHERE f."shop" = r."shop" AND f."responseId" = r."id" AND f."status" = 'marked') AS "marks"
    FROM "SurveyResponse" r
    LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId"
    LEFT JOIN "Customer" c ON c."shop" = r."shop" AND c."id" = r."customerId"
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY ${keys.order}
    LIMIT ${limit + 1}`;
  const rows = raw.map(
    (r): MarkCandidateRow => ({
      id: Number(r.id),
      responseId: Number(r.id),
      orderId: r.orderId,
      orderName: r.orderName,
      customerId: r.customerId,
      customerName: r.customerId ? fullName(r.firstName, r.lastName, r.email) : null,
      nps: Number(r.nps),
      csat: sqlNullableNumber(r.csat),
      ces: sqlNullableNumber(r.ces),
      comment: r.comment,
      createdAt: sqlStamp(r.createdAt),
      marks: (r.marks ? r.marks.split(",") : []).filter(isMarkAction).sort(),
    }),
  );
  return timeIdPage(rows, limit, keys);
}

// ---------------------------------------------------------------------------------------------------------------
// A customer's follow-ups (the customer page; read connection)

/** A follow-up as the customer page shows it under its answer. */
interface CustomerFollowUpRow {
  id: number;
  responseId: number;
  kind: string;
  trigger: string | null;
  status: string;
  owner: string | null;
  notes: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

/**
 * Every follow-up of the shop's customer `customerId`, oldest first, through @@index([shop, customerId]): a handful
 * per answer at most. The follow-up and its answer carry the customer of the order, linked together
 * (linkFollowUpsToOrderCustomer).
 */
export async function followUpsOfCustomer(shop: string, customerId: string): Promise<CustomerFollowUpRow[]> {
  const rows = await readSql().$queryRaw<
    {
      id: bigint | number;
      responseId: bigint | number;
      kind: string;
      trigger: string | null;
      status: string;
      owner: string | null;
      notes: string | null;
      createdAt: Date | number | string;
      resolvedAt: Date | number | string | null;
    }[]
  >`
    SELECT f."id", f."responseId", f."kind", f."trigger", f."status", f."owner", f."notes", f."createdAt", f."resolvedAt"
    FROM "FollowUp" f
    WHERE f."shop" = ${shop} AND f."customerId" = ${customerId}
    ORDER BY f."createdAt", f."id"`;
  return rows.map((r) => ({
    id: Number(r.id),
    responseId: Number(r.responseId),
    kind: r.kind,
    trigger: r.trigger,
    status: r.status,
    owner: r.owner,
    notes: r.notes,
    createdAt: sqlStamp(r.createdAt),
    resolvedAt: sqlDate(r.resolvedAt),
  }));
}
