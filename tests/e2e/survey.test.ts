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

const NPS_FIELD = "Net Promoter Score (NPS) text (English)";
const WORDING = "Would you tell a friend about Afterglow Outfitters?";

async function openSurvey(page: Page) {
  await page.goto(`${baseUrl}/app/survey`, { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Survey", level: 1 }).waitFor({ state: "visible" });
}

describe("the Survey page in Chromium", () => {
  it("rewording NPS shows in the preview; clicking through the preview saves nothing; publish reaches the Admin API", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openSurvey(page);
    const preview = page.getByRole("region", { name: "Survey preview" });
    await page.getByRole("heading", { name: "Preview (approximate styling)" }).waitFor({ state: "visible" });
    await preview.getByText("How likely are you to recommend us to a friend or colleague?").waitFor({ state: "visible" });
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() !== "GET") posts.push(request.url());
    });

    // WHEN the merchant rewords the NPS question in English
    await page.getByLabel(NPS_FIELD).fill(WORDING);

    // THEN the preview shows the new wording, and the draft now differs from what is published
    await preview.getByText(WORDING).waitFor({ state: "visible" });
    await page.getByText("Draft differs from published").or(page.getByText("Not published")).first().waitFor({ state: "visible" });

    // AND clicking through the preview (a score, next, a choice) posts nothing
    await preview.getByRole("button", { name: "9 of 10" }).click();
    expect(await preview.getByRole("button", { name: "9 of 10" }).getAttribute("aria-pressed")).toBe("true");
    await preview.getByRole("button", { name: "Next" }).click();
    await preview.getByText("How satisfied are you with your purchase?").waitFor({ state: "visible" });
    await screenshot(page, "survey-preview");
    expect(posts).toEqual([]);

    // WHEN the merchant publishes
    await page.getByRole("button", { name: "Publish" }).click();

    // THEN the page confirms (a Banner: the demo has no App Bridge toast), and the published badge is shown
    await page.getByText("Survey published").waitFor({ state: "visible" });
    await page.getByText(/^Published /).first().waitFor({ state: "visible" });
    await page.getByText("Draft differs from published").waitFor({ state: "hidden" });
    await screenshot(page, "survey-published");
    expect(posts).toHaveLength(1);

    // AND after a reload the wording is still there
    await openSurvey(page);
    expect(await page.getByLabel(NPS_FIELD).inputValue()).toBe(WORDING);
    await page.getByText(/^Published /).first().waitFor({ state: "visible" });

    // AND the demo's Admin API log holds the publish mutation
    await page.goto(`${baseUrl}/app/demo`);
    await page.getByText("AfterglowSurveyPublish").first().waitFor({ state: "visible" });
    await page.getByText("AfterglowShopId").first().waitFor({ state: "visible" });
    await screenshot(page, "survey-demo-admin-log");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an invalid change shows an inline error and cannot be saved", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openSurvey(page);
    await page.getByLabel("Label (English) for option 1").fill("");
    await page.getByText("A label in en is required").waitFor({ state: "visible" });
    expect(await page.getByLabel("Label (English) for option 1").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("button", { name: "Save draft" }).isDisabled()).toBe(true);
    await screenshot(page, "survey-invalid");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("filters the answers list through the URL", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openSurvey(page);
    await page.getByLabel("Filter by question", { exact: true }).selectOption("nps");
    await page.getByLabel("Score band", { exact: true }).selectOption("detractor");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/question=nps&band=detractor/);
    await page.getByRole("heading", { name: "Answers" }).waitFor({ state: "visible" });
    expect(await page.getByLabel("Score band", { exact: true }).inputValue()).toBe("detractor");
    await screenshot(page, "survey-answers");
    expect(problems).toEqual([]);
    await page.close();
  });
});
