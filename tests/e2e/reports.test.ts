import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, waitForHydration, watchPage } from "./support/browser";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The attribution table's body rows and its totals row, as cell texts. */
async function attributionTable(page: Page) {
  const table = page.locator("table").filter({ has: page.getByRole("columnheader", { name: "90-day revenue per customer" }) });
  await table.waitFor({ state: "visible" });
  const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => (c as HTMLElement).innerText.trim())));
  const totals = await table.locator("tfoot tr, thead tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => (c as HTMLElement).innerText.trim())));
  return { rows, totals };
}

const count = (text: string | undefined) => Number((text ?? "").replace(/,/g, ""));

describe("the Reports page in Chromium", () => {
  it("shows the attribution table and chart for the range, changes with it, and exports the same rows", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app/reports?range=90d`);
    await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor({ state: "visible" });
    await waitForHydration(page);

    // GIVEN the demo shop's answers of the last 90 days: a row per channel, the unanswered last, and a total
    const { rows, totals } = await attributionTable(page);
    const channels = rows.map((r) => r[0]);
    expect(channels).toEqual(expect.arrayContaining(["Search engine", "Social media", "A friend"]));
    expect(channels.indexOf("Not answered")).toBe(channels.includes("Not answered") ? channels.length - 1 : -1);
    const answers90 = rows.reduce((n, r) => n + count(r[1]), 0);
    const total = totals.find((r) => r.some((c) => /All answers/.test(c)));
    expect(total).toBeDefined();
    expect(count(total![1])).toBe(answers90);
    for (const row of rows) {
      expect(row[3]).toMatch(/^\$[\d,]+\.\d{2}$/); // net revenue in the shop currency
      expect(row[7]).toMatch(/^(—|-?\d+( \*)?)$/); // NPS, starred under 30 answers
    }
    // The chart's data table names the same channels.
    const chartTable = page.locator("table[data-chart-table]").filter({ has: page.locator("caption", { hasText: /^Net revenue of answered orders by channel$/ }) });
    expect(await chartTable.locator("tbody tr th, tbody tr td:first-child").allInnerTexts()).toEqual(expect.arrayContaining(["Search engine"]));

    // WHEN the merchant picks the last 7 days: fewer answers
    await page.getByLabel("Date range").selectOption("7d");
    await page.waitForURL(/range=7d/);
    await page.waitForFunction(
      (before) => {
        const table = [...document.querySelectorAll("table")].find((t) => t.innerText.includes("90-day revenue per customer"));
        const cells = table ? [...table.querySelectorAll("tbody tr")].map((tr) => Number((tr.querySelector("td") as HTMLElement | null)?.innerText.replace(/,/g, "") ?? 0)) : [];
        return table !== undefined && cells.reduce((a, b) => a + b, 0) < before;
      },
      answers90,
    );

    // AND exports the report: the CSV has the page's channels for the same range
    const after = await attributionTable(page);
    expect(after.rows.length).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^attribution-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(csv[0]!.startsWith("Channel,Answers,Orders,Net revenue,Currency")).toBe(true);
    expect(csv.slice(1, -1).map((line) => line.split(",")[0])).toEqual(after.rows.map((r) => r[0]));
    expect(csv.at(-1)!.startsWith("All answers,")).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows each question's answers, filters them by segment, and searches what shoppers wrote", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseUrl}/app/reports?range=90d`);
    await page.getByRole("heading", { name: "Answers per question", level: 2 }).waitFor({ state: "visible" });
    await waitForHydration(page);

    // GIVEN the first scale question's chart (NPS, whatever its wording now: another test may have reworded it): its
    // data table has one row per score 0–10
    const npsTable = page.locator("table[data-chart-table]").filter({ has: page.locator("caption", { hasText: /: answers per score$/ }) }).first();
    await npsTable.waitFor({ state: "attached" });
    expect(await npsTable.locator("tbody tr").count()).toBe(11);
    const npsTitle = (await npsTable.locator("caption").innerText()).replace(/: answers per score$/, "");
    const npsAnswers = async () => Number(/([\d,]+) answers?/.exec(await page.getByRole("heading", { name: npsTitle, level: 3, exact: true }).locator("xpath=following-sibling::p[1]").innerText())?.[1]?.replace(/,/g, ""));
    const all = await npsAnswers();
    expect(all).toBeGreaterThan(0);

    // WHEN the merchant keeps first orders only: the URL keeps it and fewer answers count
    await page.getByLabel("Answers from").selectOption("customerType:new");
    await page.waitForURL(/segment=customerType%3Anew/);
    await page.waitForFunction(([before, title]) => {
      const heading = [...document.querySelectorAll("h3")].find((h) => h.textContent === title);
      const text = heading?.nextElementSibling?.textContent ?? "";
      const n = Number(/([\d,]+) answers?/.exec(text)?.[1]?.replace(/,/g, "") ?? NaN);
      return n < Number(before);
    }, [all, npsTitle] as const);

    // AND searches a word from the first written answer: every answer set listed contains it
    await page.getByLabel("Answers from").selectOption("all");
    await page.waitForURL((url) => !url.searchParams.has("segment"));
    const sets = page.getByTestId("text-answer");
    const first = await sets.first().locator("p:has(span)").first().innerText();
    const word = /[A-Za-z]{5,}/.exec(first.split(":").slice(1).join(":"))?.[0];
    expect(word).toBeDefined();
    await page.getByLabel("Search the comments and written answers").fill(word!.toUpperCase());
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(new RegExp(`q=${word!.toUpperCase()}`));
    // THEN (once the search's results replace the list) every answer set listed contains it, whatever its case, in
    // its words after the date line
    const matching = async () => {
      const texts = await sets.allInnerTexts();
      return texts.length > 0 && texts.every((text) => text.trim().split("\n").slice(1).join("\n").toLowerCase().includes(word!.toLowerCase()));
    };
    await expect.poll(matching, { timeout: 15_000 }).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
