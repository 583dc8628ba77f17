/**
 * Prisma reads BigInt columns (amounts, points, rollup sums) as JS bigint on PostgreSQL. Tests compare them with
 * plain numbers: `numbers(row)` turns every bigint field into a number, failing loudly if one is not exact.
 */
export function toNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${value} is beyond 2^53: compare it as a bigint`);
  return n;
}

type Numbers<T> = {
  [K in keyof T]: T[K] extends bigint ? number : T[K] extends bigint | null ? number | null : T[K];
};

export function numbers<T extends object>(row: T): Numbers<T> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? toNumber(v) : v])) as Numbers<T>;
}
