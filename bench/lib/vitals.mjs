// Core Web Vitals of the admin pages in Chromium: the demo build (the same pages, seeded demo shop, no Shopify
// admin frame) on loopback. LCP and CLS from the browser's own PerformanceObserver entries after load; INP from
// the event timing of a real interaction on each page (a click on its first visible tab or button).
import { gzipSync } from "node:zlib";
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

/**
 * The JavaScript a page loads before it is interactive: the module scripts and modulepreloads its server-rendered
 * document names (the route modules and their static imports, which hydration waits for), against the JavaScript it
 * loads after (lazy chunks, such as the charts). Measured in a fresh context (empty cache) on the real network
 * responses: raw bytes as served, and gzip (level 6, computed here so the figure does not depend on the server's
 * compression). A document-named script that was not fetched counts too, by its URL's own fetch.
 */
export async function measureScripts(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const tab = await context.newPage();
    const bodies = new Map();
    tab.on("response", async (response) => {
      const u = new URL(response.url());
      if (!u.pathname.endsWith(".js") || response.status() !== 200) return;
      bodies.set(u.pathname, response.body().catch(() => null));
    });
    const document = await tab.goto(url, { waitUntil: "load" });
    if (!document?.ok()) throw new Error(`${url}: ${document?.status()}`);
    const html = await document.text();
    await tab.waitForLoadState("networkidle");
    await tab.waitForTimeout(1000);
    const named = new Set([...html.matchAll(/["'](\/assets\/[^"'\s]+\.js)["']/g)].map((m) => m[1]));
    const size = async (pathname) => {
      let body = await bodies.get(pathname);
      if (!body) body = Buffer.from(await (await fetch(new URL(pathname, url))).arrayBuffer());
      return { raw: body.length, gzip: gzipSync(body, { level: 6 }).length };
    };
    const sum = async (paths) => {
      const total = { files: paths.length, raw: 0, gzip: 0 };
      for (const p of paths) {
        const s = await size(p);
        total.raw += s.raw;
        total.gzip += s.gzip;
      }
      return total;
    };
    return {
      beforeInteractive: await sum([...named]),
      afterInteractive: await sum([...bodies.keys()].filter((p) => !named.has(p))),
    };
  } finally {
    await context.close();
  }
}

/** The browser the web vitals are measured in (`apt-get install -y chromium`, or CHROMIUM_PATH). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function measureVitals(server, log) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
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
      await context.close();
      const scripts = page === "/app" ? await measureScripts(browser, server.url + page) : undefined;
      rows.push({ page, ...vitals, ...(scripts ? { scripts } : {}) });
      log(`${page}: LCP ${vitals.lcp.toFixed(0)} ms, CLS ${vitals.cls.toFixed(3)}, INP ${vitals.inp.toFixed(0)} ms`);
      if (scripts) {
        const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
        log(`${page}: JavaScript before interactive ${kb(scripts.beforeInteractive.raw)} (${kb(scripts.beforeInteractive.gzip)} gzip), after ${kb(scripts.afterInteractive.raw)} (${kb(scripts.afterInteractive.gzip)} gzip)`);
      }
    }
  } finally {
    await browser.close();
  }
  return rows;
}
