import { readSql } from "~/db.server";
import { sqlDate, sqlNumber } from "./sql-values";

/**
 * The Survey page's response rate and per-question drop-off (decision 041), aggregated in SQL. A seen record counts
 * only for an order the shop's own webhooks stored (not a test order), so a made-up or another shop's order id
 * counts nowhere; an answer set counts as answered whatever it holds (a shopper who left after the first question
 * answered). Every function takes `shop` first and scopes every statement by it.
 */

interface ResponseRateCounts {
  /** The first time the shop's survey was reported seen; null when never. */
  firstSeenAt: Date | null;
  /** Seen orders in the period (distinct, either surface) and how many of them have answers, and complete ones. */
  seen: number;
  seenAnswered: number;
  seenCompleted: number;
  /** Before the first seen record: orders placed in the period and how many have answers. */
  ordersBefore: number;
  ordersBeforeAnswered: number;
}

/** Counts for [from, to). */
export async function responseRateCounts(shop: string, from: Date, to: Date): Promise<ResponseRateCounts> {
  // serves from SurveySeen @@index([shop, seenAt]) (the first seen time: the index's first entry for the shop; the
  // period's seen orders: a range), the Order and SurveyResponse primary/unique keys per order, and Order
  // @@index([shop, placedAt, test, customerId]) for the orders placed before seen data existed.
  const [row] = await readSql().$queryRaw<Record<string, unknown>[]>`
    WITH "first" AS (
      SELECT min(s."seenAt") AS "at" FROM "SurveySeen" s WHERE s."shop" = ${shop}
    ), "seen" AS (
      SELECT DISTINCT s."orderId" FROM "SurveySeen" s
      JOIN "Order" o ON o."shop" = s."shop" AND o."id" = s."orderId" AND NOT o."test"
      WHERE s."shop" = ${shop} AND s."seenAt" >= ${from} AND s."seenAt" < ${to}
    ), "seen_counts" AS (
      SELECT count(*) AS "seen", count(r."id") AS "answered", count(r."completedAt") AS "completed"
      FROM "seen" LEFT JOIN "SurveyResponse" r ON r."shop" = ${shop} AND r."orderId" = "seen"."orderId"
    ), "before_counts" AS (
      SELECT count(*) AS "orders", count(r."id") AS "answered"
      FROM "Order" o CROSS JOIN "first" f
      LEFT JOIN "SurveyResponse" r ON r."shop" = o."shop" AND r."orderId" = o."id"
      WHERE o."shop" = ${shop} AND NOT o."test" AND o."placedAt" >= ${from}
        AND o."placedAt" < LEAST(${to}::timestamptz, COALESCE(f."at", ${to}::timestamptz))
        -- an order placed before the first seen record but shown after it is counted once, as seen
        AND NOT EXISTS (SELECT 1 FROM "SurveySeen" s WHERE s."shop" = o."shop" AND s."orderId" = o."id")
    )
    SELECT f."at" AS "firstSeenAt", sc."seen", sc."answered" AS "seenAnswered", sc."completed" AS "seenCompleted",
      bc."orders" AS "ordersBefore", bc."answered" AS "ordersBeforeAnswered"
    FROM "first" f, "seen_counts" sc, "before_counts" bc`;
  return {
    firstSeenAt: sqlDate(row?.firstSeenAt),
    seen: sqlNumber(row?.seen),
    seenAnswered: sqlNumber(row?.seenAnswered),
    seenCompleted: sqlNumber(row?.seenCompleted),
    ordersBefore: sqlNumber(row?.ordersBefore),
    ordersBeforeAnswered: sqlNumber(row?.ordersBeforeAnswered),
  };
}

/** Per question key (a built-in type's name or a custom question's id): answer sets that reached it and answered it. */
interface QuestionReach {
  key: string;
  reached: number;
  answered: number;
}

/**
 * The answer sets of the orders seen in [from, to): how many reached each question (the extension reports the
 * questions it showed) and how many answered it, by question key.
 */
export async function questionReach(shop: string, from: Date, to: Date): Promise<QuestionReach[]> {
  const rows = await readSql().$queryRaw<{ key: string; reached: unknown; answered: unknown }[]>`
    WITH "seen" AS (
      SELECT DISTINCT s."orderId" FROM "SurveySeen" s
      JOIN "Order" o ON o."shop" = s."shop" AND o."id" = s."orderId" AND NOT o."test"
      WHERE s."shop" = ${shop} AND s."seenAt" >= ${from} AND s."seenAt" < ${to}
    ), "sets" AS (
      SELECT r."reached", r."nps", r."csat", r."ces", r."attributionOption", r."comment", r."customAnswers", r."customText"
      FROM "seen" JOIN "SurveyResponse" r ON r."shop" = ${shop} AND r."orderId" = "seen"."orderId"
    ), "reached" AS (
      SELECT k AS "key", count(*) AS "n" FROM "sets", unnest("sets"."reached") AS k GROUP BY k
    ), "answered" AS (
      SELECT 'nps' AS "key", count("nps") AS "n" FROM "sets"
      UNION ALL SELECT 'csat', count("csat") FROM "sets"
      UNION ALL SELECT 'ces', count("ces") FROM "sets"
      UNION ALL SELECT 'attribution', count("attributionOption") FROM "sets"
      UNION ALL SELECT 'comment', count("comment") FROM "sets"
      UNION ALL
      SELECT k, count(*) FROM "sets", jsonb_object_keys(COALESCE("sets"."customAnswers", '{}'::jsonb) || COALESCE("sets"."customText", '{}'::jsonb)) AS k
      GROUP BY k
    )
    SELECT COALESCE(a."key", r."key") AS "key", COALESCE(r."n", 0) AS "reached", COALESCE(a."n", 0) AS "answered"
    FROM "answered" a FULL JOIN "reached" r ON r."key" = a."key"`;
  return rows.map((r) => ({ key: r.key, reached: sqlNumber(r.reached), answered: sqlNumber(r.answered) }));
}
