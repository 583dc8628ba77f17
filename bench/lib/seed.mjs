// Bulk seeding for the dashboard benchmark, straight into PostgreSQL with `pg`: rows generated in JavaScript (a
// seeded PRNG, the same data on every run) and sent in batches as arrays, one `INSERT … SELECT FROM unnest(…)` per
// table and batch. The rows have the shapes the app writes.
import pg from "pg";

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
const BATCH = 25_000;

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

/**
 * One connection to the benchmark database. bigint and integral numeric values (counts, sums) are read as numbers,
 * as the app's raw SQL reads them.
 */
export async function openDb(connectionString) {
  const integer = (text) => (Number.isSafeInteger(Number(text)) ? Number(text) : BigInt(text));
  const types = {
    getTypeParser(oid, format) {
      if (oid === 20) return integer;
      if (oid === 1700) return (text) => (/^-?\d+$/.test(text) ? integer(text) : Number(text));
      return pg.types.getTypeParser(oid, format);
    },
  };
  const client = new pg.Client({ connectionString, types });
  await client.connect();
  return client;
}

/** The first row of a query's answer. */
export async function one(db, text, values = []) {
  return (await db.query(text, values)).rows[0];
}

/**
 * An installed shop: its profile, an offline session the admin and webhook routes accept, and the online session of
 * the admin session tokens' user ("1", bench/lib/tokens.mjs), so admin requests need no token exchange (decision 049).
 */
export async function seedShop(db, shop, scopes) {
  const now = new Date();
  await db.query(`INSERT INTO "Shop" ("shop", "name", "currency", "timezone", "installedAt", "updatedAt") VALUES ($1, $2, 'USD', 'UTC', $3, $3)`, [
    shop,
    shop.split(".")[0],
    now,
  ]);
  await db.query(`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "scope", "accessToken") VALUES ($1, $2, 'installed', false, $3, $4)`, [
    `offline_${shop}`,
    shop,
    scopes,
    `bench-token-${shop}`,
  ]);
  await db.query(`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "scope", "expires", "accessToken", "userId") VALUES ($1, $2, '', true, $3, $4, $5, 1)`, [
    `${shop}_1`,
    shop,
    scopes,
    new Date(now.getTime() + 30 * 86_400_000),
    `bench-online-token-${shop}`,
  ]);
}

const iso = (ms) => (ms === null ? null : new Date(ms).toISOString());

/**
 * `answers` survey answers over the last 400 days, each with its order, plus 25 % more orders without an answer,
 * about 2.5 orders per customer, one order in ten from a guest, 5 % of orders partly refunded.
 */
export async function seedAnswers(db, shop, answers, now = Date.now()) {
  const rand = random(answers);
  const customers = Math.max(1, Math.round(answers / 2.5));
  const orders = Math.round(answers * 1.25);
  const span = 400 * DAY;

  await db.query(
    `INSERT INTO "Customer" ("shop", "id", "firstName", "lastName", "email", "createdAt", "updatedAt", "tierSlug", "orderCount", "lifetimeNetMinor")
     SELECT $1, (1000000 + c)::text, 'Shopper' || c, 'Bench', 'shopper' || c || '@example.com', $2::timestamptz, $3::timestamptz,
       (ARRAY['bronze', 'silver', 'gold', NULL])[c % 4 + 1], 0, 0
     FROM generate_series(0, $4::int - 1) AS c`,
    [shop, new Date(now - span), new Date(now), customers],
  );
  if (TIERS.length !== 4) throw new Error("the customer insert spells the four tiers out");

  for (let start = 0; start < orders; start += BATCH) {
    const o = { id: [], name: [], customerId: [], total: [], cancelledAt: [], placedAt: [] };
    const a = { orderId: [], customerId: [], nps: [], csat: [], ces: [], option: [], comment: [], at: [] };
    const r = { id: [], orderId: [], amount: [], at: [] };
    for (let n = start; n < Math.min(orders, start + BATCH); n++) {
      const placedAt = now - Math.floor(rand() * span);
      const guest = rand() < 0.1;
      const customerId = guest ? null : String(1_000_000 + Math.floor(rand() * customers));
      const total = 1500 + Math.floor(rand() * 40000);
      const orderId = String(5_000_000_000 + n);
      const cancelled = rand() < 0.02 ? placedAt + DAY : null;
      o.id.push(orderId);
      o.name.push(`#${n}`);
      o.customerId.push(customerId);
      o.total.push(total);
      o.cancelledAt.push(iso(cancelled));
      o.placedAt.push(iso(placedAt));
      if (n < answers) {
        const nps = Math.min(10, Math.floor(rand() * 12));
        const csat = rand() < 0.8 ? 1 + Math.floor(rand() * 5) : null;
        const ces = rand() < 0.4 ? 1 + Math.floor(rand() * 7) : null;
        const option = rand() < 0.6 ? OPTIONS[Math.floor(rand() * OPTIONS.length)] : null;
        const comment = rand() < 0.25 ? COMMENTS[Math.floor(rand() * COMMENTS.length)] : null;
        const answeredAt = Math.min(now - 1, placedAt + Math.floor(rand() * 3_600_000));
        a.orderId.push(orderId);
        a.customerId.push(customerId);
        a.nps.push(nps);
        a.csat.push(csat);
        a.ces.push(ces);
        a.option.push(option);
        a.comment.push(comment);
        a.at.push(iso(answeredAt));
      }
      if (rand() < 0.05) {
        r.id.push(`r${orderId}`);
        r.orderId.push(orderId);
        r.amount.push(Math.floor(total / 2));
        r.at.push(iso(placedAt + 5 * DAY));
      }
    }
    await db.query("BEGIN");
    await db.query(
      `INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor",
         "financialStatus", "test", "cancelledAt", "placedAt", "shopifyUpdatedAt", "lineItemCount", "createdAt")
       SELECT $1, id, name, "customerId", 'USD', 'USD', total, total, 'paid', false, "cancelledAt", "placedAt", "placedAt", 1, "placedAt"
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[], $7::timestamptz[])
         AS t(id, name, "customerId", total, "cancelledAt", "placedAt")`,
      [shop, o.id, o.name, o.customerId, o.total, o.cancelledAt, o.placedAt],
    );
    if (a.orderId.length) {
      await db.query(
        // Sets left as shoppers left them (not completed): each one's "Survey answer received" moment passed when its
        // 24-hour edit window closed (decision 041), as the app's sweep would have marked it. Left unmarked, a million
        // old sets would keep the sweep busy through every measure, which no shop in steady state does.
        `INSERT INTO "SurveyResponse" ("shop", "orderId", "customerId", "nps", "csat", "ces", "attributionOption", "attributionOther", "comment",
           "locale", "surface", "createdAt", "updatedAt", "flowDecidedAt")
         SELECT $1, "orderId", "customerId", nps, csat, ces, option, NULL, comment, 'en', 'thank-you', at, at,
           CASE WHEN at + interval '1 day' <= $10::timestamptz THEN at + interval '1 day' END
         FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::text[], $9::timestamptz[])
           AS t("orderId", "customerId", nps, csat, ces, option, comment, at)`,
        [shop, a.orderId, a.customerId, a.nps, a.csat, a.ces, a.option, a.comment, a.at, new Date(now)],
      );
    }
    if (r.id.length) {
      await db.query(
        `INSERT INTO "Refund" ("shop", "id", "orderId", "amountMinor", "currency", "shopAmountMinor", "createdAt")
         SELECT $1, id, "orderId", amount, 'USD', amount, at FROM unnest($2::text[], $3::text[], $4::bigint[], $5::timestamptz[]) AS t(id, "orderId", amount, at)`,
        [shop, r.id, r.orderId, r.amount, r.at],
      );
    }
    await db.query("COMMIT");
  }
  // The customer facts the app keeps on every order event (here only the latest order, which the dashboard counts).
  await db.query(
    `UPDATE "Customer" c SET "lastOrderAt" = o.last
     FROM (SELECT "customerId", MAX("placedAt") AS last FROM "Order"
           WHERE "shop" = $1 AND "customerId" IS NOT NULL AND NOT "test" AND "cancelledAt" IS NULL GROUP BY "customerId") o
     WHERE c."shop" = $1 AND c."id" = o."customerId"`,
    [shop],
  );
  return { answers, orders, customers };
}

/**
 * Seeds the dashboard shops (each `{ shop, size }`) the way a bulk import into an empty database would: the rollup
 * triggers (migration 20261203000100_cx_rollups) are set aside while the rows go in, then "cx_rollups_rebuild"()
 * — the migration's own set-wise rebuild — computes the answers' derived columns and every rollup row from the source
 * rows and turns the triggers back on. Row-by-row triggers would take many minutes for a million answers. Only for
 * a database whose rollup tables are still empty.
 */
export async function seedDashboardShops(db, shops, scopes, log = () => {}) {
  const { n } = await one(db, `SELECT (SELECT COUNT(*) FROM "CxDaily") + (SELECT COUNT(*) FROM "OrderDaily") AS n`);
  if (n) throw new Error("seedDashboardShops needs empty rollup tables");
  await db.query(`SELECT "cx_rollup_triggers"(false)`);
  try {
    for (const { shop, size } of shops) {
      const started = Date.now();
      await seedShop(db, shop, scopes);
      await seedAnswers(db, shop, size);
      log(`seeded ${shop} (${size.toLocaleString("en-US")} answers) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    const started = Date.now();
    await db.query(`SELECT "cx_rollups_rebuild"()`);
    log(`rollups rebuilt in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await db.query(`SELECT "cx_rollup_triggers"(true)`);
  }
}
