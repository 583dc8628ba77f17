import { Prisma } from "@prisma/client";
import { prisma, readSql } from "~/db.server";
import type { OrderFacts, RefundFacts } from "~/domain/orders/order-payload";
import { settledRefundAmount, type StoredRefundAmount } from "~/domain/orders/refund-settlement";
import { opaqueShop, sqlDate, sqlJson, sqlNullableNumber, sqlNumber, sqlStamp } from "./sql-values";
import { sendAhead, type SqlTx } from "./transaction.server";

/**
 * Records that webhook `webhookId` is being applied for `shop`. Returns false when it was applied before (a repeat
 * delivery), in which case the caller must change nothing. The row count of `INSERT … ON CONFLICT DO NOTHING`
 * decides: a second delivery of the same id racing in another transaction waits on the first one's key and then
 * finds it (or takes over if the first rolled back). A delivery that writes an order or one of its refunds is
 * claimed by the statement that writes it instead (`upsertOrdersIfNewer`, `insertRefunds`), under the order's lock
 * (`lockOrders`).
 */
export async function claimWebhookDelivery(tx: SqlTx, shop: string, webhookId: string, topic: string): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "WebhookDelivery" ("shop", "webhookId", "topic", "receivedAt")
    VALUES (${shop}, ${webhookId}, ${topic}, ${new Date()})
    ON CONFLICT ("shop", "webhookId") DO NOTHING`;
  return inserted === 1;
}

/**
 * Takes the order lock of each of `orderIds` for the rest of the transaction: a transaction-level advisory lock per
 * order, keyed `hashtextextended(shop || ' order ' || orderId, 0)`, each order once and in id order (so two
 * transactions locking overlapping orders take them in the same order). Every event that writes an order or one of
 * its refunds takes it, so one order's events run one after the other across transactions and app instances, and the
 * statements that follow (each with a snapshot taken after the lock) read the state the previous event committed.
 * Sent ahead, its answer not waited for (`sendAhead`): the write that follows (`upsertOrdersIfNewer`,
 * `insertRefunds`, which claim the deliveries) travels with it, and PostgreSQL runs it only once the locks are held.
 */
export function lockOrders(tx: SqlTx, shop: string, orderIds: string[]): Promise<void> {
  if (!orderIds.length) return Promise.resolve();
  return sendAhead(
    tx,
    () => tx.$queryRaw`
      SELECT count(pg_advisory_xact_lock(hashtextextended(${shop}::text || ' order ' || s."orderId", 0))) AS "taken"
      FROM (SELECT DISTINCT u AS "orderId" FROM unnest(${orderIds}::text[]) AS u ORDER BY 1) AS s`,
  );
}

/** The delivery that brings an order or a refund: claimed by the statement that writes it. */
interface OrderDelivery {
  /** X-Shopify-Webhook-Id. */
  webhookId: string;
  topic: string;
}

/**
 * The CTEs that claim the deliveries of a write's `"input"` rows (their `"webhookId"`, `"topic"` and ordinal `"n"`)
 * as `claimWebhookDelivery` does, and `"fresh"`: the rows whose delivery this statement claimed (a repeat delivery's
 * row is left out, and nothing of it is written). A repeat racing in another transaction waits on the first one's
 * key and then finds it (or takes over if the first rolled back).
 */
function deliveryClaims(shop: string, now: Date): Prisma.Sql {
  return Prisma.sql`"claimed" AS (
      INSERT INTO "WebhookDelivery" ("shop", "webhookId", "topic", "receivedAt")
      SELECT ${shop}::text, i."webhookId", i."topic", ${now}::timestamptz FROM "input" i
      ORDER BY i."n"
      ON CONFLICT ("shop", "webhookId") DO NOTHING
      RETURNING "webhookId"
    ), "fresh" AS MATERIALIZED (
      SELECT i.* FROM "input" i WHERE i."webhookId" IN (SELECT c."webhookId" FROM "claimed" c)
    )`;
}

/** One delivery per row; no webhook id may appear twice. */
function checkedDeliveries(what: string, rows: number, deliveries: OrderDelivery[]): OrderDelivery[] {
  if (deliveries.length !== rows) throw new Error(`${what}: one delivery per row expected`);
  if (new Set(deliveries.map((d) => d.webhookId)).size !== rows) throw new Error(`${what}: a webhook id appears twice`);
  return deliveries;
}

/** An order as the loyalty bookkeeping and the refund conversion read it. */
interface StoredOrder {
  id: string;
  customerId: string | null;
  currency: string;
  presentmentCurrency: string;
  totalMinor: number;
  presentmentTotalMinor: number;
  test: boolean;
  cancelledAt: Date | null;
  placedAt: Date;
}

/** A stored refund with its amounts as paid and in shop currency. */
interface StoredRefund extends StoredRefundAmount {
  id: string;
  amountMinor: number;
  shopAmountMinor: number | null;
  createdAt: Date;
}

/** One ledger row of an order (what it earned, what refunds, cancellation and transfers moved). */
interface OrderLedgerRow {
  customerId: string;
  kind: string;
  points: number;
  sourceKey: string;
}

/**
 * What an order event needs to know after writing, read in the same statement as the write (one round trip):
 * the order, its refunds, its ledger rows and the shop's saved program. Valid because the event holds the order's
 * lock (`claimWebhookDelivery`), taken in an earlier statement.
 */
export interface OrderState {
  order: StoredOrder | null;
  refunds: StoredRefund[];
  ledger: OrderLedgerRow[];
  /** The saved loyalty program, as stored (validated by the caller), or null. */
  program: { raw: unknown; version: number } | null;
}

export type OrderWriteResult =
  | { outcome: "duplicate" }
  | { outcome: "stale" }
  | {
      outcome: "created" | "updated";
      /** The customer the stored version named (null for a guest order, or when there was none). */
      previousCustomerId: string | null;
      /** The order's customer as locked by this statement (their tier and balance before this event), or null. */
      customer: { tierSlug: string | null; pointsBalance: number } | null;
      /** Whether a survey answer (stored or pending) exists for the order: only then is it linked. */
      surveyed: boolean;
      state: OrderState;
    };

type RawRow = Record<string, unknown>;

function storedOrder(row: RawRow): StoredOrder {
  return {
    id: String(row.id),
    customerId: (row.customerId as string | null) ?? null,
    currency: String(row.currency),
    presentmentCurrency: String(row.presentmentCurrency),
    totalMinor: sqlNumber(row.totalMinor),
    presentmentTotalMinor: sqlNumber(row.presentmentTotalMinor),
    test: Boolean(row.test),
    cancelledAt: sqlDate(row.cancelledAt),
    placedAt: sqlStamp(row.placedAt),
  };
}

function storedRefunds(value: unknown): StoredRefund[] {
  const rows = (sqlJson(value) as RawRow[] | null) ?? [];
  return rows
    .map((r) => ({
      id: String(r.id),
      amountMinor: sqlNumber(r.amountMinor),
      currency: (r.currency as string | null) ?? null,
      amountDecimal: (r.amountDecimal as string | null) ?? null,
      shopAmountMinor: sqlNullableNumber(r.shopAmountMinor),
      createdAt: sqlStamp(r.createdAt),
    }))
    .sort(madeFirst);
}

/** Refunds in the order they were made; by id when made at the same instant. */
function madeFirst(a: StoredRefund, b: StoredRefund): number {
  const byInstant = a.createdAt.getTime() - b.createdAt.getTime();
  if (byInstant !== 0) return byInstant;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

function ledgerRows(value: unknown): OrderLedgerRow[] {
  const rows = (sqlJson(value) as RawRow[] | null) ?? [];
  return rows.map((r) => ({
    customerId: String(r.customerId),
    kind: String(r.kind),
    points: sqlNumber(r.points),
    sourceKey: String(r.sourceKey),
  }));
}

function storedProgram(value: unknown): { raw: unknown; version: number } | null {
  const row = sqlJson(value) as RawRow | null;
  if (!row) return null;
  return {
    raw: {
      basis: row.basis,
      window: row.window,
      pointsPerUnit: row.pointsPerUnit,
      tiers: JSON.parse(String(row.tiers)) as unknown,
      pending: { enabled: row.pendingPoints === true, maxDays: row.pendingMaxDays },
    },
    version: sqlNumber(row.version),
  };
}

/** A refund row `r` as the JSON an order's state carries (`storedRefunds` reads it). */
const REFUND_JSON = Prisma.sql`json_build_object('id', r."id", 'amountMinor', r."amountMinor", 'currency', r."currency",
  'amountDecimal', r."amountDecimal", 'shopAmountMinor', r."shopAmountMinor", 'createdAt', r."createdAt")`;

/** The ledger rows of the order whose id is `orderId` (an SQL expression) as JSON (`ledgerRows` reads it). */
function orderLedgerJson(shop: Prisma.Sql, orderId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT json_agg(json_build_object('customerId', l."customerId", 'kind', l."kind", 'points', l."points", 'sourceKey', l."sourceKey"))
         FROM "PointsLedger" l WHERE l."shop" = ${shop} AND l."orderId" = ${orderId})`;
}

/** The shop's saved program as JSON (`storedProgram` reads it), or null. */
function programJson(shop: string): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object('basis', p."basis", 'window', p."window", 'pointsPerUnit', p."pointsPerUnit", 'tiers', p."tiers", 'version', p."version",
           'pendingPoints', p."pendingPoints", 'pendingMaxDays', p."pendingMaxDays")
         FROM "LoyaltyProgram" p WHERE p."shop" = ${shop})`;
}

/** An order version as the batch upsert reads it (one element of its JSON input). */
function orderRecord(order: OrderFacts, delivery: OrderDelivery) {
  return {
    webhookId: delivery.webhookId,
    topic: delivery.topic,
    id: order.id,
    name: order.name,
    customerId: order.customer?.id ?? null,
    firstName: order.customer?.firstName ?? null,
    lastName: order.customer?.lastName ?? null,
    email: order.customer?.email ?? null,
    currency: order.currency,
    presentmentCurrency: order.presentmentCurrency,
    totalMinor: order.totalMinor,
    presentmentTotalMinor: order.presentmentTotalMinor,
    financialStatus: order.financialStatus,
    test: order.test,
    cancelledAt: order.cancelledAt,
    placedAt: order.placedAt,
    updatedAt: order.updatedAt,
    lineItemCount: order.lineItems.reduce((n, li) => n + li.quantity, 0),
    fulfilledAt: order.fulfilledAt,
    deliveredAt: order.deliveredAt,
    lineItems: order.lineItems,
  };
}

/**
 * Stores order versions unless a newer version (by Shopify's updated_at) is stored, all in ONE statement (a group of
 * webhook events sends its orders together): the version guard is the `ON CONFLICT … DO UPDATE … WHERE` of the
 * orders' upsert (so the newest version wins even when two transactions race), and the line items, the customers'
 * rows and the reads the loyalty bookkeeping needs hang off it as CTEs. An order's line items are replaced (upserted,
 * the others deleted) only when its row was written by this statement. A customer's upsert takes their row lock,
 * which serialises their facts and balance recomputation (done in a later statement, which therefore sees every
 * committed order of theirs). An equal updated_at is applied again (the delivery that arrives last wins a tie).
 * Rows are written in order id order; no order id may appear twice (a customer may: the last order's name wins).
 * The same statement first claims each order's delivery (`deliveries`, one per order), and an order whose delivery
 * was claimed before comes back `duplicate`, nothing of it written (a group's claims and writes are one round trip).
 * The caller holds each order's lock (`lockOrders`). Returns one result per order, in `orders`' order.
 */
export async function upsertOrdersIfNewer(tx: SqlTx, shop: string, orders: OrderFacts[], deliveries: OrderDelivery[]): Promise<OrderWriteResult[]> {
  if (!orders.length) return [];
  if (new Set(orders.map((o) => o.id)).size !== orders.length) throw new Error("upsertOrdersIfNewer: an order id appears twice");
  const claims = checkedDeliveries("upsertOrdersIfNewer", orders.length, deliveries);
  const now = new Date();
  const key = opaqueShop(shop);
  const records = JSON.stringify(orders.map((order, i) => orderRecord(order, claims[i]!)));
  const rows = await tx.$queryRaw<RawRow[]>`
    WITH "input" AS MATERIALIZED (
      SELECT * FROM ROWS FROM (jsonb_to_recordset(${records}::jsonb) AS ("webhookId" text, "topic" text, "id" text, "name" text,
        "customerId" text, "firstName" text, "lastName" text, "email" text, "currency" text, "presentmentCurrency" text,
        "totalMinor" bigint, "presentmentTotalMinor" bigint, "financialStatus" text, "test" boolean, "cancelledAt" timestamptz,
        "placedAt" timestamptz, "updatedAt" timestamptz, "lineItemCount" integer, "fulfilledAt" timestamptz,
        "deliveredAt" timestamptz, "lineItems" jsonb)) WITH ORDINALITY AS i("webhookId", "topic", "id", "name", "customerId", "firstName",
        "lastName", "email", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor", "financialStatus", "test",
        "cancelledAt", "placedAt", "updatedAt", "lineItemCount", "fulfilledAt", "deliveredAt", "lineItems", "n")
    ), ${deliveryClaims(shop, now)}, "prev" AS (
      -- Each order looked up by its key, never joined: a join's plan depends on the statistics, and a stale or
      -- generic plan read every order of the shop (docs/decisions/053-pipelined-group-commit.md). LIMIT keeps the
      -- planner from turning the lateral lookup back into a join. Every lookup names the shop through opaqueShop: a shop
      -- the statistics do not know would make any index leading with the shop look as good as the key (decision 054).
      SELECT p."id", p."customerId" FROM "fresh" i
      CROSS JOIN LATERAL (SELECT o."id", o."customerId" FROM "Order" o WHERE o."shop" = ${key} AND o."id" = i."id" LIMIT 1) p
    ), "ord" AS (
      INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor",
        "financialStatus", "test", "cancelledAt", "placedAt", "shopifyUpdatedAt", "lineItemCount", "fulfilledAt", "deliveredAt", "createdAt")
      SELECT ${shop}::text, i."id", i."name", i."customerId", i."currency", i."presentmentCurrency", i."totalMinor", i."presentmentTotalMinor",
        i."financialStatus", i."test", i."cancelledAt", i."placedAt", i."updatedAt", i."lineItemCount", i."fulfilledAt", i."deliveredAt",
        ${now}::timestamptz
      FROM "fresh" i ORDER BY i."id"
      ON CONFLICT ("shop", "id") DO UPDATE SET
        "name" = excluded."name", "customerId" = excluded."customerId", "currency" = excluded."currency",
        "presentmentCurrency" = excluded."presentmentCurrency", "totalMinor" = excluded."totalMinor",
        "presentmentTotalMinor" = excluded."presentmentTotalMinor", "financialStatus" = excluded."financialStatus",
        "test" = excluded."test", "cancelledAt" = excluded."cancelledAt", "placedAt" = excluded."placedAt",
        "shopifyUpdatedAt" = excluded."shopifyUpdatedAt", "lineItemCount" = excluded."lineItemCount",
        "fulfilledAt" = excluded."fulfilledAt", "deliveredAt" = excluded."deliveredAt"
      WHERE "Order"."shopifyUpdatedAt" <= excluded."shopifyUpdatedAt"
      RETURNING "id", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor", "test", "cancelledAt", "placedAt"
    ), "lines" AS (
      INSERT INTO "OrderLineItem" ("shop", "orderId", "id", "productId", "title", "quantity", "priceMinor")
      SELECT DISTINCT ON (o."id", j."id") ${shop}::text, o."id", j."id", j."productId", j."title", j."quantity", j."priceMinor"
      FROM "ord" o JOIN "fresh" i ON i."id" = o."id"
      CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(i."lineItems") AS ("id" text, "productId" text, "title" text, "quantity" integer,
        "priceMinor" bigint)) WITH ORDINALITY AS j("id", "productId", "title", "quantity", "priceMinor", "n")
      ORDER BY o."id", j."id", j."n"
      ON CONFLICT ("shop", "orderId", "id") DO UPDATE SET
        "productId" = excluded."productId", "title" = excluded."title", "quantity" = excluded."quantity", "priceMinor" = excluded."priceMinor"
    ), "gone" AS (
      -- By key too, like "prev".
      DELETE FROM "OrderLineItem" l
      WHERE l."shop" = ${key} AND l."orderId" = ANY (ARRAY(SELECT o."id" FROM "ord" o))
        AND NOT EXISTS (SELECT 1 FROM "fresh" i CROSS JOIN jsonb_array_elements(i."lineItems") AS e WHERE i."id" = l."orderId" AND e ->> 'id' = l."id")
    ), "cust" AS (
      INSERT INTO "Customer" ("shop", "id", "firstName", "lastName", "email", "createdAt", "updatedAt")
      SELECT DISTINCT ON (o."customerId") ${shop}::text, o."customerId", i."firstName", i."lastName", i."email", ${now}::timestamptz, ${now}::timestamptz
      FROM "ord" o JOIN "fresh" i ON i."id" = o."id"
      WHERE o."customerId" IS NOT NULL
      ORDER BY o."customerId", i."n" DESC
      ON CONFLICT ("shop", "id") DO UPDATE SET
        "firstName" = CASE WHEN "Customer"."redactedAt" IS NULL THEN excluded."firstName" END,
        "lastName" = CASE WHEN "Customer"."redactedAt" IS NULL THEN excluded."lastName" END,
        "email" = CASE WHEN "Customer"."redactedAt" IS NULL THEN excluded."email" END,
        "updatedAt" = excluded."updatedAt"
      RETURNING "id", "tierSlug", "pointsBalance"
    ), "program" AS (
      SELECT ${programJson(shop)} AS "program"
    )
    SELECT (f."n" IS NOT NULL) AS "claimed", (o."id" IS NOT NULL) AS "written", (p."id" IS NOT NULL) AS "existed", p."customerId" AS "previousCustomerId",
      o."id", o."customerId", o."currency", o."presentmentCurrency", o."totalMinor", o."presentmentTotalMinor", o."test",
      o."cancelledAt", o."placedAt", c."tierSlug", c."pointsBalance", (c."pointsBalance" IS NOT NULL) AS "hasCustomer",
      (SELECT json_agg(${REFUND_JSON})
         FROM "Refund" r WHERE r."shop" = ${key} AND r."orderId" = i."id") AS "refunds",
      ${orderLedgerJson(key, Prisma.sql`i."id"`)} AS "ledger",
      "program"."program",
      (EXISTS (SELECT 1 FROM "SurveyResponse" s WHERE s."shop" = ${key} AND s."orderId" = i."id")
        OR EXISTS (SELECT 1 FROM "PendingSurveyAnswer" s WHERE s."shop" = ${key} AND s."orderId" = i."id")) AS "surveyed"
    FROM "input" i CROSS JOIN "program" LEFT JOIN "fresh" f ON f."n" = i."n" LEFT JOIN "ord" o ON o."id" = i."id"
      LEFT JOIN "prev" p ON p."id" = i."id" LEFT JOIN "cust" c ON c."id" = o."customerId"
    ORDER BY i."n"`;
  return rows.map((row): OrderWriteResult => {
    if (!row.claimed) return { outcome: "duplicate" };
    if (!row.written) return { outcome: "stale" };
    return {
      outcome: row.existed ? "updated" : "created",
      previousCustomerId: (row.previousCustomerId as string | null) ?? null,
      customer: row.hasCustomer
        ? {
            tierSlug: (row.tierSlug as string | null) ?? null,
            pointsBalance: sqlNumber(row.pointsBalance),
          }
        : null,
      surveyed: Boolean(row.surveyed),
      state: {
        order: storedOrder(row),
        refunds: storedRefunds(row.refunds),
        ledger: ledgerRows(row.ledger),
        program: storedProgram(row.program),
      },
    };
  });
}

/**
 * The shop currency an order's amounts are in: the order's, when it is known, else the shop profile's; null when
 * neither is. A committed read (read connection): neither changes for an order once stored.
 */
export async function committedShopCurrency(shop: string, orderId: string): Promise<string | null> {
  const [row] = await readSql().$queryRaw<{ currency: string | null }[]>`
    SELECT COALESCE((SELECT "currency" FROM "Order" WHERE "shop" = ${shop} AND "id" = ${orderId}),
                    (SELECT "currency" FROM "Shop" WHERE "shop" = ${shop})) AS "currency"`;
  return row?.currency ?? null;
}

/**
 * Stores refunds by id, with their lines, and reads each one's order state in the same statement (the caller holds
 * the orders' locks): the order, all its refunds (this one included), its ledger rows and the saved program. A refund
 * for an order not seen yet is kept and counts once the order arrives (`state.order` is then null). A refund is
 * immutable in Shopify, so a repeat (`inserted: false`) changes nothing. The same statement first claims each
 * refund's delivery (`deliveries`, one per refund), and a refund whose delivery was claimed before is not inserted
 * (`inserted: false`). The caller holds the orders' locks (`lockOrders`). One
 * result per refund, in order; no two refunds may name the same order (each state would miss the other's refund,
 * where one after the other would not).
 */
export async function insertRefunds(
  tx: SqlTx,
  shop: string,
  refunds: RefundFacts[],
  deliveries: OrderDelivery[],
): Promise<{ inserted: boolean; state: OrderState }[]> {
  if (!refunds.length) return [];
  if (new Set(refunds.map((r) => r.orderId)).size !== refunds.length) throw new Error("insertRefunds: two refunds of one order");
  const claims = checkedDeliveries("insertRefunds", refunds.length, deliveries);
  // A refund that names no currency keeps its decimal text (amountMinor 0, currency null) until its order is known.
  // Lookups name the shop through opaqueShop (decision 054).
  const key = opaqueShop(shop);
  const records = JSON.stringify(
    refunds.map((r, i) => ({
      webhookId: claims[i]!.webhookId,
      topic: claims[i]!.topic,
      id: r.id,
      orderId: r.orderId,
      amountMinor: r.amountMinor ?? 0,
      currency: r.currency,
      amountDecimal: r.amountDecimal,
      createdAt: r.createdAt,
      lineItems: r.lineItems,
    })),
  );
  const rows = await tx.$queryRaw<RawRow[]>`
    WITH "input" AS MATERIALIZED (
      SELECT * FROM ROWS FROM (jsonb_to_recordset(${records}::jsonb) AS ("webhookId" text, "topic" text, "id" text, "orderId" text,
        "amountMinor" bigint, "currency" text, "amountDecimal" text, "createdAt" timestamptz, "lineItems" jsonb)) WITH ORDINALITY
        AS i("webhookId", "topic", "id", "orderId", "amountMinor", "currency", "amountDecimal", "createdAt", "lineItems", "n")
    ), ${deliveryClaims(shop, new Date())}, "ins" AS (
      INSERT INTO "Refund" ("shop", "id", "orderId", "amountMinor", "currency", "amountDecimal", "createdAt")
      SELECT ${shop}::text, i."id", i."orderId", i."amountMinor", i."currency", i."amountDecimal", i."createdAt" FROM "fresh" i ORDER BY i."n"
      ON CONFLICT ("shop", "id") DO NOTHING
      RETURNING "id", "amountMinor", "currency", "amountDecimal", "shopAmountMinor", "createdAt"
    ), "lines" AS (
      INSERT INTO "RefundLineItem" ("shop", "refundId", "orderId", "lineItemId", "productId", "title", "quantity", "subtotalMinor", "createdAt")
      SELECT DISTINCT ON (i."n", j."lineItemId") ${shop}::text, i."id", i."orderId", j."lineItemId", j."productId", j."title",
        j."quantity", j."subtotalMinor", i."createdAt"
      FROM "input" i JOIN "ins" x ON x."id" = i."id"
      CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(i."lineItems") AS ("lineItemId" text, "productId" text, "title" text, "quantity" integer,
        "subtotalMinor" bigint)) WITH ORDINALITY AS j("lineItemId", "productId", "title", "quantity", "subtotalMinor", "n")
      ORDER BY i."n", j."lineItemId", j."n"
      ON CONFLICT ("shop", "refundId", "lineItemId") DO NOTHING
    )
    SELECT EXISTS (SELECT 1 FROM "ins" x WHERE x."id" = i."id") AS "inserted",
      o."id", o."customerId", o."currency", o."presentmentCurrency", o."totalMinor", o."presentmentTotalMinor", o."test", o."cancelledAt", o."placedAt",
      (SELECT json_agg(${REFUND_JSON}) FROM (
         SELECT r."id", r."amountMinor", r."currency", r."amountDecimal", r."shopAmountMinor", r."createdAt"
         FROM "Refund" r WHERE r."shop" = ${key} AND r."orderId" = i."orderId"
         UNION ALL
         SELECT x."id", x."amountMinor", x."currency", x."amountDecimal", x."shopAmountMinor", x."createdAt" FROM "ins" x WHERE x."id" = i."id"
       ) r) AS "refunds",
      ${orderLedgerJson(key, Prisma.sql`i."orderId"`)} AS "ledger",
      ${programJson(shop)} AS "program"
    FROM "input" i LEFT JOIN "Order" o ON o."shop" = ${key} AND o."id" = i."orderId"
    ORDER BY i."n"`;
  if (rows.length !== refunds.length) throw new Error("insertRefunds: one row per refund expected");
  return rows.map((row) => ({
    inserted: Boolean(row.inserted),
    state: {
      order: row.id == null ? null : storedOrder(row),
      refunds: storedRefunds(row.refunds),
      ledger: ledgerRows(row.ledger),
      program: storedProgram(row.program),
    },
  }));
}

/** A customer's tier and balance as a refund's settlement locked them. */
interface LockedStanding {
  tierSlug: string | null;
  pointsBalance: number;
}

/**
 * Converts the order's refunds into its shop currency (`settledRefundAmount`), in TypeScript: an order has a few
 * refunds, and SQL's 64-bit product of two amounts overflowed for large orders in high-denomination currencies.
 * Only rows whose values change are written, in one statement. Returns the refunds as now stored.
 * With `lockCustomerId`, the same statement then locks that customer's row (the refund event's customer lock,
 * taken before their facts are recomputed) and returns their tier and balance as locked.
 */
export async function settleRefundAmounts(
  tx: SqlTx,
  shop: string,
  order: StoredOrder,
  refunds: StoredRefund[],
  lockCustomerId: string | null = null,
): Promise<{ refunds: StoredRefund[]; customer: LockedStanding | null }> {
  const settled = await settleOrdersRefunds(tx, shop, [{ order, refunds }], lockCustomerId === null ? [] : [lockCustomerId]);
  return { refunds: settled.refunds[0]!, customer: lockCustomerId === null ? null : (settled.customers.get(lockCustomerId) ?? null) };
}

/**
 * `settleRefundAmounts` for several orders in one statement (a group's refund events): every changed refund written,
 * then the customers of `lockCustomerIds` locked in id order (as `lockCustomerStanding` takes them). Returns each
 * order's refunds as now stored, in order, and the locked customers' tier and balance (a customer without a row is
 * absent).
 */
export async function settleOrdersRefunds(
  tx: SqlTx,
  shop: string,
  orders: { order: StoredOrder; refunds: StoredRefund[] }[],
  lockCustomerIds: string[],
): Promise<{ refunds: StoredRefund[][]; customers: Map<string, LockedStanding> }> {
  const changes: { id: string; currency: string | null; amountMinor: number; shopAmountMinor: number | null }[] = [];
  const settled = orders.map(({ order, refunds }) =>
    refunds.map((refund) => {
      const next = settledRefundAmount(refund, order);
      if (
        next.currency !== refund.currency ||
        next.amountMinor !== refund.amountMinor ||
        next.shopAmountMinor !== refund.shopAmountMinor
      ) {
        changes.push({ id: refund.id, ...next });
      }
      return { ...refund, ...next };
    }),
  );
  const customers = new Map<string, LockedStanding>();
  if (!changes.length && !lockCustomerIds.length) return { refunds: settled, customers };
  const rows = await tx.$queryRaw<RawRow[]>`
    WITH "changed" AS (
      UPDATE "Refund" r SET "currency" = c."currency", "amountMinor" = c."amountMinor", "shopAmountMinor" = c."shopAmountMinor"
      FROM jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) AS c("id" text, "currency" text, "amountMinor" bigint, "shopAmountMinor" bigint)
      -- The ids again as an array: the refunds are reached by their key, never by hashing every refund of the shop.
      WHERE r."shop" = ${shop} AND r."id" = ANY (${changes.map((change) => change.id)}::text[]) AND r."id" = c."id"
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM "changed") AS "changed", c."id", c."tierSlug", c."pointsBalance"
    FROM (SELECT 1) AS "one" LEFT JOIN (
      SELECT "id", "tierSlug", "pointsBalance" FROM "Customer" WHERE "shop" = ${shop} AND "id" = ANY (${lockCustomerIds}::text[])
      ORDER BY "id" FOR UPDATE
    ) c ON true`;
  for (const row of rows) {
    if (row.id == null) continue;
    customers.set(String(row.id), { tierSlug: (row.tierSlug as string | null) ?? null, pointsBalance: sqlNumber(row.pointsBalance) });
  }
  return { refunds: settled, customers };
}

interface OrderTotals {
  orders: number;
  grossMinor: number;
  refundedMinor: number;
}

const DAY_MS = 86_400_000;
const day = (date: Date) => Math.floor(date.getTime() / DAY_MS);

/**
 * Non-test orders placed on the UTC days [from, to) (midnights): count, gross and refunded amounts, from the
 * OrderDaily rollup that triggers keep equal to Order and Refund.
 */
export async function orderTotals(shop: string, from: Date, to: Date): Promise<OrderTotals> {
  const [row] = await readSql().$queryRaw<{ orders: unknown; gross: unknown; refunded: unknown }[]>`
    SELECT SUM("orders") AS "orders", SUM("grossMinor") AS "gross", SUM("refundedMinor") AS "refunded"
    FROM "OrderDaily" WHERE "shop" = ${shop} AND "day" >= ${day(from)} AND "day" < ${day(to)}`;
  return {
    orders: sqlNumber(row?.orders),
    grossMinor: sqlNumber(row?.gross),
    refundedMinor: sqlNumber(row?.refunded),
  };
}

/**
 * Customers who placed an order (not a test, not cancelled) since `from`: those whose latest such order, kept in
 * the customer facts, is that recent. Counted on Customer[shop, lastOrderAt]; counting distinct customers over the
 * orders took 130 ms for a shop with a million orders.
 */
export async function customersOrderedSince(shop: string, from: Date): Promise<number> {
  const [row] = await readSql().$queryRaw<{ customers: unknown }[]>`
    SELECT COUNT(*) AS "customers" FROM "Customer" WHERE "shop" = ${shop} AND "lastOrderAt" >= ${from}`;
  return sqlNumber(row?.customers);
}

interface MonthlyRevenue {
  month: string;
  orders: number;
  netMinor: number;
}

/** Net revenue (gross minus refunds) and order count of orders not cancelled, per calendar month (UTC) since `from`. */
export async function monthlyRevenue(shop: string, from: Date): Promise<MonthlyRevenue[]> {
  const rows = await readSql().$queryRaw<{ month: string; orders: unknown; net: unknown }[]>`
    SELECT to_char(to_timestamp(d."day"::bigint * 86400) AT TIME ZONE 'UTC', 'YYYY-MM') AS "month",
      SUM(d."liveOrders") AS "orders", SUM(d."liveNetMinor") AS "net"
    FROM "OrderDaily" d WHERE d."shop" = ${shop} AND d."day" >= ${day(from)}
    GROUP BY 1 HAVING SUM(d."liveOrders") > 0 ORDER BY 1`;
  return rows.map((r) => ({
    month: r.month,
    orders: sqlNumber(r.orders),
    netMinor: sqlNumber(r.net),
  }));
}

export async function countOrders(shop: string): Promise<number> {
  return prisma.order.count({ where: { shop } });
}

/** When the shop's earliest order stored was placed (test orders included: they are orders Shopify shared); null when none. */
export async function earliestOrderPlacedAt(shop: string): Promise<Date | null> {
  // serves from Order @@index([shop, placedAt, test, customerId]): the first entry of the shop's range.
  const [row] = await readSql().$queryRaw<{ at: unknown }[]>`SELECT min("placedAt") AS "at" FROM "Order" WHERE "shop" = ${shop}`;
  return sqlDate(row?.at);
}
