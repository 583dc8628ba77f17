import { describe, expect, it } from "vitest";
import {
  builtInOrder,
  DEFAULT_SURVEY_CONFIG,
  enabledQuestions,
  localized,
  matchLocale,
  QUESTION_TYPES,
  SUPPORTED_LOCALES,
  SURVEY_METAFIELD,
  type SurveyConfig,
} from "./questions";

describe("the question model", () => {
  it("has five built-in questions, in the order shoppers see them", () => {
    expect(QUESTION_TYPES).toEqual(["nps", "csat", "ces", "attribution", "comment"]);
    expect(SUPPORTED_LOCALES).toEqual(["en", "fr", "de", "es", "zh-CN"]);
    expect(SURVEY_METAFIELD).toEqual({ namespace: "$app:afterglow", key: "survey_config", type: "json" });
  });

  it("asks attribution first, then NPS, CSAT and a comment by default, in English first", () => {
    expect(enabledQuestions(DEFAULT_SURVEY_CONFIG)).toEqual(["attribution", "nps", "csat", "comment"]);
    expect(DEFAULT_SURVEY_CONFIG.defaultLocale).toBe("en");
    expect(DEFAULT_SURVEY_CONFIG.questions.attribution.options.map((o) => o.id)).toEqual(["search", "social", "friend", "ad"]);
    for (const option of DEFAULT_SURVEY_CONFIG.questions.attribution.options) expect(Object.keys(option.label)).toEqual([...SUPPORTED_LOCALES]);
    expect(DEFAULT_SURVEY_CONFIG.extras).toEqual({ returnPolicySummary: null, showLoyaltyTier: true });
    // an "Other" choice with the shopper's own words is offered unless the merchant turns it off
    expect(DEFAULT_SURVEY_CONFIG.questions.attribution.allowOther).toBe(true);
  });

  it("keeps the shoppers' order whatever is switched on", () => {
    const config: SurveyConfig = structuredClone(DEFAULT_SURVEY_CONFIG);
    config.questions.nps.enabled = false;
    config.questions.ces.enabled = true;
    config.questions.comment.enabled = false;
    expect(enabledQuestions(config)).toEqual(["attribution", "csat", "ces"]);
    config.questions.attribution.askFirst = false;
    expect(enabledQuestions(config)).toEqual(["csat", "ces", "attribution"]);
  });

  it("asks attribution first unless the merchant moved it after the scores; a config without the setting asks it first", () => {
    expect(builtInOrder(DEFAULT_SURVEY_CONFIG)).toEqual(["attribution", "nps", "csat", "ces"]);
    const { askFirst: _dropped, ...withoutSetting } = DEFAULT_SURVEY_CONFIG.questions.attribution;
    const older: SurveyConfig = { ...DEFAULT_SURVEY_CONFIG, questions: { ...DEFAULT_SURVEY_CONFIG.questions, attribution: withoutSetting } };
    expect(builtInOrder(older)).toEqual(["attribution", "nps", "csat", "ces"]);
    expect(builtInOrder({ ...older, questions: { ...older.questions, attribution: { ...withoutSetting, askFirst: false } } })).toEqual(["nps", "csat", "ces", "attribution"]);
  });
});

describe("matchLocale", () => {
  it.each([
    ["ZH-tw", "zh-CN"], // any Chinese gets the one Chinese wording
    ["zh", "zh-CN"],
    ["EN-gb", "en"],
    ["es_419", "es"],
    ["e", null],
    ["eng", null],
    ["-fr", null],
    [null, null],
  ])("%j → %j", (locale, expected) => {
    expect(matchLocale(locale)).toBe(expected);
  });
});

describe("localized", () => {
  it.each([
    // [text, locale, default locale, shown]
    [{ "fr-CA": "  Québec  " }, "fr-CA", "en", "Québec"], // trimmed
    [{ "fr-CA": "  ", fr: " France " }, "fr-CA", "en", "France"], // a blank exact text falls through
    [{ fr: "  ", en: " English " }, "fr-CA", "en", "English"], // so does a blank matched one
    [{ en: "  " }, "de", "en", null],
    [{ "zh-CN": "你好" }, "zh-Hant-TW", "en", "你好"],
    [{ en: "English" }, "pt-BR", "en", "English"], // no match at all
    [{ de: "Deutsch" }, "pt-BR", "de", "Deutsch"],
    [undefined, "fr", "en", null],
  ])("%j in %s (default %s) → %j", (text, locale, defaultLocale, shown) => {
    expect(localized(text, locale, defaultLocale)).toBe(shown);
  });
});
