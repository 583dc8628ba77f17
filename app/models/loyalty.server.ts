import { prisma, readSql } from "~/db.server";
import type { LoyaltyProgram } from "~/domain/loyalty/program";
import { COALESCE_CONFLICT, type OutboxEnqueue } from "./outbox.server";
import { sqlNumber } from "./sql-values";
import type { SqlTx, Tx } from "./transaction.server";

type Client = Tx | SqlTx | typeof prisma;
/** Reads only: also the read connection. */
type Reader = Client | Pick<SqlTx, "$queryRaw">;

export interface StoredProgram {
  program: LoyaltyProgram;
  version: number;
}

/** The shop's saved program, or null when the merchant never saved one. `tiers` is re-validated by the caller. */
export async function findProgram(client: Reader, shop: string): Promise<{ raw: unknown; version: number } | null> {
  const [row] = await client.$queryRaw<
    {
      basis: string;
      window: string;
      pointsPerUnit: unknown;
      tiers: string;
      version: unknown;
    }[]
  >`
    SELECT "basis", "window", "pointsPerUnit", "tiers", "version" FROM "LoyaltyProgram" WHERE "shop" = ${shop}`;
  if (!row) return null;
  return {
    raw: {
      basis: row.basis,
      window: row.window,
      pointsPerUnit: sqlNumber(row.pointsPerUnit),
      tiers: JSON.parse(row.tiers) as unknown,
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
  kind: "order" | "refund" | "cancellation" | "adjustment" | "transfer";
  sourceKey: string;
  orderId?: string | null;
  note?: string | null;
  staff?: string | null;
  createdAt: Date;
}

/** Ledger entries as the JSON array the booking statements read with `jsonb_to_recordset`. */
export function ledgerRowsJson(entries: LedgerEntry[]): string {
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
  const rows = ledgerRowsJson(entries);
  return tx.$executeRaw`
    INSERT INTO "PointsLedger" ("shop", "customerId", "points", "kind", "sourceKey", "orderId", "note", "staff", "createdAt")
    SELECT ${shop}::text, e."customerId", e."points", e."kind", e."sourceKey", e."orderId", e."note", e."staff", e."createdAt"
    FROM ROWS FROM (jsonb_to_recordset(${rows}::jsonb) AS ("customerId" text, "points" bigint, "kind" text, "sourceKey" text, "orderId" text, "note" text, "staff" text, "createdAt" timestamptz)) WITH ORDINALITY AS e("customerId", "points", "kind", "sourceKey", "orderId", "note", "staff", "createdAt", "n")
    ORDER BY e."n"
    ON CONFLICT ("shop", "sourceKey") DO NOTHING`;
}

/** An order's ledger rows as `upsertOrderIfNewer` / `insertRefund` read them, summed up. */
export interface OrderLedger {
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

export interface CustomerLoyaltyState {
  id: string;
  tierSlug: string | null;
  pointsBalance: number;
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
    SELECT "id", "tierSlug", "pointsBalance", "lifetimeNetMinor", "rolling12NetMinor", "orderCount", "rolling12Orders"
    FROM "Customer" WHERE "shop" = ${shop} AND "id" = ANY (${customerIds}::text[])
    ORDER BY "id" FOR UPDATE`;
  return new Map(rows.map((r) => [String(r.id), loyaltyState(r)]));
}

export interface TierChangeRecord {
  from: string | null;
  to: string | null;
  cause: string;
  at: Date;
}

/**
 * The customer's new tier (with its history row) and the Admin API calls that mirror their standing, in one
 * statement. Messages are queued in order (their ids follow the array); the one with a `coalesceKey` (at most one)
 * replaces the variables of a pending message with the same key and operation instead (the same conflict clause as
 * `enqueueOutbox`: an index probe however many messages are pending during an Admin API outage, and race-free across
 * transactions and instances).
 */
export async function recordTierAndMirror(
  tx: SqlTx,
  shop: string,
  customerId: string,
  change: TierChangeRecord | null,
  messages: OutboxEnqueue[],
  now: Date,
): Promise<void> {
  if (!change && !messages.length) return;
  // One INSERT may not meet the same conflicting row twice: one coalescing message per call.
  if (messages.filter((m) => m.coalesceKey).length > 1) throw new Error("recordTierAndMirror coalesces one message at most");
  const queued = JSON.stringify(messages.map((m) => ({ operation: m.operation, variables: JSON.stringify(m.variables), coalesceKey: m.coalesceKey ?? null })));
  await tx.$executeRaw`
    WITH "tier" AS (
      UPDATE "Customer" SET "tierSlug" = ${change?.to ?? null}::text, "updatedAt" = ${new Date()}::timestamptz
      WHERE ${change !== null}::boolean AND "shop" = ${shop} AND "id" = ${customerId}
      RETURNING 1
    ), "history" AS (
      INSERT INTO "TierChange" ("shop", "customerId", "fromSlug", "toSlug", "cause", "createdAt")
      SELECT ${shop}::text, ${customerId}::text, ${change?.from ?? null}::text, ${change?.to ?? null}::text, ${change?.cause ?? ""}::text,
        ${change?.at ?? now}::timestamptz
      FROM "tier"
    )
    INSERT INTO "OutboxMessage" ("shop", "operation", "variables", "coalesceKey", "status", "attempts", "nextAttemptAt", "createdAt")
    SELECT ${shop}::text, m."operation", m."variables", m."coalesceKey", 'pending', 0, ${now}::timestamptz, ${now}::timestamptz
    FROM ROWS FROM (jsonb_to_recordset(${queued}::jsonb) AS ("operation" text, "variables" text, "coalesceKey" text))
      WITH ORDINALITY AS m("operation", "variables", "coalesceKey", "n")
    ORDER BY m."n"
    ${COALESCE_CONFLICT}`;
}

/** Customer ids of a shop in id order, a page at a time (recompute and sweep walk them in batches). */
export async function customerIdsPage(shop: string, after: string | null, limit: number): Promise<string[]> {
  const rows = await prisma.customer.findMany({
    where: { shop, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export async function countCustomers(shop: string): Promise<number> {
  return prisma.customer.count({ where: { shop } });
}
