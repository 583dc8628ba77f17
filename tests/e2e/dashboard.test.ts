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

/** "1,234 NPS answers, ± 3.1 points …" → 1234 */
async function npsAnswers(page: Page): Promise<number> {
  const text = await page.getByText(/[\d,]+ NPS answers/).first().innerText();
  return Number(/([\d,]+) NPS answers/.exec(text)?.[1]?.replace(/,/g, ""));
}

describe("the CX dashboard in Chromium", () => {
  it("shows score cards, split, trend, segments, worth and comments, and changing the date range changes the numbers", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app`);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor({ state: "visible" });

    // GIVEN the default range (last 30 days) of the seeded demo shop
    const summary = page.getByTestId("range-summary");
    const summary30 = await summary.innerText();
    const answers30 = await npsAnswers(page);
    const nps30 = await page.locator("#score-nps").innerText();
    expect(answers30).toBeGreaterThan(0);
    expect(nps30).toMatch(/^-?\d+$/);
    await page.getByRole("img", { name: /^NPS split\./ }).waitFor({ state: "visible" });
    await page.getByRole("img", { name: "NPS by week" }).waitFor({ state: "visible" });
    await page.getByRole("heading", { name: "Scores by segment" }).waitFor({ state: "visible" });
    await page.getByRole("heading", { name: "What customer experience is worth" }).waitFor({ state: "visible" });
    expect(await page.locator("[data-worth=promoter]").innerText()).toMatch(/\$[\d,]+\.\d{2}/);
    await screenshot(page, "dashboard-cx-30d");

    // WHEN the merchant picks "Last 12 months"
    await page.getByLabel("Date range").selectOption("12m");
    await page.waitForURL(/[?&]range=12m/);

    // THEN the range, the answer count and the trend's granularity change
    await expect.poll(() => summary.innerText()).not.toBe(summary30);
    await expect.poll(() => npsAnswers(page)).toBeGreaterThan(answers30);
    await page.getByRole("img", { name: "NPS by month" }).waitFor({ state: "visible" });
    await screenshot(page, "dashboard-cx-12m");

    // WHEN a custom range of one week is applied
    await page.getByLabel("Date range").selectOption("custom");
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 6 * 86400_000).toISOString().slice(0, 10);
    await page.getByLabel("From", { exact: true }).fill(from);
    await page.getByLabel("To", { exact: true }).fill(to);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(new RegExp(`from=${from}&to=${to}`));
    await expect.poll(() => summary.innerText()).toContain(`${from} to ${to}`);
    await expect.poll(() => npsAnswers(page)).toBeLessThan(answers30);

    // AND the segment tabs switch the table, and the chosen tab is kept in the URL without loading the figures again
    const loads: string[] = [];
    page.on("request", (request) => {
      // The dashboard's own data (the layout's small loader may run again, as on any URL change).
      if (request.url().includes(".data") && decodeURIComponent(request.url()).includes("routes/app._index")) loads.push(request.url());
    });
    await page.getByRole("tab", { name: "Order value" }).click();
    await page.getByRole("columnheader", { name: "Order value" }).waitFor({ state: "visible" });
    await page.waitForURL(/[?&]segment=orderValue/);
    expect(page.url()).toContain(`from=${from}&to=${to}`);
    expect(loads).toEqual([]);
    // AND a reload shows the same tab
    await page.reload();
    await page.getByRole("columnheader", { name: "Order value" }).waitFor({ state: "visible" });
    expect(await page.getByRole("tab", { name: "Order value" }).getAttribute("aria-selected")).toBe("true");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("searches the comments of the period", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app?range=12m`);
    const search = page.getByLabel("Search comments");
    await search.fill("delivery");
    await search.press("Enter");
    await page.waitForURL(/[?&]q=delivery/);
    expect(page.url()).toContain("range=12m");
    const comments = page.locator("p", { hasText: /delivery/i });
    await expect.poll(() => comments.count()).toBeGreaterThan(0);
    await screenshot(page, "dashboard-comments-search");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows the setup guide with the demo shop's progress, ticks a step when it is done, and stays dismissed after a reload", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app`);
    const guide = page.getByTestId("setup-guide");
    await guide.getByRole("heading", { name: "Setup guide" }).waitFor({ state: "visible" });
    const step = (id: string) => guide.locator(`li[data-setup-step="${id}"]`);
    const progress = guide.getByTestId("setup-guide-progress");

    // GIVEN the seeded demo shop: answers from both survey pages and a published return policy; no import run yet
    expect(await guide.locator("li[data-setup-step]").count()).toBe(5);
    expect(await step("survey-blocks").getAttribute("data-done")).toBe("true");
    expect(await step("return-policy").getAttribute("data-done")).toBe("true");
    expect(await step("import-orders").getAttribute("data-done")).toBe("false");
    const doneBefore = await guide.locator('li[data-setup-step][data-done="true"]').count();
    expect(await progress.innerText()).toBe(`${doneBefore} of 5 tasks complete`);

    // The survey step opens the checkout and accounts editor on each page with the survey block offered
    await step("survey-blocks").getByRole("button", { name: "Add the survey to your thank-you and order status pages" }).click();
    const thankYou = new URL((await step("survey-blocks").getByRole("link", { name: "Add to thank-you page" }).getAttribute("href")) ?? "");
    const orderStatus = new URL((await step("survey-blocks").getByRole("link", { name: "Add to order status page" }).getAttribute("href")) ?? "");
    expect(thankYou.href.startsWith("shopify://admin/settings/checkout/editor?")).toBe(true);
    expect(Object.fromEntries(thankYou.searchParams)).toMatchObject({ page: "thank-you", context: "apps", target: "purchase.thank-you.block.render" });
    expect(thankYou.searchParams.get("addAppBlockId")).toMatch(/\/post-purchase-survey$/);
    expect(Object.fromEntries(orderStatus.searchParams)).toMatchObject({ page: "order-status", context: "apps", target: "customer-account.order-status.block.render" });
    await screenshot(page, "dashboard-setup-guide");

    // WHEN the merchant runs the import from its step
    await step("import-orders").getByRole("button", { name: "Import your past orders", exact: true }).click();
    await step("import-orders").getByRole("button", { name: "Start the import" }).click();

    // THEN the step ticks once the import has finished (the app sees a done import job), and the count follows
    await expect.poll(() => step("import-orders").getAttribute("data-done"), { timeout: 30_000 }).toBe("true");
    expect(await progress.innerText()).toBe(`${doneBefore + 1} of 5 tasks complete`);

    // WHEN the merchant dismisses the guide
    await guide.getByRole("button", { name: "Dismiss guide" }).click();
    await guide.waitFor({ state: "detached" });
    const showAgain = page.getByRole("button", { name: "Show setup guide" });
    await showAgain.waitFor({ state: "visible" });

    // THEN it stays hidden after a reload (kept for the shop), with a way back
    await page.reload();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor({ state: "visible" });
    await showAgain.waitFor({ state: "visible" });
    expect(await page.getByTestId("setup-guide").count()).toBe(0);

    // AND "Show setup guide" brings it back with the same progress
    await showAgain.click();
    await guide.waitFor({ state: "visible" });
    expect(await progress.innerText()).toBe(`${doneBefore + 1} of 5 tasks complete`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
