// The programme-change measure: a threshold change over 200,000 customers that moves most of them, applied by the
// app (the Loyalty page's save, then its recompute job, through the production server) against a hand-written
// set-based floor doing the same work on an identical shop of the same database (the tiers updated, one tier-history
// row and the Shopify calls of each changed customer inserted), in one statement.
import { seedShop } from "./seed.mjs";
import { adminSessionToken, BROWSER } from "./tokens.mjs";

export const RECOMPUTE_CUSTOMERS = 200_000;
const APP_SHOP = "bench-recompute.myshopify.com";
const FLOOR_SHOP = "bench-recompute-floor.myshopify.com";

/** The default programme's tiers (Bronze from 0, Silver from 250.00, Gold from 1,000.00 USD), as the shops start. */
const BEFORE = [
  ["bronze", 0],
  ["silver", 25_000],
  ["gold", 100_000],
];
/** The change: Silver from 50.00 and Gold from 200.00. With spend spread evenly over 0–999.99, 95 % of customers move. */
const AFTER = [
  ["bronze", 0],
  ["silver", 5_000],
  ["gold", 20_000],
];

const tierSql = (tiers) => `CASE ${[...tiers].reverse().map(([slug, threshold]) => `WHEN c."lifetimeNetMinor" >= ${threshold} THEN '${slug}'`).join(" ")} END`;

/**
 * Two shops of `customers` customers each (200,000 unless the quick mode says fewer), each with one order (spend spread
 * over 0–999.99 USD), tiers as the default programme gives. Loaded with the rollup triggers set aside: these shops
 * serve the programme change only, and nothing reads their daily rollups.
 */
export async function seedRecomputeShops(db, scopes, customers = RECOMPUTE_CUSTOMERS) {
  await db.query(`SELECT "cx_rollup_triggers"(false)`);
  try {
    for (const shop of [APP_SHOP, FLOOR_SHOP]) {
      await seedShop(db, shop, scopes);
      await db.query(
        `INSERT INTO "Customer" ("shop", "id", "firstName", "lastName", "email", "createdAt", "updatedAt", "orderCount", "lifetimeNetMinor",
           "lifetimeGrossMinor", "factsAt")
         SELECT $1, (5000000 + n)::text, 'Member' || n, 'Bench', 'member' || n || '@example.com', now(), now(), 1, (n * 7919) % 100000,
           (n * 7919) % 100000, now()
         FROM generate_series(1, $2::integer) AS n`,
        [shop, customers],
      );
      // Each customer's spend is one order of theirs, placed in the last 300 days: the recompute refreshes every
      // customer's facts from their orders before it re-evaluates tiers, so the facts must be the orders'.
      await db.query(
        `INSERT INTO "Order" ("shop", "id", "name", "customerId", "currency", "presentmentCurrency", "totalMinor", "presentmentTotalMinor",
           "financialStatus", "test", "placedAt", "shopifyUpdatedAt", "lineItemCount", "createdAt")
         SELECT $1, (8000000000 + n)::text, '#R' || n, (5000000 + n)::text, 'USD', 'USD', (n * 7919) % 100000, (n * 7919) % 100000,
           'paid', false, now() - (n % 300) * interval '1 day', now() - (n % 300) * interval '1 day', 1, now()
         FROM generate_series(1, $2::integer) AS n`,
        [shop, customers],
      );
      await db.query(
        `UPDATE "Customer" c SET "tierSlug" = ${tierSql(BEFORE)}, "rolling12NetMinor" = c."lifetimeNetMinor", "rolling12Orders" = 1,
           "firstOrderAt" = o."placedAt", "lastOrderAt" = o."placedAt"
         FROM "Order" o WHERE c."shop" = $1 AND o."shop" = c."shop" AND o."customerId" = c."id"`,
        [shop],
      );
    }
  } finally {
    await db.query(`SELECT "cx_rollup_triggers"(true)`);
  }
}

/** The editor's form for the changed programme (what the Loyalty page posts: thresholds in currency units, as text). */
function changedForm() {
  const names = { bronze: "Bronze", silver: "Silver", gold: "Gold" };
  const colors = { bronze: "#A97142", silver: "#8A8D91", gold: "#C9A227" };
  return {
    basis: "spend",
    window: "lifetime",
    pointsPerUnit: "1",
    tiers: AFTER.map(([slug, threshold], i) => ({
      key: `tier-${i}`,
      name: names[slug],
      threshold: (threshold / 100).toFixed(2),
      perkText: `${names[slug]} perks`,
      discountPercent: "",
      freeShipping: false,
      color: colors[slug],
    })),
  };
}

/** The floor: the same changes as one hand-written statement (tiers, history, tagsRemove / tagsAdd / metafieldsSet). */
const FLOOR_SQL = `
  WITH "next" AS (
    SELECT c."id", c."tierSlug" AS "fromSlug", ${tierSql(AFTER)} AS "toSlug", c."pointsBalance"
    FROM "Customer" c WHERE c."shop" = $1 ORDER BY c."id" FOR UPDATE
  ), "changed" AS (
    UPDATE "Customer" c SET "tierSlug" = n."toSlug", "updatedAt" = now()
    FROM "next" n WHERE c."shop" = $1 AND c."id" = n."id" AND n."fromSlug" IS DISTINCT FROM n."toSlug"
    RETURNING c."id", n."fromSlug", n."toSlug", n."pointsBalance"
  ), "history" AS (
    INSERT INTO "TierChange" ("shop", "customerId", "fromSlug", "toSlug", "cause", "createdAt")
    SELECT $1, ch."id", ch."fromSlug", ch."toSlug", 'recompute', now() FROM "changed" ch
  )
  INSERT INTO "OutboxMessage" ("shop", "operation", "variables", "coalesceKey", "status", "attempts", "nextAttemptAt", "createdAt")
  SELECT $1, m."operation", m."variables", m."coalesceKey", 'pending', 0, now(), now()
  FROM "changed" ch CROSS JOIN LATERAL (VALUES
    ('tagsRemove', json_build_object('id', 'gid://shopify/Customer/' || ch."id", 'tags', json_build_array('afterglow-tier-' || ch."fromSlug"))::text, NULL),
    ('tagsAdd', json_build_object('id', 'gid://shopify/Customer/' || ch."id", 'tags', json_build_array('afterglow-tier-' || ch."toSlug"))::text, NULL),
    ('metafieldsSet', json_build_object('metafields', json_build_array(json_build_object('ownerId', 'gid://shopify/Customer/' || ch."id",
       'namespace', '$app:loyalty', 'key', 'status', 'type', 'json',
       'value', json_build_object('tier', initcap(ch."toSlug"), 'tierSlug', ch."toSlug", 'points', ch."pointsBalance")::text)))::text,
     'loyalty-status:' || ch."id")
  ) AS m("operation", "variables", "coalesceKey")
  WHERE m."operation" <> 'tagsRemove' OR ch."fromSlug" IS NOT NULL`;

const work = async (db, shop) => {
  const row = (await db.query(
    `SELECT (SELECT COUNT(*) FROM "TierChange" WHERE "shop" = $1)::int AS "history",
            (SELECT COUNT(*) FROM "OutboxMessage" WHERE "shop" = $1)::int AS "calls",
            (SELECT COUNT(*) FROM "Customer" WHERE "shop" = $1 AND "tierSlug" = 'gold')::int AS "gold"`,
    [shop],
  )).rows[0];
  return row;
};

/**
 * Times the app's recompute (POST the changed programme, then wait for its job to finish) and the floor, and checks
 * that both did the same work (history rows, queued calls, resulting tiers).
 */
export async function measureRecompute({ db, server, apiKey, secret, log }) {
  const customers = (await db.query(`SELECT COUNT(*)::int AS n FROM "Customer" WHERE "shop" = $1`, [APP_SHOP])).rows[0].n;
  const expected = (await db.query(`SELECT COUNT(*)::int AS n FROM "Customer" c WHERE c."shop" = $1 AND c."tierSlug" IS DISTINCT FROM ${tierSql(AFTER)}`, [APP_SHOP])).rows[0].n;

  log(`programme change over ${customers.toLocaleString("en-US")} customers: the app`);
  const started = performance.now();
  const res = await fetch(`${server.url}/app/loyalty.data`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminSessionToken({ apiKey, secret, shop: APP_SHOP })}`, "content-type": "application/json", "user-agent": BROWSER },
    body: JSON.stringify({ intent: "save", form: changedForm() }),
  });
  const answer = await res.text();
  if (res.status !== 200) throw new Error(`the Loyalty page's save answered ${res.status}: ${answer.slice(0, 300)}`);
  let job;
  for (;;) {
    job = (await db.query(`SELECT "status", "done", "total", "detail" FROM "Job" WHERE "shop" = $1 AND "kind" = 'tier-recompute' ORDER BY "id" DESC LIMIT 1`, [APP_SHOP])).rows[0];
    if (job && job.status !== "running") break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const appMs = performance.now() - started;
  if (job.status !== "done") throw new Error(`the recompute job ended ${job.status}${job.detail ? `: ${job.detail}` : ""}`);

  log("programme change: the set-based floor");
  const floorStarted = performance.now();
  await db.query("BEGIN");
  await db.query(FLOOR_SQL, [FLOOR_SHOP]);
  await db.query("COMMIT");
  const floorMs = performance.now() - floorStarted;

  const app = await work(db, APP_SHOP);
  const floor = await work(db, FLOOR_SHOP);
  if (app.history !== expected || floor.history !== expected || app.calls !== floor.calls || app.gold !== floor.gold) {
    throw new Error(`the app and the floor did different work: ${JSON.stringify({ expected, app, floor })}`);
  }
  const mirror = mirrorModel(await queuedMirror(db, APP_SHOP));
  // The calls both shops queued are sent by no one here (the server has no Shopify: their sending is modelled
  // above). Left pending, 1,140,000 messages would keep every later server's background mirror starting, failing and
  // scanning them again through the measures that follow; a shop's mirror takes about half an hour in production.
  await db.query(`DELETE FROM "OutboxMessage" WHERE "shop" = ANY ($1::text[])`, [[APP_SHOP, FLOOR_SHOP]]);
  await db.query(`DELETE FROM "BulkMirrorOperation" WHERE "shop" = ANY ($1::text[])`, [[APP_SHOP, FLOOR_SHOP]]);
  // What autovacuum does next (the deleted messages, 190,000 customers updated twice, their tier history) done now, and
  // the dirty pages written out, as after the seeding: left to run on its own, it ran through the reward redemptions
  // measured next (their p99 25, 77 and 301 ms in three runs, against 21-34 ms on the same database vacuumed).
  await db.query(`VACUUM (ANALYZE) "OutboxMessage", "BulkMirrorOperation", "Customer", "TierChange", "Order"`);
  await db.query("CHECKPOINT");
  return { customers, moved: expected, calls: app.calls, appMs, floorMs, mirror };
}

// Mirroring the change to Shopify (issue 19, docs/decisions/033-bulk-mirror.md): the Admin API cost points per
// changed customer and the wall time on a standard plan, modelled from the calls the app queued. The bench has no
// Shopify: the points follow Shopify's published default costs (10 per mutation, 1 per object of a query), the
// bucket its standard plan (100 points/s), and the bulk operations' processing rate is an assumption, stated.
// The constants are the app's (a test holds them equal: tests/integration/bulk-mirror.test.ts).
export const MIRROR_MODEL = {
  /** app/domain/admin-cost.ts BULK_MUTATION_LINES_PER_SECOND: assumed, Shopify publishes none. */
  linesPerSecond: 200,
  /** app/models/bulk-mirror.server.ts */
  minCustomers: 500,
  maxCustomers: 250_000,
  /** The outbox worker's period (app/services/outbox.server.ts): a mirror is polled once per run. */
  pollSeconds: 15,
  /** Requested costs: stagedUploadsCreate, bulkOperationRunMutation, the status query; any mutation call. */
  stagePoints: 10 + 10,
  pollPoints: 1,
  mutationPoints: 10,
  metafieldsPerLine: 25,
  /** A standard plan's restore rate, and the quarter of its bucket the outbox leaves to interactive calls. */
  restorePerSecond: 100,
};

/** What the app queued for the shop: changed customers, and how many of them have a tag removed / added / a metafield. */
export async function queuedMirror(db, shop) {
  return (await db.query(
    `SELECT count(DISTINCT "subjectId")::int AS "customers",
            count(DISTINCT "subjectId") FILTER (WHERE "operation" = 'tagsRemove')::int AS "removes",
            count(DISTINCT "subjectId") FILTER (WHERE "operation" = 'tagsAdd')::int AS "adds",
            count(*) FILTER (WHERE "operation" = 'metafieldsSet')::int AS "metafields",
            count(*)::int AS "calls"
     FROM "OutboxMessage" WHERE "shop" = $1`,
    [shop],
  )).rows[0];
}

/**
 * The bulk path against the baseline of three calls (30 points) per changed customer, and against the per-customer
 * path (one call per tag message, metafields 25 to a call). Bulk: per mirror (at most maxCustomers customers), three
 * operations (tagsRemove, tagsAdd, metafieldsSet), each staged and started for 20 points and polled every pollSeconds
 * for 1 point until its lines are done at linesPerSecond; the next stage starts at the poll that sees the previous
 * one done.
 */
export function mirrorModel({ customers, removes, adds, metafields, calls }, model = MIRROR_MODEL) {
  const mirrors = customers >= model.minCustomers ? Math.ceil(customers / model.maxCustomers) : 0;
  const stages = [removes, adds, Math.ceil(metafields / model.metafieldsPerLine)];
  let seconds = 0;
  let points = 0;
  let lines = 0;
  for (let m = 0; m < mirrors; m++) {
    for (const total of stages) {
      const share = Math.ceil(total / mirrors);
      if (share === 0) continue;
      const polls = Math.max(1, Math.ceil(share / model.linesPerSecond / model.pollSeconds));
      seconds += polls * model.pollSeconds;
      points += model.stagePoints + polls * model.pollPoints;
      lines += share;
    }
  }
  const baselinePoints = 3 * model.mutationPoints * customers;
  const perCustomerPathPoints = (calls - metafields) * model.mutationPoints + Math.ceil(metafields / model.metafieldsPerLine) * model.mutationPoints;
  // The per-customer path may use three quarters of the bucket's restore (a quarter is left to interactive calls).
  const perCustomerPathSeconds = perCustomerPathPoints / (model.restorePerSecond * 0.75);
  return {
    customers,
    mirrors,
    lines,
    points,
    pointsPerCustomer: customers ? points / customers : 0,
    baselinePointsPerCustomer: customers ? baselinePoints / customers : 0,
    perCustomerPathPointsPerCustomer: customers ? perCustomerPathPoints / customers : 0,
    fewerThanBaseline: points ? baselinePoints / points : 0,
    seconds,
    perCustomerPathSeconds,
    linesPerSecond: model.linesPerSecond,
    /** The processing rate at which the mirror would take exactly an hour. */
    linesPerSecondForAnHour: lines / (3600 - (seconds - lines / model.linesPerSecond)),
  };
}

/** The mirror figure's section of bench/results.md. */
export function mirrorReport(m, check, quick) {
  const minutes = (s) => `${(s / 60).toFixed(1)} min`;
  return [
    `### Mirroring the change to Shopify (modelled)`,
    "",
    `The calls the app queued for the ${m.customers.toLocaleString("en-US")} changed customers, sent as bulk mutations (docs/decisions/033-bulk-mirror.md): ${m.mirrors} mirror(s) of three operations (tagsRemove, tagsAdd, metafieldsSet with 25 customers a line), ${m.lines.toLocaleString("en-US")} JSONL lines. Points are Shopify's default costs (20 to stage and start an operation, 1 per poll every ${MIRROR_MODEL.pollSeconds} s); the wall time assumes Shopify processes **${m.linesPerSecond} lines/s** (Shopify publishes no rate; the hour holds down to ${Math.ceil(m.linesPerSecondForAnHour)} lines/s).`,
    "",
    "| path | points per changed customer | × fewer than 3 calls | wall time, standard plan | budget |",
    "| --- | --- | --- | --- | --- |",
    `| 3 calls per customer (baseline) | ${m.baselinePointsPerCustomer.toFixed(1)} | 1× | ${minutes((m.baselinePointsPerCustomer * m.customers) / (MIRROR_MODEL.restorePerSecond * 0.75))} | |`,
    `| per-customer outbox (decision 029) | ${m.perCustomerPathPointsPerCustomer.toFixed(1)} | ${(m.baselinePointsPerCustomer / (m.perCustomerPathPointsPerCustomer || 1)).toFixed(1)}× | ${minutes(m.perCustomerPathSeconds)} | |`,
    `| bulk mutations | ${m.pointsPerCustomer.toFixed(4)} | ${Math.round(m.fewerThanBaseline).toLocaleString("en-US")}× | ${minutes(m.seconds)} | ${check(m.fewerThanBaseline >= 10 && m.seconds < 3600, `mirror ${Math.round(m.fewerThanBaseline)}× fewer points, ${minutes(m.seconds)}`)} ≥ 10× fewer, < 1 h${quick ? " (quick mode: not judged at this size)" : ""} |`,
    "",
  ];
}
