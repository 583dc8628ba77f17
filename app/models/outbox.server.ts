import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { sqlState } from "./sql-errors";
import { sqlNumber } from "./sql-values";
import type { SqlTx } from "./transaction.server";

/**
 * The durable outbox of Admin API calls that follow from events (tier tags, the loyalty metafield).
 *
 * - A message is written in the same transaction as the change that causes it (`enqueueOutbox(tx, …)`), so the
 *   call is queued if and only if the change commits.
 * - Per shop, messages are delivered strictly in id order: while the shop's oldest pending message waits for a
 *   retry, nothing after it is due (`dueMessages`). A tagsRemove therefore never overtakes the tagsAdd it undoes.
 * - A worker claims messages before calling Shopify by pushing `nextAttemptAt` to a lease (`claimDueMessages`, or
 *   `claimMessage` for one); a worker that dies mid-call leaves messages that become due again when the lease
 *   expires, and two workers (processes, app instances) never run the same message at the same time.
 * - `delivered` is final. `failed` is kept and shown to the merchant, who can put it back (`retryFailedMessage`).
 * - A large backlog is taken out of this path into a bulk mirror (models/bulk-mirror.server.ts, status `bulk`): while
 *   it is open, none of its customers' messages is claimed here; when it ends they are delivered, failed, or pending
 *   again.
 *
 * Every function takes `shop` first and scopes its query by it, except `shopsWithDueMessages`, the worker's
 * cross-shop scan that finds which shops have work at all.
 */
/**
 * `flowTriggerReceive`: a Shopify Flow trigger (services/flow-triggers.server.ts), variables `{ handle, payload }`.
 * `tierPerkSync`: a tier perk's segment or discount brought in line with its row (services/tier-perks.server.ts),
 * variables `{ kind, key }`; the call is decided when it runs.
 */
export type OutboxOperation = "tagsAdd" | "tagsRemove" | "metafieldsSet" | "flowTriggerReceive" | "tierPerkSync";
type OutboxStatus = "pending" | "delivered" | "failed";

export interface OutboxEnqueue {
  operation: OutboxOperation;
  variables: Record<string, unknown>;
  /** Pending messages with the same key are coalesced: the newest variables replace the queued ones. */
  coalesceKey?: string;
  /**
   * A Shopify Flow trigger's handle: the message is queued only if the shop's FlowTriggerUse says an enabled workflow
   * uses that trigger, decided inside the insert itself (a statement that queues a tier change's calls stays one).
   */
  onlyIfFlowTrigger?: string;
  /**
   * A Flow trigger's customer and order (exact digits), stored beside the payload so customers/redact and the data
   * export find the messages about a customer (models/privacy.server.ts).
   */
  customerId?: string | null;
  orderId?: string | null;
}

export interface DueMessage {
  id: number;
  operation: OutboxOperation;
  variables: Record<string, unknown>;
  attempts: number;
}

/**
 * The conflict clause of every outbox insert: the partial unique index "OutboxMessage_pending_coalesce_key" (migration
 * 20261203000200) holds at most one pending message per shop, coalesce key and operation; an insert that meets one
 * replaces its variables instead. Messages without a key are outside the index and never conflict.
 */
const COALESCE_CONFLICT = Prisma.sql`
    ON CONFLICT ("shop", "coalesceKey", "operation") WHERE "status" = 'pending' AND "coalesceKey" IS NOT NULL
    DO UPDATE SET "variables" = excluded."variables"`;

/**
 * The customer (gid) a message changes, from its variables: a tag call's `id`, a metafieldsSet's first `ownerId` (the
 * loyalty mirror sets one customer's metafield per message). Stored as "subjectId", so that the bulk mirror
 * (models/bulk-mirror.server.ts) can take a customer's messages together and the claim can skip customers inside an
 * open bulk mirror, in SQL.
 */
const SUBJECT_OF_VARIABLES = Prisma.sql`COALESCE(m."variables"::jsonb ->> 'id', m."variables"::jsonb -> 'metafields' -> 0 ->> 'ownerId')`;

const OPERATIONS: readonly string[] = ["tagsAdd", "tagsRemove", "metafieldsSet", "flowTriggerReceive", "tierPerkSync"] satisfies OutboxOperation[];

function parseVariables(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Queues Admin API calls inside the caller's transaction, in one statement, in array order (their ids follow it). A
 * message with a `coalesceKey` that meets a pending message with the same key and operation gives it its variables,
 * and that message keeps its id (its place in the order) and its retry schedule; otherwise a new message is due at
 * `now`. Race-free across transactions and instances: the insert's conflict target is the partial unique index on
 * pending (shop, coalesceKey, operation) (`COALESCE_CONFLICT`), so of two enqueues of one key at once the second waits
 * for the first and then updates its row. One INSERT may not meet the same conflicting row twice, so no two of the
 * messages may share a coalesce key and operation.
 */
export async function enqueueOutboxMany(tx: SqlTx, shop: string, messages: OutboxEnqueue[], now: Date): Promise<void> {
  if (!messages.length) return;
  const keys = messages.filter((m) => m.coalesceKey).map((m) => `${m.operation} ${m.coalesceKey}`);
  if (new Set(keys).size !== keys.length) throw new Error("enqueueOutboxMany: two messages share a coalesce key");
  await tx.$executeRaw`${outboxInsert(shop, messages, now)}`;
}

/**
 * The INSERT of `enqueueOutboxMany` as a fragment, for a statement that queues calls together with other writes (the
 * tier changes', models/loyalty.server.ts `recordTiersAndMirror`): messages in array order, coalesced on conflict.
 */
export function outboxInsert(shop: string, messages: OutboxEnqueue[], now: Date): Prisma.Sql {
  const queued = JSON.stringify(
    messages.map((m) => ({
      operation: m.operation,
      variables: JSON.stringify(m.variables),
      coalesceKey: m.coalesceKey ?? null,
      flowHandle: m.onlyIfFlowTrigger ?? null,
      customerId: m.customerId ?? null,
      orderId: m.orderId ?? null,
    })),
  );
  return Prisma.sql`
    INSERT INTO "OutboxMessage" ("shop", "operation", "variables", "coalesceKey", "status", "attempts", "nextAttemptAt", "createdAt", "subjectId", "customerId", "orderId")
    SELECT ${shop}::text, m."operation", m."variables", m."coalesceKey", 'pending', 0, ${now}::timestamptz, ${now}::timestamptz,
      ${SUBJECT_OF_VARIABLES}, m."customerId", m."orderId"
    FROM ROWS FROM (jsonb_to_recordset(${queued}::jsonb) AS ("operation" text, "variables" text, "coalesceKey" text, "flowHandle" text, "customerId" text, "orderId" text))
      WITH ORDINALITY AS m("operation", "variables", "coalesceKey", "flowHandle", "customerId", "orderId", "n")
    -- A Flow trigger only while an enabled workflow of the shop uses it (FlowTriggerUse's primary key).
    WHERE m."flowHandle" IS NULL
      OR EXISTS (SELECT 1 FROM "FlowTriggerUse" u WHERE u."shop" = ${shop}::text AND u."handle" = m."flowHandle" AND u."enabled")
    ORDER BY m."n"
    ${COALESCE_CONFLICT}`;
}

/**
 * The worker's cross-shop scan (not scoped by shop, by nature): shops whose oldest pending message is due at `now`
 * (the only shops a claim can take messages from).
 */
export async function shopsWithDueMessages(now: Date): Promise<string[]> {
  // The shops with pending messages, one probe each of OutboxMessage_shop_pending_idx, and of those the ones whose
  // oldest pending message is due: a claim (`claimDueMessages`) takes a shop's messages in id order and stops before
  // the first one not due, so a shop whose oldest is not due has nothing to claim. The cost follows the shops, not the
  // backlog: a DISTINCT over the due messages read every one of them (about 0.2 s a tick with a backlog of 1,100,000).
  const rows = await prisma.$queryRaw<{ shop: string }[]>`
    WITH RECURSIVE ${pendingShops}
    SELECT s."shop" FROM "shops" s
    WHERE s."shop" IS NOT NULL
      AND (SELECT m."nextAttemptAt" FROM "OutboxMessage" m
           WHERE m."shop" = s."shop" AND m."status" = 'pending' ORDER BY m."id" LIMIT 1) <= ${now}
    ORDER BY s."shop"`;
  return rows.map((r) => r.shop);
}

/**
 * CTE "shops": every shop with a pending message, in name order, each found by one probe of the partial index of
 * pending messages (OutboxMessage_shop_pending_idx) past the previous one: a skip scan, whose cost follows the number
 * of such shops, not of their messages. Ordered by (shop, id), the order only that index gives, so that the planner
 * does not take an index of every status instead and walk the delivered messages. Ends with a NULL row (filter it out).
 */
export const pendingShops = Prisma.sql`"shops" AS (
      (SELECT m."shop" FROM "OutboxMessage" m WHERE m."status" = 'pending' ORDER BY m."shop", m."id" LIMIT 1)
      UNION ALL
      SELECT (SELECT m."shop" FROM "OutboxMessage" m WHERE m."status" = 'pending' AND m."shop" > s."shop" ORDER BY m."shop", m."id" LIMIT 1)
      FROM "shops" s WHERE s."shop" IS NOT NULL
    )`;

/** Whether `operation` (as read from the table) is one the outbox knows how to run. */
export function isOutboxOperation(operation: string): operation is OutboxOperation {
  return OPERATIONS.includes(operation);
}

/**
 * The worker's claim: the shop's due messages, oldest first, up to `limit` and stopping before the first pending
 * message that is not due (as `dueMessages`), leased to this worker until `leaseUntil` (`nextAttemptAt`, as
 * `claimMessage`) and returned, in one statement. Rows are locked with `FOR UPDATE SKIP LOCKED`, so two workers
 * (processes, instances) never claim the same message; and only the unbroken run of due messages that this worker
 * could lock is claimed, so a message another transaction holds at that moment (a worker recording an outcome, an
 * event coalescing new variables into it) is never overtaken by the ones after it: per-shop delivery stays in id
 * order.
 */
export async function claimDueMessages(shop: string, now: Date, leaseUntil: Date, limit: number): Promise<DueMessage[]> {
  const rows = await prisma.$queryRaw<{ id: number; operation: string; variables: string; attempts: number }[]>`
    WITH "due" AS (
      SELECT m."id" FROM "OutboxMessage" m
      WHERE m."shop" = ${shop} AND m."status" = 'pending' AND m."nextAttemptAt" <= ${now}
        -- Not a customer inside an open bulk mirror (status 'bulk'): their later messages wait for it.
        AND NOT EXISTS (SELECT 1 FROM "OutboxMessage" b
                        WHERE b."shop" = ${shop} AND b."status" = 'bulk' AND b."subjectId" = m."subjectId")
        AND m."id" < COALESCE((SELECT min(b."id") FROM "OutboxMessage" b
                               WHERE b."shop" = ${shop} AND b."status" = 'pending' AND b."nextAttemptAt" > ${now}), 2147483647)
      ORDER BY m."id" LIMIT ${limit}
    ), "locked" AS (
      SELECT m."id" FROM "OutboxMessage" m
      WHERE m."id" IN (SELECT "id" FROM "due") AND m."shop" = ${shop} AND m."status" = 'pending' AND m."nextAttemptAt" <= ${now}
      ORDER BY m."id"
      FOR UPDATE SKIP LOCKED
    ), "run" AS (
      SELECT d."id" FROM "due" d
      WHERE d."id" < COALESCE((SELECT min(x."id") FROM "due" x WHERE x."id" NOT IN (SELECT "id" FROM "locked")), 2147483647)
    )
    UPDATE "OutboxMessage" m SET "nextAttemptAt" = ${leaseUntil}
    WHERE m."id" IN (SELECT "id" FROM "run") AND m."id" IN (SELECT "id" FROM "locked")
    RETURNING m."id", m."operation", m."variables", m."attempts"`;
  return rows
    .sort((a, b) => a.id - b.id)
    .map((r) => ({
      id: r.id,
      operation: r.operation as OutboxOperation,
      variables: parseVariables(r.variables),
      attempts: r.attempts,
    }));
}

/**
 * Gives claimed messages the worker did not get to back (due at `now`), unless their lease changed meanwhile:
 * after a retry was scheduled for an earlier message they wait behind it, in id order, without waiting out a lease.
 */
export async function releaseClaimedMessages(shop: string, ids: number[], leaseUntil: Date, now: Date): Promise<void> {
  if (!ids.length) return;
  // Rows locked in id order, as the claim takes them, so two workers releasing overlapping runs cannot deadlock.
  await prisma.$executeRaw`
    UPDATE "OutboxMessage" SET "nextAttemptAt" = ${now}
    WHERE "id" IN (
      SELECT "id" FROM "OutboxMessage"
      WHERE "shop" = ${shop} AND "id" = ANY (${ids}::int[]) AND "status" = 'pending' AND "nextAttemptAt" = ${leaseUntil}
      ORDER BY "id" FOR UPDATE)`;
}

/**
 * `sent`: the variables the worker actually sent. The outcome is recorded only if they are still the queued ones
 * (one conditional UPDATE, so a coalescing enqueue cannot slip in between); when an enqueue replaced them while the
 * call ran, the message stays pending and due at `now`, so the newest variables go out too.
 */
function sentFilter(sent: Record<string, unknown> | undefined) {
  return sent === undefined ? {} : { variables: JSON.stringify(sent) };
}

/** Makes the pending messages `ids` due at `now` (their variables were replaced while a call sent the old ones). */
async function release(shop: string, ids: number[], now: Date) {
  await prisma.$executeRaw`UPDATE "OutboxMessage" SET "nextAttemptAt" = ${now} WHERE "shop" = ${shop} AND "id" = ANY (${ids}::integer[]) AND "status" = 'pending'`;
}

/**
 * Marks pending messages delivered (final; counts the successful attempt), in one statement: a call that carried
 * several (a metafieldsSet of up to 25 customers) marks them together. Returns the ids marked; a message is not
 * marked when it is not pending any more or (with `variables`, what was sent) its variables were replaced while the
 * call ran, and such a replaced one is made due at once, so its newest variables go out too. Raw SQL: it runs for
 * every call the outbox makes, and a model query costs Prisma's query compiler about a millisecond of CPU.
 */
export async function markDeliveredGroup(shop: string, sent: { id: number; variables?: Record<string, unknown> }[], now: Date): Promise<Set<number>> {
  if (!sent.length) return new Set();
  const rows = JSON.stringify(sent.map((m) => ({ id: m.id, variables: m.variables === undefined ? null : sentFilter(m.variables).variables })));
  const marked = await prisma.$queryRaw<{ id: unknown }[]>`
    UPDATE "OutboxMessage" m SET "status" = 'delivered', "deliveredAt" = ${now}, "attempts" = m."attempts" + 1, "lastError" = NULL
    FROM jsonb_to_recordset(${rows}::jsonb) AS s("id" integer, "variables" text)
    WHERE m."shop" = ${shop} AND m."id" = s."id" AND m."status" = 'pending' AND (s."variables" IS NULL OR m."variables" = s."variables")
    RETURNING m."id"`;
  const done = new Set(marked.map((row) => sqlNumber(row.id)));
  const replaced = sent.filter((m) => m.variables !== undefined && !done.has(m.id)).map((m) => m.id);
  if (replaced.length) await release(shop, replaced, now);
  return done;
}

/** Records a failed attempt of a pending message and when to try again. */
export async function scheduleRetry(shop: string, id: number, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
  await prisma.outboxMessage.updateMany({
    where: { shop, id, status: "pending" },
    data: { attempts, nextAttemptAt, lastError: error },
  });
}

/**
 * Gives up on a pending message: it is kept as `failed`, with its reason, for the merchant to see and retry.
 * With `sent`, a message whose variables were replaced during the call is left pending, due at `now` (the run's
 * time, as `markDeliveredGroup` makes such a message due), and false is returned: the refusal was about variables
 * that are no longer queued.
 */
export async function markFailed(shop: string, id: number, attempts: number, error: string, now: Date, sent?: Record<string, unknown>): Promise<boolean> {
  const updated = await prisma.outboxMessage.updateMany({
    where: { shop, id, status: "pending", ...sentFilter(sent) },
    data: { status: "failed", attempts, lastError: error },
  });
  if (updated.count === 0 && sent !== undefined) await release(shop, [id], now);
  return updated.count === 1;
}

/** Marks every pending message of the shop failed with `reason` (e.g. the shop uninstalled the app). */
export async function failPendingMessages(shop: string, reason: string): Promise<number> {
  const updated = await prisma.outboxMessage.updateMany({
    where: { shop, status: "pending" },
    data: { status: "failed", lastError: reason },
  });
  return updated.count;
}

interface OutboxSummary {
  pending: number;
  delivered: number;
  failed: number;
  recentFailures: { id: number; operation: string; lastError: string | null; attempts: number; createdAt: Date }[];
}

/** Counts by status and the ten most recent failures, for the merchant. */
export async function outboxSummary(shop: string): Promise<OutboxSummary> {
  const [counts, recentFailures] = await Promise.all([
    prisma.outboxMessage.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    prisma.outboxMessage.findMany({
      where: { shop, status: "failed" },
      orderBy: { id: "desc" },
      take: 10,
      select: { id: true, operation: true, lastError: true, attempts: true, createdAt: true },
    }),
  ]);
  const count = (status: OutboxStatus | "bulk") => counts.find((c) => c.status === status)?._count._all ?? 0;
  // Messages inside an open bulk mirror are still on their way: pending, for the merchant.
  return { pending: count("pending") + count("bulk"), delivered: count("delivered"), failed: count("failed"), recentFailures };
}

/**
 * Puts a failed message back in the queue (attempts reset, due at `now`). Returns false when the message is not a
 * failed message of this shop, or when a newer message for the same thing (the same coalesce key, or the same
 * customer and tag) is queued or delivered: sending the old call now would overwrite newer state in Shopify.
 */
export async function retryFailedMessage(shop: string, id: number, now: Date): Promise<boolean> {
  const message = await prisma.outboxMessage.findFirst({
    where: { shop, id, status: "failed" },
    select: { id: true, operation: true, variables: true, coalesceKey: true },
  });
  if (!message || (await isSuperseded(shop, message))) return false;
  try {
    const updated = await prisma.outboxMessage.updateMany({
      where: { shop, id, status: "failed" },
      data: { status: "pending", attempts: 0, nextAttemptAt: now },
    });
    return updated.count === 1;
  } catch (error) {
    // An event queued a pending message with the same key since the check above: that one is newer and will be sent.
    if (sqlState(error) === "23505") return false;
    throw error;
  }
}

async function isSuperseded(shop: string, message: { id: number; operation: string; variables: string; coalesceKey: string | null }) {
  if (message.coalesceKey) {
    const newer = await prisma.outboxMessage.count({
      where: { shop, coalesceKey: message.coalesceKey, id: { gt: message.id }, status: { in: ["pending", "bulk", "delivered"] } },
    });
    return newer > 0;
  }
  if (message.operation !== "tagsAdd" && message.operation !== "tagsRemove") return false;
  const variables = parseVariables(message.variables);
  const tags = Array.isArray(variables.tags) ? variables.tags.filter((t): t is string => typeof t === "string") : [];
  if (typeof variables.id !== "string" || tags.length === 0) return false;
  // A later tagsAdd/tagsRemove of the same customer touching one of these tags decides that tag's state.
  // Served by the (shop, status, coalesceKey) index; the JSON test runs on that shop's later messages only.
  const [row] = await prisma.$queryRaw<{ n: unknown }[]>`
    SELECT COUNT(*) AS "n" FROM "OutboxMessage" m
    WHERE m."shop" = ${shop} AND m."status" IN ('pending', 'bulk', 'delivered') AND m."id" > ${message.id}
      AND m."operation" IN ('tagsAdd', 'tagsRemove')
      AND (m."variables"::jsonb ->> 'id') = ${variables.id}::text
      AND jsonb_exists_any(m."variables"::jsonb -> 'tags', ${tags}::text[])`;
  return sqlNumber(row?.n) > 0;
}

