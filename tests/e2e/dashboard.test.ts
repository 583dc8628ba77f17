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

/** "1,234 NPS answers, ± 3.1 points …" → 1234 */
async function npsAnswers(page: Page): Promise<number> {
  const text = await page.getByText(/[\d,]+ NPS answers/).first().innerText();
  return Number(/([\d,]+) NPS answers/.exec(text)?.[1]?.replace(/,/g, ""));
}

/** How many of a chart's lines are dashed (polaris-viz sets the dash as an inline style). */
function dashedPaths(chart: Locator) {
  return chart.locator("svg path").evaluateAll((paths) => paths.filter((p) => !["", "none"].includes((p as SVGPathElement).style.strokeDasharray)).length);
}

/** The visually hidden data table behind a chart, found by its caption (the chart's accessible name). */
function chartTable(page: Page, title: string) {
  return page.locator("table[data-chart-table]").filter({ has: page.locator("caption", { hasText: new RegExp(`^${title}$`) }) });
}

/** A UTC day `daysAgo` before today as a chart's week label ("Dec 2"). */
function weekLabel(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86400_000).toLocaleString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

describe("the CX dashboard in Chromium", () => {
  it("shows score cards, split, trend, segments, worth and comments, and changing the date range changes the numbers", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app`);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor({ state: "visible" });
    await waitForHydration(page);

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
    // Dates are written one way (Dec 3, 2026), never as ISO text; the worth window names its UTC days
    await expect.poll(() => page.getByText(/^Answers from [A-Z][a-z]{2} \d{1,2}, \d{4} to [A-Z][a-z]{2} \d{1,2}, \d{4} \(UTC days\)/).count()).toBe(1);
    expect((await page.locator("main").innerText()).match(/.{0,40}\b\d{4}-\d{2}-\d{2}\b.{0,20}/g) ?? []).toEqual([]);
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
    const written = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" });
    await expect.poll(() => summary.innerText()).toContain(`${written(from)} to ${written(to)}`);
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

  it("draws the trend and revenue charts with polaris-viz once loaded, each with its data table, the period in progress marked 'so far', and changes coloured by meaning", async () => {
    for (const size of [
      { name: "desktop", width: 1280, height: 800 },
      { name: "phone", width: 390, height: 844 },
    ]) {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      const page = await context.newPage();
      const problems = watchPage(page);
      // GIVEN the last 30 days (the default): five weeks counted from 29 days ago, the fifth holding today
      await page.goto(`${baseUrl}/app`);
      const trend = page.getByRole("img", { name: "NPS by week" });
      await trend.waitFor({ state: "visible" });
      // THEN polaris-viz draws the chart (loaded after the page is interactive) in the space reserved for it
      await trend.locator("svg").first().waitFor({ state: "visible" });
      expect(await trend.getAttribute("data-chart")).toBe("line");
      expect((await trend.boundingBox())?.width).toBeLessThanOrEqual(size.width);
      // (the drawing is hidden from assistive technology and out of the tab order: the table below carries the figures)
      expect(await trend.locator("[data-chart-drawing]").getAttribute("aria-hidden")).toBe("true");
      expect(await trend.locator('[tabindex]:not([tabindex="-1"])').count()).toBe(0);
      // AND the data table lists the five weeks, the last one partial and labelled "so far"
      const rows = chartTable(page, "NPS by week").locator("tbody tr");
      expect(await rows.count()).toBe(5);
      expect(await rows.first().innerText()).toMatch(new RegExp(`^${weekLabel(29)}\\s+Week of [A-Z][a-z]{2} \\d{1,2}, \\d{4}: (NPS -?\\d+ from [\\d,]+ answers|no NPS answers)`));
      expect(await rows.nth(4).getAttribute("data-partial")).toBe("");
      expect(await rows.nth(4).innerText()).toMatch(new RegExp(`^${weekLabel(1)} \\(so far\\)\\s+.*\\(so far: this period is not over\\)$`));
      expect(await chartTable(page, "NPS by week").locator("tbody tr[data-partial]").count()).toBe(1);
      // AND the partial week is drawn dashed, named under the chart with the axes and their units
      expect(await dashedPaths(trend)).toBeGreaterThan(0);
      await page.getByText(`Vertical axis: NPS (a score from −100 to 100). Horizontal axis: weeks, by their first day (UTC days). ${weekLabel(1)} (so far): a partial period, drawn dashed.`).waitFor({ state: "visible" });

      // AND net revenue by month: six months at most, bars drawn, the current month "so far"
      const revenue = page.getByRole("img", { name: "Net revenue by month" });
      await revenue.locator("svg").first().waitFor({ state: "visible" });
      const months = chartTable(page, "Net revenue by month").locator("tbody tr");
      expect(await months.count()).toBeGreaterThan(1);
      expect(await months.count()).toBeLessThanOrEqual(6);
      const thisMonth = new Date().toLocaleString("en-US", { month: "short", timeZone: "UTC" });
      expect(await months.last().innerText()).toMatch(new RegExp(`^${thisMonth}( \\d{4})? \\(so far\\)\\s+${thisMonth} \\d{4}: \\$[\\d,]+\\.\\d{2} from [\\d,]+ orders \\(so far`));
      expect(await months.first().getAttribute("data-partial")).toBeNull();

      // AND each change is toned by what it means: NPS, orders and net revenue up are good, down bad
      for (const card of ["NPS", "CSAT", "Orders, last 30 days", "Net revenue"]) {
        const heading = page.getByRole("heading", { name: card, exact: true });
        const change = heading.locator("xpath=ancestor::div[.//*[@data-change-tone]][1]//*[@data-change-tone]");
        const text = await change.innerText();
        const expected = /^(▲ \+?0[% ]|→)/.test(text) ? "subdued" : text.startsWith("▲") ? "success" : text.startsWith("▼") ? "critical" : "subdued";
        expect([card, text, await change.getAttribute("data-change-tone")]).toEqual([card, text, expected]);
      }
      await screenshot(page, `dashboard-charts-${size.name}`);
      // The two charts on their own, to look at their readability at this width
      await trend.screenshot({ path: `test-results/dashboard-chart-trend-${size.name}.png` });
      await revenue.screenshot({ path: `test-results/dashboard-chart-revenue-${size.name}.png` });
      expect(problems).toEqual([]);
      await context.close();
    }
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
    // Each comment is dated in the shop's time zone, as every date in the admin is
    expect(await page.getByText(/^[A-Z][a-z]{2} \d{1,2}, \d{4} · order/).count()).toBeGreaterThan(0);
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
