import { prisma, readSql } from "~/db.server";
import type { Tx } from "./transaction.server";

/**
 * Shopify Flow action runs (FlowActionRun), one per shop and Flow action run id: the first request of a run claims its
 * row in the transaction that applies the run, so a retry (even one arriving while the first is still applying) finds
 * the committed row and is answered the same, changing nothing. Every function takes `shop` first and scopes by it.
 */

export interface FlowActionRunRecord {
  handle: string;
  status: number;
  outcome: "applied" | "refused";
  detail: string;
  customerId: string | null;
  orderId: string | null;
  points: number | null;
  followUpStatus: string | null;
}

/**
 * Claims run `actionRunId` of `shop` in the caller's transaction: true when this transaction holds it now (nobody had
 * it), false when a run with this id exists. A concurrent claim of the same id waits on this one's uncommitted row
 * and then sees it (false), or takes the id if this transaction rolls back.
 */
export async function claimFlowActionRun(tx: Tx, shop: string, actionRunId: string, handle: string, now: Date): Promise<boolean> {
  const claimed = await tx.$executeRaw`
    INSERT INTO "FlowActionRun" ("shop", "actionRunId", "handle", "status", "outcome", "detail", "createdAt")
    VALUES (${shop}, ${actionRunId}, ${handle}, 0, 'claimed', '', ${now})
    ON CONFLICT ("shop", "actionRunId") DO NOTHING`;
  return claimed === 1;
}

/** Writes what a claimed run came to (same transaction as `claimFlowActionRun` and the run's effect). */
export async function recordFlowActionRun(tx: Tx, shop: string, actionRunId: string, run: FlowActionRunRecord): Promise<void> {
  await tx.flowActionRun.update({
    where: { shop_actionRunId: { shop, actionRunId } },
    data: {
      status: run.status,
      outcome: run.outcome,
      detail: run.detail,
      customerId: run.customerId,
      orderId: run.orderId,
      points: run.points,
      followUpStatus: run.followUpStatus,
    },
  });
}

/** A run as stored (committed), for a retry's answer; null when there is none. */
export async function findFlowActionRun(shop: string, actionRunId: string): Promise<FlowActionRunRecord | null> {
  const row = await prisma.flowActionRun.findUnique({ where: { shop_actionRunId: { shop, actionRunId } } });
  if (!row || (row.outcome !== "applied" && row.outcome !== "refused")) return null;
  return { ...row, outcome: row.outcome };
}

/** The Flow page's recent action runs, newest first (index shop, createdAt desc). */
export async function recentFlowActionRuns(shop: string, limit: number) {
  return readSql().$queryRaw<
    { actionRunId: string; handle: string; status: number; outcome: string; detail: string; customerId: string | null; orderId: string | null; createdAt: Date }[]
  >`
    SELECT "actionRunId", "handle", "status", "outcome", "detail", "customerId", "orderId", "createdAt"
    FROM "FlowActionRun" WHERE "shop" = ${shop}
    ORDER BY "createdAt" DESC, "actionRunId" DESC LIMIT ${limit}`;
}

/** The data export: the runs that named the customer, or one of the orders with no customer, oldest first, up to `limit`. */
export async function exportFlowActionRunRows(shop: string, customerId: string, orderIds: string[], limit: number) {
  return prisma.flowActionRun.findMany({
    where: { shop, OR: [{ customerId }, { customerId: null, orderId: { in: orderIds } }] },
    orderBy: [{ createdAt: "asc" }, { actionRunId: "asc" }],
    take: limit,
    select: { actionRunId: true, handle: true, outcome: true, detail: true, points: true, followUpStatus: true, orderId: true, createdAt: true },
  });
}
