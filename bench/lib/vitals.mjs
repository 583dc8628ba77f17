// Core Web Vitals of the admin pages in Chromium: the demo build (the same pages, seeded demo shop, no Shopify
// admin frame) on loopback. LCP and CLS from the browser's own PerformanceObserver entries after load; INP from
// the event timing of a real interaction on each page (a click on its first visible tab or button).
import { chromium } from "playwright-core";
import { dropDatabase, migrateFreshDatabase } from "../../scripts/lib/embedded-postgres.mjs";
import { freePort, startServer } from "./server.mjs";

export const PAGES = ["/app", "/app/survey", "/app/loyalty", "/app/customers", "/app/returns", "/app/followups", "/app/privacy"];

const OBSERVE = () => {
  window.__vitals = { lcp: 0, cls: 0, inp: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__vitals.lcp = Math.max(window.__vitals.lcp, e.startTime);
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__vitals.cls += e.value;
  }).observe({ type: "layout-shift", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.interactionId) window.__vitals.inp = Math.max(window.__vitals.inp, e.duration);
  }).observe({ type: "event", buffered: true, durationThreshold: 16 });
  // Always reported for the first interaction, whatever its duration: proves the click was seen.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__vitals.inputs = (window.__vitals.inputs ?? 0) + 1;
      window.__vitals.inp = Math.max(window.__vitals.inp, e.duration);
    }
  }).observe({ type: "first-input", buffered: true });
};

/**
 * Starts the demo server on a fresh database (`afterglow_bench_demo`, migrated, on the benchmark's PostgreSQL server
 * of `adminUrl`). It seeds the demo shop before it answers /healthz, which takes a while.
 */
export async function startDemo(root, adminUrl) {
  const name = "afterglow_bench_demo";
  const url = await migrateFreshDatabase(adminUrl, name);
  const port = await freePort();
  const server = await startServer({
    root,
    args: ["--demo"],
    timeoutMs: 600_000,
    env: { NODE_ENV: "production", AFTERGLOW_DEMO: "1", DATABASE_URL: url, HOST: "127.0.0.1", PORT: String(port), SHOPIFY_API_SECRET: "bench-demo-secret" },
  });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await dropDatabase(adminUrl, name);
    },
  };
}

export async function measureVitals(server, log) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const rows = [];
  try {
    for (const page of PAGES) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const tab = await context.newPage();
      await tab.addInitScript(OBSERVE);
      // A first visit fills the HTTP cache like a merchant's earlier visit; the measured one is a fresh load.
      await tab.goto(server.url + page, { waitUntil: "load" });
      await tab.goto(server.url + page, { waitUntil: "load" });
      await tab.waitForTimeout(1000);
      // A real click (pointer and mouse events from the browser) on the first visible tab or button of the page.
      await tab.locator('[role="tab"]:visible:not([aria-disabled="true"]), button:visible:not([disabled]):not([aria-disabled="true"])').first().click();
      await tab.waitForTimeout(500);
      const vitals = await tab.evaluate(() => window.__vitals);
      if (!vitals.inputs) throw new Error(`no interaction was registered on ${page}`);
      rows.push({ page, ...vitals });
      log(`${page}: LCP ${vitals.lcp.toFixed(0)} ms, CLS ${vitals.cls.toFixed(3)}, INP ${vitals.inp.toFixed(0)} ms`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return rows;
}
