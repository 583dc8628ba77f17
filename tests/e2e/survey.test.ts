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

const NPS_FIELD = "Net Promoter Score (NPS) text (English)";
/** The demo's save bar (App Bridge draws it in the admin; the demo has no App Bridge). */
const saveBar = (page: Page) => page.getByRole("region", { name: "Unsaved changes" });
const WORDING = "Would you tell a friend about Afterglow Outfitters?";

async function openSurvey(page: Page) {
  await page.goto(`${baseUrl}/app/survey`, { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Survey", level: 1 }).waitFor({ state: "visible" });
  await waitForHydration(page);
}

describe("the Survey page in Chromium", () => {
  it("rewording NPS shows in the preview; clicking through the preview saves nothing; publish reaches the Admin API", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openSurvey(page);
    const preview = page.getByRole("region", { name: "Survey preview" });
    await page.getByRole("heading", { name: "Preview (approximate styling)" }).waitFor({ state: "visible" });
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() !== "GET") posts.push(request.url());
    });
    // The preview asks attribution first (decision 051), then speaks the extension's own words: the built-in NPS
    // question with the shop's name filled in, never a raw {{shop}}, and the extension's scale ends.
    await preview.getByRole("heading", { name: "How did you hear about us?" }).waitFor({ state: "visible" });
    await preview.getByText("Search engine", { exact: true }).click();
    await preview.getByRole("button", { name: "Next" }).click();
    const builtIn = preview.getByText(/^How likely are you to recommend .+ to a friend\?$/);
    await builtIn.waitFor({ state: "visible" });
    expect(await builtIn.innerText()).not.toContain("{{");
    await preview.getByText("0 – Not at all likely").waitFor({ state: "visible" });

    // WHEN the merchant rewords the NPS question in English
    await page.getByLabel(NPS_FIELD).fill(WORDING);

    // THEN the preview shows the new wording, and the draft now differs from what is published
    await preview.getByText(WORDING).waitFor({ state: "visible" });
    await page.getByText("Draft differs from published").or(page.getByText("Not published")).first().waitFor({ state: "visible" });

    // AND clicking through the preview (the choice and the score above, next) posts nothing
    await preview.getByRole("button", { name: "9 on a scale from 0 to 10" }).click();
    expect(await preview.getByRole("button", { name: "9 on a scale from 0 to 10" }).getAttribute("aria-pressed")).toBe("true");
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

    // AND turning "ask first" off moves attribution after the scores in the preview; on again, it is first again
    const askFirst = page.getByLabel("Ask this question first, before the scores");
    expect(await askFirst.isChecked()).toBe(true);
    await askFirst.uncheck();
    await preview.getByText(WORDING).waitFor({ state: "visible" });
    await askFirst.check();
    await preview.getByRole("heading", { name: "How did you hear about us?" }).waitFor({ state: "visible" });

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
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await page.getByLabel("Label (English) for option 1", { exact: true }).fill("");
    await page.getByText("A label in en is required").waitFor({ state: "visible" });
    expect(await page.getByLabel("Label (English) for option 1", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    // Save draft can be pressed (it reveals every problem) but sends nothing while one remains.
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.getByText("Fix 1 problem before saving").waitFor({ state: "visible" });
    expect(posts).toEqual([]);
    await screenshot(page, "survey-invalid");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the save bar follows edits: a new option shows no error until touched, Discard restores, filters keep the edits, leaving asks", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openSurvey(page);
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    const wording = await page.getByLabel(NPS_FIELD).inputValue();
    const options = await page.getByLabel(/^Label \(English\) for option \d+$/).count();
    expect(await saveBar(page).count()).toBe(0);

    // WHEN the merchant adds an answer option
    await page.getByRole("button", { name: "Add option", exact: true }).click();
    const added = page.getByLabel(`Label (English) for option ${options + 1}`);
    // THEN the save bar shows, and the empty option carries no error until it is touched
    await saveBar(page).waitFor({ state: "visible" });
    await added.waitFor({ state: "visible" });
    expect(await added.getAttribute("aria-invalid")).not.toBe("true");
    expect(await page.getByText("A label in en is required").count()).toBe(0);
    await added.focus();
    await added.blur();
    await page.getByText("A label in en is required").waitFor({ state: "visible" });
    await screenshot(page, "survey-save-bar");

    // WHEN the merchant discards
    await saveBar(page).getByRole("button", { name: "Discard" }).click();
    // THEN the saved questions are back
    await saveBar(page).waitFor({ state: "hidden" });
    expect(await page.getByLabel(/^Label \(English\) for option \d+$/).count()).toBe(options);
    expect(await page.getByText("A label in en is required").count()).toBe(0);

    // WHEN the wording changes and the answers are filtered (the same page under a new URL)
    await page.getByLabel(NPS_FIELD).fill(`${wording} (draft)`);
    await saveBar(page).waitFor({ state: "visible" });
    await page.getByLabel("Filter by question", { exact: true }).selectOption("nps");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/question=nps/);
    await page.waitForLoadState("networkidle");
    // THEN nothing asks, and the edit is kept
    const dialog = page.getByRole("dialog", { name: "Leave page with unsaved changes?" });
    expect(await dialog.count()).toBe(0);
    expect(await page.getByLabel(NPS_FIELD).inputValue()).toBe(`${wording} (draft)`);

    // WHEN the merchant follows a link to another page
    await page.getByRole("link", { name: "Loyalty" }).click();
    // THEN the page asks; Leave page goes, and nothing was saved
    await dialog.waitFor({ state: "visible" });
    expect(new URL(page.url()).pathname).toBe("/app/survey");
    await dialog.getByRole("button", { name: "Leave page" }).click();
    await page.waitForURL((url) => url.pathname === "/app/loyalty");
    expect(posts).toEqual([]);
    await openSurvey(page);
    expect(await page.getByLabel(NPS_FIELD).inputValue()).toBe(wording);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the answer window is part of the save bar: a change shows it, Discard restores, an error waits for the touch, Save stores, leaving asks", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openSurvey(page);
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.postData() ?? "");
    });
    const days = page.getByLabel("Days after the order");
    const saved = await days.inputValue();
    expect(saved).toMatch(/^\d+$/);
    const other = saved === "45" ? "46" : "45";
    // The card has no Save of its own any more: the page's save covers it.
    expect(await page.getByRole("button", { name: "Save window" }).count()).toBe(0);
    expect(await saveBar(page).count()).toBe(0);

    // WHEN the merchant changes the window, THEN the save bar shows; Discard puts the saved days back
    await days.fill(other);
    await saveBar(page).waitFor({ state: "visible" });
    await saveBar(page).getByRole("button", { name: "Discard" }).click();
    await saveBar(page).waitFor({ state: "hidden" });
    expect(await days.inputValue()).toBe(saved);

    // WHEN the window is out of range and Save is pressed, THEN the field says why and nothing is sent
    await days.fill("0");
    await page.getByText("Enter a whole number of days from 1 to 365").waitFor({ state: "visible" });
    expect(await days.getAttribute("aria-invalid")).toBe("true");
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await page.getByText("Fix 1 problem before saving").waitFor({ state: "visible" });
    expect(posts).toEqual([]);
    await screenshot(page, "survey-answer-window-invalid");

    // WHEN the merchant leaves through a link with the change unsaved, THEN the page asks; Stay keeps the edit
    await days.fill(other);
    await page.getByRole("link", { name: "Loyalty" }).click();
    const dialog = page.getByRole("dialog", { name: "Leave page with unsaved changes?" });
    await dialog.waitFor({ state: "visible" });
    await dialog.getByRole("button", { name: "Stay" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(new URL(page.url()).pathname).toBe("/app/survey");
    expect(await days.inputValue()).toBe(other);

    // WHEN the merchant saves from the bar, THEN one request carries the window, the bar goes, and a reload shows it
    await saveBar(page).getByRole("button", { name: "Save" }).click();
    await saveBar(page).waitFor({ state: "hidden" });
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]!)).toMatchObject({ intent: "save", answerWindowDays: Number(other) });
    await openSurvey(page);
    expect(await page.getByLabel("Days after the order").inputValue()).toBe(other);

    // AND the page's own Save puts it back (the demo keeps its window for the other tests)
    await page.getByLabel("Days after the order").fill(saved);
    await page.getByRole("button", { name: "Save draft" }).click();
    await saveBar(page).waitFor({ state: "hidden" });
    await openSurvey(page);
    expect(await page.getByLabel("Days after the order").inputValue()).toBe(saved);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("at 390 px wide the answers list is one block per answer and nothing scrolls sideways", async () => {
    const page = await phonePage(browser);
    const problems = watchPage(page);
    await openSurvey(page);
    const answers = page.locator("[data-answer-id]");
    await answers.first().waitFor({ state: "visible" });
    expect(await page.locator("table").count()).toBe(0);
    expect(await answers.first().locator('a[href^="shopify://admin/orders/"]').count()).toBe(1);
    expect(await sidewaysScrollers(page)).toEqual([]);
    await screenshot(page, "survey-390");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("shows the response rate out of orders seen and each question's drop-off (the demo's seen records)", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openSurvey(page);
    await page.getByRole("heading", { name: "Response rate", level: 2 }).waitFor({ state: "visible" });
    const card = page.locator("#response-rate");
    expect(await card.getByText(/^\d+(\.\d)?% \(\d+ of \d+\)$/).count()).toBe(1);
    expect(await card.getByText("Orders that answered, out of orders whose shoppers were shown the survey.").count()).toBe(1);
    const rows = card.locator("table tbody tr");
    // the demo's survey: the built-in questions and its three own ones, in the order shoppers meet them
    expect((await rows.allInnerTexts()).map((r) => r.split("\t")[0])).toEqual([
      "How did you hear about us?",
      "Net Promoter Score (NPS)",
      "Customer satisfaction (CSAT)",
      "Who was this order for?",
      "How was the packaging?",
      "What almost stopped you from ordering?",
      "Comment",
    ]);
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
    // AND each answer names its order and links to it in the Shopify admin (its customer, to the customer's page)
    const orderLinks = page.locator('a[href^="shopify://admin/orders/"]');
    await orderLinks.first().waitFor({ state: "visible" });
    for (const link of (await orderLinks.all()).slice(0, 5)) {
      expect(await link.getAttribute("href")).toMatch(/^shopify:\/\/admin\/orders\/\d+$/);
      expect(await link.getAttribute("target")).toBe("_top");
      expect((await link.innerText()).trim()).toMatch(/^#\S+$/);
    }
    expect(await page.locator('a[href^="/app/customers/"]').count()).toBeGreaterThan(0);
    await screenshot(page, "survey-answers");

    // AND a date filter says which days it covers, as UTC days (the rollup days of decision 025)
    await page.goto(`${baseUrl}/app/survey?from=2026-11-01&to=2026-11-30`, { waitUntil: "networkidle" });
    await page.getByText("Answers given from Nov 1, 2026 to Nov 30, 2026 (UTC days)").waitFor({ state: "visible" });
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe("2026-11-01");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a merchant adds custom questions, validated as typed, reorders them, branches one on NPS, previews both branches, and publishes them", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openSurvey(page);
    const preview = page.getByRole("region", { name: "Survey preview" });
    // GIVEN the merchant first removes the demo survey's own questions (it starts with three)
    await page.getByRole("button", { name: "Remove question 1" }).waitFor({ state: "visible" });
    while (await page.getByRole("button", { name: "Remove question 1" }).count()) await page.getByRole("button", { name: "Remove question 1" }).click();

    // WHEN the merchant adds a single-choice question
    await page.getByLabel("New question type").selectOption("single_choice");
    await page.getByRole("button", { name: "Add question" }).click();
    // THEN the save bar shows, and the empty question carries no error until it is touched
    await saveBar(page).waitFor({ state: "visible" });
    await page.getByRole("heading", { name: "Question 1: Single choice" }).waitFor({ state: "visible" });
    const text1 = page.getByLabel("Question 1 text (English)");
    expect(await text1.getAttribute("aria-invalid")).not.toBe("true");
    await text1.focus();
    await text1.blur();
    await page.getByText("The question in en is required").waitFor({ state: "visible" });
    expect(await text1.getAttribute("aria-invalid")).toBe("true");
    // AND typing the wording clears the error at once
    await text1.fill("Which colour do you like?");
    await page.getByText("The question in en is required").waitFor({ state: "hidden" });

    // WHEN it gets two options and "None of these"
    await page.getByRole("button", { name: "Add option of question 1" }).click();
    await page.getByRole("button", { name: "Add option of question 1" }).click();
    await page.getByLabel("Label (English) for option 1 of question 1").fill("Red");
    await page.getByLabel("Label (English) for option 2 of question 1").fill("Blue");
    await page.getByLabel("Offer “None of these” for question 1").check();

    // AND a short-text question, moved above the first, asked only to detractors (NPS 0–6)
    await page.getByLabel("New question type").selectOption("short_text");
    await page.getByRole("button", { name: "Add question" }).click();
    await page.getByLabel("Question 2 text (English)").fill("What went wrong?");
    await page.getByRole("button", { name: "Move question 2 up" }).click();
    await page.getByRole("heading", { name: "Question 1: Short text" }).waitFor({ state: "visible" });
    expect(await page.getByLabel("Question 1 text (English)").inputValue()).toBe("What went wrong?");
    expect(await page.getByLabel("Question 2 text (English)").inputValue()).toBe("Which colour do you like?");
    await page.getByLabel("Ask question 1").selectOption("nps");
    await page.getByLabel("To score for question 1").selectOption("6");
    expect(await page.getByLabel("From score for question 1").inputValue()).toBe("0");

    // THEN the preview, for a promoter, skips the branch: after attribution and the scores, the colour question
    const restart = () => page.getByRole("button", { name: "Restart" }).click();
    await restart();
    await preview.getByRole("button", { name: "Next" }).click();
    await preview.getByRole("button", { name: "9 on a scale from 0 to 10" }).click();
    for (let i = 0; i < 2; i++) await preview.getByRole("button", { name: "Next" }).click();
    await preview.getByRole("heading", { name: "Which colour do you like?" }).waitFor({ state: "visible" });
    for (const label of ["Red", "Blue", "None of these"]) await preview.getByLabel(label, { exact: true }).waitFor({ state: "visible" });
    expect(await preview.getByRole("heading", { name: "What went wrong?" }).count()).toBe(0);
    // AND for a detractor, asks what went wrong after the scores, in the extension's words
    await restart();
    await preview.getByRole("button", { name: "Next" }).click();
    await preview.getByRole("button", { name: "3 on a scale from 0 to 10" }).click();
    for (let i = 0; i < 2; i++) await preview.getByRole("button", { name: "Next" }).click();
    await preview.getByRole("heading", { name: "What went wrong?" }).waitFor({ state: "visible" });
    await preview.getByLabel("Your answer (up to 300 characters)").fill("It came late");
    await preview.getByRole("button", { name: "Next" }).click();
    await preview.getByRole("heading", { name: "Which colour do you like?" }).waitFor({ state: "visible" });
    await screenshot(page, "survey-custom-questions");

    // WHEN the merchant publishes
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Survey published").waitFor({ state: "visible" });
    await saveBar(page).waitFor({ state: "hidden" });
    // THEN after a reload both questions are there, in the new order, with the branch
    await openSurvey(page);
    await page.getByRole("heading", { name: "Question 1: Short text" }).waitFor({ state: "visible" });
    await page.getByRole("heading", { name: "Question 2: Single choice" }).waitFor({ state: "visible" });
    expect(await page.getByLabel("Ask question 1").inputValue()).toBe("nps");
    expect(await page.getByLabel("To score for question 1").inputValue()).toBe("6");
    expect(await page.getByLabel("Label (English) for option 2 of question 2").inputValue()).toBe("Blue");
    expect(await page.getByLabel("Offer “None of these” for question 2").isChecked()).toBe(true);

    // AND removing one is an unsaved change the merchant can discard
    await page.getByRole("button", { name: "Remove question 1" }).click();
    await page.getByRole("heading", { name: "Question 1: Single choice" }).waitFor({ state: "visible" });
    await saveBar(page).getByRole("button", { name: "Discard" }).click();
    await page.getByRole("heading", { name: "Question 1: Short text" }).waitFor({ state: "visible" });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a merchant asks how shoppers heard of the shop only on first orders, and a question only of returning customers' big orders; the preview shows each shopper their questions", async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await openSurvey(page);
    const preview = page.getByRole("region", { name: "Survey preview" });
    // GIVEN a survey with its own questions (the test before publishes two; this adds one of its own, asked always)
    await page.getByLabel("New question type").selectOption("rating_1_5");
    await page.getByRole("button", { name: "Add question" }).click();
    const n = await page.getByRole("heading", { name: /^Question \d+: / }).count();
    await page.getByLabel(`Question ${n} text (English)`).fill("How was the unboxing?");

    // WHEN attribution is asked of first orders only
    const attributionName = await page.getByRole("button", { name: /^Change who is asked for .*hear/ }).getAttribute("aria-label");
    expect(attributionName).toContain("hear");
    await page.getByRole("button", { name: attributionName! }).click();
    const attributionScope = attributionName!.replace("Change who is asked", "");
    await page.getByLabel(`Customers${attributionScope}`, { exact: true }).selectOption("first");
    // AND the new question only of returning customers with orders of 100 USD or more; a typo is caught as typed
    await page.getByRole("button", { name: `Change who is asked for question ${n}` }).click();
    await page.getByLabel(`Customers for question ${n}`, { exact: true }).selectOption("returning");
    const from = page.getByLabel(`Order value from (USD) for question ${n}`, { exact: true });
    await from.fill("1OO");
    await page.getByText("Enter an amount in USD, such as 50 or 49.99").waitFor({ state: "visible" });
    expect(await from.getAttribute("aria-invalid")).toBe("true");
    await from.fill("100");
    await page.getByText("Enter an amount in USD, such as 50 or 49.99").waitFor({ state: "hidden" });
    await page.getByRole("button", { name: `Change who is asked for question ${n}` }).click();
    await page.getByText("Returning customers · 100 USD or more").waitFor({ state: "visible" });

    // THEN the preview, as a first order of 50 USD, asks attribution and not the unboxing question
    const headings = async () => {
      const seen: string[] = [];
      await page.getByRole("button", { name: "Restart" }).click();
      for (let i = 0; i < 12; i++) {
        const heading = preview.getByRole("heading", { level: 3 });
        if (!(await heading.count())) break;
        seen.push(await heading.innerText());
        const button = preview.getByRole("button", { name: /^(Next|Send)$/ });
        if (!(await button.count())) break;
        await button.click();
      }
      return seen;
    };
    await page.getByLabel("Preview as").selectOption("first");
    await page.getByLabel("Order total (USD)").fill("50");
    const first = await headings();
    expect(first).toContain("How did you hear about us?");
    expect(first).not.toContain("How was the unboxing?");
    // AND as a returning customer's order of 150 USD, the unboxing question and not attribution
    await page.getByLabel("Preview as").selectOption("returning");
    await page.getByLabel("Order total (USD)").fill("150");
    const returning = await headings();
    expect(returning).toContain("How was the unboxing?");
    expect(returning).not.toContain("How did you hear about us?");
    // AND a returning customer's order of 99.99 USD gets neither
    await page.getByLabel("Order total (USD)").fill("99.99");
    const small = await headings();
    expect(small).not.toContain("How was the unboxing?");
    expect(small).not.toContain("How did you hear about us?");
    await screenshot(page, "survey-targeting");

    // WHEN the merchant publishes, THEN after a reload each question says who it is asked of
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Survey published").waitFor({ state: "visible" });
    await openSurvey(page);
    await page.getByText("Returning customers · 100 USD or more").waitFor({ state: "visible" });
    expect(await page.getByText("First orders", { exact: true }).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});
