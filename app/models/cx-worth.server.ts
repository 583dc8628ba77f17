import { prisma } from "~/db.server";

/**
 * What the answers' customers did in the 90 days after answering, per NPS category, from the order facts:
 * the answered order's value, whether they ordered again, and the net revenue (orders minus their refunds, test
 * and cancelled orders left out) of the orders they placed in those 90 days. Answers without a customer or
 * without an NPS score are left out. Uses SurveyResponse[shop, createdAt] for the cohort and
 * Order[shop, customerId, placedAt] for each answer's following orders.
 */
export interface WorthRow {
  category: "promoter" | "passive" | "detractor";
  answers: number;
  customers: number;
  /** Sum of the answered orders' totals, shop-currency minor units (divide by `answers` for the average). */
  answeredOrdersMinor: number;
  /** Answers followed by at least one order within the window. */
  repeaters: number;
  /** Net revenue of the orders placed in the window after each answer, summed over answers. */
  followingNetMinor: number;
}

export const FOLLOW_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export async function worthByCategory(shop: string, from: Date, to: Date): Promise<WorthRow[]> {
  const rows = await prisma.$queryRaw<Record<string, bigint | number | string | null>[]>`
    WITH cohort AS (
      SELECT r.customerId,
             CASE WHEN r.nps >= 9 THEN 'promoter' WHEN r.nps >= 7 THEN 'passive' ELSE 'detractor' END AS category,
             COALESCE(o.totalMinor, 0) AS answeredMinor,
             (SELECT COUNT(*) FROM "Order" f
               WHERE f.shop = r.shop AND f.customerId = r.customerId AND f.test = 0 AND f.cancelledAt IS NULL
                 AND f.placedAt > r.createdAt AND f.placedAt <= r.createdAt + ${FOLLOW_WINDOW_MS}) AS following,
             (SELECT COALESCE(SUM(f.totalMinor - COALESCE((SELECT SUM(x.shopAmountMinor) FROM "Refund" x
                                                           WHERE x.shop = f.shop AND x.orderId = f.id), 0)), 0)
               FROM "Order" f
               WHERE f.shop = r.shop AND f.customerId = r.customerId AND f.test = 0 AND f.cancelledAt IS NULL
                 AND f.placedAt > r.createdAt AND f.placedAt <= r.createdAt + ${FOLLOW_WINDOW_MS}) AS followingNet
      FROM "SurveyResponse" r
      LEFT JOIN "Order" o ON o.shop = r.shop AND o.id = r.orderId
      WHERE r.shop = ${shop} AND r.createdAt >= ${from.getTime()} AND r.createdAt < ${to.getTime()}
        AND r.nps IS NOT NULL AND r.customerId IS NOT NULL
    )
    SELECT category, COUNT(*) AS answers, COUNT(DISTINCT customerId) AS customers,
           SUM(answeredMinor) AS answeredOrdersMinor, SUM(following > 0) AS repeaters, SUM(followingNet) AS followingNetMinor
    FROM cohort GROUP BY category`;
  return rows.map((row) => ({
    category: String(row.category) as WorthRow["category"],
    answers: num(row.answers),
    customers: num(row.customers),
    answeredOrdersMinor: num(row.answeredOrdersMinor),
    repeaters: num(row.repeaters),
    followingNetMinor: num(row.followingNetMinor),
  }));
}
