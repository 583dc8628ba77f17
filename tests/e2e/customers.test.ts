import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, waitForHydration, watchPage } from "./support/browser";
import { sidewaysScrollers } from "./support/phone";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const count = (text: string) => Number(text.replace(/[^\d-]/g, ""));

/** The list's total ("1,204 customers", "12 customers match"). */
async function listTotal(page: Page): Promise<number> {
  return count(await page.locator("#customers-count").innerText());
}

/** How far the page's content reaches past the window's width (0: nothing to scroll sideways). */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The order links on the page that are not admin links to a numeric order id opened in the top frame. */
async function strayOrderLinks(page: Page): Promise<string[]> {
  return page.locator('a[href^="shopify://"]').evaluateAll((links) =>
    links
      .filter((a) => !/^shopify:\/\/admin\/orders\/\d+$/.test(a.getAttribute("href") ?? "") || a.getAttribute("target") !== "_top")
      .map((a) => a.outerHTML),
  );
}

describe("the Customers pages in Chromium", () => {
  it("search, open a customer, read their ledger and adjust their points", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app/customers`, { waitUntil: "networkidle" });
    await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor({ state: "visible" });
    const rows = page.locator("table tbody tr");
    expect(await rows.count()).toBe(25);
    await screenshot(page, "customers-list");

    // GIVEN the top spender's name
    const firstLink = rows.first().getByRole("link");
    const name = (await firstLink.innerText()).trim();
    const lastName = name.split(" ").at(-1) ?? name;

    // WHEN searching for their last name, in other letter case
    const search = page.getByRole("searchbox", { name: "Search customers" });
    await search.fill(lastName.toUpperCase());
    await search.press("Enter");
    await page.waitForURL(/[?&]q=/);
    await page.getByRole("link", { name, exact: true }).first().waitFor({ state: "visible" });

    // THEN, once the searched list has replaced the first page, every row matches the search (name or email)
    const rowTexts = () => rows.allInnerTexts();
    await expect
      .poll(async () => (await rowTexts()).every((text) => text.toLowerCase().includes(lastName.toLowerCase())), { timeout: 15_000 })
      .toBe(true);
    expect((await rowTexts()).length).toBeGreaterThan(0);
    await screenshot(page, "customers-search");

    // WHEN opening the customer
    await page.getByRole("link", { name, exact: true }).first().click();
    // The customer's URL carries the searched list (`list=q=…`), which the page's back action returns to.
    await page.waitForURL(/\/app\/customers\/[^/?]+\?list=q%3D[^&]+$/);
    await page.getByRole("heading", { name, level: 1 }).waitFor({ state: "visible" });

    // THEN their points history has rows, newest first
    const ledger = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Kind" }) });
    await ledger.waitFor({ state: "visible" });
    expect(await ledger.locator("tbody tr").count()).toBeGreaterThan(0);
    // (the demo's top spenders redeemed a reward a few days ago: theirs is the newest row)
    expect(await ledger.locator("tbody tr").first().innerText()).toMatch(/Order|Refund|Cancellation|Adjustment|Reward redeemed/);
    const balance = page.locator("#points-balance");
    const before = count(await balance.innerText());
    await screenshot(page, "customer-detail");

    // WHEN an adjustment has no reason and a non-number, THEN each field says what is wrong
    await page.getByLabel("Points", { exact: true }).fill("lots");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await page.getByText("Enter a number of points").waitFor({ state: "visible" });
    await page.getByText("Give a reason (at least 3 characters)").waitFor({ state: "visible" });
    expect(count(await balance.innerText())).toBe(before);
    await screenshot(page, "customer-adjustment-errors");

    // WHEN a valid adjustment is made, THEN the balance and the ledger show it
    await page.getByLabel("Points", { exact: true }).fill("25");
    await page.getByLabel("Reason", { exact: true }).fill("E2E goodwill");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await page.getByText(`Points adjusted. New balance: ${(before + 25).toLocaleString("en-US")}`).waitFor({ state: "visible" });
    await expect.poll(async () => count(await balance.innerText())).toBe(before + 25);
    const newest = await ledger.locator("tbody tr").first().innerText();
    expect(newest).toContain("Adjustment");
    expect(newest).toContain("+25");
    expect(newest).toContain("E2E goodwill");
    await screenshot(page, "customer-adjusted");

    // The invalid adjustment was answered 400 on purpose; Chromium logs every 4xx fetch as a console error.
    expect(problems.filter((p) => !p.includes("status of 400 (Bad Request)"))).toEqual([]);
    expect(problems.length).toBeLessThanOrEqual(1);
    await page.close();
  });

  it("sorts by a column and pages with next and previous", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app/customers?sort=orders&dir=desc`, { waitUntil: "networkidle" });
    const rows = page.locator("table tbody tr");
    await rows.first().waitFor({ state: "visible" });
    const ordersColumn = async () => (await rows.locator("td:nth-child(5)").allInnerTexts()).map(count);
    const firstPage = await ordersColumn();
    expect(firstPage).toEqual([...firstPage].sort((a, b) => b - a));
    const firstIds = await rows.getByRole("link").allInnerTexts();

    await page.getByRole("button", { name: "Next" }).click();
    await page.waitForURL(/after=/);
    await expect.poll(async () => (await rows.getByRole("link").allInnerTexts())[0]).not.toBe(firstIds[0]);
    const secondPage = await ordersColumn();
    expect(Math.max(...secondPage)).toBeLessThanOrEqual(Math.min(...firstPage));
    const secondIds = await rows.getByRole("link").allInnerTexts();
    expect(secondIds.filter((n) => firstIds.includes(n)).length).toBeLessThan(secondIds.length);

    await page.getByRole("button", { name: "Previous" }).click();
    await page.waitForURL(/before=/);
    await expect.poll(async () => rows.getByRole("link").allInnerTexts()).toEqual(firstIds);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("filters by tier and NPS group with a total, opens a customer from anywhere on the row, and leads back to the same list", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app/customers`, { waitUntil: "networkidle" });
    const rows = page.locator("table tbody tr");
    await rows.first().waitFor({ state: "visible" });
    const all = await listTotal(page);
    expect(all).toBeGreaterThan(25);
    await waitForHydration(page);

    // WHEN a tier is chosen, THEN the URL says so, the total drops, and every row has that tier
    const tierSelect = page.getByLabel("Tier", { exact: true });
    const tierOptions = await tierSelect.locator("option").allInnerTexts();
    const tier = tierOptions.find((o) => o !== "All tiers" && o !== "No tier");
    if (!tier) throw new Error(`no tier to choose among ${JSON.stringify(tierOptions)}`);
    await tierSelect.selectOption({ label: tier });
    await page.waitForURL(/[?&]tier=/);
    await expect.poll(() => listTotal(page)).toBeLessThan(all);
    const inTier = await listTotal(page);
    expect(inTier).toBeGreaterThan(0);
    await expect.poll(async () => (await rows.locator("td:nth-child(2)").allInnerTexts()).every((t) => t.trim() === tier)).toBe(true);

    // WHEN promoters are chosen too, THEN fewer still, each with a latest NPS of 9 or 10
    await page.getByLabel("NPS group", { exact: true }).selectOption("promoter");
    await page.waitForURL(/[?&]nps=promoter/);
    await expect.poll(() => listTotal(page)).toBeLessThan(inTier);
    const promoters = await listTotal(page);
    expect(promoters).toBeGreaterThan(0);
    await expect
      .poll(async () => (await rows.locator("td:nth-child(7)").allInnerTexts()).map(count).every((nps) => nps >= 9 && nps <= 10))
      .toBe(true);
    expect(await rows.count()).toBe(Math.min(promoters, 25));
    expect(await page.locator("#customers-count").innerText()).toMatch(/match$/);
    const listUrl = page.url();
    await screenshot(page, "customers-filtered");

    // WHEN a row is clicked away from its link (the net spend cell), THEN that customer opens
    const row = rows.first();
    const name = (await row.getByRole("link").innerText()).trim();
    await row.locator("td:nth-child(4)").click();
    await page.waitForURL(/\/app\/customers\/[^/?]+\?list=/);
    await page.getByRole("heading", { name, level: 1 }).waitFor({ state: "visible" });

    // AND the back action leads to the same list: same filters, same total
    const back = page.getByRole("main").getByRole("link", { name: "Customers", exact: true });
    // (Outside the admin the title bar's breadcrumb is not drawn: the Polaris back action is the one way back.)
    expect(await page.getByRole("main").getByRole("button", { name: "Customers" }).count()).toBe(0);
    expect(await back.getAttribute("href")).toMatch(/^\/app\/customers\?.*tier=.*nps=promoter/);
    await back.click();
    await page.waitForURL((url) => url.pathname === "/app/customers");
    expect(new URL(page.url()).searchParams.get("tier")).toBe(new URL(listUrl).searchParams.get("tier"));
    expect(new URL(page.url()).searchParams.get("nps")).toBe("promoter");
    await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor({ state: "visible" });
    await expect.poll(() => listTotal(page)).toBe(promoters);
    expect(await page.getByLabel("NPS group", { exact: true }).inputValue()).toBe("promoter");

    // AND the keyboard reaches a row's link and opens the customer with Enter
    const link = rows.first().getByRole("link");
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/app\/customers\/[^/?]+\?list=/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the customer page shows the survey answers with their follow-ups, orders link to the Shopify admin, and a long ledger pages", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    // GIVEN a detractor (their answers opened recovery follow-ups), the top spender among them
    await page.goto(`${baseUrl}/app/customers?nps=detractor`, { waitUntil: "networkidle" });
    const rows = page.locator("table tbody tr");
    await rows.first().waitFor({ state: "visible" });
    await rows.first().getByRole("link").click();
    await page.waitForURL(/\/app\/customers\/[^/?]+/);
    await page.getByRole("heading", { name: "Survey answers and follow-ups" }).waitFor({ state: "visible" });

    // THEN their answers are listed with scores, and at least one carries a follow-up with its status
    const answers = page.getByRole("list", { name: "Survey answers" }).locator(":scope > li");
    expect(await answers.count()).toBeGreaterThan(0);
    expect(await answers.first().innerText()).toMatch(/NPS \d+/);
    const followUps = page.getByRole("list", { name: "Follow-ups of this answer" }).locator("li");
    expect(await followUps.count()).toBeGreaterThan(0);
    expect(await followUps.first().innerText()).toMatch(/^(Recovery follow-up|Marked for [a-z -]+)\s+(?:(?:Success|Info|Attention)\s+)?(Open|Contacted|Resolved|Marked)\b/);

    // AND every order link goes to that order in the Shopify admin: an answer's order and the same order in the
    // orders card (read by another query) have one href
    expect(await strayOrderLinks(page)).toEqual([]);
    const answerLink = answers.first().getByRole("heading", { level: 3 }).getByRole("link");
    const orderName = (await answerLink.innerText()).trim();
    expect(orderName).toMatch(/^#\d+/);
    const href = await answerLink.getAttribute("href");
    expect(href).toMatch(/^shopify:\/\/admin\/orders\/\d+$/);
    expect(await answerLink.getAttribute("target")).toBe("_top");
    const inOrders = page.locator(`[data-order="${orderName}"]`).getByRole("link", { name: orderName, exact: true });
    expect(await inOrders.getAttribute("href")).toBe(href);
    await screenshot(page, "customer-answers");

    // AND a long ledger is paged: the customer with the most orders has more entries than a page holds
    await page.goto(`${baseUrl}/app/customers?sort=orders`, { waitUntil: "networkidle" });
    await rows.first().getByRole("link").click();
    await page.waitForURL(/\/app\/customers\/[^/?]+\?list=sort%3Dorders$/);
    const ledger = page.locator("#points-ledger");
    const entries = ledger.locator("tbody tr");
    await entries.first().waitFor({ state: "visible" });
    expect(await entries.count()).toBe(20);
    const firstPage = await entries.allInnerTexts();
    await ledger.getByRole("button", { name: "Next" }).click();
    await page.waitForURL(/ledgerAfter=/);
    await expect.poll(() => entries.allInnerTexts()).not.toEqual(firstPage);
    expect((await entries.allInnerTexts()).filter((text) => firstPage.includes(text))).toEqual([]);
    // The page keeps the list it came from, for the way back.
    expect(new URL(page.url()).searchParams.get("list")).toBe("sort=orders");
    await ledger.getByRole("button", { name: "Previous" }).click();
    await page.waitForURL(/ledgerBefore=/);
    await expect.poll(() => entries.allInnerTexts()).toEqual(firstPage);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("at 390 px wide the list, the customer page and its ledger reflow: nothing to scroll sideways", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app/customers`, { waitUntil: "networkidle" });
    await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor({ state: "visible" });
    // The condensed list (one block per customer) replaces the table.
    const items = page.locator("[data-customer-id]");
    await items.first().waitFor({ state: "visible" });
    expect(await items.count()).toBe(25);
    expect(await page.locator("table").count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // Nor does any box inside it (a table's own scroll box would scroll sideways without widening the page).
    expect(await sidewaysScrollers(page)).toEqual([]);
    await page.getByLabel("Sort by", { exact: true }).waitFor({ state: "visible" });
    await screenshot(page, "customers-list-390");

    // A tap on a customer's block opens them; their page and ledger fit too.
    await items.first().click({ position: { x: 5, y: 5 } });
    await page.waitForURL(/\/app\/customers\/[^/?]+/);
    await page.locator("[data-ledger-id]").first().waitFor({ state: "visible" });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // The answers, orders, ledger and tier history stack too: no table left to scroll sideways.
    expect(await sidewaysScrollers(page)).toEqual([]);
    await screenshot(page, "customer-detail-390");
    expect(problems).toEqual([]);
    await context.close();
  });
});
