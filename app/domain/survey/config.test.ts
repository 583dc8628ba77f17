import { describe, expect, it } from "vitest";
import { readSurveyConfig, validateSurveyConfig } from "./config";
import { DEFAULT_SURVEY_CONFIG, localized, matchLocale, type SurveyConfig } from "./questions";

const clone = (): SurveyConfig => structuredClone(DEFAULT_SURVEY_CONFIG);

describe("readSurveyConfig (lenient: the extension always gets something usable)", () => {
  it.each([
    ["nothing", undefined],
    ["broken JSON", "{not json"],
    ["another version", JSON.stringify({ version: 2, questions: {} })],
    ["no questions", JSON.stringify({ version: 1 })],
    ["an array", "[]"],
  ])("falls back to the default for %s", (_label, value) => {
    expect(readSurveyConfig(value)).toEqual(DEFAULT_SURVEY_CONFIG);
  });

  it("reads a published JSON string back to the same config", () => {
    const config = clone();
    config.questions.ces.enabled = true;
    config.questions.nps.text = { en: "Recommend us?", fr: "Nous recommanderiez-vous ?" };
    expect(readSurveyConfig(JSON.stringify(config))).toEqual(config);
  });

  it("drops over-long and non-string wording, and malformed attribution options", () => {
    const base = clone();
    const raw = {
      ...base,
      questions: {
        ...base.questions,
        nps: { enabled: true, text: { en: "x".repeat(301), de: 42, fr: "Bien ?" } },
        attribution: { ...base.questions.attribution, options: [{ id: "Bad Id!", label: { en: "x" } }, { id: "tv", label: { en: "TV" } }, "nope"] },
      },
    };
    const read = readSurveyConfig(raw);
    expect(read.questions.nps.text).toEqual({ fr: "Bien ?" });
    expect(read.questions.attribution.options).toEqual([{ id: "tv", label: { en: "TV" } }]);
  });

  it("keeps an http(s) answers endpoint and ignores anything else", () => {
    const endpoint = "https://afterglow.example.com/api/checkout/survey";
    expect(readSurveyConfig({ ...clone(), endpoint }).endpoint).toBe(endpoint);
    for (const bad of ["javascript:alert(1)", "https://evil.example/steal", "ftp://x/api/checkout/survey", 42, `https://a.b/${"p/".repeat(200)}api/checkout/survey`]) {
      expect(readSurveyConfig({ ...clone(), endpoint: bad })).not.toHaveProperty("endpoint");
    }
  });
});

describe("validateSurveyConfig (strict: what the merchant may save)", () => {
  it("accepts the default", () => {
    expect(validateSurveyConfig(clone())).toEqual({ ok: true, config: DEFAULT_SURVEY_CONFIG });
  });

  it("never takes the endpoint from the merchant", () => {
    const result = validateSurveyConfig({ ...clone(), endpoint: "https://elsewhere.example/api/checkout/survey" });
    expect(result.ok && result.config).not.toHaveProperty("endpoint");
  });

  it("needs at least one question switched on", () => {
    const config = clone();
    for (const q of Object.values(config.questions)) q.enabled = false;
    expect(validateSurveyConfig(config)).toEqual({ ok: false, errors: { questions: "Switch on at least one question" } });
  });

  it("names each field that is wrong", () => {
    const config = clone();
    config.questions.csat.text = { en: "y".repeat(301) };
    config.questions.attribution.options = [
      { id: "tv", label: { en: "TV" } },
      { id: "tv", label: { fr: "Télé" } },
    ];
    const result = validateSurveyConfig(config);
    expect(result).toEqual({
      ok: false,
      errors: {
        "questions.csat.text.en": "At most 300 characters",
        "questions.attribution.options.1.id": "Option ids must be unique",
        "questions.attribution.options.1.label": "A label in en is required",
      },
    });
  });

  it("needs an option when attribution is on, and at most 10", () => {
    const none = clone();
    none.questions.attribution.options = [];
    expect(validateSurveyConfig(none)).toMatchObject({ ok: false, errors: { "questions.attribution.options": "Add at least one option" } });
    const many = clone();
    many.questions.attribution.options = Array.from({ length: 11 }, (_, i) => ({ id: `o${i}`, label: { en: `O${i}` } }));
    expect(validateSurveyConfig(many)).toMatchObject({ ok: false, errors: { "questions.attribution.options": "At most 10 options" } });
  });

  it("rejects something that is not a config", () => {
    expect(validateSurveyConfig("nps please")).toEqual({ ok: false, errors: { questions: "Expected the survey questions" } });
  });
});

describe("locales", () => {
  it.each([
    ["zh-Hans-CN", "zh-CN"],
    ["fr-CA", "fr"],
    ["de_AT", "de"],
    ["ES", "es"],
    ["pt-BR", null],
    ["", null],
  ])("matches %s to %s", (input, expected) => {
    expect(matchLocale(input)).toBe(expected);
  });

  it("prefers the exact locale, then the matched language, then the default language", () => {
    const text = { "fr-CA": "Québec", fr: "France", en: "English" };
    expect(localized(text, "fr-CA", "en")).toBe("Québec");
    expect(localized(text, "fr-BE", "en")).toBe("France");
    expect(localized(text, "de", "en")).toBe("English");
    expect(localized({ fr: "  " }, "fr", "en")).toBeNull();
    expect(localized(null, "fr", "en")).toBeNull();
  });
});
