import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, waitForHydration, watchPage } from "./support/browser";

/**
 * Tier perks in Shopify (decision 039), in Chromium against the demo server: the demo's default programme has its
 * perks in "Shopify" (the demo's Admin API recorder answers), and a merchant who changes a tier's perk sees the new
 * discount's state on the Loyalty page once the outbox has sent it.
 */

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function openLoyalty(page: Page) {
  await page.goto(`${baseUrl}/app/loyalty`, { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Loyalty", level: 1 }).waitFor({ state: "visible" });
  await waitForHydration(page);
  await page.getByRole("heading", { name: "Tier perks in Shopify", level: 2 }).waitFor({ state: "visible" });
}

/** Each perk's key → its state, as the Loyalty page shows them. */
async function perkStates(page: Page): Promise<Record<string, string>> {
  const rows = await page.locator("[data-perk]").evaluateAll((els) => els.map((el) => [el.getAttribute("data-perk") ?? "", el.getAttribute("data-perk-state") ?? ""]));
  return Object.fromEntries(rows);
}

/** Reloads the page until the perks' states are `expected` (the demo's outbox worker runs every 15 seconds). */
async function waitForPerks(page: Page, expected: Record<string, string>) {
  await expect
    .poll(
      async () => {
        await openLoyalty(page);
        return perkStates(page);
      },
      { timeout: 60_000, interval: 2_000 },
    )
    .toEqual(expected);
}

/** The outbox's pending count on the Loyalty page's "Sync to Shopify" card. */
async function outboxPending(page: Page): Promise<number> {
  return page.evaluate(() => {
    const label = [...document.querySelectorAll("h3")].find((h) => h.textContent === "Pending");
    const figure = label?.parentElement?.querySelector("p")?.textContent ?? "";
    return Number(figure.replace(/,/g, ""));
  });
}

const silverDiscount = (page: Page) => page.getByLabel(/^Discount \(optional\) for tier 2$/);

describe("tier perks on the Loyalty page in Chromium", () => {
  it("the demo's perks are active in Shopify; a merchant changes Silver's discount and sees the new perk's state", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);

    // GIVEN the demo's programme (Silver 5 %, Gold 10 % and free shipping) sent to Shopify by the outbox, and the
    // demo's seeded tier tags delivered (a shop's calls go out in order: a perk saved now would wait behind them)
    await expect
      .poll(
        async () => {
          await openLoyalty(page);
          return outboxPending(page);
        },
        { timeout: 420_000, interval: 5_000 },
      )
      .toBe(0);
    await waitForPerks(page, { "free-shipping": "active", "percent-10": "active", "percent-5": "active", "tier-2": "active", "tier-3": "active" });
    const card = page.locator("[data-perk='percent-5']");
    expect(await card.innerText()).toContain("Afterglow tier perk: 5% off");
    expect(await card.innerText()).toContain("For Afterglow Silver tier");
    expect(await card.innerText()).toMatch(/Ends .+, renewed daily/);
    await screenshot(page, "tier-perks-active");

    // WHEN the merchant gives Silver 15 % instead of 5 % and saves the program
    await silverDiscount(page).fill("15");
    await page.getByRole("button", { name: "Save program" }).click();
    await page.getByText("Loyalty program saved. Recomputing tiers…").waitFor({ state: "visible" });

    // THEN the page shows the change on its way: the 15 % perk pending, the 5 % one being removed
    await openLoyalty(page);
    const queued = await perkStates(page);
    expect(["pending", "active"]).toContain(queued["percent-15"]);
    expect(queued["percent-5"] === undefined || queued["percent-5"] === "removing").toBe(true);

    // AND once the outbox has run, the 15 % discount is active for Silver and the 5 % one is gone
    await waitForPerks(page, { "free-shipping": "active", "percent-10": "active", "percent-15": "active", "tier-2": "active", "tier-3": "active" });
    expect(await page.locator("[data-perk='percent-15']").innerText()).toContain("For Afterglow Silver tier");
    await screenshot(page, "tier-perks-changed");

    // The demo's Admin API log shows the calls the app made.
    await page.goto(`${baseUrl}/app/demo`, { waitUntil: "networkidle" });
    await page.getByText("AfterglowPerkDiscountBasicCreate").first().waitFor({ state: "visible" });
    await page.getByText("AfterglowPerkDiscountDelete").first().waitFor({ state: "visible" });

    // Put Silver back, so other tests see the demo's programme as it was.
    await openLoyalty(page);
    await silverDiscount(page).fill("5");
    await page.getByRole("button", { name: "Save program" }).click();
    await page.getByText("Loyalty program saved. Recomputing tiers…").waitFor({ state: "visible" });
    expect(problems).toEqual([]);
    await page.close();
  }, 600_000);
});
