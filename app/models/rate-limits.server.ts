import { poolSql, prisma } from "~/db.server";
import { sqlNumber } from "./sql-values";

/** One token bucket: `capacity` requests at once, refilled at `capacity` per `windowMs`. */
export interface RateLimit {
  /** The bucket's key, e.g. "survey-shop <shop>". */
  key: string;
  capacity: number;
  windowMs: number;
}

/**
 * Takes one token from each bucket, or from none: resolves to 0 when every bucket had one, else to the seconds until
 * every one will (a Retry-After). The buckets are rows of "RateLimitBucket" (an unlogged table), so every app instance
 * on the database shares them: N instances allow the limit once, not N times. One round trip
 * (`rate_limit_take`, migration 20261203000400_rate_limits), its own short transaction, never the caller's.
 * `now`: the database's clock when omitted (the same for every instance); tests pass their own.
 */
export async function takeRateLimits(limits: RateLimit[], now?: Date): Promise<number> {
  if (!limits.length) return 0;
  const [row] = await poolSql().$queryRaw<{ wait: unknown }[]>`
    SELECT "rate_limit_take"(${limits.map((l) => l.key)}::text[], ${limits.map((l) => l.capacity)}::float8[],
      ${limits.map((l) => l.windowMs)}::float8[], ${now ?? null}::timestamptz) AS "wait"`;
  return sqlNumber(row?.wait);
}

/**
 * How many orders `shop` placed since `since` (test orders included: they are answered too), for limits in
 * proportion to a shop's orders. Counted on the read connection would lag; this is a primary read.
 */
export async function countOrdersPlacedSince(shop: string, since: Date): Promise<number> {
  // serves from @@index([shop, placedAt, test, customerId]): an index-only range count.
  const [row] = await prisma.$queryRaw<{ count: unknown }[]>`
    SELECT count(*) AS "count" FROM "Order" WHERE "shop" = ${shop} AND "placedAt" >= ${since}`;
  return sqlNumber(row?.count);
}
