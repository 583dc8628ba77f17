import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { pendingShops } from "./outbox.server";
import { sqlNumber } from "./sql-values";

/**
 * Bulk mirrors (docs/decisions/033-bulk-mirror.md): when a shop's mirror backlog is large, its customers' pending
 * outbox messages are taken out of the per-customer path (status `bulk`, `bulkOperationId` = the mirror) and sent as
 * Shopify bulk mutations, one stage after the other (tagsRemove, tagsAdd, metafieldsSet). While a mirror is open,
 * the outbox's claim skips every customer with a message in it (models/outbox.server.ts `claimDueMessages`), so no
 * other message of theirs is sent. When a stage's results come back its messages are delivered, failed, or given
 * back to the per-customer path (`pending`, due at once).
 *
 * One open mirror per shop (Shopify runs one bulk mutation per app and shop): the partial unique index
 * "BulkMirrorOperation_open_shop" is the start's conflict target. A mirror is advanced by whichever instance leases
 * it (`leaseOwner`, `leaseUntil`), as jobs are (decision 027).
 *
 * Every function takes `shop` first and scopes its query by it, except `shopsWithBulkMirrorWork`, the cross-shop
 * scan that finds which shops have mirror work at all.
 */
export type BulkMirrorStage = "tagsRemove" | "tagsAdd" | "metafieldsSet";
export const BULK_MIRROR_STAGES: readonly BulkMirrorStage[] = ["tagsRemove", "tagsAdd", "metafieldsSet"];

/**
 * A shop's backlog goes to a bulk mirror from this many customers waiting (with due pending messages and nothing in
 * flight). Below it the per-customer path is cheap enough (a few minutes of bucket) and keeps its ordering and
 * latency; above it, three calls per customer would hold the shop's bucket for long (500 customers: about 10,000
 * points, 100 s of a standard plan's restore rate, against a few calls and a minute or two of processing in bulk).
 */
export const BULK_MIRROR_MIN_CUSTOMERS = 500;
/** At most this many customers in one mirror (its largest JSONL file, one line per customer, stays near 20 MB, under Shopify's 100 MB). */
export const BULK_MIRROR_MAX_CUSTOMERS = 250_000;

export interface BulkMirror {
  id: number;
  shop: string;
  stage: BulkMirrorStage;
  status: "preparing" | "running" | "done" | "failed";
  shopifyId: string | null;
  customers: number;
  lines: number;
  costPoints: number;
}

export interface BulkMessage {
  id: number;
  operation: string;
  variables: Record<string, unknown>;
  subjectId: string;
  /** Still in the mirror (status `bulk`), not settled by an earlier stage. */
  open: boolean;
}

const OPEN = ["preparing", "running"];

function parseVariables(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The cross-shop scan (not scoped by shop, by nature): shops with an open mirror nobody holds at `now`, and shops
 * with at least `BULK_MIRROR_MIN_CUSTOMERS` due pending messages and no open mirror (the start counts customers).
 */
export async function shopsWithBulkMirrorWork(now: Date, minCustomers = BULK_MIRROR_MIN_CUSTOMERS): Promise<string[]> {
  const least = Math.max(1, minCustomers);
  // The shops with pending messages by a skip scan (`pendingShops`), and for each, its due messages counted only up to
  // `least`, in id order through the shop's pending messages (without the order, the planner walked every shop's due
  // messages by the status index, once per shop): a GROUP BY over the due messages read all of them on every tick.
  const rows = await prisma.$queryRaw<{ shop: string }[]>`
    WITH RECURSIVE ${pendingShops}
    SELECT "shop" FROM "BulkMirrorOperation"
    WHERE "status" IN ('preparing', 'running') AND ("leaseUntil" IS NULL OR "leaseUntil" <= ${now})
    UNION
    SELECT s."shop" FROM "shops" s
    WHERE s."shop" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "BulkMirrorOperation" o WHERE o."shop" = s."shop" AND o."status" IN ('preparing', 'running'))
      AND (SELECT count(*) FROM (SELECT 1 FROM "OutboxMessage" m
                                 WHERE m."shop" = s."shop" AND m."status" = 'pending' AND m."nextAttemptAt" <= ${now}
                                 ORDER BY m."id" LIMIT ${least}) d) >= ${least}
    ORDER BY 1`;
  return rows.map((r) => r.shop);
}

const MIRROR_COLUMNS = Prisma.raw(`"id", "shop", "stage", "status", "shopifyId", "customers", "lines", "costPoints"`);

function toMirror(row: Record<string, unknown>): BulkMirror {
  return {
    id: Number(row.id),
    shop: String(row.shop),
    stage: row.stage as BulkMirrorStage,
    status: row.status as BulkMirror["status"],
    shopifyId: typeof row.shopifyId === "string" ? row.shopifyId : null,
    customers: sqlNumber(row.customers),
    lines: sqlNumber(row.lines),
    costPoints: sqlNumber(row.costPoints),
  };
}

/** Leases the shop's open mirror to `owner` until `leaseUntil`, if nobody else holds it. Null when none or held. */
export async function leaseOpenMirror(shop: string, owner: string, now: Date, leaseUntil: Date): Promise<BulkMirror | null> {
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
    UPDATE "BulkMirrorOperation" SET "leaseOwner" = ${owner}, "leaseUntil" = ${leaseUntil}
    WHERE "shop" = ${shop} AND "status" IN ('preparing', 'running')
      AND ("leaseUntil" IS NULL OR "leaseUntil" <= ${now} OR "leaseOwner" = ${owner})
    RETURNING ${MIRROR_COLUMNS}`;
  return rows[0] ? toMirror(rows[0]) : null;
}

class NotEnough extends Error {}

/** How many customers have pending messages that are all due (none in flight, none waiting for a retry). */
function waitingCustomersSql(shop: string, now: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT count(*) AS "n" FROM (
      SELECT 1 FROM "OutboxMessage" m
      WHERE m."shop" = ${shop} AND m."status" = 'pending' AND m."subjectId" IS NOT NULL
      GROUP BY m."subjectId"
      HAVING bool_and(m."nextAttemptAt" <= ${now})
    ) AS "w"`;
}

/**
 * The customers a mirror started now would take, counted outside any transaction: the worker reads it before it
 * refreshes the table's statistics and starts the mirror (`startBulkMirror` counts again in its own snapshot).
 */
export async function countWaitingCustomers(shop: string, now: Date): Promise<number> {
  const [waiting] = await prisma.$queryRaw<{ n: unknown }[]>(waitingCustomersSql(shop, now));
  return sqlNumber(waiting?.n);
}

/** A mirror starts this long after the shop's last tier recompute ended, at the earliest. */
const RECOMPUTE_GRACE_SECONDS = 60;

/** Taking 250,000 customers' messages is one transaction of a few statements over up to 750,000 rows. */
const TAKE_TIMEOUTS = { maxWait: 10_000, timeout: 180_000 };

/**
 * Starts a bulk mirror for the shop, leased to `owner`, if it has none open and at least `minCustomers` customers
 * waiting: customers whose pending messages are all due (none in flight in the per-customer path, none waiting for a
 * retry), oldest first, up to `maxCustomers`. Their messages move to status `bulk` in the same transaction. Null when
 * another mirror is open (another instance started one: the unique index), a tier recompute of the shop is still
 * running or ended less than RECOMPUTE_GRACE_SECONDS ago, or too few customers wait.
 *
 * Safe against the per-customer claim running at the same moment: messages are locked `FOR UPDATE SKIP LOCKED` (a
 * claim locks its rows the same way, and stops its run before a row it could not lock), and afterwards, in a new
 * snapshot, a customer who still has a `pending` message (one a claim held, or queued meanwhile) is given back
 * whole: a customer's messages are all in the mirror or none is.
 */
export async function startBulkMirror(
  shop: string,
  owner: string,
  now: Date,
  leaseUntil: Date,
  { minCustomers = BULK_MIRROR_MIN_CUSTOMERS, maxCustomers = BULK_MIRROR_MAX_CUSTOMERS } = {},
): Promise<BulkMirror | null> {
  try {
    return await prisma.$transaction(async (tx) => {
      const created = await tx.$queryRaw<Record<string, unknown>[]>`
        INSERT INTO "BulkMirrorOperation" ("shop", "kind", "stage", "status", "startedAt", "leaseOwner", "leaseUntil")
        SELECT ${shop}, 'tier-mirror', 'tagsRemove', 'preparing', ${now}::timestamptz, ${owner}, ${leaseUntil}::timestamptz
        -- Not while a tier recompute is still queueing the shop's calls, nor in the minute after one ended: the mirror
        -- takes the whole backlog at once, and a merchant trying thresholds saves several times in a row (the mirror
        -- reduces each customer's calls to their net effect).
        WHERE NOT EXISTS (SELECT 1 FROM "Job" j
                          WHERE j."shop" = ${shop} AND j."kind" = 'tier-recompute'
                            AND (j."status" = 'running' OR j."finishedAt" > ${now}::timestamptz - make_interval(secs => ${RECOMPUTE_GRACE_SECONDS})))
        ON CONFLICT ("shop") WHERE "status" IN ('preparing', 'running') DO NOTHING
        RETURNING ${MIRROR_COLUMNS}`;
      if (!created[0]) return null;
      const mirror = toMirror(created[0]);
      // Counted first (a read), so that a shop whose backlog is many calls of few customers is not written every run.
      const [waiting] = await tx.$queryRaw<{ n: unknown }[]>(waitingCustomersSql(shop, now));
      if (sqlNumber(waiting?.n) < Math.max(1, minCustomers)) throw new NotEnough();
      await tx.$executeRaw`
        WITH "waiting" AS (
          SELECT m."subjectId" FROM "OutboxMessage" m
          WHERE m."shop" = ${shop} AND m."status" = 'pending' AND m."subjectId" IS NOT NULL
          GROUP BY m."subjectId"
          HAVING bool_and(m."nextAttemptAt" <= ${now})
          ORDER BY min(m."id")
          LIMIT ${maxCustomers}
        ), "locked" AS (
          SELECT m."id" FROM "OutboxMessage" m
          WHERE m."shop" = ${shop} AND m."status" = 'pending' AND m."nextAttemptAt" <= ${now}
            AND m."subjectId" IN (SELECT "subjectId" FROM "waiting")
          FOR UPDATE SKIP LOCKED
        )
        UPDATE "OutboxMessage" m SET "status" = 'bulk', "bulkOperationId" = ${mirror.id}
        WHERE m."id" IN (SELECT "id" FROM "locked")`;
      // A new statement, a new snapshot: customers with a message left pending go back whole.
      await tx.$executeRaw`
        UPDATE "OutboxMessage" m SET "status" = 'pending', "bulkOperationId" = NULL
        WHERE m."shop" = ${shop} AND m."bulkOperationId" = ${mirror.id} AND m."status" = 'bulk'
          AND EXISTS (SELECT 1 FROM "OutboxMessage" p
                      WHERE p."shop" = ${shop} AND p."status" = 'pending' AND p."subjectId" = m."subjectId")`;
      const [count] = await tx.$queryRaw<{ n: unknown }[]>`
        SELECT count(DISTINCT "subjectId") AS "n" FROM "OutboxMessage"
        WHERE "shop" = ${shop} AND "bulkOperationId" = ${mirror.id} AND "status" = 'bulk'`;
      const customers = sqlNumber(count?.n);
      if (customers < Math.max(1, minCustomers)) throw new NotEnough();
      await tx.$executeRaw`UPDATE "BulkMirrorOperation" SET "customers" = ${customers} WHERE "shop" = ${shop} AND "id" = ${mirror.id}`;
      return { ...mirror, customers };
    }, TAKE_TIMEOUTS);
  } catch (error) {
    if (error instanceof NotEnough) return null;
    throw error;
  }
}

/** Messages read per page by `bulkMessagePages` (a page holds a few MB of variables at most). */
export const BULK_MESSAGE_PAGE = 2_000;

/**
 * The mirror's messages of `operations` still in it (with `settled`, those it settled already too), in customer order
 * (`subjectId`, then `id`), a page at a time: a stage of 250,000 customers is planned without holding it in memory.
 * Each page is a range read of "OutboxMessage_shop_bulk_idx" after the previous page's last row.
 */
export async function* bulkMessagePages(
  shop: string,
  mirrorId: number,
  operations: readonly string[],
  settled: boolean,
  pageSize = BULK_MESSAGE_PAGE,
): AsyncGenerator<BulkMessage[]> {
  const statuses = settled ? ["bulk", "delivered", "failed"] : ["bulk"];
  let after: { subjectId: string; id: number } | null = null;
  for (;;) {
    const from: Prisma.Sql = after ? Prisma.sql`AND ("subjectId", "id") > (${after.subjectId}, ${after.id})` : Prisma.empty;
    const rows = await prisma.$queryRaw<{ id: number; operation: string; variables: string; subjectId: string; status: string }[]>`
      SELECT "id", "operation", "variables", "subjectId", "status" FROM "OutboxMessage"
      WHERE "shop" = ${shop} AND "bulkOperationId" = ${mirrorId} AND "status" = ANY (${statuses}::text[])
        AND "operation" = ANY (${operations as string[]}::text[]) ${from}
      ORDER BY "subjectId", "id"
      LIMIT ${pageSize}`;
    if (!rows.length) return;
    yield rows.map((r) => ({ id: r.id, operation: r.operation, variables: parseVariables(r.variables), subjectId: r.subjectId, open: r.status === "bulk" }));
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { subjectId: last.subjectId, id: last.id };
  }
}

/** Records a stage submitted to Shopify (held by `owner`): running, its operation id, lines and cost added. */
export async function recordStageRunning(shop: string, mirrorId: number, owner: string, shopifyId: string, lines: number, cost: number): Promise<boolean> {
  const updated = await prisma.bulkMirrorOperation.updateMany({
    where: { shop, id: mirrorId, leaseOwner: owner, status: { in: OPEN } },
    data: { status: "running", shopifyId, lines: { increment: lines }, costPoints: { increment: cost }, lastError: null },
  });
  return updated.count === 1;
}

/** Adds spent points (and an error to show, if any) to the mirror's account. */
export async function recordMirrorCall(shop: string, mirrorId: number, cost: number, error?: string): Promise<void> {
  await prisma.bulkMirrorOperation.updateMany({
    where: { shop, id: mirrorId },
    data: { costPoints: { increment: cost }, ...(error === undefined ? {} : { lastError: error }) },
  });
}

/** Moves the mirror to the next stage (preparing it), or, with none left, finishes it done. */
export async function advanceStage(shop: string, mirrorId: number, owner: string, next: BulkMirrorStage | null, now: Date): Promise<boolean> {
  const updated = await prisma.bulkMirrorOperation.updateMany({
    where: { shop, id: mirrorId, leaseOwner: owner, status: { in: OPEN } },
    data: next
      ? { stage: next, status: "preparing", shopifyId: null }
      : { status: "done", finishedAt: now, leaseOwner: null, leaseUntil: null },
  });
  return updated.count === 1;
}

/**
 * Ends the mirror failed (FAILED, CANCELED or EXPIRED at Shopify, or the shop uninstalled) and gives every message
 * still in it back to the per-customer path, due at `now` (or fails them with `failMessages`).
 */
export async function endMirrorFailed(shop: string, mirrorId: number, now: Date, error: string, failMessages?: string): Promise<number> {
  const [, messages] = await prisma.$transaction([
    prisma.bulkMirrorOperation.updateMany({
      where: { shop, id: mirrorId, status: { in: OPEN } },
      data: { status: "failed", finishedAt: now, lastError: error, leaseOwner: null, leaseUntil: null },
    }),
    failMessages === undefined
      ? prisma.outboxMessage.updateMany({
          where: { shop, bulkOperationId: mirrorId, status: "bulk" },
          data: { status: "pending", nextAttemptAt: now, bulkOperationId: null },
        })
      : prisma.outboxMessage.updateMany({
          where: { shop, bulkOperationId: mirrorId, status: "bulk" },
          data: { status: "failed", lastError: failMessages },
        }),
  ]);
  return messages.count;
}

/** Gives up the lease (the mirror waits for Shopify, or for a later try): any instance may advance it next. */
export async function releaseMirror(shop: string, mirrorId: number, owner: string): Promise<void> {
  await prisma.bulkMirrorOperation.updateMany({ where: { shop, id: mirrorId, leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null } });
}

/**
 * A stage's outcome for its messages: delivered (one attempt counted), failed with Shopify's message (kept for the
 * merchant, who can retry it), or back to the per-customer path (due at `now`). Only messages still in the mirror.
 */
export async function settleBulkMessages(
  shop: string,
  mirrorId: number,
  outcome: { delivered: number[]; failed: { id: number; error: string }[]; returned: number[] },
  now: Date,
): Promise<void> {
  // Arrays as single parameters (a stage may settle 250,000 messages; PostgreSQL takes at most 65,535 parameters).
  const failed = JSON.stringify(outcome.failed);
  await prisma.$transaction([
    prisma.$executeRaw`
      UPDATE "OutboxMessage" SET "status" = 'delivered', "deliveredAt" = ${now}, "attempts" = "attempts" + 1, "lastError" = NULL
      WHERE "shop" = ${shop} AND "bulkOperationId" = ${mirrorId} AND "status" = 'bulk' AND "id" = ANY (${outcome.delivered}::int[])`,
    prisma.$executeRaw`
      UPDATE "OutboxMessage" m SET "status" = 'failed', "attempts" = m."attempts" + 1, "lastError" = f."error"
      FROM jsonb_to_recordset(${failed}::jsonb) AS f("id" int, "error" text)
      WHERE m."shop" = ${shop} AND m."bulkOperationId" = ${mirrorId} AND m."status" = 'bulk' AND m."id" = f."id"`,
    prisma.$executeRaw`
      UPDATE "OutboxMessage" SET "status" = 'pending', "nextAttemptAt" = ${now}, "bulkOperationId" = NULL
      WHERE "shop" = ${shop} AND "bulkOperationId" = ${mirrorId} AND "status" = 'bulk' AND "id" = ANY (${outcome.returned}::int[])`,
  ]);
}
