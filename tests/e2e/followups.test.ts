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

/** The count a status tab shows, which is also its accessible name ("Open (21)"). */
async function tabCount(page: Page, label: string): Promise<number> {
  const name = await page.getByRole("tab", { name: new RegExp(`^${label} \\([\\d,]+\\)$`) }).innerText();
  const match = /\(([\d,]+)\)$/.exec(name.trim());
  if (!match?.[1]) throw new Error(`no count on the ${label} tab: ${JSON.stringify(name)}`);
  return Number(match[1].replace(/,/g, ""));
}

/** The open count in the demo navigation ("Follow-ups (21)" or "Follow-ups (21 open, 3 overdue)", as in the admin's menu), 0 when it shows none. */
async function navCount(page: Page): Promise<number> {
  const link = page.getByRole("navigation").getByRole("link", { name: /^Follow-ups/ });
  const name = (await link.getAttribute("aria-label")) ?? (await link.innerText());
  return Number(/\(([\d,]+)(?: open, [\d,]+ overdue)?\)$/.exec(name.trim())?.[1]?.replace(/,/g, "") ?? 0);
}

async function openQueue(page: Page, query = "") {
  await page.goto(`${baseUrl}/app/followups${query}`, { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Follow-ups", level: 1 }).waitFor({ state: "visible" });
  await waitForHydration(page);
  await page.getByRole("tablist").waitFor({ state: "visible" });
}

describe("the Follow-ups page in Chromium", () => {
  it("filters the queue by status and kind", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openQueue(page);

    // GIVEN the seeded queue: open follow-ups, worked ones, and marked promoters
    const open = await tabCount(page, "Open");
    expect(open).toBeGreaterThan(0);
    expect(await tabCount(page, "Resolved")).toBeGreaterThan(0);
    expect(await tabCount(page, "Marked")).toBeGreaterThan(0);
    const items = page.locator("li[data-followup-id]");
    expect(await items.count()).toBe(Math.min(open, 25));
    expect(new Set(await items.evaluateAll((els) => els.map((el) => el.getAttribute("data-status"))))).toEqual(new Set(["open"]));
    expect(await navCount(page)).toBe(open);
    await screenshot(page, "followups-open");

    // WHEN the Resolved tab is chosen, THEN the URL says so and every row is resolved
    await page.getByRole("tab", { name: /^Resolved \(/ }).click();
    await page.waitForURL(/[?&]status=resolved/);
    await expect
      .poll(async () => new Set(await items.evaluateAll((els) => els.map((el) => el.getAttribute("data-status")))))
      .toEqual(new Set(["resolved"]));
    expect(await items.first().innerText()).toMatch(/Owner: .+/);

    // WHEN the Marked tab is filtered to review requests, THEN only review requests are listed
    await page.getByRole("tab", { name: /^Marked \(/ }).click();
    await page.waitForURL(/[?&]status=marked/);
    await page.getByLabel("Kind").selectOption("review-request");
    await page.waitForURL(/[?&]kind=review-request/);
    await expect.poll(async () => (await items.allInnerTexts()).every((t) => t.includes("Review request") && !t.includes("Thank-you"))).toBe(true);
    expect(await items.count()).toBeGreaterThan(0);
    await screenshot(page, "followups-marked-review-requests");

    // AND the passives & promoters tab lists answers to mark
    await page.getByRole("tab", { name: "Passives & promoters" }).click();
    await page.waitForURL(/[?&]view=answers/);
    await page.getByRole("button", { name: /^(Mark for|Unmark) review request: order / }).first().waitFor({ state: "visible" });
    await screenshot(page, "followups-passives-promoters");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("moves an open follow-up to contacted with an owner from the staff and a note by its author, and the counts follow", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openQueue(page);
    const openBefore = await tabCount(page, "Open");
    const contactedBefore = await tabCount(page, "Contacted");

    // GIVEN the newest open follow-up
    const item = page.locator("li[data-followup-id]").first();
    const id = await item.getAttribute("data-followup-id");
    const title = (await item.getByRole("heading", { level: 3 }).innerText()).trim();

    // WHEN staff opens its form, sets Contacted and an owner from the shop's staff, and saves
    await item.getByRole("button", { name: /^Edit status and owner/ }).click();
    await item.getByRole("combobox", { name: "Status", exact: true }).selectOption("contacted");
    await item.getByRole("combobox", { name: "Owner", exact: true }).selectOption({ label: "Priya Natarajan" });
    await screenshot(page, "followups-editing");
    await item.getByRole("button", { name: "Save", exact: true }).click();

    // THEN the page confirms, the follow-up leaves the open list, and the tab and nav counts move by one
    await page.getByText("Marked as contacted").waitFor({ state: "visible" });
    await page.locator(`li[data-followup-id="${id}"]`).waitFor({ state: "detached" });
    await expect.poll(() => tabCount(page, "Open")).toBe(openBefore - 1);
    expect(await tabCount(page, "Contacted")).toBe(contactedBefore + 1);
    await expect.poll(() => navCount(page)).toBe(openBefore - 1);
    await screenshot(page, "followups-after-contact");

    // AND the Contacted tab shows it with its owner; a note added there keeps its author (the signed-in staff member)
    await page.getByRole("tab", { name: /^Contacted \(/ }).click();
    await page.waitForURL(/[?&]status=contacted/);
    const moved = page.locator(`li[data-followup-id="${id}"]`);
    await moved.waitFor({ state: "visible" });
    await moved.getByRole("button", { name: /^Add a note:/ }).click();
    await moved.getByLabel("Note", { exact: true }).fill("Called the shopper; a replacement is on its way.");
    await moved.getByRole("button", { name: /^Save note:/ }).click();
    await moved.locator('ul[aria-label^="Notes on"] li').filter({ hasText: "Called the shopper; a replacement is on its way." }).waitFor({ state: "visible" });
    const text = await moved.innerText();
    expect(text).toContain(title);
    expect(text).toContain("Priya Natarajan");
    expect(text).toMatch(/Sam Rivera, [^\n]+ [AP]M: Called the shopper; a replacement is on its way\./);
    expect(await moved.getAttribute("data-status")).toBe("contacted");
    await screenshot(page, "followups-contacted");

    // AND a reload (server render) agrees
    await openQueue(page, "?status=contacted");
    expect(await tabCount(page, "Open")).toBe(openBefore - 1);
    expect(await page.locator(`li[data-followup-id="${id}"]`).innerText()).toContain("Priya Natarajan");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("each follow-up names its order and links to it in the Shopify admin, and its customer's page shows it", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openQueue(page, "?status=all");
    const items = page.locator("li[data-followup-id]");
    await items.first().waitFor({ state: "visible" });

    // THEN every order link is the admin's link to a numeric order id, opened in the top frame, named by the order's
    // name ("#1001"; a shop may set another prefix or suffix, and other browser tests seed such orders), never its id
    const links = page.locator('li[data-followup-id] h3 a[href^="shopify://"]');
    expect(await links.count()).toBe(await items.count());
    for (const link of await links.all()) {
      const href = await link.getAttribute("href");
      expect(href).toMatch(/^shopify:\/\/admin\/orders\/\d+$/);
      expect(await link.getAttribute("target")).toBe("_top");
      const name = (await link.innerText()).trim();
      expect(name).toMatch(/^#\S+$/);
      expect(name).not.toContain(href!.split("/").pop()!);
    }

    // GIVEN a follow-up of a known customer, with its order and status
    const item = items.filter({ has: page.locator('a[href^="/app/customers/"]') }).first();
    const id = await item.getAttribute("data-followup-id");
    const status = await item.getAttribute("data-status");
    const orderLink = item.getByRole("heading", { level: 3 }).getByRole("link");
    const orderName = (await orderLink.innerText()).trim();
    const href = await orderLink.getAttribute("href");

    // WHEN their customer is opened
    await item.locator('a[href^="/app/customers/"]').click();
    await page.waitForURL(/\/app\/customers\/[^/?]+/);
    await page.getByRole("heading", { name: "Survey answers and follow-ups" }).waitFor({ state: "visible" });

    // THEN the customer page lists that follow-up, under the answer to the same order, with the same admin link
    const shown = page.locator(`li[data-followup-id="${id}"]`);
    await shown.waitFor({ state: "visible" });
    expect(await shown.getAttribute("data-status")).toBe(status);
    const answer = page.getByRole("list", { name: "Survey answers" }).locator(":scope > li").filter({ has: shown });
    const answerOrder = answer.getByRole("heading", { level: 3 }).getByRole("link");
    expect((await answerOrder.innerText()).trim()).toBe(orderName);
    expect(await answerOrder.getAttribute("href")).toBe(href);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("at 390 px wide the queue and the answers to mark reflow: nothing to scroll sideways", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watchPage(page);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

    await openQueue(page, "?status=all");
    await page.locator("li[data-followup-id]").first().waitFor({ state: "visible" });
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await sidewaysScrollers(page)).toEqual([]);
    await screenshot(page, "followups-queue-390");

    await openQueue(page, "?view=answers");
    // The condensed list (one block per answer, its buttons inside) replaces the six-column table.
    const answers = page.locator("[data-response-id]");
    await answers.first().waitFor({ state: "visible" });
    expect(await page.locator("table").count()).toBe(0);
    await answers.first().getByRole("button", { name: /^(Mark for|Unmark) review request: order / }).waitFor({ state: "visible" });
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await sidewaysScrollers(page)).toEqual([]);
    await screenshot(page, "followups-passives-promoters-390");
    expect(problems).toEqual([]);
    await context.close();
  });
});
