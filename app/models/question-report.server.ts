import { Prisma } from "@prisma/client";
import { readSql } from "~/db.server";
import type { AnswerSegment, AnswerSegmentDimension } from "~/domain/cx/answer-segment";
import type { AnswerValueCount } from "~/domain/survey/distribution";
import { likePattern, sqlJson, sqlNumber, sqlStamp } from "./sql-values";

/** The derived column each segment dimension reads (fixed identifiers, never from input). */
const SEGMENT_COLUMN: Record<AnswerSegmentDimension, Prisma.Sql> = {
  customerType: Prisma.raw(`r."segCustomerType"`),
  tier: Prisma.raw(`r."segTier"`),
  refund: Prisma.raw(`r."segRefund"`),
};

const segmentFilter = (segment: AnswerSegment | null) => (segment ? Prisma.sql`AND ${SEGMENT_COLUMN[segment.dimension]} = ${segment.value}` : Prisma.empty);

/**
 * (question, value) counts of the answers given in [from, to), in one statement over the range's answers (read by
 * SurveyResponse[shop, createdAt]): the built-in scores and the attribution option from their columns, the merchant's
 * questions from `customAnswers` (a rating, `{ optionId }`, or each of `{ optionIds }`). A row with value NULL is
 * the question's respondents. Text answers are not counted here.
 */
export async function answerValueCounts(shop: string, from: Date, to: Date, segment: AnswerSegment | null): Promise<AnswerValueCount[]> {
  const rows = await readSql().$queryRaw<{ question: string; value: string | null; count: unknown }[]>`
    WITH r AS (
      SELECT r."nps", r."csat", r."ces", r."attributionOption", r."customAnswers"
      FROM "SurveyResponse" r
      WHERE r."shop" = ${shop} AND r."createdAt" >= ${from} AND r."createdAt" < ${to} ${segmentFilter(segment)}
    ),
    pairs AS (
      SELECT 'nps' AS "question", r."nps"::text AS "value" FROM r WHERE r."nps" IS NOT NULL
      UNION ALL SELECT 'csat', r."csat"::text FROM r WHERE r."csat" IS NOT NULL
      UNION ALL SELECT 'ces', r."ces"::text FROM r WHERE r."ces" IS NOT NULL
      UNION ALL SELECT 'attribution', r."attributionOption" FROM r WHERE r."attributionOption" IS NOT NULL
      UNION ALL
      SELECT c."key", CASE jsonb_typeof(c."value") WHEN 'object' THEN c."value" ->> 'optionId' ELSE c."value" #>> '{}' END
      FROM r CROSS JOIN LATERAL jsonb_each(r."customAnswers") c
      WHERE jsonb_typeof(r."customAnswers") = 'object' AND NOT (c."value" ? 'optionIds')
    ),
    multi AS (
      SELECT c."key" AS "question", m."value"
      FROM r CROSS JOIN LATERAL jsonb_each(r."customAnswers") c CROSS JOIN LATERAL jsonb_array_elements_text(c."value" -> 'optionIds') m
      WHERE jsonb_typeof(r."customAnswers") = 'object' AND c."value" ? 'optionIds'
    )
    SELECT "question", "value", COUNT(*) AS "count" FROM pairs GROUP BY 1, 2
    UNION ALL SELECT "question", NULL, COUNT(*) FROM pairs GROUP BY 1
    UNION ALL SELECT "question", "value", COUNT(*) FROM multi GROUP BY 1, 2
    UNION ALL
    SELECT c."key", NULL, COUNT(*)
    FROM r CROSS JOIN LATERAL jsonb_each(r."customAnswers") c
    WHERE jsonb_typeof(r."customAnswers") = 'object' AND c."value" ? 'optionIds'
    GROUP BY 1`;
  return rows.map((row) => ({ question: row.question, value: row.value, count: sqlNumber(row.count) }));
}

interface TextAnswerRow {
  id: number;
  orderId: string;
  orderName: string | null;
  customerId: string | null;
  createdAt: Date;
  comment: string | null;
  attributionOther: string | null;
  /** Question id → the shopper's words (short text, or a choice's "Other"). */
  customText: Record<string, string>;
}

/** How many text answers the Reports page lists. */
const TEXT_ANSWERS = 50;

/**
 * The newest answer sets of [from, to) with words in them (a comment, an attribution "Other", a custom question's
 * text) that contain `search` (case-insensitive, literal), newest first, at most 50. Walks SurveyResponse[shop,
 * createdAt] newest first and stops at 50 matches.
 */
export async function searchTextAnswers(shop: string, from: Date, to: Date, search: string | null, segment: AnswerSegment | null): Promise<TextAnswerRow[]> {
  const match = search
    ? Prisma.sql`(r."comment" ILIKE ${likePattern(search)} ESCAPE '\\' OR r."attributionOther" ILIKE ${likePattern(search)} ESCAPE '\\'
        OR (jsonb_typeof(r."customText") = 'object'
            AND EXISTS (SELECT 1 FROM jsonb_each_text(r."customText") t WHERE t."value" ILIKE ${likePattern(search)} ESCAPE '\\')))`
    : Prisma.sql`(r."comment" IS NOT NULL OR r."attributionOther" IS NOT NULL OR (jsonb_typeof(r."customText") = 'object' AND r."customText" <> '{}'::jsonb))`;
  const rows = await readSql().$queryRaw<{ id: unknown; orderId: string; orderName: string | null; customerId: string | null; createdAt: unknown; comment: string | null; attributionOther: string | null; customText: unknown }[]>`
    SELECT r."id", r."orderId", o."name" AS "orderName", r."customerId", r."createdAt", r."comment", r."attributionOther", r."customText"
    FROM "SurveyResponse" r
    LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId"
    WHERE r."shop" = ${shop} AND r."createdAt" >= ${from} AND r."createdAt" < ${to} ${segmentFilter(segment)} AND ${match}
    ORDER BY r."createdAt" DESC, r."id" DESC
    LIMIT ${TEXT_ANSWERS}`;
  return rows.map((row) => {
    const text = sqlJson(row.customText);
    const customText: Record<string, string> = {};
    if (text !== null && typeof text === "object" && !Array.isArray(text)) {
      for (const [key, value] of Object.entries(text)) if (typeof value === "string") customText[key] = value;
    }
    return { id: Number(row.id), orderId: row.orderId, orderName: row.orderName, customerId: row.customerId, createdAt: sqlStamp(row.createdAt), comment: row.comment, attributionOther: row.attributionOther, customText };
  });
}
