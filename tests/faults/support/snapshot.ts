import Database from "better-sqlite3";

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
}

export function snapshot(dbFile: string): Snapshot {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const all = (sql: string) => db.prepare(sql).all() as Record<string, unknown>[];
    const lastTierChange: Record<string, string | null> = {};
    for (const row of all(`SELECT "shop", "customerId", "toSlug" FROM "TierChange" ORDER BY "id"`)) {
      lastTierChange[`${String(row.shop)} ${String(row.customerId)}`] = (row.toSlug as string | null) ?? null;
    }
    return {
      orders: all(`SELECT "shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor",
        "financialStatus", "test", "cancelledAt", "placedAt", "shopifyUpdatedAt", "lineItemCount" FROM "Order" ORDER BY "shop", "id"`),
      refunds: all(`SELECT * FROM "Refund" ORDER BY "shop", "id"`),
      customers: all(`SELECT "shop", "id", "firstName", "lastName", "email", "lifetimeNetMinor", "rolling12NetMinor", "lifetimeGrossMinor",
        "orderCount", "rolling12Orders", "firstOrderAt", "lastOrderAt", "tierSlug", "pointsBalance" FROM "Customer" ORDER BY "shop", "id"`),
      // Net per order: an order earned and then cancelled nets 0, like a cancellation that arrived first.
      pointsByOrder: all(`SELECT "shop", "customerId", "orderId", SUM("points") AS "points" FROM "PointsLedger"
        GROUP BY "shop", "customerId", "orderId" HAVING SUM("points") <> 0 ORDER BY "shop", "customerId", "orderId"`),
      deliveries: Number((db.prepare(`SELECT COUNT(*) AS n FROM "WebhookDelivery"`).get() as { n: number }).n),
      deliveriesByShop: Object.fromEntries(all(`SELECT "shop", COUNT(*) AS n FROM "WebhookDelivery" GROUP BY "shop"`).map((r) => [r.shop, r.n])),
      lastTierChange,
      outbox: Object.fromEntries(all(`SELECT "status", COUNT(*) AS n FROM "OutboxMessage" GROUP BY "status"`).map((r) => [r.status, r.n])),
    };
  } finally {
    db.close();
  }
}

/** A single number from the database, e.g. the count of pending outbox messages. */
export function scalar(dbFile: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
    return Number(row ? Object.values(row)[0] : 0);
  } finally {
    db.close();
  }
}

export function rows(dbFile: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
