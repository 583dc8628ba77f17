import { describe, expect, it } from "vitest";
import { answerFor, answerPatch, loggableErrors, validateSubmission } from "./answer";
import { readSurveyConfig, validateSurveyConfig } from "./config";
import { advance, startFlow } from "./flow";
import { DEFAULT_SURVEY_CONFIG, enabledQuestions, questionWording, surveyQuestions, type CustomQuestion, type SurveyConfig } from "./questions";

const colour: CustomQuestion = {
  id: "q-colour",
  type: "single_choice",
  text: { en: "Favourite colour?", fr: "Couleur préférée ?" },
  options: [
    { id: "red", label: { en: "Red" } },
    { id: "blue", label: { en: "Blue" } },
  ],
  shuffle: true,
  allowOther: true,
  allowNone: false,
};
const extras: CustomQuestion = {
  id: "q-extras",
  type: "multiple_choice",
  text: { en: "What else?" },
  options: [
    { id: "gift", label: { en: "Gift wrap" } },
    { id: "card", label: { en: "A card" } },
  ],
  shuffle: false,
  allowOther: false,
  allowNone: true,
};
const why: CustomQuestion = { id: "q-why", type: "short_text", text: { en: "Why us?" }, options: [], shuffle: false, allowOther: false, allowNone: false };
const stars: CustomQuestion = { id: "q-stars", type: "rating_1_5", text: { en: "Packaging?" }, options: [], shuffle: false, allowOther: false, allowNone: false };

const withCustom = (custom: CustomQuestion[]): SurveyConfig => ({ ...structuredClone(DEFAULT_SURVEY_CONFIG), custom });
const config = withCustom([colour, extras, why, stars]);

describe("custom questions in the config", () => {
  it("are asked after the built-in questions and before the comment, in the merchant's order", () => {
    expect(enabledQuestions(config)).toEqual(["attribution", "nps", "csat", "q-colour", "q-extras", "q-why", "q-stars", "comment"]);
    expect(surveyQuestions(config).find((q) => q.key === "q-colour")).toMatchObject({ type: "single_choice", custom: true, shuffle: true, allowOther: true });
  });

  it("survive a publish round trip unchanged", () => {
    expect(readSurveyConfig(JSON.stringify(config))).toEqual(config);
    expect(validateSurveyConfig(config)).toEqual({ ok: true, config });
  });

  it("are read leniently: unknown types, reserved or repeated ids and more than 10 are dropped; options only for choices", () => {
    const read = readSurveyConfig({
      ...config,
      custom: [
        { ...why, options: [{ id: "x", label: { en: "X" } }], shuffle: true },
        { ...colour, type: "dropdown" },
        { ...colour, id: "nps" },
        { ...colour, id: "Bad Id" },
        { ...stars, id: "q-why" },
        { ...colour, options: [{ id: "other", label: { en: "Other" } }, { id: "red", label: { en: "Red" } }, { id: "red", label: { en: "Again" } }] },
        ...Array.from({ length: 12 }, (_, i) => ({ ...why, id: `q-${i}` })),
      ],
    });
    expect(read.custom[0]).toEqual({ ...why, options: [], shuffle: false });
    expect(read.custom[1]).toEqual({ ...colour, options: [{ id: "red", label: { en: "Red" } }] });
    expect(read.custom).toHaveLength(10);
    expect(readSurveyConfig({ ...config, custom: "nope" }).custom).toEqual([]);
  });

  it.each<[string, unknown, Record<string, string>]>([
    ["more than 10", Array.from({ length: 11 }, (_, i) => ({ ...why, id: `q-${i}` })), { custom: "At most 10 questions" }],
    ["not a list", { a: 1 }, { custom: "Expected a list of questions" }],
    ["an unknown type", [{ ...why, type: "dropdown" }], { "custom.0.type": "Choose a question type (single_choice, multiple_choice, short_text, rating_1_5)" }],
    ["a repeated id", [why, { ...stars, id: "q-why" }], { "custom.1.id": "Question ids must be unique: lowercase letters, digits and dashes" }],
    ["a built-in's name as id", [{ ...why, id: "comment" }], { "custom.0.id": "Question ids must be unique: lowercase letters, digits and dashes" }],
    ["no wording in the default language", [{ ...why, text: { fr: "Pourquoi ?" } }], { "custom.0.text.en": "The question in en is required" }],
    ["wording of 301 characters", [{ ...why, text: { en: "a".repeat(301) } }], { "custom.0.text.en": "At most 300 characters" }],
    ["a choice with one option", [{ ...colour, options: [colour.options[0]] }], { "custom.0.options": "Add at least two options" }],
    ["a choice with 11 options", [{ ...colour, options: Array.from({ length: 11 }, (_, i) => ({ id: `o${i}`, label: { en: `O${i}` } })) }], { "custom.0.options": "At most 10 options" }],
    ["an option named like the built-in Other", [{ ...colour, options: [{ id: "other", label: { en: "Other" } }, colour.options[1]] }], { "custom.0.options.0.id": "Option ids must be unique" }],
    ["an option without a default-language label", [{ ...colour, options: [colour.options[0], { id: "blue", label: { fr: "Bleu" } }] }], { "custom.0.options.1.label": "A label in en is required" }],
  ])("refuses %s", (_what, custom, errors) => {
    expect(validateSurveyConfig({ ...config, custom })).toEqual({ ok: false, errors });
  });

  it("counts a custom question as a question switched on", () => {
    const allOff = withCustom([why]);
    for (const type of ["nps", "csat", "ces", "attribution", "comment"] as const) allOff.questions[type].enabled = false;
    expect(validateSurveyConfig(allOff).ok).toBe(true);
    expect(validateSurveyConfig({ ...allOff, custom: [] })).toEqual({ ok: false, errors: { questions: "Switch on at least one question" } });
  });
});

describe("answers to custom questions", () => {
  const submit = (custom: unknown, against: SurveyConfig | null = config) =>
    validateSubmission({ orderId: "gid://shopify/Order/5", locale: "en", answers: { custom } }, against);

  it("are kept as each question's type reads them", () => {
    const result = submit({
      "q-colour": { optionId: "other", other: " teal " },
      "q-extras": { optionIds: ["gift", "card"] },
      "q-why": " quick delivery ",
      "q-stars": 4,
    });
    expect(result).toEqual({
      ok: true,
      value: {
        orderId: "gid://shopify/Order/5",
        locale: "en",
        orderNumericId: "5",
        answers: { custom: { "q-colour": { optionId: "other", other: "teal" }, "q-extras": { optionIds: ["gift", "card"] }, "q-why": "quick delivery", "q-stars": 4 } },
      },
    });
  });

  it.each<[string, unknown, Record<string, string>]>([
    ["a question the survey does not ask", { "q-gone": 3 }, { "answers.custom.q-gone": "Not a question of this survey" }],
    ["a rating out of range", { "q-stars": 6 }, { "answers.custom.q-stars": "Expected a whole number from 1 to 5" }],
    ["an option of another question", { "q-colour": { optionId: "gift" } }, { "answers.custom.q-colour.optionId": "Expected one of the question's options" }],
    ["None with an option", { "q-extras": { optionIds: ["none", "gift"] } }, { "answers.custom.q-extras.optionIds": "None is chosen alone" }],
    ["short text of 301 characters", { "q-why": "a".repeat(301) }, { "answers.custom.q-why": "Expected text of at most 300 characters" }],
    ["answers that are no object", ["q-why"], { "answers.custom": "Expected an object of answers by question id" }],
    ["more answers than questions could be", Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`q-${i}`, 1])), { "answers.custom": "At most 10 answers" }],
  ])("refuses %s", (_what, custom, errors) => {
    expect(submit(custom)).toEqual({ ok: false, errors });
  });

  it("are refused when the shop asks no custom questions (no published config)", () => {
    expect(submit({ "q-why": "x" }, null)).toEqual({ ok: false, errors: { "answers.custom.q-why": "Not a question of this survey" } });
  });

  it("only blank ones make no answer", () => {
    expect(submit({ "q-why": "   ", "q-extras": { optionIds: [] } })).toEqual({ ok: false, errors: { answers: "At least one answer is required" } });
  });

  it("never log the sender's question ids", () => {
    const errors = { "answers.custom.jane@example.com": "Not a question of this survey", "answers.custom.q-why": "x", "answers.nps": "y" };
    expect(loggableErrors(errors)).toEqual({ fields: "answers.custom,answers.nps", unknownFields: 0 });
  });

  it("are read and written under the question's key, built-in or custom", () => {
    const [, nps, , colourQ] = surveyQuestions(config);
    expect(answerPatch(nps!, 9)).toEqual({ nps: 9 });
    expect(answerPatch(colourQ!, { optionId: "red" })).toEqual({ custom: { "q-colour": { optionId: "red" } } });
    expect(answerFor({ nps: 9, custom: { "q-colour": { optionId: "red" } } }, colourQ!)).toEqual({ optionId: "red" });
    expect(answerFor({ nps: 9 }, nps!)).toBe(9);
  });

  it("merge into the flow's answers question by question", () => {
    let state = startFlow(config);
    state = advance(config, state, { type: "answer", patch: { custom: { "q-why": "a" } } });
    state = advance(config, state, { type: "answer", patch: { custom: { "q-stars": 5 } } });
    state = advance(config, state, { type: "answer", patch: { custom: { "q-why": "b" } } });
    expect(state).toMatchObject({ step: "question", answers: { custom: { "q-why": "b", "q-stars": 5 } } });
  });

  it("an empty custom object is nothing to send", () => {
    const only = withCustom([why]);
    for (const type of ["nps", "csat", "ces", "attribution", "comment"] as const) only.questions[type].enabled = false;
    const state = advance(only, startFlow(only), { type: "answer", patch: { custom: {} } });
    expect(advance(only, state, { type: "next" })).toEqual({ step: "skipped" });
  });
});

describe("questionWording: the fallback for questions with a built-in translation", () => {
  it.each<[string, Record<string, string>, string, string, string | null]>([
    // [what, merchant text, shopper locale, default locale, merchant wording shown (null: the built-in translation)]
    ["the shopper's language written", { en: "Recommend us?", fr: "Nous recommander ?" }, "fr-CA", "en", "Nous recommander ?"],
    ["the shopper's language left empty: built-in French, not the English wording", { en: "Recommend us?" }, "fr", "en", null],
    ["Chinese left empty: built-in Chinese", { en: "Recommend us?" }, "zh-TW", "en", null],
    ["a language the extension does not ship: the default language's wording", { en: "Recommend us?" }, "pt-BR", "en", "Recommend us?"],
    ["the default language itself", { de: "Empfehlen?" }, "de", "de", "Empfehlen?"],
    ["nothing written", {}, "pt-BR", "en", null],
  ])("%s", (_what, text, locale, defaultLocale, shown) => {
    expect(questionWording(text, locale, defaultLocale)).toBe(shown);
  });
});
