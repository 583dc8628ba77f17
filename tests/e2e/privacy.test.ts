import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, screenshot, watchPage } from "./support/browser";
import { phonePage, sidewaysScrollers } from "./support/phone";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface ExportFile {
  header: { shop: string; customerId: string; privacyRequestId: number; ordersRequested: string[]; notHeld: string[] };
  customer: { id: string; orderCount: number } | null;
  orders: { id: string }[];
  surveyAnswers: unknown[];
  pointsLedger: unknown[];
}

describe("the Privacy page in Chromium", () => {
  it("lists the demo shop's data request and downloads its export as JSON", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app/privacy`, { waitUntil: "networkidle" });
    await page.getByRole("heading", { name: "Privacy requests", level: 1 }).waitFor({ state: "visible" });

    // GIVEN the seeded data request in the table, with its kind and status
    const row = page.getByRole("row").filter({ hasText: "Data request" }).first();
    await row.waitFor({ state: "visible" });
    expect(await row.innerText()).toContain("Export ready");
    const customerText = await row.getByRole("link", { name: /^Customer \d+$/ }).innerText();
    const customerId = /(\d+)$/.exec(customerText)?.[1];
    expect(customerId).toBeTruthy();
    await screenshot(page, "privacy-requests");

    // WHEN the merchant downloads its export
    const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("button", { name: /^Download export \(JSON\)/ }).click()]);

    // THEN the browser saves a JSON file of that customer's data in the demo shop
    expect(download.suggestedFilename()).toMatch(new RegExp(`^afterglow-data-request-\\d+-customer-${customerId}\\.json$`));
    const file = JSON.parse(fs.readFileSync(await download.path(), "utf8")) as ExportFile;
    expect(file.header).toMatchObject({ shop: "afterglow-demo.myshopify.com", customerId });
    expect(file.header.ordersRequested.length).toBeGreaterThan(0);
    expect(file.customer).toMatchObject({ id: customerId });
    expect(file.customer!.orderCount).toBeGreaterThan(1);
    expect(file.orders.map((o) => o.id)).toEqual(expect.arrayContaining(file.header.ordersRequested));
    expect(file.pointsLedger.length).toBeGreaterThan(0);
    expect(file.header.notHeld.length).toBeGreaterThan(0);
    // The page stays where it was.
    expect(new URL(page.url()).pathname).toBe("/app/privacy");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("answers 404 for a request the shop does not have", async () => {
    const response = await fetch(`${baseUrl}/app/privacy/987654321/export.json`);
    expect(response.status).toBe(404);
  });

  it("at 390 px wide each request is one block, its download within reach, and nothing scrolls sideways", async () => {
    const page = await phonePage(browser);
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app/privacy`, { waitUntil: "networkidle" });
    await page.getByRole("heading", { name: "Privacy requests", level: 1 }).waitFor({ state: "visible" });
    const blocks = page.locator("[data-privacy-request-id]");
    await blocks.first().waitFor({ state: "visible" });
    expect(await page.locator("table").count()).toBe(0);
    const dataRequest = blocks.filter({ hasText: "Data request" }).first();
    await dataRequest.getByRole("button", { name: /^Download export \(JSON\)/ }).waitFor({ state: "visible" });
    await dataRequest.getByRole("link", { name: /^Customer \d+$/ }).waitFor({ state: "visible" });
    expect(await sidewaysScrollers(page)).toEqual([]);
    await screenshot(page, "privacy-requests-390");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
