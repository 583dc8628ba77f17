import { describe, expect, it } from "vitest";
import { advance, hasAnswers, reachedQuestions, startFlow, type FlowEvent, type FlowState } from "./flow";
import { DEFAULT_SURVEY_CONFIG, enabledQuestions, localized, matchLocale } from "./questions";
import { readSurveyConfig, validateSurveyConfig } from "./config";

const config = DEFAULT_SURVEY_CONFIG;

describe("survey flow", () => {
  it("walks the enabled questions one at a time, then submits, then is done", () => {
    let state: FlowState = startFlow(config);
    const seen: string[] = [];
    while (state.step === "question") {
      seen.push(state.question);
      state = advance(config, state, { type: "answer", patch: state.question === "nps" ? { nps: 9 } : {} });
      state = advance(config, state, { type: "next" });
    }
    expect(seen).toEqual(enabledQuestions(config));
    expect(state).toEqual({ step: "submitting", answers: { nps: 9 } });
    const failed = advance(config, state, { type: "failed" });
    expect(failed.step).toBe("error");
    const retried = advance(config, failed, { type: "retry" });
    expect(advance(config, retried, { type: "submitted" })).toEqual({ step: "done", answers: { nps: 9 } });
  });

  it("skip ends the flow at any step; nothing answered means nothing submitted", () => {
    expect(advance(config, startFlow(config), { type: "skip" })).toEqual({ step: "skipped" });
    let state = startFlow(config);
    while (state.step === "question") state = advance(config, state, { type: "next" });
    expect(state).toEqual({ step: "skipped" });
  });

  it("is empty when every question is off", () => {
    const questions = Object.fromEntries(Object.keys(config.questions).map((k) => [k, { enabled: false }]));
    const off = readSurveyConfig({ ...config, questions });
    expect(startFlow(off)).toEqual({ step: "empty" });
  });
});

describe("survey flow, event by event", () => {
  const first = startFlow(config);

  it("starts at the first enabled question, counting them all", () => {
    expect(first).toEqual({ step: "question", question: "attribution", index: 0, total: enabledQuestions(config).length, answers: {} });
  });

  it("merges each answer into the ones given so far, staying on the question", () => {
    const once = advance(config, first, { type: "answer", patch: { nps: 3 } });
    expect(advance(config, once, { type: "answer", patch: { nps: 4, comment: "late" } })).toEqual({ ...first, answers: { nps: 4, comment: "late" } });
  });

  it("moves to the next enabled question, keeping the answers", () => {
    const answered = advance(config, first, { type: "answer", patch: { nps: 3 } });
    expect(advance(config, answered, { type: "next" })).toEqual({ ...first, question: enabledQuestions(config)[1], index: 1, answers: { nps: 3 } });
  });

  it.each<[string, FlowState, FlowEvent["type"]]>([
    ["a question ignores submitted", first, "submitted"],
    ["a question ignores failed", first, "failed"],
    ["a question ignores retry", first, "retry"],
    ["submitting ignores retry", { step: "submitting", answers: { nps: 1 } }, "retry"],
    ["submitting ignores next", { step: "submitting", answers: { nps: 1 } }, "next"],
    ["an error ignores submitted", { step: "error", answers: { nps: 1 } }, "submitted"],
    ["an error ignores failed", { step: "error", answers: { nps: 1 } }, "failed"],
    ["done stays done", { step: "done", answers: { nps: 1 } }, "retry"],
    ["done ignores next", { step: "done", answers: { nps: 1 } }, "next"],
    ["empty stays empty", { step: "empty" }, "next"],
  ])("%s", (_what, state, type) => {
    const event = (type === "answer" ? { type, patch: {} } : { type }) as FlowEvent;
    expect(advance(config, state, event)).toBe(state);
  });

  it("answering or moving on is only for questions", () => {
    const submitting: FlowState = { step: "submitting", answers: { nps: 1 } };
    expect(advance(config, submitting, { type: "answer", patch: { nps: 9 } })).toBe(submitting);
    expect(advance(config, { step: "error", answers: { nps: 1 } }, { type: "skip" })).toEqual({ step: "skipped" });
  });
});

describe("locales and merchant text", () => {
  it.each([["zh-Hans-CN", "zh-CN"], ["fr-CA", "fr"], ["de", "de"], ["pt-BR", null], [undefined, null]])("%s → %s", (input, out) => {
    expect(matchLocale(input)).toBe(out);
  });
  it("falls back from the shopper's locale to the default language", () => {
    expect(localized({ en: "Hello", fr: "Bonjour" }, "fr-CA", "en")).toBe("Bonjour");
    expect(localized({ en: "Hello" }, "de", "en")).toBe("Hello");
    expect(localized({}, "de", "en")).toBeNull();
  });
});

describe("survey config", () => {
  it("reads a broken metafield as the default", () => {
    expect(readSurveyConfig("{not json")).toEqual(DEFAULT_SURVEY_CONFIG);
    expect(readSurveyConfig(null)).toEqual(DEFAULT_SURVEY_CONFIG);
    expect(readSurveyConfig(JSON.stringify(DEFAULT_SURVEY_CONFIG))).toEqual(DEFAULT_SURVEY_CONFIG);
  });
  it("validates a save with field errors", () => {
    expect(validateSurveyConfig(DEFAULT_SURVEY_CONFIG).ok).toBe(true);
    const allOff = { ...config, questions: Object.fromEntries(Object.entries(config.questions).map(([k, v]) => [k, { ...v, enabled: false }])) };
    expect(validateSurveyConfig(allOff)).toEqual({ ok: false, errors: { questions: "Switch on at least one question" } });
    const dup = { ...config, questions: { ...config.questions, attribution: { ...config.questions.attribution, options: [{ id: "a", label: { en: "A" } }, { id: "a", label: {} }] } } };
    const result = validateSurveyConfig(dup);
    expect(result.ok ? {} : result.errors).toEqual({
      "questions.attribution.options.1.id": "Option ids must be unique",
      "questions.attribution.options.1.label": "A label in en is required",
    });
  });
});

describe("reachedQuestions and hasAnswers: what a saved step reports (decision 041)", () => {
  const branching = readSurveyConfig({
    ...config,
    questions: { ...config.questions, csat: { enabled: false }, attribution: { ...config.questions.attribution, enabled: false }, comment: { enabled: false } },
    custom: [
      { id: "q-wrong", type: "short_text", text: { en: "What went wrong?" }, showIf: { question: "nps", min: 0, max: 6 } },
      { id: "q-stars", type: "rating_1_5", text: { en: "Packaging?" } },
    ],
  });
  it.each([
    ["the first question shown", {}, 0, ["nps"]],
    ["a detractor moved to the branch", { nps: 3 }, 1, ["nps", "q-wrong"]],
    ["a detractor at the last question", { nps: 3 }, 2, ["nps", "q-wrong", "q-stars"]],
    ["a promoter skips the branch", { nps: 9 }, 1, ["nps", "q-stars"]],
    ["past the end: every asked question", { nps: 9 }, 5, ["nps", "q-stars"]],
  ] as const)("%s", (_label, answers, index, expected) => {
    expect(reachedQuestions(branching, answers, index)).toEqual(expected);
  });
  it.each([
    [{}, false],
    [{ custom: {} }, false],
    [{ nps: 0 }, true],
    [{ custom: { "q-stars": 1 } }, true],
    [{ comment: "" }, true],
  ] as const)("hasAnswers(%j) → %s", (answers, expected) => {
    expect(hasAnswers(answers)).toBe(expected);
  });
});
