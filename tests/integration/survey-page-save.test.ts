import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { readSurveyConfig } from "~/domain/survey/config";
import { DEFAULT_SURVEY_CONFIG, type SurveyConfig } from "~/domain/survey/questions";
import { surveyAction } from "~/routes/app.survey/action.server";
import { stubAdminOperation } from "../support/admin-api";
import { adminRequest, installShop } from "../support/sessions";

/**
 * The Survey page's one save (decision 030, issue 20): its save and publish carry the answer window with the draft,
 * both are checked before either is stored, and the old window-only request still works.
 */
const STORE = "survey-page-save";
const SHOP = `${STORE}.myshopify.com`;
const args = (request: Request) => ({ request, params: {}, context: {} });

interface DataWithInit<T> {
  data: T;
  init: { status?: number } | null;
}
type ActionBody = { ok: boolean; intent: string | null; errors?: Record<string, string>; publishedAt?: string | null };

async function post(body: unknown) {
  const request = await adminRequest(STORE, "/app/survey", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const result = (await surveyAction(args(request))) as ActionBody | DataWithInit<ActionBody>;
  return "init" in result ? { status: result.init?.status ?? 200, body: result.data } : { status: 200, body: result };
}

const row = () => prisma.surveySettings.findUnique({ where: { shop: SHOP } });
const withNpsText = (text: string): SurveyConfig => ({
  ...DEFAULT_SURVEY_CONFIG,
  questions: { ...DEFAULT_SURVEY_CONFIG.questions, nps: { enabled: true, text: { en: text } } },
});

beforeAll(async () => {
  await installShop(SHOP);
});

describe("the Survey page saves the answer window with the draft", () => {
  it("save stores both; a bad window or a bad draft stores neither and names every problem", async () => {
    // WHEN the page saves a reworded draft and 45 days
    expect(await post({ intent: "save", config: withNpsText("Tell a friend?"), answerWindowDays: 45 })).toEqual({
      status: 200,
      body: { ok: true, intent: "save", publishedAt: null },
    });
    // THEN both are stored
    expect((await row())?.answerWindowDays).toBe(45);
    expect(readSurveyConfig((await row())!.draft).questions.nps.text.en).toBe("Tell a friend?");

    // WHEN the window is out of range, THEN 400 on that field and the draft is not saved either
    const refused = await post({ intent: "save", config: withNpsText("Changed?"), answerWindowDays: 400 });
    expect(refused).toEqual({ status: 400, body: { ok: false, intent: "save", errors: { answerWindowDays: "Enter a whole number of days from 1 to 365" } } });
    expect(readSurveyConfig((await row())!.draft).questions.nps.text.en).toBe("Tell a friend?");

    // WHEN the draft is invalid and the window valid, THEN the window is not stored either
    const badDraft = { ...withNpsText("x".repeat(301)) };
    const both = await post({ intent: "save", config: badDraft, answerWindowDays: 10 });
    expect(both.status).toBe(400);
    expect(Object.keys(both.body.errors ?? {})).toEqual(["questions.nps.text.en"]);
    expect((await row())?.answerWindowDays).toBe(45);

    // WHEN both are wrong, THEN both are named
    const twice = await post({ intent: "save", config: badDraft, answerWindowDays: "soon" });
    expect(Object.keys(twice.body.errors ?? {}).sort()).toEqual(["answerWindowDays", "questions.nps.text.en"]);
    expect((await row())?.answerWindowDays).toBe(45);
  });

  it("publish stores the window too; a save without it leaves the window alone; the window-only request still works", async () => {
    stubAdminOperation("AfterglowShopId", () => ({ shop: { id: "gid://shopify/Shop/4343" } }));
    stubAdminOperation("AfterglowSurveyPublish", () => ({
      metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/9", updatedAt: "2026-11-22T10:00:00Z" }], userErrors: [] },
    }));
    const published = await post({ intent: "publish", config: withNpsText("Published?"), answerWindowDays: "30" });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ ok: true, intent: "publish" });
    expect((await row())?.answerWindowDays).toBe(30);

    expect((await post({ intent: "save", config: withNpsText("No window sent") })).status).toBe(200);
    expect((await row())?.answerWindowDays).toBe(30);

    expect(await post({ intent: "window", answerWindowDays: 12 })).toEqual({ status: 200, body: { ok: true, intent: "window", publishedAt: null } });
    expect((await row())?.answerWindowDays).toBe(12);
  });
});
