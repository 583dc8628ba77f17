import pg from "pg";

/**
 * Reads of a scenario's PostgreSQL database from the test process (one small pool per database, closed by
 * `closeReader` before the database is dropped). bigint and numeric integers (counts, sums, amounts) come back as
 * numbers (bigint beyond 2^53), timestamptz as Date, booleans as booleans.
 */
const integer = (text: string): number | bigint => (Number.isSafeInteger(Number(text)) ? Number(text) : BigInt(text));
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return integer; // int8
    if (oid === 1700) return (text: string) => (/^-?\d+$/.test(text) ? integer(text) : Number(text)); // numeric
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

const readers = new Map<string, pg.Pool>();

function reader(dbUrl: string): pg.Pool {
  let pool = readers.get(dbUrl);
  if (!pool) {
    pool = new pg.Pool({ connectionString: dbUrl, max: 2, types });
    pool.on("error", () => {});
    readers.set(dbUrl, pool);
  }
  return pool;
}

export async function closeReader(dbUrl: string) {
  const pool = readers.get(dbUrl);
  readers.delete(dbUrl);
  await pool?.end();
}

/**
 * What the database says after a run, in a form two runs can be compared by: every order, refund and customer
 * fact (without the app's own bookkeeping times), net points per order, the deliveries recorded, and the outbox.
 */
export interface Snapshot {
  orders: unknown[];
  refunds: unknown[];
  customers: Record<string, unknown>[];
  pointsByOrder: unknown[];
  deliveries: number;
  deliveriesByShop: Record<string, number>;
  /** The tier the last TierChange row of each customer moved to (must equal the customer's tier). */
  lastTierChange: Record<string, string | null>;
  outbox: Record<string, number>;
  /** Customers whose points balance is not the sum of their ledger rows (must be none). */
  balancesOffLedger: unknown[];
}

export async function snapshot(dbUrl: string): Promise<Snapshot> {
  const all = (sql: string) => rows(dbUrl, sql);
  const lastTierChange: Record<string, string | null> = {};
  for (const row of await all(`SELECT "shop", "customerId", "toSlug" FROM "TierChange" ORDER BY "id"`)) {
    lastTierChange[`${String(row.shop)} ${String(row.customerId)}`] = (row.toSlug as string | null) ?? null;
  }
  return {
    orders: await all(`SELECT "shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor",
        "financialStatus", "test", "cancelledAt", "placedAt", "shopifyUpdatedAt", "lineItemCount" FROM "Order" ORDER BY "shop", "id"`),
    refunds: await all(`SELECT * FROM "Refund" ORDER BY "shop", "id"`),
    customers: await all(`SELECT "shop", "id", "firstName", "lastName", "email", "lifetimeNetMinor", "rolling12NetMinor", "lifetimeGrossMinor",
        "orderCount", "rolling12Orders", "firstOrderAt", "lastOrderAt", "tierSlug", "pointsBalance" FROM "Customer" ORDER BY "shop", "id"`),
    // Net per order: an order earned and then cancelled nets 0, like a cancellation that arrived first.
    pointsByOrder: await all(`SELECT "shop", "customerId", "orderId", SUM("points") AS "points" FROM "PointsLedger"
        GROUP BY "shop", "customerId", "orderId" HAVING SUM("points") <> 0 ORDER BY "shop", "customerId", "orderId"`),
    deliveries: await scalar(dbUrl, `SELECT COUNT(*) FROM "WebhookDelivery"`),
    deliveriesByShop: Object.fromEntries(
      (await all(`SELECT "shop", COUNT(*) AS n FROM "WebhookDelivery" GROUP BY "shop"`)).map((r) => [r.shop, r.n]),
    ),
    lastTierChange,
    outbox: Object.fromEntries((await all(`SELECT "status", COUNT(*) AS n FROM "OutboxMessage" GROUP BY "status"`)).map((r) => [r.status, r.n])),
    balancesOffLedger: await ledgerMismatches(dbUrl),
  };
}

/** Customers whose `pointsBalance` differs from SUM(points) of their ledger rows: shop, id, balance, ledger. */
export function ledgerMismatches(dbUrl: string) {
  return rows(
    dbUrl,
    `SELECT c."shop", c."id", c."pointsBalance" AS "balance", COALESCE(l."points", 0) AS "ledger"
     FROM "Customer" c LEFT JOIN (SELECT "shop", "customerId", SUM("points") AS "points" FROM "PointsLedger" GROUP BY 1, 2) l
       ON l."shop" = c."shop" AND l."customerId" = c."id"
     WHERE c."pointsBalance" <> COALESCE(l."points", 0)
     ORDER BY 1, 2`,
  );
}

/** A single number from the database, e.g. the count of pending outbox messages ($1, $2… placeholders). */
export async function scalar(dbUrl: string, sql: string, ...params: unknown[]): Promise<number> {
  const row = (await rows(dbUrl, sql, ...params))[0];
  return Number(row ? Object.values(row)[0] : 0);
}

export async function rows(dbUrl: string, sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]> {
  return (await reader(dbUrl).query(sql, params)).rows as Record<string, unknown>[];
}

/** A server setting as PostgreSQL reports it (`SHOW name`), e.g. "on" for fsync. */
export async function setting(dbUrl: string, name: string): Promise<string> {
  const [row] = await rows(dbUrl, `SELECT current_setting($1) AS value`, name);
  return String(row?.value);
}
