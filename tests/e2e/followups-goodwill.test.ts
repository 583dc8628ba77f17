import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, waitForHydration, watchPage } from "./support/browser";

/**
 * Follow-ups that reach the customer (decision 044), in Chromium against the demo build: a merchant contacts a
 * detractor (the email link, "Mark contacted"), writes a note, grants goodwill points, resolves the follow-up, and the
 * customer's page shows the points with the reason and the resolved follow-up with its note and goodwill.
 */

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function openQueue(page: Page, query = "") {
  await page.goto(`${baseUrl}/app/followups${query}`, { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Follow-ups", level: 1 }).waitFor({ state: "visible" });
  await waitForHydration(page);
  await page.getByRole("tablist").waitFor({ state: "visible" });
}

describe("goodwill from a follow-up, in Chromium", () => {
  it("contacts a detractor, grants goodwill points, resolves the follow-up; the customer page shows it", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openQueue(page);

    // GIVEN an open follow-up of a customer (not a guest): it offers an email to them with the subject prefilled
    const item = page.locator("li[data-followup-id]").filter({ has: page.getByRole("link", { name: /^Write an email to the customer about/ }) }).first();
    await item.waitFor({ state: "visible" });
    const id = await item.getAttribute("data-followup-id");
    const mailto = await item.getByRole("link", { name: /^Write an email to the customer about/ }).getAttribute("href");
    expect(mailto).toMatch(/^mailto:[^?]+@[^?]+\?subject=[^&]+$/);
    const customerLink = item.locator('a[href^="/app/customers/"]');
    const customerPath = await customerLink.getAttribute("href");
    expect(customerPath).toMatch(/^\/app\/customers\/\d+$/);

    // WHEN staff contact the customer and mark it
    await item.getByRole("button", { name: /^Mark contacted:/ }).click();
    await page.getByText("Marked as contacted").waitFor({ state: "visible" });
    await openQueue(page, "?status=contacted");
    const contacted = page.locator(`li[data-followup-id="${id}"]`);
    await contacted.waitFor({ state: "visible" });

    // AND write a note on it
    await contacted.getByRole("button", { name: /^Add a note:/ }).click();
    await contacted.getByLabel("Note", { exact: true }).fill("Called them, apologised for the wait");
    await contacted.getByRole("button", { name: /^Save note:/ }).click();
    await contacted.getByRole("list", { name: /^Notes on / }).getByText("Called them, apologised for the wait").waitFor({ state: "visible" });

    // AND grant goodwill points with a reason
    await contacted.getByRole("button", { name: /^Give goodwill:/ }).click();
    await contacted.getByRole("combobox", { name: "Give", exact: true }).selectOption("points");
    await contacted.getByLabel("Points", { exact: true }).fill("120");
    await contacted.getByLabel("Reason", { exact: true }).fill("Sorry for the wait");
    await screenshot(page, "followups-goodwill-form");
    await contacted.getByRole("button", { name: "Grant goodwill", exact: true }).click();
    await contacted.getByRole("status").getByText(/^Granted 120 points; balance [\d,]+$/).waitFor({ state: "visible" });
    await contacted.getByText(/120 points — Sorry for the wait/).waitFor({ state: "visible" });
    expect(await contacted.innerText()).toMatch(/Goodwill: 120 points — Sorry for the wait \(Sam Rivera, /);

    // AND resolve it
    await contacted.getByRole("button", { name: /^Resolve:/ }).click();
    await page.locator(`li[data-followup-id="${id}"]`).waitFor({ state: "detached" });
    await openQueue(page, "?status=resolved");
    const resolved = page.locator(`li[data-followup-id="${id}"]`);
    await resolved.waitFor({ state: "visible" });
    expect(await resolved.getAttribute("data-status")).toBe("resolved");
    expect(await resolved.innerText()).toContain("Goodwill: 120 points — Sorry for the wait");
    await screenshot(page, "followups-goodwill-resolved");

    // THEN the customer's page shows the points with the reason and who gave them, and the follow-up resolved
    await page.goto(`${baseUrl}${customerPath}`, { waitUntil: "networkidle" });
    const ledger = page.locator("#points-ledger");
    await ledger.waitFor({ state: "visible" });
    const entry = ledger.getByRole("row").filter({ hasText: "Goodwill: Sorry for the wait" }).first();
    await entry.waitFor({ state: "visible" });
    expect(await entry.innerText()).toMatch(/Adjustment[\s\S]*\+?120[\s\S]*Goodwill: Sorry for the wait · by Sam Rivera/);
    const followUp = page.locator(`li[data-followup-id="${id}"]`);
    expect(await followUp.getAttribute("data-status")).toBe("resolved");
    // with the note (its author and time) and the goodwill row (what, why, by whom) under it (decision 050)
    const note = followUp.getByRole("list", { name: /^Notes on order / }).getByRole("listitem").filter({ hasText: "Called them, apologised for the wait" });
    expect(await note.innerText()).toMatch(/^Sam Rivera, .+: Called them, apologised for the wait$/);
    expect(await note.locator("time").getAttribute("datetime")).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const goodwill = followUp.getByRole("list", { name: /^Goodwill given for order / }).getByRole("listitem").filter({ hasText: "Sorry for the wait" });
    expect(await goodwill.count()).toBe(1);
    expect(await goodwill.getAttribute("data-status")).toBe("granted");
    expect(await goodwill.innerText()).toMatch(/^Goodwill: 120 points — Sorry for the wait \(Sam Rivera, .+\)$/);
    await screenshot(page, "followups-goodwill-customer");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("marks overdue follow-ups in words, not colour alone, and counts them in the navigation", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openQueue(page);
    const link = page.getByRole("navigation").getByRole("link", { name: /^Follow-ups/ });
    const name = ((await link.getAttribute("aria-label")) ?? (await link.innerText())).trim();
    const match = /\(([\d,]+) open, ([\d,]+) overdue\)$/.exec(name);
    expect(match, name).not.toBeNull();
    const overdue = Number(match![2]!.replace(/,/g, ""));
    expect(overdue).toBeGreaterThan(0);
    // The demo's open queue is newest first; its older entries are past the 24-hour target.
    const late = page.locator("li[data-followup-id]").filter({ hasText: "Overdue: contact was due" });
    expect(await late.count()).toBeGreaterThan(0);
    expect(await late.first().getByText("Overdue", { exact: true }).count()).toBe(1);
    await page.getByRole("heading", { name: "Response-time target" }).waitFor({ state: "visible" });
    expect(await page.getByText(/open follow-ups? (is|are) past the target/).innerText()).toContain(`${overdue.toLocaleString("en-US")} open`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
