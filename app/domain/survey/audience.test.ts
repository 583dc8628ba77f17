import { describe, expect, it } from "vitest";
import { AUDIENCE_PROBLEMS, inAudience, needsCustomerFact, readAudience, totalMinor, type Audience, type AudienceFacts } from "./audience";
import { readSurveyConfig, validateSurveyConfig } from "./config";
import { askedQuestions, startFlow } from "./flow";
import { DEFAULT_SURVEY_CONFIG, SUPPORTED_LOCALES, type SurveyConfig } from "./questions";

const facts = (over: Partial<AudienceFacts> = {}): AudienceFacts => ({ firstOrder: null, orderTotal: { amount: 84.5, currencyCode: "CAD" }, locale: "en", ...over });

describe("inAudience: each rule against the facts from its source", () => {
  const cases: Array<[string, Audience | undefined, Partial<AudienceFacts>, boolean]> = [
    ["no audience: everyone", undefined, {}, true],
    ["first: the app says first order", { customer: "first" }, { firstOrder: true }, true],
    ["first: a guest / unknown counts as a first order", { customer: "first" }, { firstOrder: null }, true],
    ["first: the app knows a returning customer", { customer: "first" }, { firstOrder: false }, false],
    ["returning: the app knows an earlier order", { customer: "returning" }, { firstOrder: false }, true],
    ["returning: unknown is not returning", { customer: "returning" }, { firstOrder: null }, false],
    ["returning: a first order", { customer: "returning" }, { firstOrder: true }, false],
    ["value: inside the range", { orderValue: { currency: "CAD", minMinor: 5000, maxMinor: 10000 } }, {}, true],
    ["value: the minimum itself is inside", { orderValue: { currency: "CAD", minMinor: 8450 } }, {}, true],
    ["value: one cent under the minimum", { orderValue: { currency: "CAD", minMinor: 8451 } }, {}, false],
    ["value: the maximum itself is inside", { orderValue: { currency: "CAD", maxMinor: 8450 } }, {}, true],
    ["value: one cent over the maximum", { orderValue: { currency: "CAD", maxMinor: 8449 } }, {}, false],
    ["value: another currency is outside", { orderValue: { currency: "USD", minMinor: 0 } }, {}, false],
    ["value: the page's code in lower case still matches", { orderValue: { currency: "CAD", minMinor: 0 } }, { orderTotal: { amount: 1, currencyCode: "cad" } }, true],
    ["value: no total on the page is outside", { orderValue: { currency: "CAD", minMinor: 0 } }, { orderTotal: null }, false],
    ["value: a total without its currency is outside", { orderValue: { currency: "CAD", minMinor: 0 } }, { orderTotal: { amount: 5 } as AudienceFacts["orderTotal"] }, false],
    ["value: a zero-decimal currency", { orderValue: { currency: "JPY", minMinor: 5000 } }, { orderTotal: { amount: 5000, currencyCode: "JPY" } }, true],
    ["value: a three-decimal currency", { orderValue: { currency: "KWD", maxMinor: 12345 } }, { orderTotal: { amount: 12.346, currencyCode: "KWD" } }, false],
    ["locale: listed", { locales: ["fr", "de"] }, { locale: "fr" }, true],
    ["locale: a regional variant of a listed language", { locales: ["fr"] }, { locale: "fr-CA" }, true],
    ["locale: Chinese script variants match zh-CN", { locales: ["zh-CN"] }, { locale: "zh-Hans-CN" }, true],
    ["locale: not listed", { locales: ["fr"] }, { locale: "en" }, false],
    ["locale: a language the survey does not ship", { locales: ["en"] }, { locale: "it" }, false],
    ["every rule must hold", { customer: "first", locales: ["en"] }, { firstOrder: true, locale: "de" }, false],
    ["every rule holds", { customer: "first", locales: ["de"], orderValue: { currency: "CAD", minMinor: 1 } }, { firstOrder: true, locale: "de" }, true],
  ];
  it.each(cases)("%s", (_name, audience, over, expected) => {
    expect(inAudience(audience, facts(over))).toBe(expected);
  });
});

describe("totalMinor: the page's decimal amount in exact minor units", () => {
  it.each<[string, { amount: number; currencyCode: string }, bigint]>([
    ["84.5 CAD", { amount: 84.5, currencyCode: "CAD" }, 8450n],
    ["a float sum, 0.1 + 0.2 USD", { amount: 0.1 + 0.2, currencyCode: "USD" }, 30n],
    ["19.99 EUR", { amount: 19.99, currencyCode: "EUR" }, 1999n],
    ["1234 JPY, no decimals", { amount: 1234, currencyCode: "JPY" }, 1234n],
    ["1.005 BHD, three decimals", { amount: 1.005, currencyCode: "BHD" }, 1005n],
    ["2^53 - 1 cents", { amount: 90071992547409.91, currencyCode: "USD" }, 9007199254740991n],
    ["zero", { amount: 0, currencyCode: "USD" }, 0n],
  ])("%s", (_name, total, minor) => expect(totalMinor(total)).toBe(minor));
  it.each<[string, { amount: number; currencyCode: string } | null]>([
    ["no total", null],
    ["a negative amount", { amount: -1, currencyCode: "USD" }],
    ["a negative cent", { amount: -0.01, currencyCode: "USD" }],
    ["not a number", { amount: Number.NaN, currencyCode: "USD" }],
    ["infinity", { amount: Infinity, currencyCode: "USD" }],
    ["beyond what toFixed writes as digits", { amount: 1e22, currencyCode: "USD" }],
    ["an amount that is text", { amount: "12.00" as unknown as number, currencyCode: "USD" }],
  ])("%s is not readable, so outside every range", (_name, total) => expect(totalMinor(total)).toBeNull());
});

describe("readAudience: strict, with the reason", () => {
  it("names the languages the survey ships (written out, so the extension's bundle leaves the table out)", () => {
    expect(AUDIENCE_PROBLEMS.locales).toBe(`Choose one or more of ${SUPPORTED_LOCALES.join(", ")}`);
  });

  it.each([
    [undefined, undefined],
    [null, undefined],
    [{}, undefined],
    [{ customer: "first" }, { customer: "first" }],
    [{ orderValue: { currency: "EUR", minMinor: 0 } }, { orderValue: { currency: "EUR", minMinor: 0 } }],
    [{ orderValue: { currency: "EUR", minMinor: 100, maxMinor: 100 } }, { orderValue: { currency: "EUR", minMinor: 100, maxMinor: 100 } }],
    [{ orderValue: { currency: "EUR", maxMinor: Number.MAX_SAFE_INTEGER } }, { orderValue: { currency: "EUR", maxMinor: Number.MAX_SAFE_INTEGER } }],
    [{ locales: ["zh-CN", "en"] }, { locales: ["zh-CN", "en"] }],
  ])("%j reads as %j", (raw, audience) => expect(readAudience(raw)).toEqual({ ok: true, audience }));

  it.each([
    ["first", "audience", "Expected who is asked"],
    [[], "audience", "Expected who is asked"],
    [{ customer: "first", extra: 1 }, "audience", "Unknown rule"],
    [{ customer: "vip" }, "audience.customer", "Choose first order or returning customer"],
    [{ customer: null }, "audience.customer", "Choose first order or returning customer"],
    [{ orderValue: { minMinor: 100 } }, "audience.orderValue", "Expected an order value range with its currency"],
    [{ orderValue: { currency: "eur", minMinor: 100 } }, "audience.orderValue", "Expected an order value range with its currency"],
    [{ orderValue: { currency: "EUR" } }, "audience.orderValue", "Enter a minimum, a maximum or both"],
    [{ orderValue: { currency: "EUR", minMinor: -1 } }, "audience.orderValue", "Amounts must be zero or more, in the currency's smallest unit"],
    [{ orderValue: { currency: "EUR", minMinor: 1.5 } }, "audience.orderValue", "Amounts must be zero or more, in the currency's smallest unit"],
    [{ orderValue: { currency: "EUR", minMinor: "100" } }, "audience.orderValue", "Amounts must be zero or more, in the currency's smallest unit"],
    [{ orderValue: { currency: "EUR", maxMinor: Number.MAX_SAFE_INTEGER + 1 } }, "audience.orderValue", "Amounts must be zero or more, in the currency's smallest unit"],
    [{ orderValue: { currency: "EUR", minMinor: 101, maxMinor: 100 } }, "audience.orderValue", "The minimum is above the maximum"],
    [{ locales: [] }, "audience.locales", "Choose one or more of en, fr, de, es, zh-CN"],
    [{ locales: ["it"] }, "audience.locales", "Choose one or more of en, fr, de, es, zh-CN"],
    [{ locales: ["en", "en"] }, "audience.locales", "Choose one or more of en, fr, de, es, zh-CN"],
    [{ locales: "en" }, "audience.locales", "Choose one or more of en, fr, de, es, zh-CN"],
  ])("%j is refused at %s: %s", (raw, field, error) => {
    const read = readAudience(raw);
    expect(read.ok).toBe(false);
    expect(!read.ok && [read.field, AUDIENCE_PROBLEMS[read.problem]]).toEqual([field, error]);
  });
});

const targeted: SurveyConfig = {
  ...DEFAULT_SURVEY_CONFIG,
  questions: {
    ...DEFAULT_SURVEY_CONFIG.questions,
    attribution: { ...DEFAULT_SURVEY_CONFIG.questions.attribution, audience: { customer: "first" } },
  },
  custom: [
    { id: "why-back", type: "short_text", text: { en: "What brought you back?" }, options: [], shuffle: false, allowOther: false, allowNone: false, audience: { customer: "returning" } },
    { id: "big-basket", type: "rating_1_5", text: { en: "How was delivery?" }, options: [], shuffle: false, allowOther: false, allowNone: false, audience: { orderValue: { currency: "CAD", minMinor: 10000 } } },
  ],
};

describe("targeting in the flow", () => {
  const keys = (f: AudienceFacts | null) => askedQuestions(targeted, {}, f).map((q) => q.key);
  it("asks a first order the attribution question, a returning customer what brought them back", () => {
    expect(keys(facts({ firstOrder: true }))).toEqual(["attribution", "nps", "csat", "comment"]);
    expect(keys(facts({ firstOrder: false }))).toEqual(["nps", "csat", "why-back", "comment"]);
    expect(keys(facts({ firstOrder: false, orderTotal: { amount: 100, currencyCode: "CAD" } }))).toEqual(["nps", "csat", "why-back", "big-basket", "comment"]);
  });
  it("applies no targeting without facts (the server checks answers by branching only)", () => {
    expect(keys(null)).toEqual(["attribution", "nps", "csat", "why-back", "big-basket", "comment"]);
  });
  it("shows nothing when no question is for this shopper", () => {
    const onlyFrench: SurveyConfig = {
      ...DEFAULT_SURVEY_CONFIG,
      questions: Object.fromEntries(Object.entries(DEFAULT_SURVEY_CONFIG.questions).map(([k, q]) => [k, { ...q, audience: { locales: ["fr"] } }])) as SurveyConfig["questions"],
    };
    expect(startFlow(onlyFrench, facts({ locale: "de" }))).toEqual({ step: "empty" });
    expect(startFlow(onlyFrench, facts({ locale: "fr" }))).toMatchObject({ step: "question", question: "attribution", total: 4 });
  });
  it("needs the app's answer about the customer only when a question is targeted by it", () => {
    expect(needsCustomerFact([undefined, { locales: ["en"] }, { orderValue: { currency: "EUR", minMinor: 1 } }])).toBe(false);
    expect(needsCustomerFact([undefined, { customer: "returning" }])).toBe(true);
  });
});

describe("targeting in the stored configuration", () => {
  it("keeps every readable audience through the lenient reader", () => {
    const read = readSurveyConfig(JSON.stringify(targeted));
    expect(read.questions.attribution.audience).toEqual({ customer: "first" });
    expect(read.custom.map((q) => q.audience)).toEqual([{ customer: "returning" }, { orderValue: { currency: "CAD", minMinor: 10000 } }]);
  });
  it("leaves out a question whose audience it cannot read, rather than ask everyone", () => {
    const raw = JSON.parse(JSON.stringify(targeted)) as { questions: { attribution: { audience: unknown } }; custom: Array<{ audience: unknown }> };
    raw.questions.attribution.audience = { customer: "vip" };
    raw.custom[0]!.audience = { tier: "gold" };
    const read = readSurveyConfig(raw);
    expect(read.questions.attribution.enabled).toBe(false);
    expect(read.custom.map((q) => q.id)).toEqual(["big-basket"]);
  });
  it("refuses to save an unreadable audience, at the rule's path", () => {
    const raw = JSON.parse(JSON.stringify(targeted)) as { questions: { nps: { audience: unknown } }; custom: Array<{ audience: unknown }> };
    raw.questions.nps.audience = { locales: ["xx"] };
    raw.custom[1]!.audience = { orderValue: { currency: "CAD", minMinor: 5, maxMinor: 4 } };
    const result = validateSurveyConfig(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toMatchObject({
      "questions.nps.audience.locales": "Choose one or more of en, fr, de, es, zh-CN",
      "custom.1.audience.orderValue": "The minimum is above the maximum",
    });
  });
  it("saves a well-formed audience as given", () => {
    const result = validateSurveyConfig(targeted);
    expect(result.ok && result.config.custom[1]!.audience).toEqual({ orderValue: { currency: "CAD", minMinor: 10000 } });
  });
});
