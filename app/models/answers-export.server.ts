import { Prisma } from "@prisma/client";
import { readSql } from "~/db.server";
import type { TimeIdPosition } from "~/domain/cursor";
import type { ScoreBand, ScoreQuestion } from "~/domain/survey/score-bands";
import { scoreFilterSql } from "./score-filter";
import type { AnswerRead } from "./survey-responses.server";
import { sqlNullableNumber } from "./sql-values";

/**
 * Survey answers with their order and customer facts, read for the CSV export one keyset page at a time so a shop
 * with a million answers never has more than one page in memory. Scoped by `shop` in every join. Read on the read
 * connection (decision 017): each page on its own committed snapshot.
 */

export interface AnswersExportQuery {
  question?: ScoreQuestion;
  /** Applies only together with a question it belongs to. */
  band?: ScoreBand;
  /** Inclusive bounds on the answer time. */
  from?: Date;
  to?: Date;
}

export interface AnswerExportRow extends AnswerRead {
  id: number;
  createdAt: Date;
  orderId: string;
  /** Null for everything below while the order's webhook has not arrived. */
  orderName: string | null;
  /** Shop-currency minor units. */
  orderTotalMinor: number | null;
  currency: string | null;
  orderPlacedAt: Date | null;
  customerId: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  tierSlug: string | null;
  /** Shop-currency minor units. */
  lifetimeNetMinor: number | null;
  orderCount: number | null;
  /** Answers to custom questions by question id, and the shopper's words in them (JSON, decision 037). */
  customAnswers: unknown;
  customText: unknown;
}

type Raw = Record<keyof AnswerExportRow, unknown>;

const date = (value: unknown) => (value === null || value === undefined ? null : value instanceof Date ? value : new Date(value as number | string));
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/**
 * One page of at most `limit` answers after `after` (exclusive), newest first. The next page starts after the last
 * row returned; a page shorter than `limit` is the last one.
 */
export async function answersExportPage(
  shop: string,
  query: AnswersExportQuery,
  /** Where the previous page ended: pages go newest first, by `(createdAt desc, id desc)`. */
  after: TimeIdPosition | null,
  limit: number,
): Promise<AnswerExportRow[]> {
  const where: Prisma.Sql[] = [Prisma.sql`r."shop" = ${shop}`];
  if (query.question) where.push(scoreFilterSql(query.question, query.band));
  if (query.from) where.push(Prisma.sql`r."createdAt" >= ${query.from}`);
  if (query.to) where.push(Prisma.sql`r."createdAt" <= ${query.to}`);
  if (after) {
    // A row comparison: PostgreSQL bounds the index scan by its createdAt part and checks the id tie-break per row.
    where.push(Prisma.sql`(r."createdAt", r."id") < (${after.at}::timestamptz, ${after.id}::int)`);
  }
  // serves from @@index([shop, createdAt]), read backwards; rows of one instant are ordered by id as they are read
  // (incremental sort). Order and Customer are joined by their (shop, id) primary keys.
  const raw = await readSql().$queryRaw<Raw[]>`
    SELECT r."id", r."createdAt", r."orderId",
           o."name" AS "orderName", o."totalMinor" AS "orderTotalMinor", o."currency", o."placedAt" AS "orderPlacedAt",
           r."customerId", c."firstName", c."lastName", c."email", c."tierSlug", c."lifetimeNetMinor", c."orderCount",
           r."nps", r."csat", r."ces", r."attributionOption", r."attributionOther", r."comment", r."locale", r."surface",
           r."customAnswers", r."customText"
    FROM "SurveyResponse" r
    LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId"
    LEFT JOIN "Customer" c ON c."shop" = r."shop" AND c."id" = r."customerId"
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY r."createdAt" DESC, r."id" DESC
    LIMIT ${Math.max(1, Math.floor(limit))}`;
  return raw.map((r) => ({
    id: Number(r.id),
    createdAt: date(r.createdAt)!,
    orderId: String(r.orderId),
    orderName: text(r.orderName),
    orderTotalMinor: sqlNullableNumber(r.orderTotalMinor),
    currency: text(r.currency),
    orderPlacedAt: date(r.orderPlacedAt),
    customerId: text(r.customerId),
    firstName: text(r.firstName),
    lastName: text(r.lastName),
    email: text(r.email),
    tierSlug: text(r.tierSlug),
    lifetimeNetMinor: sqlNullableNumber(r.lifetimeNetMinor),
    orderCount: sqlNullableNumber(r.orderCount),
    nps: sqlNullableNumber(r.nps),
    csat: sqlNullableNumber(r.csat),
    ces: sqlNullableNumber(r.ces),
    attributionOption: text(r.attributionOption),
    attributionOther: text(r.attributionOther),
    comment: text(r.comment),
    locale: String(r.locale),
    surface: String(r.surface),
    customAnswers: r.customAnswers ?? null,
    customText: r.customText ?? null,
  }));
}
