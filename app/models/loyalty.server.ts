import { prisma, readSql } from "~/db.server";
import type { LoyaltyProgram } from "~/domain/loyalty/program";
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
  const [row] = await client.$queryRaw<{ basis: string; window: string; pointsPerUnit: number; tiers: string; version: number }[]>`
    SELECT "basis", "window", "pointsPerUnit", "tiers", "version" FROM "LoyaltyProgram" WHERE "shop" = ${shop}`;
  if (!row) return null;
  return {
    raw: { basis: row.basis, window: row.window, pointsPerUnit: row.pointsPerUnit, tiers: JSON.parse(row.tiers) as unknown },
    version: row.version,
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

/** Appends one ledger row unless its source event already has one. Returns true when written. */
export async function appendLedger(tx: SqlTx, shop: string, entry: LedgerEntry): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "PointsLedger" ("shop", "customerId", "points", "kind", "sourceKey", "orderId", "note", "staff", "createdAt")
    VALUES (${shop}, ${entry.customerId}, ${entry.points}, ${entry.kind}, ${entry.sourceKey}, ${entry.orderId ?? null},
            ${entry.note ?? null}, ${entry.staff ?? null}, ${entry.createdAt})
    ON CONFLICT ("shop", "sourceKey") DO NOTHING`;
  return inserted === 1;
}

/** The points an order earned and what its refunds and cancellation already took back, from the ledger. */
export async function orderLedger(tx: SqlTx, shop: string, orderId: string) {
  const rows = await tx.$queryRaw<{ kind: string; points: number; sourceKey: string }[]>`
    SELECT "kind", "points", "sourceKey" FROM "PointsLedger"
    WHERE "shop" = ${shop} AND "orderId" = ${orderId} AND "kind" IN ('order', 'refund', 'cancellation')`;
  const earned = rows.find((r) => r.kind === "order")?.points ?? null;
  const reversed = rows.filter((r) => r.kind !== "order").reduce((sum, r) => sum - r.points, 0);
  return { earned, reversed, sourceKeys: new Set(rows.map((r) => r.sourceKey)) };
}

/**
 * What each customer holds of an order's points (SUM of their ledger rows for it, transfers included), and how many
 * transfer rows the order has (the next transfer's key follows them).
 */
export async function orderHoldings(tx: SqlTx, shop: string, orderId: string) {
  const rows = await tx.$queryRaw<{ customerId: string; points: number | bigint; transfers: number | bigint }[]>`
    SELECT "customerId", SUM("points") AS points, SUM("kind" = 'transfer') AS transfers FROM "PointsLedger"
    WHERE "shop" = ${shop} AND "orderId" = ${orderId} GROUP BY "customerId"`;
  return {
    held: new Map(rows.map((r) => [r.customerId, sqlNumber(r.points)])),
    transfers: rows.reduce((n, r) => n + sqlNumber(r.transfers), 0),
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

export async function customerLoyaltyState(tx: Client, shop: string, customerId: string): Promise<CustomerLoyaltyState | null> {
  const [row] = await tx.$queryRaw<CustomerLoyaltyState[]>`
    SELECT "id", "tierSlug", "pointsBalance", "lifetimeNetMinor", "rolling12NetMinor", "orderCount", "rolling12Orders"
    FROM "Customer" WHERE "shop" = ${shop} AND "id" = ${customerId}`;
  if (!row) return null;
  return {
    id: row.id,
    tierSlug: row.tierSlug,
    pointsBalance: sqlNumber(row.pointsBalance),
    lifetimeNetMinor: sqlNumber(row.lifetimeNetMinor),
    rolling12NetMinor: sqlNumber(row.rolling12NetMinor),
    orderCount: sqlNumber(row.orderCount),
    rolling12Orders: sqlNumber(row.rolling12Orders),
  };
}

export async function setTier(tx: SqlTx, shop: string, customerId: string, from: string | null, to: string | null, cause: string, at: Date) {
  await tx.$executeRaw`UPDATE "Customer" SET "tierSlug" = ${to}, "updatedAt" = ${new Date()} WHERE "shop" = ${shop} AND "id" = ${customerId}`;
  await tx.$executeRaw`
    INSERT INTO "TierChange" ("shop", "customerId", "fromSlug", "toSlug", "cause", "createdAt")
    VALUES (${shop}, ${customerId}, ${from}, ${to}, ${cause}, ${at})`;
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
