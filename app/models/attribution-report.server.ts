import { readSql } from "~/db.server";
import type { AttributionCounts } from "~/domain/cx/attribution";
import { BAND_RANGES } from "~/domain/survey/score-bands";
import { sqlNumber } from "./sql-values";

interface Row {
  channel: string;
  tier: string;
  answers: unknown;
  orders: unknown;
  netMinor: string | null;
  refundedOrders: unknown;
  newCustomers: unknown;
  returningCustomers: unknown;
  customerAnswers: unknown;
  followNetMinor: string | null;
  promoters: unknown;
  passives: unknown;
  detractors: unknown;
}

const [PROMOTER_MIN] = BAND_RANGES.nps.promoter;
const [PASSIVE_MIN, PASSIVE_MAX] = BAND_RANGES.nps.passive;
const [, DETRACTOR_MAX] = BAND_RANGES.nps.detractor;

/**
 * The attribution report's counts: the answers given in [from, to), grouped by their attribution option ("" without
 * one) and the answering customer's tier now (SurveyResponse."segTier"), with what their orders brought in. One
 * statement: a range read of the answers by (shop, createdAt), each answered order by its key, its refunds from the
 * covering (shop, orderId, shopAmountMinor) index. Orders that are test orders or cancelled do not count as orders,
 * nor as a new or returning customer's; "new" and "returning", the 90-day revenue after the answer and the tier are
 * the answer's derived columns that the
 * rollup triggers keep (prisma/migrations/20261203000100_cx_rollups). Money sums come back as text: exact whatever
 * their size.
 */
export async function attributionCounts(shop: string, from: Date, to: Date): Promise<AttributionCounts[]> {
  const rows = await readSql().$queryRaw<Row[]>`
    SELECT COALESCE(r."attributionOption", '') AS "channel", r."segTier" AS "tier",
      COUNT(*) AS "answers",
      COUNT(o."id") AS "orders",
      SUM(o."totalMinor" - f."refundedMinor")::text AS "netMinor",
      COUNT(*) FILTER (WHERE o."id" IS NOT NULL AND f."refunds" > 0) AS "refundedOrders",
      COUNT(*) FILTER (WHERE o."id" IS NOT NULL AND r."segCustomerType" = 'new') AS "newCustomers",
      COUNT(*) FILTER (WHERE o."id" IS NOT NULL AND r."segCustomerType" = 'returning') AS "returningCustomers",
      COUNT(r."customerId") AS "customerAnswers",
      SUM(r."followNetMinor") FILTER (WHERE r."customerId" IS NOT NULL)::text AS "followNetMinor",
      COUNT(*) FILTER (WHERE r."nps" >= ${PROMOTER_MIN}) AS "promoters",
      COUNT(*) FILTER (WHERE r."nps" BETWEEN ${PASSIVE_MIN} AND ${PASSIVE_MAX}) AS "passives",
      COUNT(*) FILTER (WHERE r."nps" <= ${DETRACTOR_MAX}) AS "detractors"
    FROM "SurveyResponse" r
    LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId" AND NOT o."test" AND o."cancelledAt" IS NULL
    LEFT JOIN LATERAL (
      SELECT COUNT(*) AS "refunds", COALESCE(SUM(x."shopAmountMinor"), 0) AS "refundedMinor"
      FROM "Refund" x WHERE x."shop" = o."shop" AND x."orderId" = o."id"
    ) f ON TRUE
    WHERE r."shop" = ${shop} AND r."createdAt" >= ${from} AND r."createdAt" < ${to}
    GROUP BY 1, 2`;
  return rows.map((row) => ({
    channel: row.channel,
    tier: row.tier,
    answers: sqlNumber(row.answers),
    orders: sqlNumber(row.orders),
    netMinor: BigInt(row.netMinor ?? "0"),
    refundedOrders: sqlNumber(row.refundedOrders),
    newCustomers: sqlNumber(row.newCustomers),
    returningCustomers: sqlNumber(row.returningCustomers),
    customerAnswers: sqlNumber(row.customerAnswers),
    followNetMinor: BigInt(row.followNetMinor ?? "0"),
    promoters: sqlNumber(row.promoters),
    passives: sqlNumber(row.passives),
    detractors: sqlNumber(row.detractors),
  }));
}
