import { Prisma } from "@prisma/client";
import { prisma, readSql } from "~/db.server";
import { pendingSetting, type LoyaltyProgram } from "~/domain/loyalty/program";
import { outboxInsert, type OutboxEnqueue } from "./outbox.server";
import { heldUntil } from "./pending-points.server";
import { opaqueShop, sqlDate, sqlNumber } from "./sql-values";
import type { SqlTx, Tx } from "./transaction.server";

type Client = Tx | SqlTx | typeof prisma;
/** Reads only: also the read connection. */
type Reader = Client | Pick<SqlTx, "$queryRaw">;

/** The shop's saved program, or null when the merchant never saved one. `tiers` is re-validated by the caller. */
export async function findProgram(client: Reader, shop: string): Promise<{ raw: unknown; version: number } | null> {
  const [row] = await client.$queryRaw<
    {
      basis: string;
      window: string;
      pointsPerUnit: unknown;
      tiers: string;
      version: unknown;
      pendingPoints: boolean;
      pendingMaxDays: unknown;
    }[]
  >`
    SELECT "basis", "window", "pointsPerUnit", "tiers", "version", "pendingPoints", "pendingMaxDays" FROM "LoyaltyProgram" WHERE "shop" = ${shop}`;
  if (!row) return null;
  return {
    raw: {
      basis: row.basis,
      window: row.window,
      pointsPerUnit: sqlNumber(row.pointsPerUnit),
      tiers: JSON.parse(row.tiers) as unknown,
      pending: { enabled: row.pendingPoints, maxDays: sqlNumber(row.pendingMaxDays) },
    },
    version: sqlNumber(row.version),
  };
}

/** `findProgram` on the read connection: the committed program, outside any transaction. */
export function findCommittedProgram(shop: string) {
  return findProgram(readSql(), shop);
}

export async function storeProgram(shop: string, program: LoyaltyProgram): Promise<number> {
  const data = {
    basis: program.basis,
    window: program.window,
    pointsPerUnit: program.pointsPerUnit,
    tiers: JSON.stringify(program.tiers),
    pendingPoints: pendingSetting(program).enabled,
    pendingMaxDays: pendingSetting(program).maxDays,
  };
  const row = await prisma.loyaltyProgram.upsert({
    where: { shop },
    create: { shop, ...data },
    update: { ...data, version: { increment: 1 } },
  });
  return row.version;
}

export interface LedgerEntry {
  customerId: string;
  points: number;
  kind: "order" | "refund" | "cancellation" | "adjustment" | "transfer" | "redemption" | "redemption-reversal";
  sourceKey: string;
  orderId?: string | null;
  note?: string | null;
  staff?: string | null;
  createdAt: Date;
}

/** Ledger entries as the JSON array the booking statements read with `jsonb_to_recordset`. */
function ledgerRowsJson(entries: LedgerEntry[]): string {
  return JSON.stringify(
    entries.map((e) => ({
      customerId: e.customerId,
      points: e.points,
      kind: e.kind,
      sourceKey: e.sourceKey,
      orderId: e.orderId ?? null,
      note: e.note ?? null,
      staff: e.staff ?? null,
      createdAt: e.createdAt.toISOString(),
    })),
  );
}

/** Appends ledger rows (in this order) unless their source event already has one. Returns how many were written. */
export async function appendLedger(tx: SqlTx, shop: string, entries: LedgerEntry[]): Promise<number> {
  if (!entries.length) return 0;
  return tx.$executeRaw`${ledgerInsert(shop, entries)}`;
}

/**
 * The INSERT of `appendLedger` as a fragment (a statement may add `RETURNING` and use it as a CTE: the facts and
 * balance refresh in models/customer-facts.server.ts books and recomputes in one statement).
 */
export function ledgerInsert(shop: string, entries: LedgerEntry[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "PointsLedger" ("shop", "customerId", "points", "kind", "sourceKey", "orderId", "note", "staff", "createdAt")
    SELECT ${shop}::text, e."customerId", e."points", e."kind", e."sourceKey", e."orderId", e."note", e."staff", e."createdAt"
    FROM ROWS FROM (jsonb_to_recordset(${ledgerRowsJson(entries)}::jsonb) AS ("customerId" text, "points" bigint, "kind" text, "sourceKey" text, "orderId" text, "note" text, "staff" text, "createdAt" timestamptz)) WITH ORDINALITY AS e("customerId", "points", "kind", "sourceKey", "orderId", "note", "staff", "createdAt", "n")
    ORDER BY e."n"
    ON CONFLICT ("shop", "sourceKey") DO NOTHING`;
}

/** An order's ledger rows as `upsertOrdersIfNewer` / `insertRefund` read them, summed up. */
interface OrderLedger {
  /** The points the order earned (its "order" row), or null before it earned any. */
  earned: number | null;
  /** What its refunds and cancellation took back (positive). */
  reversed: number;
  /** Source keys of its order, refund and cancellation rows. */
  sourceKeys: Set<string>;
  /** What each customer holds of the order's points (transfers included). */
  held: Map<string, number>;
  /** How many transfer rows the order has (the next transfer's key follows them). */
  transfers: number;
}

export function summariseOrderLedger(
  rows: readonly {
    customerId: string;
    kind: string;
    points: number;
    sourceKey: string;
  }[],
): OrderLedger {
  const own = rows.filter((r) => r.kind === "order" || r.kind === "refund" || r.kind === "cancellation");
  const held = new Map<string, number>();
  for (const r of rows) held.set(r.customerId, (held.get(r.customerId) ?? 0) + r.points);
  return {
    earned: own.find((r) => r.kind === "order")?.points ?? null,
    reversed: own.filter((r) => r.kind !== "order").reduce((sum, r) => sum - r.points, 0),
    sourceKeys: new Set(own.map((r) => r.sourceKey)),
    held,
    transfers: rows.filter((r) => r.kind === "transfer").length,
  };
}

interface CustomerLoyaltyState {
  id: string;
  tierSlug: string | null;
  pointsBalance: number;
  pointsPending: number;
  pointsPendingNextAt: Date | null;
  lifetimeNetMinor: number;
  rolling12NetMinor: number;
  orderCount: number;
  rolling12Orders: number;
}

type StateRow = Record<keyof CustomerLoyaltyState, unknown>;

function loyaltyState(row: StateRow): CustomerLoyaltyState {
  return {
    id: String(row.id),
    tierSlug: (row.tierSlug as string | null) ?? null,
    pointsBalance: sqlNumber(row.pointsBalance),
    pointsPending: sqlNumber(row.pointsPending),
    pointsPendingNextAt: sqlDate(row.pointsPendingNextAt),
    lifetimeNetMinor: sqlNumber(row.lifetimeNetMinor),
    rolling12NetMinor: sqlNumber(row.rolling12NetMinor),
    orderCount: sqlNumber(row.orderCount),
    rolling12Orders: sqlNumber(row.rolling12Orders),
  };
}

/**
 * Locks the customers' rows (`FOR UPDATE`, in id order, so two transactions locking the same customers never wait on
 * each other in a circle) and returns their state as locked. Every recomputation of a customer's facts, balance or
 * tier takes this lock in an earlier statement (or an upsert of their row does): their events are serialised, and
 * the recomputation's snapshot holds everything committed before. Unknown customers are absent from the map.
 */
export async function lockCustomerStanding(tx: Client, shop: string, customerIds: string[]): Promise<Map<string, CustomerLoyaltyState>> {
  if (!customerIds.length) return new Map();
  const rows = await tx.$queryRaw<StateRow[]>`
    SELECT "id", "tierSlug", "pointsBalance", "pointsPending", "pointsPendingNextAt", "lifetimeNetMinor", "rolling12NetMinor", "orderCount", "rolling12Orders"
    FROM "Customer" WHERE "shop" = ${shop} AND "id" = ANY (${customerIds}::text[])
    ORDER BY "id" FOR UPDATE`;
  return new Map(rows.map((r) => [String(r.id), loyaltyState(r)]));
}

interface TierChangeRecord {
  from: string | null;
  to: string | null;
  cause: string;
  at: Date;
}

/** A customer's tier change to record, with the cause and instant of its history row. */
export interface TierChangeOf extends TierChangeRecord {
  customerId: string;
}

/**
 * Customers' new tiers (with a history row each) and the Admin API calls that mirror their standing, in one
 * statement. Messages are queued in order (their ids follow the array); one with a `coalesceKey` replaces the
 * variables of a pending message with the same key and operation instead (the same conflict clause as
 * `enqueueOutbox`: an index probe however many messages are pending during an Admin API outage, and race-free across
 * transactions and instances). One INSERT may not meet the same conflicting row twice: no two messages may share a
 * coalesce key and operation, and no customer may change tier twice. The caller holds the customers' row locks.
 */
export async function recordTiersAndMirror(tx: SqlTx, shop: string, changes: TierChangeOf[], messages: OutboxEnqueue[], now: Date): Promise<void> {
  if (!changes.length && !messages.length) return;
  const keys = messages.filter((m) => m.coalesceKey).map((m) => `${m.operation} ${m.coalesceKey}`);
  if (new Set(keys).size !== keys.length) throw new Error("recordTiersAndMirror: two messages share a coalesce key");
  if (new Set(changes.map((c) => c.customerId)).size !== changes.length) throw new Error("recordTiersAndMirror: a customer changes tier twice");
  const records = JSON.stringify(changes.map((c) => ({ customerId: c.customerId, fromSlug: c.from, toSlug: c.to, cause: c.cause, at: c.at })));
  await tx.$executeRaw`
    WITH "change" AS MATERIALIZED (
      SELECT * FROM ROWS FROM (jsonb_to_recordset(${records}::jsonb) AS ("customerId" text, "fromSlug" text, "toSlug" text, "cause" text,
        "at" timestamptz)) WITH ORDINALITY AS ch("customerId", "fromSlug", "toSlug", "cause", "at", "n")
    ), "tier" AS (
      UPDATE "Customer" c SET "tierSlug" = ch."toSlug", "updatedAt" = ${new Date()}::timestamptz
      FROM "change" ch
      -- The ids again as an array: the rows are reached by their key whatever the plan joins them with (a generic
      -- plan made over a small table hashed every customer of the shop).
      WHERE c."shop" = ${opaqueShop(shop)} AND c."id" = ANY (${changes.map((change) => change.customerId)}::text[]) AND c."id" = ch."customerId"
      RETURNING c."id"
    ), "history" AS (
      INSERT INTO "TierChange" ("shop", "customerId", "fromSlug", "toSlug", "cause", "createdAt")
      SELECT ${shop}::text, ch."customerId", ch."fromSlug", ch."toSlug", ch."cause", ch."at"
      FROM "change" ch JOIN "tier" t ON t."id" = ch."customerId"
      ORDER BY ch."n"
    )
    ${outboxInsert(shop, messages, now)}`;
}

export async function countCustomers(shop: string): Promise<number> {
  return prisma.customer.count({ where: { shop } });
}

/** A tier as the set-based recompute compares it: its slug and threshold (minor units or orders). */
interface TierRule {
  slug: string;
  threshold: number;
}

/** The customer fact a program compares with its thresholds (the column of Customer holding it). */
export type QualifyingFact = "lifetimeNetMinor" | "rolling12NetMinor" | "orderCount" | "rolling12Orders";

/** A customer whose tier or balance a recompute changed: before and after. */
interface StandingChange {
  customerId: string;
  fromSlug: string | null;
  toSlug: string | null;
  pointsBefore: number;
  /** Available points after (the ledger's sum less what is pending). */
  points: number;
  pending: number;
  pendingNextAt: Date | null;
}

/**
 * The set-based recompute of one page of a shop's customers (up to `limit`, in id order after `after`), in one
 * statement: their rows locked in id order; their balance re-derived from the ledger; their tier from `fact` and the
 * tiers (the highest threshold reached: `tierFor` in app/domain/loyalty/tiers.ts, which
 * tests/integration/tier-recompute-sets.test.ts holds equal to it); tier and balance written where they changed, with
 * a tier-history row per tier change (`cause`). Returns how many customers the page held, its last id, and the
 * customers whose tier or balance changed (their Shopify mirror is queued by the caller).
 */
export async function applyTiersPage(
  tx: SqlTx,
  shop: string,
  page: { after: string | null; limit: number },
  rules: { fact: QualifyingFact; tiers: TierRule[] },
  cause: string,
  now: Date,
): Promise<{ count: number; last: string | null; changes: StandingChange[] }> {
  const slugs = rules.tiers.map((t) => t.slug);
  const thresholds = rules.tiers.map((t) => t.threshold);
  const rows = await tx.$queryRaw<Record<string, unknown>[]>`
    WITH "page" AS (
      SELECT c."id", c."tierSlug", c."pointsBalance", c."pointsPending", c."pointsPendingNextAt",
        CASE ${rules.fact}::text WHEN 'lifetimeNetMinor' THEN c."lifetimeNetMinor" WHEN 'rolling12NetMinor' THEN c."rolling12NetMinor"
          WHEN 'orderCount' THEN c."orderCount"::bigint ELSE c."rolling12Orders"::bigint END AS "value"
      FROM "Customer" c
      WHERE c."shop" = ${shop} AND (${page.after}::text IS NULL OR c."id" > ${page.after}::text)
      ORDER BY c."id" LIMIT ${page.limit}
      FOR UPDATE
    ), "balance" AS (
      SELECT l."customerId", SUM(l."points") AS "points" FROM "PointsLedger" l
      WHERE l."shop" = ${shop} AND l."customerId" IN (SELECT "id" FROM "page") GROUP BY l."customerId"
    ), "held" AS MATERIALIZED (
      SELECT l."customerId", SUM(l."points") AS "points", ${heldUntil(shop, Prisma.sql`l."orderId"`)} AS "availableAt" FROM "PointsLedger" l
      WHERE l."shop" = ${shop} AND l."customerId" IN (SELECT "id" FROM "page") AND l."orderId" IS NOT NULL
      GROUP BY l."customerId", l."orderId"
    ), "pending" AS (
      SELECT "customerId", SUM("points") AS "points", MIN("availableAt") AS "next" FROM "held"
      WHERE "points" > 0 AND "availableAt" IS NOT NULL GROUP BY "customerId"
    ), "next" AS (
      SELECT p."id", p."tierSlug" AS "fromSlug", p."pointsBalance" AS "pointsBefore",
        COALESCE(b."points", 0) - COALESCE(pe."points", 0) AS "points",
        p."pointsPending" AS "pendingBefore", COALESCE(pe."points", 0) AS "pending",
        p."pointsPendingNextAt" AS "nextBefore", pe."next" AS "pendingNextAt",
        (SELECT r."slug" FROM unnest(${slugs}::text[], ${thresholds}::bigint[]) AS r("slug", "threshold")
         WHERE r."threshold" <= p."value" ORDER BY r."threshold" DESC LIMIT 1) AS "toSlug"
      FROM "page" p LEFT JOIN "balance" b ON b."customerId" = p."id" LEFT JOIN "pending" pe ON pe."customerId" = p."id"
    ), "written" AS (
      UPDATE "Customer" c SET "tierSlug" = n."toSlug", "pointsBalance" = n."points", "pointsPending" = n."pending",
        "pointsPendingNextAt" = n."pendingNextAt", "updatedAt" = ${now}
      FROM "next" n
      WHERE c."shop" = ${shop} AND c."id" = n."id" AND (n."fromSlug" IS DISTINCT FROM n."toSlug" OR n."pointsBefore" <> n."points"
        OR n."pendingBefore" <> n."pending" OR n."nextBefore" IS DISTINCT FROM n."pendingNextAt")
      RETURNING c."id"
    ), "history" AS (
      INSERT INTO "TierChange" ("shop", "customerId", "fromSlug", "toSlug", "cause", "createdAt")
      SELECT ${shop}::text, n."id", n."fromSlug", n."toSlug", ${cause}::text, ${now}::timestamptz
      FROM "next" n WHERE n."fromSlug" IS DISTINCT FROM n."toSlug"
      ORDER BY n."id"
    )
    SELECT n."id", n."fromSlug", n."toSlug", n."pointsBefore", n."points", n."pending", n."pendingNextAt",
      (SELECT count(*) FROM "page") AS "count", (SELECT max("id") FROM "page") AS "last",
      (n."fromSlug" IS DISTINCT FROM n."toSlug" OR n."pointsBefore" <> n."points" OR n."pendingBefore" <> n."pending"
        OR n."nextBefore" IS DISTINCT FROM n."pendingNextAt") AS "changed"
    FROM (SELECT 1) AS "one" LEFT JOIN "next" n ON true
    ORDER BY n."id"`;
  const first = rows[0];
  return {
    count: sqlNumber(first?.count),
    last: (first?.last as string | null | undefined) ?? null,
    changes: rows
      .filter((r) => r.changed === true)
      .map((r) => ({
        customerId: String(r.id),
        fromSlug: (r.fromSlug as string | null) ?? null,
        toSlug: (r.toSlug as string | null) ?? null,
        pointsBefore: sqlNumber(r.pointsBefore),
        points: sqlNumber(r.points),
        pending: sqlNumber(r.pending),
        pendingNextAt: sqlDate(r.pendingNextAt),
      })),
  };
}
