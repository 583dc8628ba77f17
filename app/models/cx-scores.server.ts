import { Prisma } from "@prisma/client";
import { readSql } from "~/db.server";
import { bandOfBucket } from "~/domain/cx/value-bands";
import { sqlNumber } from "./sql-values";

/**
 * CX score counts, read from the daily rollups that PL/pgSQL triggers keep equal to the answers and orders
 * (prisma/migrations/20261203000100_cx_rollups/migration.sql, docs/decisions/011-cx-daily-rollups.md). Answers count on the UTC day they were
 * given (CxDaily); the response rate counts non-test orders on the UTC day they were placed (OrderDaily). Ranges
 * are whole UTC days: `from` and `to` (exclusive) are midnights.
 */
export interface AnswerCounts {
  answers: number;
  promoters: number;
  passives: number;
  detractors: number;
  csatAnswers: number;
  csatSatisfied: number;
  cesAnswers: number;
  cesSum: number;
  cesSumOfSquares: number;
  cesEasy: number;
}

export interface OrderResponseCounts {
  orders: number;
  answeredOrders: number;
}

const DAY_MS = 86_400_000;
// The order value bucket edges (VALUE_EDGES_MINOR, which the rollups migration's comment places here) and the bands
// built from them live in app/domain/cx/value-bands.ts.
/** The UTC day number of a midnight (days since 1970-01-01). */
export function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

const SUMS = Prisma.sql`
  SUM("answers") AS "answers", SUM("promoters") AS "promoters", SUM("passives") AS "passives", SUM("detractors") AS "detractors",
  SUM("csatAnswers") AS "csatAnswers", SUM("csatSatisfied") AS "csatSatisfied", SUM("cesAnswers") AS "cesAnswers",
  SUM("cesSum") AS "cesSum", SUM("cesSumOfSquares") AS "cesSumOfSquares", SUM("cesEasy") AS "cesEasy"`;

type CountRow = Record<string, bigint | number | string | null>;

function toCounts(row: CountRow | undefined): AnswerCounts {
  return {
    answers: sqlNumber(row?.answers),
    promoters: sqlNumber(row?.promoters),
    passives: sqlNumber(row?.passives),
    detractors: sqlNumber(row?.detractors),
    csatAnswers: sqlNumber(row?.csatAnswers),
    csatSatisfied: sqlNumber(row?.csatSatisfied),
    cesAnswers: sqlNumber(row?.cesAnswers),
    cesSum: sqlNumber(row?.cesSum),
    cesSumOfSquares: sqlNumber(row?.cesSumOfSquares),
    cesEasy: sqlNumber(row?.cesEasy),
  };
}

function addCounts(a: AnswerCounts, b: AnswerCounts): AnswerCounts {
  return Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof AnswerCounts] + b[k as keyof AnswerCounts]])) as unknown as AnswerCounts;
}

/** Counts of the answers given in [from, to). */
export async function answerCounts(shop: string, from: Date, to: Date): Promise<AnswerCounts> {
  const [row] = await readSql().$queryRaw<CountRow[]>`
    SELECT ${SUMS} FROM "CxDaily"
    WHERE "shop" = ${shop} AND "dimension" = 'all' AND "day" >= ${dayNumber(from)} AND "day" < ${dayNumber(to)}`;
  return toCounts(row);
}

/**
 * Counts per trend bucket: calendar months (UTC, "YYYY-MM") or 7-day weeks counted from `from` ("0", "1", …).
 * Returns only buckets with answers; the service fills the gaps.
 */
export async function answerCountsByBucket(
  shop: string,
  from: Date,
  to: Date,
  granularity: "week" | "month",
): Promise<(AnswerCounts & { bucket: string })[]> {
  const fromDay = dayNumber(from);
  // A day number is a UTC day: the epoch plus that many days, read in UTC. Weeks: integer division of two integers.
  const bucket =
    granularity === "month"
      ? Prisma.sql`to_char(timestamp '1970-01-01' + "day" * interval '1 day', 'YYYY-MM')`
      : Prisma.sql`(("day" - ${fromDay}::int) / 7)::text`;
  const rows = await readSql().$queryRaw<CountRow[]>`
    SELECT ${bucket} AS "bucket", ${SUMS} FROM "CxDaily"
    WHERE "shop" = ${shop} AND "dimension" = 'all' AND "day" >= ${fromDay} AND "day" < ${dayNumber(to)}
    GROUP BY 1 HAVING SUM("answers") > 0 ORDER BY 1`;
  return rows.map((row) => ({ ...toCounts(row), bucket: String(row.bucket) }));
}

export type SegmentDimension = "tier" | "customerType" | "orderValue" | "attribution" | "refund";

/**
 * Counts per segment of the answers given in [from, to). Segment keys: tier → the customer's current tier slug
 * ("" without one, "guest" without a customer); customerType → "new" (the answered order was their first),
 * "returning", or "guest"; orderValue → the band index (0…) of the order's shop-currency total against
 * `valueBandsMinor` (app/domain/cx/value-bands.ts; "unknown" before its webhook); attribution → the option id (""
 * when not answered); refund → "refund" when the answering customer has a refund on an order that is not a test or
 * cancelled (for a guest: on the answered order), else "none".
 * Sorted by answers, most first.
 */
export async function answerCountsBySegment(
  shop: string,
  from: Date,
  to: Date,
  dimension: SegmentDimension,
  valueBandsMinor: number[] = [],
): Promise<(AnswerCounts & { segment: string })[]> {
  const rows = await readSql().$queryRaw<CountRow[]>`
    SELECT "segment", ${SUMS} FROM "CxDaily"
    WHERE "shop" = ${shop} AND "dimension" = ${dimension} AND "day" >= ${dayNumber(from)} AND "day" < ${dayNumber(to)}
    GROUP BY "segment" HAVING SUM("answers") > 0`;
  let segments = rows.map((row) => ({ segment: String(row.segment), counts: toCounts(row) }));
  if (dimension === "orderValue") {
    const bands = new Map<string, AnswerCounts>();
    for (const { segment, counts } of segments) {
      const key = segment === "unknown" ? segment : String(bandOfBucket(Number(segment), valueBandsMinor));
      const seen = bands.get(key);
      bands.set(key, seen ? addCounts(seen, counts) : counts);
    }
    segments = [...bands].map(([segment, counts]) => ({ segment, counts }));
  }
  return segments
    .map(({ segment, counts }) => ({ ...counts, segment }))
    .sort((a, b) => b.answers - a.answers || a.segment.localeCompare(b.segment));
}

/** Non-test orders placed in [from, to), and how many of them have an answer. */
export async function orderResponseCounts(shop: string, from: Date, to: Date): Promise<OrderResponseCounts> {
  const [row] = await readSql().$queryRaw<{ orders: bigint | number | null; answeredOrders: bigint | number | null }[]>`
    SELECT SUM("orders") AS "orders", SUM("answeredOrders") AS "answeredOrders" FROM "OrderDaily"
    WHERE "shop" = ${shop} AND "day" >= ${dayNumber(from)} AND "day" < ${dayNumber(to)}`;
  return { orders: sqlNumber(row?.orders), answeredOrders: sqlNumber(row?.answeredOrders) };
}
