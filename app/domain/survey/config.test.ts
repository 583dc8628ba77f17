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
    ["another version, whatever it says", JSON.stringify({ version: 2, defaultLocale: "fr", questions: { nps: { enabled: false, text: { fr: "?" } } } })],
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

describe("readSurveyConfig, field by field", () => {
  const DELETE = Symbol("delete");
  /** The default config with the value at each dotted path replaced (or deleted), read back. */
  const read = (changes: Record<string, unknown>) => {
    const raw = structuredClone(DEFAULT_SURVEY_CONFIG) as unknown as Record<string, unknown>;
    for (const [path, value] of Object.entries(changes)) {
      const keys = path.split(".");
      const last = keys.pop()!;
      const parent = keys.reduce((node, key) => node[key] as Record<string, unknown>, raw);
      if (value === DELETE) delete parent[last];
      else parent[last] = value;
    }
    return readSurveyConfig(raw);
  };

  it.each([
    // [what, wording as stored, as read]
    ["300 characters are kept", { en: "x".repeat(300) }, { en: "x".repeat(300) }],
    ["301 are dropped", { en: "x".repeat(301) }, {}],
    ["blank wording is dropped", { en: "  ", fr: "Oui" }, { fr: "Oui" }],
    ["a locale key of 10 characters is kept", { "zh-Hant-TW": "好" }, { "zh-Hant-TW": "好" }],
    ["one of 11 is dropped", { "zh-Hant-TWX": "好" }, {}],
    ["wording that is no object", "Recommend us?", {}],
  ])("question wording: %s", (_what, text, expected) => {
    expect(read({ "questions.nps.text": text }).questions.nps.text).toEqual(expected);
  });

  it.each([
    ["true", true, true],
    ["the string 'true'", "true", false],
    ["absent", undefined, false],
  ])("a question switched on only by enabled: true (%s)", (_what, enabled, expected) => {
    expect(read({ "questions.ces": { enabled, text: {} } }).questions.ces.enabled).toBe(expected);
  });

  it("a question that is no object takes the default's settings", () => {
    const config = read({ "questions.nps": "off", "questions.comment": DELETE });
    expect(config.questions.nps).toEqual({ enabled: true, text: {} });
    expect(config.questions.comment).toEqual({ enabled: true, text: {} });
  });

  it("attribution options: the default when not a list; at most 10 valid ones otherwise", () => {
    expect(read({ "questions.attribution.options": "tv" }).questions.attribution.options).toEqual(DEFAULT_SURVEY_CONFIG.questions.attribution.options);
    const twelve = Array.from({ length: 12 }, (_, i) => ({ id: `o${i}`, label: { en: `O${i}` } }));
    expect(read({ "questions.attribution.options": twelve }).questions.attribution.options).toEqual(twelve.slice(0, 10));
    expect(
      read({ "questions.attribution.options": [{ id: 7, label: { en: "7" } }, { id: "a".repeat(41) }, { id: "ok", label: "OK" }, null] }).questions.attribution.options,
    ).toEqual([{ id: "ok", label: {} }]);
  });

  it.each([
    ["absent: on", undefined, true],
    ["false: off", false, false],
    ["anything else: on", "no", true],
  ])("allowOther %s", (_what, allowOther, expected) => {
    expect(read({ "questions.attribution.allowOther": allowOther }).questions.attribution.allowOther).toBe(expected);
  });

  it.each([
    ["absent: first", undefined, true],
    ["false: after the scores", false, false],
    ["anything else: first", "no", true],
  ])("askFirst %s", (_what, askFirst, expected) => {
    expect(read({ "questions.attribution.askFirst": askFirst }).questions.attribution.askFirst).toBe(expected);
  });

  it("reads the extras and the default locale", () => {
    expect(read({ extras: { returnPolicySummary: { en: "30 days" }, showLoyaltyTier: false } }).extras).toEqual({
      returnPolicySummary: { en: "30 days" },
      showLoyaltyTier: false,
    });
    expect(read({ extras: { returnPolicySummary: "30 days", showLoyaltyTier: "no" } }).extras).toEqual({ returnPolicySummary: null, showLoyaltyTier: true });
    expect(read({ extras: DELETE }).extras).toEqual({ returnPolicySummary: null, showLoyaltyTier: true });
    expect(read({ defaultLocale: "fr" }).defaultLocale).toBe("fr");
    expect(read({ defaultLocale: 7 }).defaultLocale).toBe("en");
  });

  it.each([
    ["http is allowed", "http://localhost:3000/api/checkout/survey", true],
    ["a path prefix before api/ is allowed", "https://proxy.example/apps/afterglow/api/checkout/survey", true],
    ["exactly 300 characters", `https://a.b/${"p".repeat(300 - "https://a.b/".length - "api/checkout/survey".length)}api/checkout/survey`, true],
    ["301 characters", `https://a.b/${"p".repeat(301 - "https://a.b/".length - "api/checkout/survey".length)}api/checkout/survey`, false],
    ["no host", "https:///api/checkout/survey", false],
    ["a space in the host", "https://a b/api/checkout/survey", false],
    ["a query after the path", "https://a.b/api/checkout/survey?x=1", false],
    ["something before the scheme", " https://a.b/api/checkout/survey", false],
  ])("the endpoint: %s", (_what, endpoint, kept) => {
    const config = read({ endpoint });
    if (kept) expect(config.endpoint).toBe(endpoint);
    else expect(config).not.toHaveProperty("endpoint");
  });
});

describe("validateSurveyConfig, limits and messages", () => {
  it("accepts wording of exactly 300 characters and exactly 10 options", () => {
    const config = clone();
    config.questions.csat.text = { en: "y".repeat(300) };
    config.questions.attribution.options = Array.from({ length: 10 }, (_, i) => ({ id: `o${i}`, label: { en: `O${i}` } }));
    expect(validateSurveyConfig(config)).toEqual({ ok: true, config });
  });

  it("needs no option when attribution is off", () => {
    const config = clone();
    config.questions.attribution.enabled = false;
    config.questions.attribution.options = [];
    expect(validateSurveyConfig(config)).toEqual({ ok: true, config });
  });

  it("asks for labels in the survey's default language", () => {
    const config = clone();
    config.defaultLocale = "fr";
    config.questions.attribution.options = [{ id: "tv", label: { en: "TV" } }];
    expect(validateSurveyConfig(config)).toEqual({ ok: false, errors: { "questions.attribution.options.0.label": "A label in fr is required" } });
  });

  it("names the path of any text with a lone surrogate", () => {
    const config = clone();
    config.questions.nps.text = { en: "Recommend us\ud800?" };
    config.questions.attribution.options = [{ id: "tv", label: { en: "T\udc00V" } }];
    expect(validateSurveyConfig(config)).toEqual({
      ok: false,
      errors: {
        "questions.nps.text.en": "Contains characters that are not valid text",
        "questions.attribution.options.0.label.en": "Contains characters that are not valid text",
      },
    });
  });

  it("takes a question left out, or left without wording, as the default's", () => {
    const result = validateSurveyConfig({ questions: { ces: { enabled: true } } });
    const config = clone();
    config.questions.ces.enabled = true;
    expect(result).toEqual({ ok: true, config });
  });

  it("drops wording that is not text rather than measuring it", () => {
    const config = clone();
    const input = { ...config, questions: { ...config.questions, nps: { enabled: true, text: { en: Array.from({ length: 301 }, () => "x"), fr: "Oui" } } } };
    config.questions.nps.text = { fr: "Oui" };
    expect(validateSurveyConfig(input)).toEqual({ ok: true, config });
  });

  it.each([
    ["null", null],
    ["questions that are no object", { ...DEFAULT_SURVEY_CONFIG, questions: [] }],
  ])("refuses %s", (_what, input) => {
    expect(validateSurveyConfig(input)).toEqual({ ok: false, errors: { questions: "Expected the survey questions" } });
  });
});
