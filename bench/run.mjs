#!/usr/bin/env node
/**
 * Afterglow's benchmark: the production build on loopback against a temp SQLite database, each measure beside its
 * floor on the same machine in the same run, checked against the budgets in DESIGN.md.
 *
 *   npm run bench                      # build, then every measure; writes bench/results.md; exit 1 on a missed budget
 *   npm run bench -- --skip-build      # reuse build/ as it is
 *   npm run bench -- --sizes=10000     # dashboard sizes (default 10000,100000,1000000)
 *   npm run bench -- --skip-vitals     # leave out the admin pages' web vitals (demo build in Chromium)
 *   npm run bench -- --keep-db         # keep the seeded database (its path is printed) to look into afterwards
 */
import { execFileSync, execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { dashboardShop, measureDashboard } from "./lib/dashboard.mjs";
import { fixedRate, maxRate } from "./lib/load.mjs";
import { orderPayload, surveyPayload } from "./lib/payloads.mjs";
import { machine, renderReport } from "./lib/report.mjs";
import { openDb, seedDashboardShops, seedShop } from "./lib/seed.mjs";
import { freePort, startServer } from "./lib/server.mjs";
import { measureSizes } from "./lib/sizes.mjs";
import { measureVitals, startDemo } from "./lib/vitals.mjs";
import { BROWSER, checkoutSessionToken, webhookHeaders } from "./lib/tokens.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;

const API_KEY = "bench-api-key";
const SECRET = "bench-api-secret";
const SCOPES = "read_orders,read_products,read_customers,write_customers,write_legal_policies";
const WEBHOOK_SHOP = "bench-webhooks.myshopify.com";
const SURVEY_SHOPS = [1, 2, 3, 4].map((i) => `bench-survey-${i}.myshopify.com`);
const SIZES = option("sizes", "10000,100000,1000000").split(",").filter((s) => s && s !== "none").map(Number);
const RATES = [50, 200, 500];
const SECONDS = Number(option("seconds", 10));

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

async function main() {
  const started = Date.now();
  if (!flag("skip-build")) {
    log("npm run build");
    execSync("npm run build", { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    if (!flag("skip-vitals")) {
      log("npm run build:demo");
      execSync("npm run build:demo", { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    }
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-bench-"));
  const file = path.join(dir, "bench.sqlite");
  log(`database ${file}`);
  execFileSync(path.join(ROOT, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${file}` }, stdio: "pipe" });
  const db = openDb(file);

  // The dashboard shops first, in bulk (10k, 100k and 1M answers with their orders): every later measure runs
  // against a database of realistic size.
  const seedStarted = Date.now();
  await seedDashboardShops(db, SIZES.map((size) => ({ shop: dashboardShop(size), size })), SCOPES);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.exec("ANALYZE");
  const seedSeconds = Math.round((Date.now() - seedStarted) / 1000);
  log(`seeded ${SIZES.join(" + ")} answers in ${seedSeconds} s`);
  for (const shop of [WEBHOOK_SHOP, ...SURVEY_SHOPS]) seedShop(db, shop, SCOPES);

  const port = await freePort();
  const env = {
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${file}`,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    SCOPES,
    AFTERGLOW_BENCH: "1",
  };
  const server = await startServer({ root: ROOT, env });
  // The server keeps ANALYZE's table statistics but drops its STAT4 samples at start-up (app/db.server.ts,
  // dropValueSamples): the floor's connection reloads the statistics so both plan with the same ones.
  db.exec("ANALYZE sqlite_schema");
  const results = { machine: machine(db), seedSeconds, webhook: [], survey: null, dashboard: [], sizes: null };
  try {
    // Webhooks: the real orders/create route against the HMAC-only floor, same server, same run.
    let sequence = 0;
    const delivery = (topic) => () => {
      const body = orderPayload(sequence++);
      return { body, headers: webhookHeaders({ secret: SECRET, shop: WEBHOOK_SHOP, topic, body }) };
    };
    const routes = { ingest: "/webhooks/orders/create", floor: "/bench/webhook-floor" };
    // Warm both routes (JIT, prepared statements, the session cache) before anything is timed.
    let warmupSent = 0;
    let warmupAcknowledged = 0;
    for (const [name, path] of Object.entries(routes)) {
      const warm = await fixedRate({ url: server.url, path, rate: 100, seconds: 2, makeRequest: delivery("orders/create") });
      if (name === "ingest") [warmupSent, warmupAcknowledged] = [warm.requests, warm.ok];
    }
    for (const rate of RATES) {
      for (const [name, path] of Object.entries(routes)) {
        log(`webhook ${name} at ${rate}/s`);
        const r = await fixedRate({ url: server.url, path, rate, seconds: SECONDS, makeRequest: delivery("orders/create") });
        results.webhook.push({ kind: "rate", route: name, rate, ...r });
      }
    }
    for (const [name, path] of Object.entries(routes)) {
      log(`webhook ${name} throughput`);
      const r = await maxRate({ url: server.url, path, seconds: SECONDS, makeRequest: delivery("orders/create") });
      results.webhook.push({ kind: "max", route: name, ...r });
    }
    const applied = db.prepare(`SELECT COUNT(*) AS n FROM "Order" WHERE shop = ?`).get(WEBHOOK_SHOP).n;
    const acknowledged = results.webhook.filter((w) => w.route === "ingest").reduce((n, w) => n + w.ok, 0);
    const sent = results.webhook.filter((w) => w.route === "ingest").reduce((n, w) => n + w.requests, 0) + warmupSent;
    results.webhookCheck = { acknowledged: acknowledged + warmupAcknowledged, applied, sent };

    // Survey answers from the extension: valid session tokens, a fresh order each, spread over four shops.
    let answer = 0;
    log("survey answers at 100/s");
    results.survey = await fixedRate({
      url: server.url,
      path: "/api/checkout/survey",
      rate: 100,
      seconds: SECONDS,
      makeRequest: () => {
        const shop = SURVEY_SHOPS[answer % SURVEY_SHOPS.length];
        const body = surveyPayload(answer++);
        const token = checkoutSessionToken({ apiKey: API_KEY, secret: SECRET, shop });
        return { body, headers: { "content-type": "application/json", authorization: `Bearer ${token}`, origin: "https://extensions.shopifycdn.com", "user-agent": BROWSER } };
      },
    });
    results.surveyCheck = { acknowledged: results.survey.ok, stored: db.prepare(`SELECT (SELECT COUNT(*) FROM "SurveyResponse" WHERE shop LIKE 'bench-survey-%') + (SELECT COUNT(*) FROM "PendingSurveyAnswer" WHERE shop LIKE 'bench-survey-%') AS n`).get().n }; // answers to orders not stored wait in PendingSurveyAnswer (decision 022)

    // Dashboard: the loader over 10k / 100k / 1M answers against hand-written SQL on the same data.
    for (const size of SIZES) {
      log(`dashboard over ${size.toLocaleString("en-US")} answers`);
      results.dashboard.push(...(await measureDashboard({ db, server, size, apiKey: API_KEY, secret: SECRET, log })));
    }
  } finally {
    await server.stop();
    db.close();
  }
  results.sizes = await measureSizes(ROOT);
  if (!flag("skip-vitals")) {
    // Started only now: the demo server delivers its seeded outbox in the background (a burst every 15 s), which
    // would compete for the two cores with the timed runs above.
    log("demo server");
    const server = await startDemo(ROOT);
    try {
      log("admin pages in Chromium");
      results.vitals = await measureVitals(server, log);
    } finally {
      await server.stop();
    }
  }
  results.seconds = Math.round((Date.now() - started) / 1000);

  const { markdown, missed } = renderReport(results);
  process.stdout.write(`${markdown}\n`);
  fs.writeFileSync(path.join(ROOT, "bench", "results.md"), `${markdown}\n`);
  if (flag("keep-db")) log(`database kept: ${file}`);
  else fs.rmSync(dir, { recursive: true, force: true });
  if (missed.length) {
    process.stdout.write(`\nBudgets missed: ${missed.join("; ")}\n`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
