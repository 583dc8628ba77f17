/**
 * The dashboard's order value bands, one definition for the TypeScript and the SQL sides. The bands are in whole
 * shop-currency units: under 50, 50–100, 100–250, 250 and more. The rollups cannot know the currency, so CxDaily
 * keeps finer buckets whose edges are every band edge in minor units for a currency of 0, 2 or 3 decimals (the SQL
 * function "cx_value_bucket" of prisma/migrations/20261203000100_cx_rollups/migration.sql, which cannot import this
 * module: tests/integration/value-bands.test.ts holds its edges equal to VALUE_EDGES_MINOR), and the dashboard
 * merges buckets into the shop's bands (`bandOfBucket`).
 */

/** The band edges in whole shop-currency units. */
export const VALUE_BANDS: readonly number[] = [50, 100, 250];

/** The decimals a shop currency can have (app/domain/money.ts, `currencyExponent`). */
export const CURRENCY_EXPONENTS: readonly number[] = [0, 2, 3];

/** The band edges of a currency with `exponent` decimals, in its minor units. */
export function valueBandEdgesMinor(exponent: number): number[] {
  return VALUE_BANDS.map((units) => units * 10 ** exponent);
}

/**
 * The bucket edges of CxDaily's "orderValue" segments, in minor units: every currency's band edges, ascending (the
 * exponents ascend and each currency's last edge, 250 units, is below the next one's first, 50 units at 100 times the
 * minor unit). Bucket i holds the totals in [edge i-1, edge i) (bucket 0: below the first edge).
 */
export const VALUE_EDGES_MINOR: readonly number[] = CURRENCY_EXPONENTS.flatMap(valueBandEdgesMinor);

/**
 * The band (0…bands.length) of an order value bucket: how many band edges its lower edge reaches. The band edges
 * must be bucket edges, so every bucket falls wholly in one band.
 */
export function bandOfBucket(bucket: number, bandEdgesMinor: readonly number[]): number {
  for (const edge of bandEdgesMinor) {
    if (!VALUE_EDGES_MINOR.includes(edge)) throw new Error(`order value band edge ${edge} is not a bucket edge`);
  }
  const lower = VALUE_EDGES_MINOR[bucket - 1] ?? 0;
  return bandEdgesMinor.filter((edge) => lower >= edge).length;
}
