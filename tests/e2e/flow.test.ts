import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
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

async function openFlowPage(page: Page) {
  await page.goto(`${baseUrl}/app/flow`, { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Shopify Flow", level: 1 }).waitFor({ state: "visible" });
  await waitForHydration(page);
}

/** A card's content: the nearest stack around its heading (Polaris cards have no class of their own to find them by). */
const card = (page: Page, name: string) => page.getByRole("heading", { name, level: 2 }).locator("xpath=ancestor::div[contains(@class,'Polaris-BlockStack')][1]");

/** The block of one trigger or action on the page: its heading's nearest container. */
const block = (page: Page, name: string) => page.getByRole("heading", { name, level: 3 }).locator("xpath=ancestor::div[contains(@class,'Polaris-BlockStack')][1]");

describe("the Flow page in Chromium", () => {
  it("shows which triggers the demo shop's workflows use and what each carries, the actions, the sends and the action runs", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openFlowPage(page);

    // The triggers: three used by a workflow (the demo's lifecycle callbacks), "Survey answer received" not.
    for (const name of ["Follow-up status changed", "Loyalty tier changed", "Reward redeemed"]) {
      expect(await block(page, name).innerText(), name).toContain("Used by a workflow");
    }
    const survey = await block(page, "Survey answer received").innerText();
    expect(survey).toContain("Not used");
    expect(survey).toContain("Carries: Customer, Order, nps score, nps group, csat score, ces score, comment, attribution");
    expect(await block(page, "Loyalty tier changed").innerText()).toContain("Carries: Customer, previous tier, tier, points");

    // The actions and what they take.
    expect(await block(page, "Award loyalty points").innerText()).toContain("Takes: Customer, points, reason");
    expect(await block(page, "Set follow-up status").innerText()).toContain("Takes: Order, status");

    // Recent sends: the triggers staff's follow-up work and the shoppers' redemptions queued, each with its status
    // (the outbox sends them to the recorder after the history's tier mirror, so they may still be waiting).
    const sends = card(page, "Recent sends");
    const sendsText = await sends.innerText();
    // The list is the newest sends: after other browser tests changed tiers (Loyalty page, tier perks) its top holds
    // their "Loyalty tier changed" sends, so which triggers show depends on what ran before; each one listed has its
    // status. (Each trigger's exact document is pinned in tests/integration/flow-triggers-sent.test.ts.)
    expect(sendsText).toMatch(/(Follow-up status changed|Loyalty tier changed|Reward redeemed)\s+(Info\s+|Success\s+)?(Waiting|Sent)/);
    const listed = sendsText.match(/(Follow-up status changed|Loyalty tier changed|Reward redeemed|Survey answer received)\n/g) ?? [];
    const withStatus = sendsText.match(/(Follow-up status changed|Loyalty tier changed|Reward redeemed|Survey answer received)\s+(Info\s+|Success\s+|Critical\s+)?(Waiting|Sent|Failed)/g) ?? [];
    expect(withStatus.length).toBe(listed.length);
    expect(sendsText).not.toContain("Nothing sent yet");

    // Recent action runs: two awards and a follow-up resolved (applied), and an award to an unknown customer (refused).
    const runs = card(page, "Recent action runs");
    const text = await runs.innerText();
    expect(text.match(/Applied/g)).toHaveLength(3);
    expect(text).toContain("Refused");
    expect(text).toContain("properties.customer_id names no customer Afterglow knows in this shop");
    expect(text).toMatch(/Follow-up \d+ moved from open to resolved/);
    expect(text).toMatch(/Awarded 100 points; balance \d+/);
    await screenshot(page, "flow");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("is in the navigation", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: "Shopify Flow", exact: true }).first().click();
    await page.getByRole("heading", { name: "Shopify Flow", level: 1 }).waitFor({ state: "visible" });
    expect(new URL(page.url()).pathname).toBe("/app/flow");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("at 390 px wide nothing scrolls sideways", async () => {
    const page = await phonePage(browser);
    const problems = watchPage(page);
    await openFlowPage(page);
    await page.getByRole("heading", { name: "Recent action runs", level: 2 }).waitFor({ state: "visible" });
    expect(await sidewaysScrollers(page)).toEqual([]);
    await screenshot(page, "flow-390");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
