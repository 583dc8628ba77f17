import { Prisma } from "@prisma/client";

/**
 * Values as raw queries hand them back (Prisma's `$queryRaw`, `sqlOn`, `readSql`): integers as number or bigint, an
 * empty aggregate as NULL (SUM of bigint is numeric: a number from `sqlOn`/`readSql`, a Decimal from Prisma), timestamps
 * as Date (timestamptz), or as ISO text inside JSON built in SQL, or as epoch milliseconds where a query computes them.
 */

/**
 * The shop for a statement's lookups by key, as a value the planner does not know when it plans (a one-row
 * subquery, run once per statement): an equality on it is estimated from the shop column's number of distinct values,
 * as for an average shop, never from that shop's own statistics. A shop the last ANALYZE did not see (installed since,
 * or small beside a few large ones) is estimated at about one row, and every index leading with the shop then looks as
 * good as the key: the planner walked a growing shop's orders to find one by its id (docs/decisions/054-opaque-shop.md).
 * For the per-event statements that look rows up by key; aggregates over a shop keep the shop as a plain parameter, so
 * that a large shop gets the plans of a large shop.
 */
export const opaqueShop = (shop: string): Prisma.Sql => Prisma.sql`(SELECT ${shop}::text)`;

/** LIKE pattern for a literal substring (use with `ESCAPE '\\'`): %, _ and the escape character are escaped. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A number; NULL (an empty SUM) counts as 0. */
export const sqlNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** A number that may be absent: NULL stays null. */
export const sqlNullableNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** A timestamp: a Date, epoch milliseconds (number, bigint or digits) or ISO text; NULL → null. */
export function sqlDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === "string" && !/^\d+$/.test(value)) return new Date(value);
  return new Date(Number(value));
}

/** A timestamp of a NOT NULL column (the epoch if it is missing all the same). */
export const sqlStamp = (value: unknown): Date => sqlDate(value) ?? new Date(0);

/** A json/jsonb value: node-postgres parses it, Prisma's raw API may hand back its text. */
export const sqlJson = (value: unknown): unknown => (typeof value === "string" ? (JSON.parse(value) as unknown) : value ?? null);

/**
 * What the answer lists read of an answer with its order and customer (the follow-ups queue, the answers to mark, the
 * survey answers list): raw SQL values, before the models turn them into their rows.
 */
export interface RawAnswerWithNames {
  orderId: string;
  orderName: string | null;
  customerId: string | null;
  firstName: string | null;
  lastName: string | null;
  nps: bigint | number | null;
  csat: bigint | number | null;
  ces: bigint | number | null;
  comment: string | null;
  createdAt: Date | number | string;
}
