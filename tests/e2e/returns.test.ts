import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, watchPage } from "./support/browser";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function openReturns(page: Page) {
  await page.goto(`${baseUrl}/app/returns`, { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Returns", level: 1 }).waitFor({ state: "visible" });
}

const windowDays = (page: Page) => page.getByLabel("Return window (days)");
const summary = (page: Page) => page.getByTestId("policy-summary");
const versionItems = (page: Page) => page.locator('ol[aria-label="Saved versions"] > li');

describe("the Returns page in Chromium", () => {
  it("shows the demo's published policy, its versions, Shopify's copy in sync, and the return figures", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openReturns(page);
    expect(await summary(page).innerText()).toBe("Free returns within 30 days of delivery");
    expect(await page.getByTestId("published-version").innerText()).toBe("Version 2");
    expect(await page.getByTestId("sync-state").getAttribute("data-state")).toBe("in_sync");
    expect(await versionItems(page).count()).toBeGreaterThanOrEqual(2);
    await page.getByRole("img", { name: /^Return rate by (week|month)$/ }).waitFor({ state: "visible" });
    expect(await page.getByRole("heading", { name: "Items most refunded" }).count()).toBe(1);
    // The figures are kept by UTC day (docs/decisions/025-postgresql.md), and the page says so.
    expect(await page.getByText("Days are UTC days.").count()).toBe(1);
    expect(await page.locator("table").filter({ hasText: "Units refunded" }).locator("tbody tr").count()).toBeGreaterThan(0);
    await screenshot(page, "returns-page");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an invalid window shows an inline error and posts nothing", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openReturns(page);
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await windowDays(page).fill("400");
    await page.getByText("Enter a whole number of days from 0 to 365, or choose unlimited").waitFor({ state: "visible" });
    expect(await windowDays(page).getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("button", { name: "Save", exact: true }).isDisabled()).toBe(true);
    // The preview keeps the last valid settings and says so.
    expect(await summary(page).innerText()).toBe("Free returns within 30 days of delivery");
    await page.getByText("Showing the last valid settings").waitFor({ state: "visible" });
    expect(posts).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("changing the window from 30 to 14 days changes the summary and the text; saving adds a version", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openReturns(page);
    const versionsBefore = await versionItems(page).count();
    const newest = Number(await versionItems(page).first().getAttribute("data-version"));

    // WHEN the window goes from 30 to 14 days
    expect(await windowDays(page).inputValue()).toBe("30");
    await windowDays(page).fill("14");
    // THEN the summary and the policy text follow as the merchant types, and the form says it is not saved
    await expect.poll(() => summary(page).innerText()).toBe("Free returns within 14 days of delivery");
    expect(await page.getByTestId("policy-preview-text").innerText()).toContain("You can return items within 14 days of delivery.");
    await page.getByText("Unsaved changes").waitFor({ state: "visible" });
    // AND another language's preview says it too
    await page.getByLabel("Preview language").selectOption("fr");
    await expect.poll(() => summary(page).innerText()).toContain("14 jours");
    await screenshot(page, "returns-window-14");

    // WHEN it is saved
    await page.getByRole("button", { name: "Save", exact: true }).click();
    // THEN a new version is listed first, saved just now by the signed-in staff member
    await page.getByText(`Saved as version ${newest + 1}`).waitFor({ state: "visible" });
    await expect.poll(() => versionItems(page).count()).toBe(versionsBefore + 1);
    const first = versionItems(page).first();
    expect(await first.getAttribute("data-version")).toBe(String(newest + 1));
    expect(await first.innerText()).toContain("Free returns within 14 days of delivery");
    expect(await first.innerText()).toMatch(/by Staff user 1001/);
    // AND it is not published yet: version 2 still is, and the page says the latest is waiting
    expect(await page.getByTestId("published-version").innerText()).toBe("Version 2");
    await page.getByText(`The latest saved version, ${newest + 1}, is not published yet.`).waitFor({ state: "visible" });
    await screenshot(page, "returns-saved");

    // AND the version's full text can be read
    await first.getByRole("button", { name: `View version ${newest + 1}` }).click();
    await first.getByText("You can return items within 14 days of delivery.").waitFor({ state: "visible" });

    // AND after a reload the form holds the saved window
    await openReturns(page);
    expect(await windowDays(page).inputValue()).toBe("14");
    expect(await summary(page).innerText()).toBe("Free returns within 14 days of delivery");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the customer page says, per item, whether it can be returned and under which version", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app/customers?sort=orders&dir=desc`, { waitUntil: "networkidle" });
    await page.locator("table tbody tr a").first().click();
    await page.getByRole("heading", { name: "Orders and returns" }).waitFor({ state: "visible" });
    const orders = page.locator('ol[aria-label="Orders"] > li');
    expect(await orders.count()).toBeGreaterThan(1);
    const text = await page.locator('ol[aria-label="Orders"]').innerText();
    expect(text).toMatch(/Judged by return policy version [12]/);
    expect(text).toMatch(/Returnable|Not returnable/);
    await screenshot(page, "customer-returns");
    expect(problems).toEqual([]);
    await page.close();
  });
});
