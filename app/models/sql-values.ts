/**
 * Values as raw queries hand them back (Prisma's `$queryRaw`, `rawSql`, `readSql`): integers as number or bigint, an
 * empty aggregate as NULL, timestamps as Date (DATETIME columns) or as the epoch milliseconds they are stored as.
 */

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
