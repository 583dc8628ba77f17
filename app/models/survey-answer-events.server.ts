import { prisma } from "~/db.server";
import { SURVEY_EDIT_WINDOW_MS as EDIT_WINDOW_MS } from "~/domain/survey/edit-window";
import { sqlNullableNumber } from "./sql-values";
import type { SqlTx } from "./transaction.server";

/**
 * An answer set's "Survey answer received" moment (decision 041): once per set, when it is complete or when its
 * 24-hour edit window closes (a shopper who left after some questions), never per answer. `flowDecidedAt` on
 * SurveyResponse records that the moment passed; these are the only statements that set it. Every function takes
 * `shop` first and scopes every statement by it.
 */

/** What the "Survey answer received" Flow trigger carries about a set. */
interface DecidedAnswerSet {
  orderId: string;
  customerId: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  attributionOption: string | null;
}

/**
 * Marks the moment of order `orderId`'s set as passed, in the caller's transaction, if it has come (the set is
 * complete, or was first answered at least 24 hours before `now`) and was not marked before. Returns the set when this
 * call marked it, null otherwise: the guard is in the statement, so of two transactions deciding the same set (the
 * shopper's last step and the sweep) exactly one gets it.
 */
export async function claimAnswerSetMoment(tx: SqlTx, shop: string, orderId: string, now: Date): Promise<DecidedAnswerSet | null> {
  const [row] = await tx.$queryRaw<(Omit<DecidedAnswerSet, "nps" | "csat" | "ces"> & { nps: unknown; csat: unknown; ces: unknown })[]>`
    UPDATE "SurveyResponse" SET "flowDecidedAt" = ${now}
    WHERE "shop" = ${shop} AND "orderId" = ${orderId} AND "flowDecidedAt" IS NULL
      AND ("completedAt" IS NOT NULL OR "createdAt" <= ${new Date(now.getTime() - EDIT_WINDOW_MS)})
    RETURNING "orderId", "customerId", "nps", "csat", "ces", "comment", "attributionOption"`;
  if (!row) return null;
  return { ...row, nps: sqlNullableNumber(row.nps), csat: sqlNullableNumber(row.csat), ces: sqlNullableNumber(row.ces) };
}

/**
 * The orders of `shop` whose set's moment has come but is not marked: completed before their order arrived (a
 * pending set, settled since), or left incomplete until the edit window closed. At most `limit`, oldest first.
 */
export async function undecidedAnswerSets(shop: string, now: Date, limit: number): Promise<string[]> {
  // serves from the partial index "SurveyResponse_flow_undecided_idx" (shop, createdAt) WHERE flowDecidedAt IS NULL:
  // it holds only the sets of about the last day, so the scan is short whatever the shop's history.
  const rows = await prisma.$queryRaw<{ orderId: string }[]>`
    SELECT "orderId" FROM "SurveyResponse"
    WHERE "shop" = ${shop} AND "flowDecidedAt" IS NULL
      AND ("completedAt" IS NOT NULL OR "createdAt" <= ${new Date(now.getTime() - EDIT_WINDOW_MS)})
    ORDER BY "createdAt"
    LIMIT ${limit}`;
  return rows.map((r) => r.orderId);
}

/** The shops holding sets whose moment is not marked yet, for the hourly sweep. */
export async function shopsWithUndecidedAnswerSets(): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ shop: string }[]>`SELECT DISTINCT "shop" FROM "SurveyResponse" WHERE "flowDecidedAt" IS NULL`;
  return rows.map((r) => r.shop);
}
