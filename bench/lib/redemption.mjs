// Reward redemption from the customer account (decision 035): `POST /api/customer-account/rewards` with customer
// account session tokens, through the production build, with Shopify's Admin API answered on loopback through the
// build's Admin API test seam (AFTERGLOW_TEST_ADMIN_API_ORIGIN, accepted only with AFTERGLOW_FAULT_TESTING=1).
import { randomUUID } from "node:crypto";
import http from "node:http";
import { EXTENSIONS, GRAPHQL } from "./import-shopify.mjs";
import { fixedRate } from "./load.mjs";
import { one, seedShop } from "./seed.mjs";
import { freePort, startServer } from "./server.mjs";
import { BROWSER, jwt } from "./tokens.mjs";

/** The budget rate. The shop limit is 600 redemptions a minute (10/s), so the load is spread over this many shops. */
export const REDEEM_RATE = 50;
const SHOPS = Array.from({ length: 8 }, (_, i) => `bench-rewards-${i + 1}.myshopify.com`);
/** Customers per shop, each able to redeem many times: the customer limit is 10 a minute. */
const CUSTOMERS = 150;
const POINTS = 100_000;
const COST = 100;

/**
 * What the stand-in answers besides the codes: the customer mirror's calls that each redemption queues (the balance
 * in the loyalty metafield, a tier tag), accepted as Shopify accepts them, so that the server's background work is
 * what it is in a shop: the outbox sending them as they come, measured with the redemptions.
 */
const MIRROR_ANSWERS = {
  AfterglowMetafieldsSet: { metafieldsSet: { metafields: [], userErrors: [] } },
  AfterglowTagsAdd: { tagsAdd: { userErrors: [] } },
  AfterglowTagsRemove: { tagsRemove: { userErrors: [] } },
};

/** Shopify's discount code mutations, answered as created, and the customer mirror's calls; anything else as not found. */
async function startRewardsShopify(port) {
  let created = 0;
  let mirrored = 0;
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const { query = "" } = JSON.parse(body || "{}");
    const operation = /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(query)?.[1] ?? "anonymous";
    const field = /^AfterglowRewardCode(Basic|FreeShipping)Create$/.exec(operation)?.[1];
    res.writeHead(200, { "content-type": "application/json" });
    if (GRAPHQL.test(req.url ?? "") && field) {
      created += 1;
      const data = { [`discountCode${field}Create`]: { codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${created}` }, userErrors: [] } };
      res.end(JSON.stringify({ data, extensions: EXTENSIONS }));
    } else if (GRAPHQL.test(req.url ?? "") && MIRROR_ANSWERS[operation]) {
      mirrored += 1;
      res.end(JSON.stringify({ data: MIRROR_ANSWERS[operation], extensions: EXTENSIONS }));
    } else {
      res.end(JSON.stringify({ errors: [{ message: `no answer for ${operation}` }], extensions: EXTENSIONS }));
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    created: () => created,
    mirrored: () => mirrored,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The shops, each with an amount-off reward and customers holding points (spendable at once). */
async function seedRewardShops(db, scopes) {
  const now = new Date();
  for (const shop of SHOPS) {
    await seedShop(db, shop, scopes);
    await db.query(
      `INSERT INTO "Reward" ("shop", "title", "kind", "pointsCost", "amountMinor", "currency", "validityDays", "createdAt", "updatedAt")
       VALUES ($1, '1.00 off', 'fixed_amount', $2, 100, 'USD', 30, $3, $3)`,
      [shop, COST, now],
    );
    // The balance as the ledger has it: one staff adjustment each (the ledger is what a redemption books against).
    // In the default programme's first tier already (no spend yet), as a shopper who has points is: a redemption
    // changes their balance, not their tier.
    await db.query(
      `INSERT INTO "Customer" ("shop", "id", "pointsBalance", "tierSlug", "createdAt", "updatedAt")
       SELECT $1, (7000000000 + n)::text, $2, 'bronze', $3, $3 FROM generate_series(1, $4) AS n`,
      [shop, POINTS, now, CUSTOMERS],
    );
    await db.query(
      `INSERT INTO "PointsLedger" ("shop", "customerId", "points", "kind", "sourceKey", "note", "staff", "createdAt")
       SELECT $1, (7000000000 + n)::text, $2, 'adjustment', 'adjust:bench-' || n, 'Benchmark points', 'Benchmark', $3 FROM generate_series(1, $4) AS n`,
      [shop, POINTS, now, CUSTOMERS],
    );
  }
  return (await one(db, `SELECT MIN("id") AS id FROM "Reward" WHERE "shop" = $1`, [SHOPS[0]])).id;
}

/** What the customer account extension's `shopify.sessionToken.get()` returns for a signed-in customer. */
function customerAccountToken({ apiKey, secret, shop, customerId }) {
  const now = Math.floor(Date.now() / 1000);
  return jwt(secret, { dest: `https://${shop}`, aud: apiKey, sub: `gid://shopify/Customer/${customerId}`, iat: now - 5, nbf: now - 5, exp: now + 300, jti: randomUUID() });
}

/**
 * `runs` runs of `seconds` at REDEEM_RATE, round-robin over the shops and their customers, each request a new
 * idempotency key. Returns the runs and what was stored: every acknowledged redemption issued once, its points taken.
 */
export async function measureRedemption({ db, root, env, apiKey, secret, scopes, seconds, runs, log }) {
  await seedRewardShops(db, scopes);
  const rewardIds = new Map((await db.query(`SELECT "shop", "id" FROM "Reward" WHERE "shop" LIKE 'bench-rewards-%'`)).rows.map((r) => [r.shop, r.id]));
  const shopify = await startRewardsShopify(await freePort());
  const port = await freePort();
  const server = await startServer({
    root,
    env: { ...env, PORT: String(port), SHOPIFY_APP_URL: `http://127.0.0.1:${port}`, AFTERGLOW_FAULT_TESTING: "1", AFTERGLOW_TEST_ADMIN_API_ORIGIN: shopify.origin },
  });
  let sequence = 0;
  const request = () => {
    const n = sequence++;
    const shop = SHOPS[n % SHOPS.length];
    const customerId = String(7000000000 + 1 + (Math.floor(n / SHOPS.length) % CUSTOMERS));
    const body = JSON.stringify({ rewardId: rewardIds.get(shop), idempotencyKey: randomUUID() });
    const token = customerAccountToken({ apiKey, secret, shop, customerId });
    return { body, headers: { "content-type": "application/json", authorization: `Bearer ${token}`, origin: "https://extensions.shopifycdn.com", "user-agent": BROWSER } };
  };
  try {
    const measured = [];
    // Warm-up (JIT, prepared statements), at the budget rate: not timed. At a lower rate the first timed seconds
    // still paid for the server's warming to this rate (every core busy for about 4 s).
    await fixedRate({ url: server.url, path: "/api/customer-account/rewards", rate: REDEEM_RATE, seconds: 3, makeRequest: request });
    for (let i = 0; i < runs; i++) {
      log(`reward redemptions at ${REDEEM_RATE}/s (run ${i + 1} of ${runs})`);
      measured.push(await fixedRate({ url: server.url, path: "/api/customer-account/rewards", rate: REDEEM_RATE, seconds, makeRequest: request }));
    }
    const stored = await one(
      db,
      `SELECT COUNT(*) FILTER (WHERE "status" = 'issued') AS issued, COUNT(*) AS redemptions FROM "RewardRedemption" WHERE "shop" LIKE 'bench-rewards-%'`,
    );
    const spent = await one(db, `SELECT COALESCE(SUM($1::bigint - "pointsBalance"), 0) AS points FROM "Customer" WHERE "shop" LIKE 'bench-rewards-%'`, [POINTS]);
    return {
      runs: measured,
      check: { sent: sequence, issued: Number(stored.issued), redemptions: Number(stored.redemptions), pointsSpent: Number(spent.points), cost: COST, created: shopify.created(), mirrored: shopify.mirrored() },
    };
  } finally {
    await server.stop();
    await shopify.close();
  }
}
