// The historical import measure (issue 19): a shop installs with `orders` past orders. The dashboard's "Import past
// orders" starts the job on the production server; Shopify's side (the bulk export, its file) is ./import-shopify.mjs.
// Half-way through, the server is killed (SIGKILL: nothing finishes, nothing is flushed) and a new one started: its
// takeover check resumes the job once the dead instance's lease has run out, from the checkpoint. Measured: the
// orders applied per second of applying (the wait for the lease is reported apart), the server processes' peak
// resident memory (VmHWM, read from /proc), and that every order, refund and customer is there exactly once.
import fs from "node:fs";
import { expectedImport } from "./import-orders.mjs";
import { startImportShopify } from "./import-shopify.mjs";
import { seedShop } from "./seed.mjs";
import { freePort, startServer } from "./server.mjs";
import { adminSessionToken, BROWSER } from "./tokens.mjs";

export const IMPORT_ORDERS = 1_000_000;
const SHOP = "bench-import.myshopify.com";
const POLL_MS = 250;

/** The process's peak resident set so far, in bytes (Linux: VmHWM in /proc/<pid>/status); null when unreadable. */
function peakRss(pid) {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function importJob(db) {
  return (await db.query(`SELECT "id", "status", "done", "total", "leaseOwner", "claims", "detail" FROM "Job" WHERE "shop" = $1 AND "kind" = 'order-import' ORDER BY "id" DESC LIMIT 1`, [SHOP])).rows[0];
}

/** What the import left in the database, to hold against `expectedImport`. */
async function imported(db) {
  return (await db.query(
    `SELECT (SELECT COUNT(*) FROM "Order" WHERE "shop" = $1)::int AS "orders",
            (SELECT COUNT(*) FROM "Refund" WHERE "shop" = $1)::int AS "refunds",
            (SELECT COUNT(*) FROM "Customer" WHERE "shop" = $1)::int AS "customers",
            (SELECT COALESCE(SUM("orderCount"), 0) FROM "Customer" WHERE "shop" = $1)::int AS "customerOrders",
            (SELECT COALESCE(SUM("lifetimeNetMinor"), 0) FROM "Customer" WHERE "shop" = $1)::text AS "netMinor",
            (SELECT COUNT(*) FROM "PointsLedger" WHERE "shop" = $1 AND "kind" = 'order')::int AS "orderBookings"`,
    [SHOP],
  )).rows[0];
}

/**
 * Runs the import of `orders` orders through the production server started with `env` (the benchmark's, without
 * PORT), kills it at half-way and lets a second server finish. Returns the figures and the checks.
 */
export async function measureImport({ db, root, env, orders = IMPORT_ORDERS, apiKey, secret, scopes, log, nodeArgs = [] }) {
  await seedShop(db, SHOP, scopes);
  const shopify = await startImportShopify({ port: await freePort(), orders });
  const start = async () => {
    const port = await freePort();
    return startServer({
      root,
      nodeArgs,
      env: { ...env, PORT: String(port), SHOPIFY_APP_URL: `http://127.0.0.1:${port}`, AFTERGLOW_FAULT_TESTING: "1", AFTERGLOW_TEST_ADMIN_API_ORIGIN: shopify.origin },
    });
  };
  const peaks = [];
  let server = await start();
  try {
    log(`import of ${orders.toLocaleString("en-US")} orders: started from the dashboard`);
    const started = performance.now();
    const body = new URLSearchParams({ intent: "import-orders" });
    const res = await fetch(`${server.url}/app.data?index`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminSessionToken({ apiKey, secret, shop: SHOP })}`, "content-type": "application/x-www-form-urlencoded", "user-agent": BROWSER },
      body,
    });
    const answer = await res.text();
    if (res.status !== 200) throw new Error(`the dashboard's import answered ${res.status}: ${answer.slice(0, 300)}`);

    // Until half the orders are applied, then a crash.
    let job;
    let peak = 0;
    for (;;) {
      job = await importJob(db);
      peak = Math.max(peak, peakRss(server.pid) ?? 0);
      if (job?.status !== "running") throw new Error(`the import ended ${job?.status ?? "unstarted"} before half-way: ${job?.detail ?? ""}`);
      if (job.total > 0 && job.done >= job.total / 2) break;
      await sleep(POLL_MS);
    }
    const beforeKill = { ms: performance.now() - started, done: job.done, owner: job.leaseOwner };
    peaks.push(Math.max(peak, peakRss(server.pid) ?? 0));
    log(`import: SIGKILL at ${job.done.toLocaleString("en-US")} of ${job.total.toLocaleString("en-US")} orders`);
    await server.kill();
    const killedAt = performance.now();

    // A new instance takes the job over once the dead one's lease has run out, and finishes it.
    server = await start();
    peak = 0;
    let resumedAt = null;
    for (;;) {
      job = await importJob(db);
      peak = Math.max(peak, peakRss(server.pid) ?? 0);
      if (resumedAt === null && job.leaseOwner !== null && job.leaseOwner !== beforeKill.owner) resumedAt = performance.now();
      if (job.status !== "running") break;
      await sleep(POLL_MS);
    }
    const finishedAt = performance.now();
    peaks.push(Math.max(peak, peakRss(server.pid) ?? 0));
    if (job.status !== "done") throw new Error(`the import ended ${job.status}: ${job.detail ?? ""}`);
    resumedAt ??= finishedAt;

    log("import: checking every order is there once");
    const expected = expectedImport(orders);
    const got = await imported(db);
    const checks = {
      orders: got.orders === expected.orders,
      refunds: got.refunds === expected.refunds,
      customers: got.customers === expected.customers,
      customerOrders: got.customerOrders === expected.customerOrders && got.orderBookings === expected.customerOrders,
      netMinor: got.netMinor === expected.netMinor,
      jobDone: job.done === expected.orders,
    };
    const applyingMs = beforeKill.ms + (finishedAt - resumedAt);
    return {
      orders,
      refunds: expected.refunds,
      customers: expected.customers,
      applyingMs,
      perSecond: orders / (applyingMs / 1000),
      killedAtDone: beforeKill.done,
      takeoverMs: resumedAt - killedAt,
      claims: job.claims,
      peakRssBytes: peaks,
      expected,
      got,
      checks,
      calls: shopify.calls(),
    };
  } finally {
    await server.stop();
    await shopify.close();
  }
}
