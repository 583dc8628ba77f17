import { Prisma } from "@prisma/client";
import { prisma, readSql } from "~/db.server";
import { sqlDate, sqlNumber, sqlStamp } from "./sql-values";

/**
 * Read-side queries behind the Customers and Loyalty pages. Every query is scoped by `shop` and aggregates in
 * SQL; nothing here loads a shop's customers into JavaScript to count or sort them.
 */

type Num = number | bigint | null;
type Stamp = Date | number | bigint | string | null;

// ---------------------------------------------------------------------------------------------------------------
// Tier distribution

export interface TierCount {
  /** null: customers below the lowest tier (or not evaluated yet). */
  slug: string | null;
  customers: number;
}

/** Customers per tier slug, one GROUP BY on the (shop, tierSlug) index. */
export async function customersPerTier(shop: string): Promise<TierCount[]> {
  const rows = await prisma.$queryRaw<{ slug: string | null; customers: Num }[]>`
    SELECT "tierSlug" AS slug, COUNT(*) AS customers
    FROM "Customer"
    WHERE "shop" = ${shop}
    GROUP BY "tierSlug"`;
  return rows.map((r) => ({ slug: r.slug, customers: sqlNumber(r.customers) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Customers list: search, sort, keyset pagination

export const CUSTOMER_SORTS = ["spend", "orders", "last-order", "points"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export type SortDirection = "asc" | "desc";

/** The column behind each sort key (a fixed list: user input never reaches the SQL text). */
const SORT_COLUMNS: Record<CustomerSort, { column: Prisma.Sql; nullable: boolean }> = {
  spend: { column: Prisma.raw(`c."lifetimeNetMinor"`), nullable: false },
  orders: { column: Prisma.raw(`c."orderCount"`), nullable: false },
  "last-order": { column: Prisma.raw(`c."lastOrderAt"`), nullable: true },
  points: { column: Prisma.raw(`c."pointsBalance"`), nullable: false },
};

/** A position in a sorted list: the sort value of a row (null only for a nullable column) and its id. */
export interface KeysetPosition {
  value: number | null;
  id: string;
}

export interface CustomerListQuery {
  search: string | null;
  sort: CustomerSort;
  direction: SortDirection;
  /** Rows strictly after this position (next page), or strictly before it (previous page). */
  after?: KeysetPosition | null;
  before?: KeysetPosition | null;
  limit: number;
}

export interface CustomerListRow {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  tierSlug: string | null;
  pointsBalance: number;
  lifetimeNetMinor: number;
  orderCount: number;
  lastOrderAt: Date | null;
  /** The row's value of the sort column, for building cursors. */
  sortValue: number | null;
}

/** Escapes LIKE's wildcards so a search for "50%_off" matches those characters literally (ESCAPE '\'). */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * The order is total: (sort value, id), both in `direction`. SQLite puts NULLs first ascending and last
 * descending, and the conditions below follow that, so a nullable column pages correctly too.
 */
function afterCondition(column: Prisma.Sql, nullable: boolean, direction: SortDirection, at: KeysetPosition): Prisma.Sql {
  const id = Prisma.sql`c."id"`;
  if (direction === "asc") {
    if (at.value === null) return Prisma.sql`((${column} IS NULL AND ${id} > ${at.id}) OR ${column} IS NOT NULL)`;
    return Prisma.sql`(${column} > ${at.value} OR (${column} = ${at.value} AND ${id} > ${at.id}))`;
  }
  if (at.value === null) return Prisma.sql`(${column} IS NULL AND ${id} < ${at.id})`;
  const nulls = nullable ? Prisma.sql` OR ${column} IS NULL` : Prisma.empty;
  return Prisma.sql`(${column} < ${at.value} OR (${column} = ${at.value} AND ${id} < ${at.id})${nulls})`;
}

const flip = (direction: SortDirection): SortDirection => (direction === "asc" ? "desc" : "asc");

/**
 * One page of the shop's customers, filtered by name or email (case-insensitive LIKE, wildcards escaped),
 * sorted by `sort` and paginated by keyset on (sort value, id) — never OFFSET. Returns up to `limit + 1` rows in
 * display order; the extra row tells the caller there is more in the direction it paged.
 */
export async function customerListPage(shop: string, query: CustomerListQuery): Promise<CustomerListRow[]> {
  const { column, nullable } = SORT_COLUMNS[query.sort];
  // Paging backwards reads the list in the opposite order from the cursor, then the rows are turned around.
  const backwards = Boolean(query.before);
  const readDirection = backwards ? flip(query.direction) : query.direction;
  const position = query.before ?? query.after ?? null;

  const conditions: Prisma.Sql[] = [Prisma.sql`c."shop" = ${shop}`];
  if (query.search) {
    const pattern = likePattern(query.search);
    conditions.push(Prisma.sql`(
      c."email" LIKE ${pattern} ESCAPE '\\'
      OR (COALESCE(c."firstName", '') || ' ' || COALESCE(c."lastName", '')) LIKE ${pattern} ESCAPE '\\'
      OR (COALESCE(c."lastName", '') || ' ' || COALESCE(c."firstName", '')) LIKE ${pattern} ESCAPE '\\')`);
  }
  if (position) conditions.push(afterCondition(column, nullable, readDirection, position));
  const order = readDirection === "asc" ? Prisma.raw("ASC") : Prisma.raw("DESC");

  const rows = await prisma.$queryRaw<
    {
      id: string;
      firstName: string | null;
      lastName: string | null;
      email: string | null;
      tierSlug: string | null;
      pointsBalance: Num;
      lifetimeNetMinor: Num;
      orderCount: Num;
      lastOrderAt: Stamp;
      sortValue: Stamp;
    }[]
  >`
    SELECT c."id", c."firstName", c."lastName", c."email", c."tierSlug", c."pointsBalance", c."lifetimeNetMinor",
           c."orderCount", c."lastOrderAt", ${column} AS "sortValue"
    FROM "Customer" c
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${column} ${order}, c."id" ${order}
    LIMIT ${query.limit + 1}`;

  const mapped = rows.map(
    (r): CustomerListRow => ({
      id: r.id,
      firstName: r.firstName,
      lastName: r.lastName,
      email: r.email,
      tierSlug: r.tierSlug,
      pointsBalance: sqlNumber(r.pointsBalance),
      lifetimeNetMinor: sqlNumber(r.lifetimeNetMinor),
      orderCount: sqlNumber(r.orderCount),
      lastOrderAt: sqlDate(r.lastOrderAt),
      sortValue: r.sortValue === null ? null : nullable ? (sqlDate(r.sortValue)?.getTime() ?? null) : Number(r.sortValue),
    }),
  );
  if (!backwards) return mapped;
  // Keep the extra row (if any) at the end of the list, as the caller expects, then show the page in order.
  const extra = mapped.length > query.limit ? mapped.slice(query.limit) : [];
  return [...mapped.slice(0, query.limit).reverse(), ...extra];
}

// ---------------------------------------------------------------------------------------------------------------
// One customer

export interface CustomerRecord {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  createdAt: Date;
  lifetimeNetMinor: number;
  rolling12NetMinor: number;
  lifetimeGrossMinor: number;
  orderCount: number;
  rolling12Orders: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  factsAt: Date | null;
  tierSlug: string | null;
  pointsBalance: number;
}

/** The shop's customer by id; null when unknown or another shop's. */
export async function findCustomer(shop: string, id: string): Promise<CustomerRecord | null> {
  return prisma.customer.findUnique({
    where: { shop_id: { shop, id } },
    select: {
      id: true,
      firstName: true,
      lastName: true,
      email: true,
      createdAt: true,
      lifetimeNetMinor: true,
      rolling12NetMinor: true,
      lifetimeGrossMinor: true,
      orderCount: true,
      rolling12Orders: true,
      firstOrderAt: true,
      lastOrderAt: true,
      factsAt: true,
      tierSlug: true,
      pointsBalance: true,
    },
  });
}

export interface LedgerRow {
  id: number;
  createdAt: Date;
  kind: string;
  points: number;
  note: string | null;
  orderId: string | null;
  /** The order's name ("#1001") when the row belongs to an order we know. */
  orderName: string | null;
  staff: string | null;
}

/** The customer's points ledger, newest first, with the name of each row's order. */
export async function customerLedger(shop: string, customerId: string, limit: number): Promise<LedgerRow[]> {
  const rows = await prisma.$queryRaw<
    { id: Num; createdAt: Stamp; kind: string; points: Num; note: string | null; orderId: string | null; orderName: string | null; staff: string | null }[]
  >`
    SELECT l."id", l."createdAt", l."kind", l."points", l."note", l."orderId", o."name" AS "orderName", l."staff"
    FROM "PointsLedger" l
    LEFT JOIN "Order" o ON o."shop" = l."shop" AND o."id" = l."orderId"
    WHERE l."shop" = ${shop} AND l."customerId" = ${customerId}
    ORDER BY l."createdAt" DESC, l."id" DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    id: sqlNumber(r.id),
    createdAt: sqlStamp(r.createdAt),
    kind: r.kind,
    points: sqlNumber(r.points),
    note: r.note,
    orderId: r.orderId,
    orderName: r.orderName,
    staff: r.staff,
  }));
}

export async function countCustomerLedger(shop: string, customerId: string): Promise<number> {
  return prisma.pointsLedger.count({ where: { shop, customerId } });
}

export interface TierChangeRow {
  id: number;
  createdAt: Date;
  fromSlug: string | null;
  toSlug: string | null;
  cause: string;
}

/** The customer's tier changes, newest first. */
export async function customerTierChanges(shop: string, customerId: string, limit: number): Promise<TierChangeRow[]> {
  return prisma.tierChange.findMany({
    where: { shop, customerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, createdAt: true, fromSlug: true, toSlug: true, cause: true },
  });
}

export interface CustomerOrderRow {
  id: string;
  name: string;
  placedAt: Date;
  currency: string;
  totalMinor: number;
  refundedMinor: number;
  cancelled: boolean;
  test: boolean;
  financialStatus: string | null;
}

/** The customer's orders, newest first, each with its refunds summed in SQL (shop currency). */
export async function customerOrders(shop: string, customerId: string, limit: number): Promise<CustomerOrderRow[]> {
  const rows = await prisma.$queryRaw<
    {
      id: string;
      name: string;
      placedAt: Stamp;
      currency: string;
      totalMinor: Num;
      refunded: Num;
      cancelledAt: Stamp;
      test: Num | boolean;
      financialStatus: string | null;
    }[]
  >`
    SELECT o."id", o."name", o."placedAt", o."currency", o."totalMinor", o."cancelledAt", o."test", o."financialStatus",
           (SELECT COALESCE(SUM(r."shopAmountMinor"), 0) FROM "Refund" r WHERE r."shop" = o."shop" AND r."orderId" = o."id") AS refunded
    FROM "Order" o
    WHERE o."shop" = ${shop} AND o."customerId" = ${customerId}
    ORDER BY o."placedAt" DESC, o."id" DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    placedAt: sqlStamp(r.placedAt),
    currency: r.currency,
    totalMinor: sqlNumber(r.totalMinor),
    refundedMinor: sqlNumber(r.refunded),
    cancelled: r.cancelledAt !== null,
    test: r.test === true || Number(r.test) === 1,
    financialStatus: r.financialStatus,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Shop currency and time zone

/**
 * What the pages need to show the shop's figures: its currency (stored profile, else its most recent order's
 * currency) and time zone (stored profile). Either may be null for a shop we know nothing about yet.
 */
export async function shopDisplaySettings(shop: string): Promise<{ currency: string | null; timezone: string | null }> {
  const db = readSql();
  const [row] = await db.$queryRaw<{ currency: string | null; timezone: string | null }[]>`
    SELECT "currency", "timezone" FROM "Shop" WHERE "shop" = ${shop}`;
  if (row?.currency) return { currency: row.currency, timezone: row.timezone };
  const [order] = await db.$queryRaw<{ currency: string }[]>`
    SELECT "currency" FROM "Order" WHERE "shop" = ${shop} ORDER BY "placedAt" DESC LIMIT 1`;
  return { currency: order?.currency ?? null, timezone: row?.timezone ?? null };
}
