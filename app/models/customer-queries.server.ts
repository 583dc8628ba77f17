import { Prisma } from "@prisma/client";
import { prisma, readSql } from "~/db.server";
import type { PageInfo } from "~/domain/cursor";
import { BAND_RANGES } from "~/domain/survey/score-bands";
import { heldUntil } from "./pending-points.server";
import { sqlDate, sqlNullableNumber, sqlNumber, sqlStamp } from "./sql-values";
import { pageLimit, timeIdKeyset, timeIdPage, type TimeIdPageRequest } from "./time-id-keyset";

/**
 * Read-side queries behind the Customers and Loyalty pages. Every query is scoped by `shop` and aggregates in
 * SQL; nothing here loads a shop's customers into JavaScript to count or sort them. Raw reads go through the read
 * pool (committed data, decision 017); bigint and numeric values come back from it as exact numbers.
 */

type Num = number | bigint | null;
type Stamp = Date | number | bigint | string | null;

// ---------------------------------------------------------------------------------------------------------------
// Tier distribution

interface TierCount {
  /** null: customers below the lowest tier (or not evaluated yet). */
  slug: string | null;
  customers: number;
}

/** Customers per tier slug, one GROUP BY on the (shop, tierSlug) index. */
export async function customersPerTier(shop: string): Promise<TierCount[]> {
  const rows = await readSql().$queryRaw<{ slug: string | null; customers: Num }[]>`
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

/**
 * The column behind each sort key (a fixed list: user input never reaches the SQL text). `date`: a timestamptz
 * column that may be NULL (a customer without a counted order); its cursor value is epoch milliseconds, exact at the
 * column's millisecond precision. The others are NOT NULL bigint/integer columns, exact as numbers (amounts are
 * capped at 2^53 − 1 minor units by the ingest).
 */
const SORT_COLUMNS: Record<CustomerSort, { name: keyof ListRow; date: boolean }> = {
  spend: { name: "lifetimeNetMinor", date: false },
  orders: { name: "orderCount", date: false },
  "last-order": { name: "lastOrderAt", date: true },
  points: { name: "pointsBalance", date: false },
};

/** A position in a sorted list: the sort value of a row (null only for a nullable column) and its id. */
export interface KeysetPosition {
  value: number | null;
  id: string;
}

/**
 * A customer's NPS group: the band (app/domain/survey/score-bands.ts) of their latest NPS score, that is the score of
 * their newest answer in this shop that has one (by answer time, then id: the "Latest NPS" the list shows,
 * latestNpsByCustomer in survey-responses.server.ts). "none": they never gave an NPS score. An answer counts for the
 * customer its order names (SurveyResponse.customerId, linked from the order).
 */
export const NPS_GROUPS = ["promoter", "passive", "detractor", "none"] as const;
export type NpsGroup = (typeof NPS_GROUPS)[number];

/** What narrows the list: a name or email search, a tier (`slug: null` = customers without a tier), an NPS group. */
export interface CustomerFilter {
  search: string | null;
  tier?: { slug: string | null } | null;
  npsGroup?: NpsGroup | null;
}

/**
 * The customer's latest NPS score on `Customer c`: one probe of SurveyResponse_latest_nps_idx (migration
 * 20261203000500_customer_list_indexes), read newest first, index only.
 */
const LATEST_NPS = Prisma.sql`(SELECT r."nps" FROM "SurveyResponse" r
      WHERE r."shop" = c."shop" AND r."customerId" = c."id" AND r."nps" IS NOT NULL
      ORDER BY r."createdAt" DESC, r."id" DESC LIMIT 1)`;

/** The scores of an NPS band, for `= ANY(…)`: the probe is then run once per row (BETWEEN would run it twice). */
function bandScores(group: Exclude<NpsGroup, "none">): number[] {
  const [from, to] = BAND_RANGES.nps[group];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The condition on `Customer c` of a filter (every part on the row itself or one index probe per row). */
function filterSql(filter: CustomerFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.search) {
    const pattern = likePattern(filter.search);
    parts.push(Prisma.sql`(
      c."email" ILIKE ${pattern} ESCAPE '\\'
      OR (COALESCE(c."firstName", '') || ' ' || COALESCE(c."lastName", '')) ILIKE ${pattern} ESCAPE '\\'
      OR (COALESCE(c."lastName", '') || ' ' || COALESCE(c."firstName", '')) ILIKE ${pattern} ESCAPE '\\')`);
  }
  if (filter.tier) parts.push(filter.tier.slug === null ? Prisma.sql`c."tierSlug" IS NULL` : Prisma.sql`c."tierSlug" = ${filter.tier.slug}`);
  if (filter.npsGroup === "none") parts.push(Prisma.sql`${LATEST_NPS} IS NULL`);
  else if (filter.npsGroup) parts.push(Prisma.sql`${LATEST_NPS} = ANY(${bandScores(filter.npsGroup)}::int[])`);
  return parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`;
}

/**
 * How many of the shop's customers the filter keeps, counted in SQL. Without an NPS group: one COUNT of the
 * customers (on [shop, tierSlug] with a tier). With one, the answers decide: every customer's latest NPS score is
 * read in one pass of SurveyResponse_latest_nps_idx (DISTINCT ON the customer, newest first: the same answer the
 * probe of the list finds), then joined to the customers the other filters keep; "none" is the customers kept
 * minus those with a score. A probe per customer would cost one index descent for each of the shop's customers.
 */
export async function countCustomers(shop: string, filter: CustomerFilter): Promise<number> {
  const { npsGroup, ...others } = filter;
  const kept = filterSql(others);
  const customers = Prisma.sql`SELECT COUNT(*) AS customers FROM "Customer" c WHERE c."shop" = ${shop} AND ${kept}`;
  const scored = (band: Prisma.Sql) => Prisma.sql`
    SELECT COUNT(*) AS customers FROM (
      SELECT DISTINCT ON (r."customerId") r."customerId", r."nps"
      FROM "SurveyResponse" r
      WHERE r."shop" = ${shop} AND r."customerId" IS NOT NULL AND r."nps" IS NOT NULL
      ORDER BY r."customerId" DESC, r."createdAt" DESC, r."id" DESC) l
    JOIN "Customer" c ON c."shop" = ${shop} AND c."id" = l."customerId"
    WHERE ${band} AND ${kept}`;
  let statement = customers;
  if (npsGroup === "none") statement = Prisma.sql`SELECT (${customers}) - (${scored(Prisma.sql`TRUE`)}) AS customers`;
  else if (npsGroup) statement = scored(Prisma.sql`l."nps" = ANY(${bandScores(npsGroup)}::int[])`);
  const [row] = await readSql().$queryRaw<{ customers: Num }[]>(statement);
  return sqlNumber(row?.customers);
}

interface CustomerListQuery extends CustomerFilter {
  sort: CustomerSort;
  direction: SortDirection;
  /** Rows strictly after this position (next page), or strictly before it (previous page). */
  after?: KeysetPosition | null;
  before?: KeysetPosition | null;
  limit: number;
}

interface CustomerListRow {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  tierSlug: string | null;
  pointsBalance: number;
  lifetimeNetMinor: number;
  orderCount: number;
  lastOrderAt: Date | null;
  /** The row's value of the sort column (epoch milliseconds for a date), for building cursors. */
  sortValue: number | null;
}

/** Escapes LIKE's wildcards so a search for "50%_off" matches those characters literally (ESCAPE '\'). */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const flip = (direction: SortDirection): SortDirection => (direction === "asc" ? "desc" : "asc");

const ID = Prisma.raw(`c."id"`);

/**
 * The parameter of a cursor value: a Date for the timestamptz column, else a bigint (an integer column compares
 * with it exactly, on the same index, and a large value from a cursor cannot overflow `integer`).
 */
const param = (value: number, date: boolean): Prisma.Sql => (date ? Prisma.sql`${new Date(value)}::timestamptz` : Prisma.sql`${value}::bigint`);

/** Rows after `at` in the order (value, id), both in `direction`, among rows whose value is not NULL. */
function afterValue(column: Prisma.Sql, date: boolean, direction: SortDirection, at: KeysetPosition): Prisma.Sql {
  if (at.value === null) return Prisma.sql`TRUE`;
  const value = param(at.value, date);
  return direction === "asc"
    ? Prisma.sql`(${column} > ${value} OR (${column} = ${value} AND ${ID} > ${at.id}))`
    : Prisma.sql`(${column} < ${value} OR (${column} = ${value} AND ${ID} < ${at.id}))`;
}

/** Rows after the NULL-valued position `at` in id order (`direction`), among the rows whose value is NULL. */
function afterId(direction: SortDirection, at: KeysetPosition | null): Prisma.Sql {
  if (!at || at.value !== null) return Prisma.sql`TRUE`;
  return direction === "asc" ? Prisma.sql`${ID} > ${at.id}` : Prisma.sql`${ID} < ${at.id}`;
}

type ListRow = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  tierSlug: string | null;
  pointsBalance: Num;
  lifetimeNetMinor: Num;
  orderCount: Num;
  lastOrderAt: Stamp;
};

const LIST_COLUMNS = Prisma.raw(
  `c."id", c."firstName", c."lastName", c."email", c."tierSlug", c."pointsBalance", c."lifetimeNetMinor", c."orderCount", c."lastOrderAt"`,
);

/**
 * The rows of one page, read in `direction` from `position`. The order is total: (sort value, id), both in
 * `direction`, NULL values counting as the smallest (first ascending, last descending: the order the list has
 * always had). A NOT NULL column is one keyset read on its (shop, column) index where there is one. The nullable
 * date column is read in two parts, the non-NULL values (on the (shop, lastOrderAt) index, in either direction) and
 * the NULLs (by id), each limited to the page, because PostgreSQL's btree gives NULLs the other end of the order
 * than this list does and so one ORDER BY … NULLS FIRST could not follow the index; the two parts are put in order
 * again (at most twice the page).
 */
async function readPage(
  shop: string,
  filter: Prisma.Sql,
  sort: CustomerSort,
  direction: SortDirection,
  position: KeysetPosition | null,
  take: number,
): Promise<ListRow[]> {
  const { name, date } = SORT_COLUMNS[sort];
  const column = Prisma.raw(`c."${name}"`);
  const order = direction === "asc" ? Prisma.raw("ASC") : Prisma.raw("DESC");
  const db = readSql();
  if (!date) {
    const after = position ? afterValue(column, date, direction, position) : Prisma.sql`TRUE`;
    return db.$queryRaw<ListRow[]>`
      SELECT ${LIST_COLUMNS}
      FROM "Customer" c
      WHERE c."shop" = ${shop} AND ${filter} AND ${after}
      ORDER BY ${column} ${order}, ${ID} ${order}
      LIMIT ${take}`;
  }
  // Which parts still lie ahead of the position: ascending, the NULLs come first; descending, last.
  const nullsFirst = direction === "asc";
  const inNulls = position !== null && position.value === null;
  const readValues = !(inNulls && !nullsFirst);
  const readNulls = !(position !== null && position.value !== null && nullsFirst);
  const values = Prisma.sql`(SELECT ${LIST_COLUMNS}, ${Prisma.raw(nullsFirst ? "1" : "0")} AS part
      FROM "Customer" c
      WHERE c."shop" = ${shop} AND ${column} IS NOT NULL AND ${filter} AND ${position ? afterValue(column, date, direction, position) : Prisma.sql`TRUE`}
      ORDER BY ${column} ${order}, ${ID} ${order}
      LIMIT ${take})`;
  const nulls = Prisma.sql`(SELECT ${LIST_COLUMNS}, ${Prisma.raw(nullsFirst ? "0" : "1")} AS part
      FROM "Customer" c
      WHERE c."shop" = ${shop} AND ${column} IS NULL AND ${filter} AND ${afterId(direction, position)}
      ORDER BY ${ID} ${order}
      LIMIT ${take})`;
  const parts = [...(readValues ? [values] : []), ...(readNulls ? [nulls] : [])];
  return db.$queryRaw<ListRow[]>`
    SELECT * FROM (${Prisma.join(parts, " UNION ALL ")}) page
    ORDER BY page.part, ${Prisma.raw(`page."${name}"`)} ${order}, page."id" ${order}
    LIMIT ${take}`;
}

/**
 * One page of the shop's customers, filtered by name or email (case-insensitive ILIKE, wildcards escaped), tier and
 * NPS group, sorted by `sort` and paginated by keyset on (sort value, id) — never OFFSET. Ids compare as text in the
 * database's collation, the same in the ORDER BY and the keyset condition, so pages neither skip nor repeat a row.
 * Returns up to `limit + 1` rows in display order; the extra row tells the caller there is more in the direction it
 * paged.
 */
export async function customerListPage(shop: string, query: CustomerListQuery): Promise<CustomerListRow[]> {
  // Paging backwards reads the list in the opposite order from the cursor, then the rows are turned around.
  const backwards = Boolean(query.before);
  const readDirection = backwards ? flip(query.direction) : query.direction;
  const position = query.before ?? query.after ?? null;

  const rows = await readPage(shop, filterSql(query), query.sort, readDirection, position, query.limit + 1);
  const mapped = rows.map((r): CustomerListRow => {
    const row = {
      id: r.id,
      firstName: r.firstName,
      lastName: r.lastName,
      email: r.email,
      tierSlug: r.tierSlug,
      pointsBalance: sqlNumber(r.pointsBalance),
      lifetimeNetMinor: sqlNumber(r.lifetimeNetMinor),
      orderCount: sqlNumber(r.orderCount),
      lastOrderAt: sqlDate(r.lastOrderAt),
    };
    const sortValue = { spend: row.lifetimeNetMinor, orders: row.orderCount, "last-order": row.lastOrderAt?.getTime() ?? null, points: row.pointsBalance };
    return { ...row, sortValue: sortValue[query.sort] };
  });
  if (!backwards) return mapped;
  // Keep the extra row (if any) at the end of the list, as the caller expects, then show the page in order.
  const extra = mapped.length > query.limit ? mapped.slice(query.limit) : [];
  return [...mapped.slice(0, query.limit).reverse(), ...extra];
}

// ---------------------------------------------------------------------------------------------------------------
// One customer

interface CustomerRecord {
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
  /** Points the customer can spend (below zero: owed). */
  pointsBalance: number;
  /** Points waiting out their orders' return windows, and when the next of them become available. */
  pointsPending: number;
  pointsPendingNextAt: Date | null;
}

/** The shop's customer by id; null when unknown or another shop's. */
export async function findCustomer(shop: string, id: string): Promise<CustomerRecord | null> {
  const row = await prisma.customer.findUnique({
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
      pointsPending: true,
      pointsPendingNextAt: true,
    },
  });
  if (!row) return null;
  // BigInt columns come back as bigint; every amount is below 2^53 (capped by the ingest), so Number is exact.
  return {
    ...row,
    lifetimeNetMinor: Number(row.lifetimeNetMinor),
    rolling12NetMinor: Number(row.rolling12NetMinor),
    lifetimeGrossMinor: Number(row.lifetimeGrossMinor),
    pointsBalance: Number(row.pointsBalance),
    pointsPending: Number(row.pointsPending),
  };
}

interface LedgerRow {
  id: number;
  createdAt: Date;
  kind: string;
  points: number;
  note: string | null;
  orderId: string | null;
  /** The order's name ("#1001") when the row belongs to an order we know. */
  orderName: string | null;
  staff: string | null;
  /** For points earned on an order still waiting out its return window: when they become available; else null. */
  availableAt: Date | null;
}

/**
 * One page of the customer's points ledger, newest first, with the name of each row's order: keyset pages on
 * (createdAt, id) over PointsLedger[shop, customerId, createdAt].
 */
export async function customerLedgerPage(
  shop: string,
  customerId: string,
  page: TimeIdPageRequest,
): Promise<{ rows: LedgerRow[]; pageInfo: PageInfo }> {
  const limit = pageLimit(page.limit);
  const keys = timeIdKeyset(Prisma.sql`l`, page);
  const rows = await readSql().$queryRaw<
    {
      id: Num;
      createdAt: Stamp;
      kind: string;
      points: Num;
      note: string | null;
      orderId: string | null;
      orderName: string | null;
      staff: string | null;
      availableAt: Stamp | null;
    }[]
  >`
    SELECT l."id", l."createdAt", l."kind", l."points", l."note", l."orderId", o."name" AS "orderName", l."staff",
      CASE WHEN l."points" > 0 THEN ${heldUntil(shop, Prisma.sql`l."orderId"`)} END AS "availableAt"
    FROM "PointsLedger" l
    LEFT JOIN "Order" o ON o."shop" = l."shop" AND o."id" = l."orderId"
    WHERE l."shop" = ${shop} AND l."customerId" = ${customerId} AND ${keys.where ?? Prisma.sql`TRUE`}
    ORDER BY ${keys.order}
    LIMIT ${limit + 1}`;
  const read = rows.map((r) => ({
    id: sqlNumber(r.id),
    createdAt: sqlStamp(r.createdAt),
    kind: r.kind,
    points: sqlNumber(r.points),
    note: r.note,
    orderId: r.orderId,
    orderName: r.orderName,
    staff: r.staff,
    availableAt: r.availableAt === null ? null : sqlStamp(r.availableAt),
  }));
  return timeIdPage(read, limit, keys);
}

export async function countCustomerLedger(shop: string, customerId: string): Promise<number> {
  return prisma.pointsLedger.count({ where: { shop, customerId } });
}

export interface CustomerAnswerRow {
  id: number;
  orderId: string;
  /** The order's name when its webhook arrived. */
  orderName: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  createdAt: Date;
}

/**
 * The customer's survey answers, newest first (SurveyResponse[shop, customerId, createdAt]), with the name of each
 * answer's order. Reads `limit` rows.
 */
export async function customerAnswers(shop: string, customerId: string, limit: number): Promise<CustomerAnswerRow[]> {
  const rows = await readSql().$queryRaw<
    { id: Num; orderId: string; orderName: string | null; nps: Num; csat: Num; ces: Num; comment: string | null; createdAt: Stamp }[]
  >`
    SELECT r."id", r."orderId", o."name" AS "orderName", r."nps", r."csat", r."ces", r."comment", r."createdAt"
    FROM "SurveyResponse" r
    LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId"
    WHERE r."shop" = ${shop} AND r."customerId" = ${customerId}
    ORDER BY r."createdAt" DESC, r."id" DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    id: sqlNumber(r.id),
    orderId: r.orderId,
    orderName: r.orderName,
    nps: sqlNullableNumber(r.nps),
    csat: sqlNullableNumber(r.csat),
    ces: sqlNullableNumber(r.ces),
    comment: r.comment,
    createdAt: sqlStamp(r.createdAt),
  }));
}

interface TierChangeRow {
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

interface CustomerOrderRow {
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
  const rows = await readSql().$queryRaw<
    {
      id: string;
      name: string;
      placedAt: Stamp;
      currency: string;
      totalMinor: Num;
      refunded: Num;
      cancelledAt: Stamp;
      test: boolean;
      financialStatus: string | null;
    }[]
  >`
    SELECT o."id", o."name", o."placedAt", o."currency", o."totalMinor", o."cancelledAt", o."test", o."financialStatus",
           (SELECT COALESCE(SUM(r."shopAmountMinor"), 0) FROM "Refund" r WHERE r."shop" = o."shop" AND r."orderId" = o."id") AS "refunded"
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
    test: r.test,
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
