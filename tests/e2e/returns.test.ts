import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { launchBrowser, screenshot, waitForHydration, watchPage } from "./support/browser";

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
  await waitForHydration(page);
}

const windowDays = (page: Page) => page.getByLabel("Return window (days)");
const summary = (page: Page) => page.getByTestId("policy-summary");
const versionItems = (page: Page) => page.locator('ol[aria-label="Saved versions"] > li');
/** The form's own Save button (the save bar has one too while the form is dirty). */
const pageSave = (page: Page) => page.getByTestId("policy-actions").getByRole("button", { name: "Save", exact: true });
/** The demo's save bar (App Bridge draws it in the admin; the demo has no App Bridge). */
const saveBar = (page: Page) => page.getByRole("region", { name: "Unsaved changes" });
const feeField = (page: Page) => page.getByLabel(/^Return shipping fee \([A-Z]{3}\)$/);
const FEE_ERROR = "Enter the return shipping fee, e.g. 5.00";
const checkedShipping = (page: Page) => page.getByRole("group", { name: "Return shipping" }).locator("input:checked").getAttribute("value");

/** Clicks a Polaris checkbox or radio button by its label text, as a merchant does (its styled box covers the input). */
const choose = (page: Page, label: string) => page.getByText(label, { exact: true }).click();

/**
 * Whether the page would make the browser ask "Leave site?" on close or reload: a `beforeunload` event it cancels.
 * (Headless Chromium does not open that dialog itself, so the test asks the page's handler.)
 */
const askedBeforeUnload = (page: Page) =>
  page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });

/** Records the page's POSTs from now on. */
function recordPosts(page: Page): string[] {
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.url());
  });
  return posts;
}

/** How many of a chart's lines are dashed (polaris-viz sets the dash as an inline style). */
function dashedPaths(chart: Locator) {
  return chart.locator("svg path").evaluateAll((paths) => paths.filter((p) => !["", "none"].includes((p as SVGPathElement).style.strokeDasharray)).length);
}

/** The visually hidden data table behind a chart, found by its caption (the chart's accessible name). */
function chartTable(page: Page, title: string) {
  return page.locator("table[data-chart-table]").filter({ has: page.locator("caption", { hasText: new RegExp(`^${title}$`) }) });
}

describe("the Returns page in Chromium", () => {
  it("shows the demo's published policy, its versions, Shopify's copy in sync, and the return figures", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openReturns(page);
    expect(await summary(page).innerText()).toBe("Free returns within 30 days of delivery");
    expect(await page.getByTestId("published-version").innerText()).toBe("Version 2");
    expect(await page.getByTestId("sync-state").getAttribute("data-state")).toBe("in_sync");
    expect(await versionItems(page).count()).toBeGreaterThanOrEqual(2);
    // Shopify's own return rules (decision 046): the demo's default profile agrees (30 days); its Europe profile does not
    const rules = page.getByText("Shopify's return rules give another return window");
    await rules.waitFor({ state: "visible" });
    await page.getByText("Shopify's rules for Europe: 14 days from each item's delivery. Afterglow: 30 days from delivery.").waitFor({ state: "visible" });
    expect(await page.getByText(/^Shopify's default rules:/).count()).toBe(0);
    await page.getByRole("img", { name: /^Return rate by (week|month)$/ }).waitFor({ state: "visible" });
    // The return rate per week of the last 30 days (the default): polaris-viz's chart once loaded, its data table of
    // five weeks with the one holding today marked "so far", and the partial week drawn dashed
    const rateChart = page.getByRole("img", { name: "Return rate by week" });
    await rateChart.locator("svg").first().waitFor({ state: "visible" });
    const rateRows = chartTable(page, "Return rate by week").locator("tbody tr");
    expect(await rateRows.count()).toBe(5);
    expect(await rateRows.first().innerText()).toMatch(/^[A-Z][a-z]{2} \d{1,2}\s+Week of [A-Z][a-z]{2} \d{1,2}, \d{4}: ([\d.]+% returned \([\d,]+ of [\d,]+ orders\)|no orders placed)$/);
    expect(await rateRows.last().innerText()).toMatch(/^[A-Z][a-z]{2} \d{1,2} \(so far\)\s+Week of .*\(so far: this period is not over\)$/);
    expect(await chartTable(page, "Return rate by week").locator("tbody tr[data-partial]").count()).toBe(1);
    expect(await dashedPaths(rateChart)).toBeGreaterThan(0);
    await page.getByText(/^Vertical axis: return rate, % of orders placed\. Horizontal axis: weeks, by their first day\. [A-Z][a-z]{2} \d{1,2} \(so far\): a partial period, drawn dashed\.$/).waitFor({ state: "visible" });
    // The refunded amount as bars, in the shop's currency, the week in progress lighter
    await page.getByRole("tab", { name: "Refunded amount" }).click();
    const refundChart = page.getByRole("img", { name: "Refunded amount by week" });
    await refundChart.locator("svg").first().waitFor({ state: "visible" });
    const refundRows = chartTable(page, "Refunded amount by week").locator("tbody tr");
    expect(await refundRows.count()).toBe(5);
    expect(await refundRows.first().innerText()).toMatch(/Week of [A-Z][a-z]{2} \d{1,2}, \d{4}: \$[\d,]+\.\d{2} refunded$/);
    expect(await refundRows.last().getAttribute("data-partial")).toBe("");
    await page.getByText(/^Vertical axis: refunded amount, USD\. .* drawn lighter\.$/).waitFor({ state: "visible" });
    // Changes are toned by meaning: a higher return rate or more refunded is bad, more gross sales good
    for (const [card, upTone] of [["Return rate", "critical"], ["Refunded", "critical"], ["Gross sales", "success"]] as const) {
      const change = page.getByRole("heading", { name: card, exact: true }).locator("xpath=ancestor::div[.//*[@data-change-tone]][1]//*[@data-change-tone]");
      const text = await change.innerText();
      const downTone = upTone === "critical" ? "success" : "critical";
      const expected = text.startsWith("▲") ? upTone : text.startsWith("▼") ? downTone : "subdued";
      expect([card, text, await change.getAttribute("data-change-tone")]).toEqual([card, text, expected]);
    }
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
    // Save can be pressed (it reveals every problem) but sends nothing while one remains.
    await pageSave(page).click();
    await page.getByText("Fix 1 problem before saving").waitFor({ state: "visible" });
    // The preview keeps the last valid settings and says so.
    expect(await summary(page).innerText()).toBe("Free returns within 30 days of delivery");
    await page.getByText("Showing the last valid settings").waitFor({ state: "visible" });
    expect(posts).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("choosing a flat fee shows no error until the fee is touched or a save is tried; Discard restores the saved settings", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openReturns(page);
    const posts = recordPosts(page);
    const savedShipping = await checkedShipping(page);
    expect(await saveBar(page).count()).toBe(0);

    // WHEN the merchant chooses a flat return shipping fee
    await choose(page, "A flat return shipping fee");
    // THEN the empty fee field appears without an error, and the save bar offers Save and Discard
    await feeField(page).waitFor({ state: "visible" });
    await saveBar(page).waitFor({ state: "visible" });
    expect(await feeField(page).getAttribute("aria-invalid")).not.toBe("true");
    expect(await page.getByText(FEE_ERROR).count()).toBe(0);
    await screenshot(page, "returns-flat-fee-untouched");

    // WHEN the merchant leaves the fee field empty
    await feeField(page).focus();
    await feeField(page).blur();
    // THEN its error shows, and follows the typing from then on
    await page.getByText(FEE_ERROR).waitFor({ state: "visible" });
    expect(await feeField(page).getAttribute("aria-invalid")).toBe("true");
    await feeField(page).fill("4.5");
    await page.getByText(FEE_ERROR).waitFor({ state: "hidden" });
    await feeField(page).fill("4.555");
    await page.getByText("Use at most 2 decimals").waitFor({ state: "visible" });

    // WHEN the merchant discards
    await saveBar(page).getByRole("button", { name: "Discard" }).click();
    // THEN the saved settings are back, without errors or a save bar
    await saveBar(page).waitFor({ state: "hidden" });
    expect(await feeField(page).count()).toBe(0);
    expect(await checkedShipping(page)).toBe(savedShipping);
    expect(await page.getByText("Use at most 2 decimals").count()).toBe(0);

    // WHEN flat fee is chosen again and the save bar's Save is pressed with the fee untouched
    await choose(page, "A flat return shipping fee");
    expect(await page.getByText(FEE_ERROR).count()).toBe(0);
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    // THEN the error shows, and nothing was sent
    await page.getByText(FEE_ERROR).waitFor({ state: "visible" });
    await page.getByText("Fix 1 problem before saving").waitFor({ state: "visible" });
    expect(posts).toEqual([]);
    await screenshot(page, "returns-flat-fee-save-attempt");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("leaving with unsaved changes asks first: Stay keeps them, Leave page goes; a new date range is not held; a reload or close asks the browser", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openReturns(page);
    await choose(page, "Exchanges offered");
    await windowDays(page).fill("21");
    await saveBar(page).waitFor({ state: "visible" });

    // WHEN the merchant follows a link to another page
    await page.getByRole("link", { name: "Dashboard" }).click();
    // THEN the page asks, and stays until answered
    const dialog = page.getByRole("dialog", { name: "Leave page with unsaved changes?" });
    await dialog.waitFor({ state: "visible" });
    expect(new URL(page.url()).pathname).toBe("/app/returns");
    await screenshot(page, "returns-leave-warning");
    // AND Stay keeps the edits
    await dialog.getByRole("button", { name: "Stay" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(new URL(page.url()).pathname).toBe("/app/returns");
    expect(await windowDays(page).inputValue()).toBe("21");

    // WHEN the figures' date range changes (the same page under a new URL)
    await page.getByLabel("Date range").selectOption("90d");
    // THEN nothing asks, and the edits stay
    await page.waitForURL(/range=90d/);
    await page.waitForLoadState("networkidle");
    expect(await dialog.count()).toBe(0);
    expect(await windowDays(page).inputValue()).toBe("21");
    await saveBar(page).waitFor({ state: "visible" });

    // WHEN the merchant follows the link again and chooses to leave
    await page.getByRole("link", { name: "Dashboard" }).click();
    await dialog.getByRole("button", { name: "Leave page" }).click();
    // THEN the other page opens
    await page.waitForURL((url) => url.pathname === "/app");
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor({ state: "visible" });
    expect(problems).toEqual([]);
    await page.close();

    // WHEN the tab is about to close or reload: the browser asks only while the form is dirty
    const other = await browser.newPage();
    await openReturns(other);
    expect(await askedBeforeUnload(other)).toBe(false);
    await choose(other, "Exchanges offered");
    await saveBar(other).waitFor({ state: "visible" });
    expect(await askedBeforeUnload(other)).toBe(true);
    await saveBar(other).getByRole("button", { name: "Discard" }).click();
    await saveBar(other).waitFor({ state: "hidden" });
    expect(await askedBeforeUnload(other)).toBe(false);
    await other.close();
  });

  it("compares a version with the one before it, and restores an older version into the form without saving it", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openReturns(page);
    const posts = recordPosts(page);
    // The demo's version 2 changed version 1's return shipping, restocking fee, store credit, tags and note.
    const second = page.locator('ol[aria-label="Saved versions"] > li[data-version="2"]');

    // WHEN the merchant compares version 2 with version 1
    await second.getByRole("button", { name: "Compare version 2 with version 1" }).click();
    // THEN the changed settings are listed, old → new, in the form's words, and only those
    const changes = second.getByRole("list", { name: "Changes in version 2" });
    await changes.waitFor({ state: "visible" });
    const lines = (await changes.locator("li").allInnerTexts()).map((line) => line.replace(/\s+/g, " ").trim());
    // (each line is read as "<setting>: <old> changed to <new>"; the arrow is for the eye only)
    expect(lines).toEqual([
      "Return shipping: Paid by the customer changed to → Free",
      "Restocking fee: 10% changed to → None",
      "Store credit: Not offered changed to → Offered, with a 10% bonus",
      "Final-sale product tags: Final Sale changed to → Final Sale, final-sale",
      "Note to shoppers: No note changed to → Returning a gift? Include the gift receipt and we will refund the value as store credit to you, not the buyer.",
    ]);
    expect(await changes.locator("li").evaluateAll((items) => items.map((li) => li.getAttribute("data-setting")))).toEqual([
      "shipping",
      "restockingFee",
      "storeCredit",
      "finalSaleTags",
      "note",
    ]);
    await screenshot(page, "returns-version-compare");
    // The oldest version has nothing before it to compare with, and the newest cannot be restored (it is the form).
    const first = page.locator('ol[aria-label="Saved versions"] > li[data-version="1"]');
    expect(await first.getByRole("button", { name: /^Compare version 1/ }).count()).toBe(0);
    expect(await versionItems(page).first().getByRole("button", { name: /^Restore version/ }).count()).toBe(0);

    // WHEN version 1 is restored
    await first.getByRole("button", { name: "Restore version 1" }).click();
    // THEN the form holds version 1's settings, unsaved: the save bar shows, the preview follows, and nothing was sent
    await saveBar(page).waitFor({ state: "visible" });
    expect(await page.getByLabel("Restocking fee").inputValue()).toBe("10");
    expect(await page.getByLabel("Final-sale product tags").inputValue()).toBe("Final Sale");
    expect(await page.getByLabel("Note to shoppers").inputValue()).toBe("");
    expect(await page.getByRole("radio", { name: "Paid by the customer" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Store credit offered instead of a refund" }).isChecked()).toBe(false);
    await page.getByText("Version 1 restored into the form.", { exact: false }).waitFor({ state: "visible" });
    await expect.poll(() => page.getByTestId("policy-preview-text").innerText()).toContain("A restocking fee of 10%");
    expect(posts).toEqual([]);
    await screenshot(page, "returns-version-restored");

    // WHEN the merchant discards instead of saving
    await saveBar(page).getByRole("button", { name: "Discard" }).click();
    // THEN the newest version's settings are back, and no version was added
    await saveBar(page).waitFor({ state: "hidden" });
    const newest = Number(await versionItems(page).first().getAttribute("data-version"));
    await openReturns(page);
    expect(Number(await versionItems(page).first().getAttribute("data-version"))).toBe(newest);
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
    await saveBar(page).waitFor({ state: "visible" });
    // AND another language's preview says it too
    await page.getByLabel("Preview language").selectOption("fr");
    await expect.poll(() => summary(page).innerText()).toContain("14 jours");
    await screenshot(page, "returns-window-14");

    // WHEN it is saved
    await pageSave(page).click();
    // THEN a new version is listed first, saved just now by the signed-in staff member, and the save bar goes
    await page.getByText(`Saved as version ${newest + 1}`).waitFor({ state: "visible" });
    await saveBar(page).waitFor({ state: "hidden" });
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
