import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { NAV_ITEMS } from "~/components/nav-items";
import { launchBrowser, screenshot, waitForHydration, watchPage } from "./support/browser";
import { phonePage, sidewaysScrollers } from "./support/phone";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the demo shop's admin pages in Chromium", () => {
  it("the dashboard shows the seeded shop's figures and a revenue chart", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app`);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor({ state: "visible" });
    const orders = await page.locator("h3:has-text('Orders, last 30 days') + p").innerText();
    expect(Number(orders.replace(/,/g, ""))).toBeGreaterThan(50);
    await page.getByRole("img", { name: "Net revenue by month" }).waitFor({ state: "visible" });
    // The chart is drawn (polaris-viz's SVG, loaded after the page is interactive), and its figures are in its table:
    // one row per month of the seeded history.
    const chart = page.locator('[role=img][aria-label="Net revenue by month"][data-chart-ready]');
    await chart.locator("svg").first().waitFor({ state: "attached" });
    expect(await page.locator("table:has(caption:text-is('Net revenue by month')) tbody tr").count()).toBeGreaterThanOrEqual(6);
    await screenshot(page, "dashboard");
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(NAV_ITEMS.filter((item) => item.to !== "/app"))("$label renders its Polaris page", async ({ label, to }) => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    const response = await page.goto(`${baseUrl}${to}`);
    expect(response?.status()).toBe(200);
    await page.getByRole("heading", { name: label, level: 1 }).waitFor({ state: "visible" });
    await screenshot(page, `page-${label.toLowerCase().replace(/[^a-z]+/g, "-")}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(NAV_ITEMS)("at 390 px wide $label reflows: its tables stack and nothing scrolls sideways", async ({ label, to }) => {
    const page = await phonePage(browser);
    const problems = watchPage(page);
    const response = await page.goto(`${baseUrl}${to}`, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    await page.getByRole("heading", { name: label, level: 1 }).waitFor({ state: "visible" });
    // Every Polaris IndexTable on a phone is condensed: a list, no table markup. The server cannot know the width, so
    // the table condenses once the page is hydrated and has read it (useBreakpoints).
    await waitForHydration(page);
    await expect.poll(() => page.locator(".Polaris-IndexTable table").count()).toBe(0);
    expect(await sidewaysScrollers(page)).toEqual([]);
    await screenshot(page, `page-${label.toLowerCase().replace(/[^a-z]+/g, "-")}-390`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("navigates between pages with the menu without a full reload", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/app`);
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
    await page.getByRole("link", { name: "Customers" }).click();
    await page.waitForURL(`${baseUrl}/app/customers`);
    await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor({ state: "visible" });
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
    await page.close();
  });

  it("shows the Admin API recorder log, with the shop profile query the demo made", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/app/demo`);
    // The totals count every call since start-up, however many outbox calls came after the profile query.
    const profileRow = page.getByRole("row", { name: /AfterglowShopProfile/ }).first();
    await profileRow.waitFor({ state: "visible" });
    expect(Number(await profileRow.locator("td").last().innerText())).toBeGreaterThanOrEqual(1);
    await screenshot(page, "demo-admin-log");
    await page.close();
  });
});
