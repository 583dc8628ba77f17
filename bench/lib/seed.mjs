// Bulk seeding for the dashboard benchmark, straight into SQLite (better-sqlite3, one transaction per table
// and batch). The rows have the shapes the app writes; any trigger the schema defines fires as it would for the app.
import Database from "better-sqlite3";

const DAY = 86_400_000;
const TIERS = ["bronze", "silver", "gold", null];
const OPTIONS = ["search", "social", "friend", "podcast", "newsletter", "other"];
const COMMENTS = [
  "Great service, thank you!",
  "Nice, but delivery took a while.",
  "Wrong size arrived.",
  "Fits perfectly, will order again.",
  "Good product, packaging could be better.",
];

/** A small deterministic PRNG, so every run seeds the same data. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function openDb(file) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  return db;
}

/** An installed shop: its profile and an offline session the admin and webhook routes accept. */
export function seedShop(db, shop, scopes) {
  const now = Date.now();
  db.prepare(`INSERT INTO "Shop" (shop, name, currency, timezone, installedAt, updatedAt) VALUES (?, ?, 'USD', 'UTC', ?, ?)`).run(shop, shop.split(".")[0], now, now);
  db.prepare(`INSERT INTO "Session" (id, shop, state, isOnline, scope, accessToken) VALUES (?, ?, 'installed', 0, ?, ?)`).run(`offline_${shop}`, shop, scopes, `bench-token-${shop}`);
}

/**
 * `answers` survey answers over the last 400 days, each with its order, plus 25 % more orders without an answer,
 * about 2.5 orders per customer, one order in ten from a guest, 5 % of orders partly refunded.
 */
export function seedAnswers(db, shop, answers, now = Date.now()) {
  const rand = random(answers);
  const customers = Math.max(1, Math.round(answers / 2.5));
  const orders = Math.round(answers * 1.25);
  const span = 400 * DAY;

  const insertCustomer = db.prepare(
    `INSERT INTO "Customer" (shop, id, firstName, lastName, email, createdAt, updatedAt, tierSlug, orderCount, lifetimeNetMinor)
     VALUES (?, ?, ?, 'Bench', ?, ?, ?, ?, 0, 0)`,
  );
  const insertOrder = db.prepare(
    `INSERT INTO "Order" (shop, id, name, customerId, currency, presentmentCurrency, totalMinor, presentmentTotalMinor,
       financialStatus, test, cancelledAt, placedAt, shopifyUpdatedAt, lineItemCount, createdAt)
     VALUES (?, ?, ?, ?, 'USD', 'USD', ?, ?, 'paid', 0, ?, ?, ?, 1, ?)`,
  );
  const insertAnswer = db.prepare(
    `INSERT INTO "SurveyResponse" (shop, orderId, customerId, nps, csat, ces, attributionOption, attributionOther, comment,
       locale, surface, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, 'en', 'thank-you', ?, ?)`,
  );
  const insertRefund = db.prepare(
    `INSERT INTO "Refund" (shop, id, orderId, amountMinor, currency, shopAmountMinor, createdAt) VALUES (?, ?, ?, ?, 'USD', ?, ?)`,
  );

  db.transaction(() => {
    for (let c = 0; c < customers; c++) {
      insertCustomer.run(shop, String(1_000_000 + c), `Shopper${c}`, `shopper${c}@example.com`, now - span, now, TIERS[c % TIERS.length]);
    }
  })();

  const batch = 50_000;
  for (let start = 0; start < orders; start += batch) {
    db.transaction(() => {
      for (let o = start; o < Math.min(orders, start + batch); o++) {
        const placedAt = now - Math.floor(rand() * span);
        const guest = rand() < 0.1;
        const customerId = guest ? null : String(1_000_000 + Math.floor(rand() * customers));
        const total = 1500 + Math.floor(rand() * 40000);
        const orderId = String(5_000_000_000 + o);
        const cancelled = rand() < 0.02 ? placedAt + DAY : null;
        insertOrder.run(shop, orderId, `#${o}`, customerId, total, total, cancelled, placedAt, placedAt, placedAt);
        if (o < answers) {
          const nps = Math.min(10, Math.floor(rand() * 12));
          const csat = rand() < 0.8 ? 1 + Math.floor(rand() * 5) : null;
          const ces = rand() < 0.4 ? 1 + Math.floor(rand() * 7) : null;
          const option = rand() < 0.6 ? OPTIONS[Math.floor(rand() * OPTIONS.length)] : null;
          const comment = rand() < 0.25 ? COMMENTS[Math.floor(rand() * COMMENTS.length)] : null;
          const answeredAt = Math.min(now - 1, placedAt + Math.floor(rand() * 3_600_000));
          insertAnswer.run(shop, orderId, customerId, nps, csat, ces, option, comment, answeredAt, answeredAt);
        }
        if (rand() < 0.05) insertRefund.run(shop, `r${orderId}`, orderId, Math.floor(total / 2), Math.floor(total / 2), placedAt + 5 * DAY);
      }
    })();
  }
  // The customer facts the app keeps on every order event (here only the latest order, which the dashboard counts).
  db.prepare(
    `UPDATE "Customer" SET lastOrderAt = (SELECT MAX(o.placedAt) FROM "Order" o INDEXED BY "Order_shop_customerId_placedAt_idx"
       WHERE o.shop = "Customer".shop AND o.customerId = "Customer".id AND o.test = 0 AND o.cancelledAt IS NULL)
     WHERE shop = ?`,
  ).run(shop);
  return { answers, orders, customers };
}

/**
 * Seeds several shops at once the way a bulk import into an empty database would: the rollup triggers are set
 * aside while the rows go in, then the rollups are built set-wise by the same backfill the migration runs
 * (prisma/sql/cx-rollups.mjs), and the triggers come back. Row-by-row triggers would take minutes for a million
 * answers. Only for a database whose rollup tables are still empty.
 */
export async function seedDashboardShops(db, shops, scopes) {
  const { backfill } = await import("../../prisma/sql/cx-rollups.mjs");
  const rollupRows = db.prepare(`SELECT (SELECT COUNT(*) FROM "CxDaily") + (SELECT COUNT(*) FROM "OrderDaily") AS n`).get().n;
  if (rollupRows) throw new Error("seedDashboardShops needs empty rollup tables");
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all();
  for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
  try {
    for (const { shop, size } of shops) {
      seedShop(db, shop, scopes);
      seedAnswers(db, shop, size);
    }
    db.transaction(() => db.exec(backfill()))();
  } finally {
    for (const { sql } of triggers) db.exec(sql);
  }
}
