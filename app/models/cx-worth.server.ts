import { readSql } from "~/db.server";
import { dayNumber } from "./cx-scores.server";
import { sqlNumber } from "./sql-values";

/**
 * What the answers' customers did in the 90 days after answering, per NPS category, from the order facts: the
 * answered order's value, whether they ordered again, and the net revenue (orders minus their refunds, test and
 * cancelled orders left out) of the orders they placed in those 90 days. Answers without a customer or without an
 * NPS score are left out. Read from CxWorthDaily, which PL/pgSQL triggers keep equal to the answers (the per-answer
 * figures live in SurveyResponse.answeredMinor / followOrders / followNetMinor; the window is the SQL's
 * `interval '90 days'`, prisma/migrations/20261203000100_cx_rollups/migration.sql).
 */
interface WorthRow {
  category: "promoter" | "passive" | "detractor";
  answers: number;
  /** Sum of the answered orders' totals, shop-currency minor units (divide by `answers` for the average). */
  answeredOrdersMinor: number;
  /** Answers followed by at least one order within the window. */
  repeaters: number;
  /** Net revenue of the orders placed in the window after each answer, summed over answers. */
  followingNetMinor: number;
}

export const FOLLOW_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;

/** The answers given on the UTC days [from, to) (midnights), per category. */
export async function worthByCategory(shop: string, from: Date, to: Date): Promise<WorthRow[]> {
  const rows = await readSql().$queryRaw<Record<string, bigint | number | string | null>[]>`
    SELECT "category", SUM("answers") AS "answers", SUM("answeredMinor") AS "answeredOrdersMinor", SUM("repeaters") AS "repeaters",
           SUM("followNetMinor") AS "followingNetMinor"
    FROM "CxWorthDaily"
    WHERE "shop" = ${shop} AND "day" >= ${dayNumber(from)} AND "day" < ${dayNumber(to)}
    GROUP BY "category" HAVING SUM("answers") > 0`;
  return rows.map((row) => ({
    category: String(row.category) as WorthRow["category"],
    answers: sqlNumber(row.answers),
    answeredOrdersMinor: sqlNumber(row.answeredOrdersMinor),
    repeaters: sqlNumber(row.repeaters),
    followingNetMinor: sqlNumber(row.followingNetMinor),
  }));
}
