import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";

/**
 * CX score counts, aggregated in SQL. Answers are counted by when they were given (`SurveyResponse.createdAt`,
 * index [shop, createdAt]); the response rate by when orders were placed (`Order.placedAt`, index
 * [shop, placedAt], answers found through the unique [shop, orderId]). Test orders are left out.
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

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** The aggregate columns every score query selects, over answers aliased `r`. */
const COUNTS = Prisma.sql`
  COUNT(*) AS answers,
  SUM(r.nps >= 9) AS promoters,
  SUM(r.nps BETWEEN 7 AND 8) AS passives,
  SUM(r.nps <= 6) AS detractors,
  COUNT(r.csat) AS csatAnswers,
  SUM(r.csat >= 4) AS csatSatisfied,
  COUNT(r.ces) AS cesAnswers,
  SUM(r.ces) AS cesSum,
  SUM(r.ces * r.ces) AS cesSumOfSquares,
  SUM(r.ces >= 5) AS cesEasy`;

type CountRow = Record<string, bigint | number | string | null>;

function toCounts(row: CountRow | undefined): AnswerCounts {
  return {
    answers: num(row?.answers),
    promoters: num(row?.promoters),
    passives: num(row?.passives),
    detractors: num(row?.detractors),
    csatAnswers: num(row?.csatAnswers),
    csatSatisfied: num(row?.csatSatisfied),
    cesAnswers: num(row?.cesAnswers),
    cesSum: num(row?.cesSum),
    cesSumOfSquares: num(row?.cesSumOfSquares),
    cesEasy: num(row?.cesEasy),
  };
}

/** Counts of the answers given in [from, to). */
export async function answerCounts(shop: string, from: Date, to: Date): Promise<AnswerCounts> {
  const [row] = await prisma.$queryRaw<CountRow[]>`
    SELECT ${COUNTS}
    FROM "SurveyResponse" r
    WHERE r.shop = ${shop} AND r.createdAt >= ${from.getTime()} AND r.createdAt < ${to.getTime()}`;
  return toCounts(row);
}

/**
 * Counts per trend bucket: calendar months (UTC) or 7-day weeks counted from `from`. Returns only buckets
 * with answers; the service fills the gaps.
 */
export async function answerCountsByBucket(
  shop: string,
  from: Date,
  to: Date,
  granularity: "week" | "month",
): Promise<(AnswerCounts & { bucket: string })[]> {
  const bucket =
    granularity === "month"
      ? Prisma.sql`strftime('%Y-%m', r.createdAt / 1000, 'unixepoch')`
      : Prisma.sql`CAST((r.createdAt - ${from.getTime()}) / ${7 * 24 * 3600 * 1000} AS INTEGER)`;
  const rows = await prisma.$queryRaw<CountRow[]>`
    SELECT ${bucket} AS bucket, ${COUNTS}
    FROM "SurveyResponse" r
    WHERE r.shop = ${shop} AND r.createdAt >= ${from.getTime()} AND r.createdAt < ${to.getTime()}
    GROUP BY 1 ORDER BY 1`;
  return rows.map((row) => ({ ...toCounts(row), bucket: String(row.bucket) }));
}

export type SegmentDimension = "tier" | "customerType" | "orderValue" | "attribution";

/**
 * Counts per segment of the answers given in [from, to). Segment keys: tier → the customer's current tier slug
 * ("" without one, "guest" without a customer); customerType → "new" (the answered order was their first),
 * "returning", or "guest"; orderValue → the band index (0…) of the order's shop-currency total against
 * `valueBandsMinor` ("unknown" before its webhook); attribution → the option id ("" when not answered).
 */
export async function answerCountsBySegment(
  shop: string,
  from: Date,
  to: Date,
  dimension: SegmentDimension,
  valueBandsMinor: number[] = [],
): Promise<(AnswerCounts & { segment: string })[]> {
  let key: Prisma.Sql;
  let joins = Prisma.empty;
  if (dimension === "tier") {
    key = Prisma.sql`CASE WHEN r.customerId IS NULL THEN 'guest' ELSE COALESCE(c.tierSlug, '') END`;
    joins = Prisma.sql`LEFT JOIN "Customer" c ON c.shop = r.shop AND c.id = r.customerId`;
  } else if (dimension === "customerType") {
    key = Prisma.sql`CASE WHEN r.customerId IS NULL OR o.id IS NULL THEN 'guest'
      WHEN EXISTS (SELECT 1 FROM "Order" p WHERE p.shop = r.shop AND p.customerId = r.customerId AND p.placedAt < o.placedAt AND p.test = 0)
      THEN 'returning' ELSE 'new' END`;
    joins = Prisma.sql`LEFT JOIN "Order" o ON o.shop = r.shop AND o.id = r.orderId`;
  } else if (dimension === "orderValue") {
    const cases = valueBandsMinor.map((limit, i) => Prisma.sql`WHEN o.totalMinor < ${limit} THEN '${Prisma.raw(String(i))}'`);
    key = Prisma.sql`CASE WHEN o.id IS NULL THEN 'unknown' ${cases.length ? Prisma.join(cases, " ") : Prisma.empty} ELSE '${Prisma.raw(String(valueBandsMinor.length))}' END`;
    joins = Prisma.sql`LEFT JOIN "Order" o ON o.shop = r.shop AND o.id = r.orderId`;
  } else {
    key = Prisma.sql`COALESCE(r.attributionOption, '')`;
  }
  const rows = await prisma.$queryRaw<CountRow[]>`
    SELECT ${key} AS segment, ${COUNTS}
    FROM "SurveyResponse" r ${joins}
    WHERE r.shop = ${shop} AND r.createdAt >= ${from.getTime()} AND r.createdAt < ${to.getTime()}
    GROUP BY 1 ORDER BY 2 DESC`;
  return rows.map((row) => ({ ...toCounts(row), segment: String(row.segment) }));
}

/** Non-test orders placed in [from, to), and how many of them have an answer. */
export async function orderResponseCounts(shop: string, from: Date, to: Date): Promise<OrderResponseCounts> {
  const [row] = await prisma.$queryRaw<{ orders: bigint | number | null; answeredOrders: bigint | number | null }[]>`
    SELECT COUNT(*) AS orders, COUNT(r.id) AS answeredOrders
    FROM "Order" o
    LEFT JOIN "SurveyResponse" r ON r.shop = o.shop AND r.orderId = o.id
    WHERE o.shop = ${shop} AND o.placedAt >= ${from.getTime()} AND o.placedAt < ${to.getTime()} AND o.test = 0`;
  return { orders: num(row?.orders), answeredOrders: num(row?.answeredOrders) };
}
