import { describe, expect, it } from "vitest";
import { DEFAULT_SURVEY_CONFIG } from "~/domain/survey/questions";
import { moveOption, newQuestionId, optionId, sameSurvey, sameSurveyPageForm, setText, slugify } from "./survey-form";

describe("survey form helpers", () => {
  it.each([
    ["Search engine", "search-engine"],
    ["  Réseaux sociaux! ", "reseaux-sociaux"],
    ["TikTok / Instagram", "tiktok-instagram"],
    ["搜索引擎", ""],
    ["x".repeat(60), "x".repeat(40)],
  ])("slugify(%j) = %j", (label, slug) => {
    expect(slugify(label)).toBe(slug);
  });

  it("derives an id that the config reader accepts, with a fallback for labels without latin letters", () => {
    expect(optionId("A friend", 2)).toBe("a-friend");
    expect(optionId("朋友推荐", 2)).toBe("option-3");
    expect(optionId(undefined, 0)).toBe("option-1");
  });

  it("empty text removes the locale (empty = built-in translation)", () => {
    expect(setText({ en: "Hi", fr: "Salut" }, "fr", "")).toEqual({ en: "Hi" });
    expect(setText({}, "de", "Hallo")).toEqual({ de: "Hallo" });
  });

  it("moves options within bounds", () => {
    const options = [{ id: "a", label: {} }, { id: "b", label: {} }];
    expect(moveOption(options, 0, 1).map((o) => o.id)).toEqual(["b", "a"]);
    expect(moveOption(options, 0, -1)).toBe(options);
  });

  it("compares configs as the extension reads them", () => {
    expect(sameSurvey(DEFAULT_SURVEY_CONFIG, null)).toBe(false);
    expect(sameSurvey(structuredClone(DEFAULT_SURVEY_CONFIG), DEFAULT_SURVEY_CONFIG)).toBe(true);
    const changed = { ...DEFAULT_SURVEY_CONFIG, extras: { ...DEFAULT_SURVEY_CONFIG.extras, showLoyaltyTier: false } };
    expect(sameSurvey(changed, DEFAULT_SURVEY_CONFIG)).toBe(false);
  });
});

describe("sameSurveyPageForm: the Survey page's save bar covers the draft and the answer window", () => {
  const form = (answerWindowDays: string, config = DEFAULT_SURVEY_CONFIG) => ({ config, answerWindowDays });

  it.each([
    ["90", "90", true],
    ["090", "90", true],
    [" 30 ", "30", true],
    ["30", "90", false],
    ["", "90", false],
    ["abc", "abc", true],
    ["1.5", "1", false],
  ])("window %j against %j: same %s", (a, b, same) => {
    expect(sameSurveyPageForm(form(a), form(b))).toBe(same);
  });

  it("a changed question makes the form differ even with the same window", () => {
    const reworded = { ...DEFAULT_SURVEY_CONFIG, defaultLocale: "fr" };
    expect(sameSurveyPageForm(form("90", reworded), form("90"))).toBe(false);
    expect(sameSurveyPageForm(form("90", structuredClone(DEFAULT_SURVEY_CONFIG)), form("90"))).toBe(true);
  });
});

describe("newQuestionId", () => {
  it("is q- and a base-36 stamp, stepping past ids already taken", () => {
    const now = 1_700_000_000_000;
    const stamp = (n: number) => `q-${n.toString(36)}`;
    expect(newQuestionId([], now)).toBe(stamp(now));
    expect(newQuestionId([stamp(now)], now)).toBe(stamp(now + 1));
    expect(newQuestionId([stamp(now), stamp(now + 1)], now)).toBe(stamp(now + 2));
    expect(newQuestionId([], now)).toMatch(/^[a-z0-9][a-z0-9-]{0,39}$/);
  });

  it("moves any list, custom questions too", () => {
    expect(moveOption(["q-a", "q-b", "q-c"], 2, -1)).toEqual(["q-a", "q-c", "q-b"]);
  });
});
