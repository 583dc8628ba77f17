import { describe, expect, it } from "vitest";
import { validateSubmission, type SurveyAnswers } from "./answer";
import { readSurveyConfig, validateSurveyConfig } from "./config";
import { advance, askedQuestions, startFlow, type FlowState } from "./flow";
import { DEFAULT_SURVEY_CONFIG, type CustomQuestion, type ShowIf, type SurveyConfig } from "./questions";
import { meetsCondition } from "./registry";

const base = { options: [], shuffle: false, allowOther: false, allowNone: false };
/** Detractors (NPS 0–6) are asked what went wrong; those who heard of the shop on a podcast, which one. */
const wrong: CustomQuestion = { ...base, id: "q-wrong", type: "short_text", text: { en: "What went wrong?" }, showIf: { question: "nps", min: 0, max: 6 } };
const podcast: CustomQuestion = { ...base, id: "q-podcast", type: "short_text", text: { en: "Which podcast?" }, showIf: { question: "attribution", options: ["podcast"] } };
const config: SurveyConfig = (() => {
  const c = structuredClone(DEFAULT_SURVEY_CONFIG) as SurveyConfig;
  c.questions.attribution.options = [...c.questions.attribution.options, { id: "podcast", label: { en: "A podcast" } }];
  c.custom = [wrong, podcast];
  return c;
})();

describe("meetsCondition (per control, from the registry)", () => {
  const [attribution, nps, csat] = askedQuestions(DEFAULT_SURVEY_CONFIG, {});
  const colours = { ...base, key: "q-c", type: "multiple_choice" as const, custom: true, text: {}, options: [{ id: "red", label: {} }, { id: "blue", label: {} }], allowNone: true };
  it.each<[string, Parameters<typeof meetsCondition>[0], unknown, ShowIf, boolean]>([
    ["NPS 6 in 0–6", nps, 6, { question: "nps", min: 0, max: 6 }, true],
    ["NPS 7 outside 0–6", nps, 7, { question: "nps", min: 0, max: 6 }, false],
    ["NPS 0 at the range's start", nps, 0, { question: "nps", min: 0, max: 6 }, true],
    ["no NPS answer", nps, undefined, { question: "nps", min: 0, max: 6 }, false],
    ["CSAT 5 in 4–5", csat, 5, { question: "csat", min: 4, max: 5 }, true],
    ["a range without ends: the whole scale", csat, 1, { question: "csat" }, true],
    ["the option chosen", attribution, { optionId: "social" }, { question: "attribution", options: ["social", "ad"] }, true],
    ["another option", attribution, { optionId: "search" }, { question: "attribution", options: ["social"] }, false],
    ["one of several chosen", colours, { optionIds: ["red", "blue"] }, { question: "q-c", options: ["blue"] }, true],
    ["None chosen, not listed", colours, { optionIds: ["none"] }, { question: "q-c", options: ["red"] }, false],
    ["a text answer never opens a branch", { ...colours, type: "short_text" as const }, "blue", { question: "q-c", options: ["blue"] }, false],
    ["an unknown question", undefined, 5, { question: "gone", min: 0, max: 10 }, false],
  ])("%s", (_what, question, answer, showIf, met) => {
    expect(meetsCondition(question, answer as never, showIf)).toBe(met);
  });
});

describe("a branching flow", () => {
  const walk = (answers: SurveyAnswers[]): string[] => {
    let state: FlowState = startFlow(config);
    const seen: string[] = [];
    for (const patch of answers) {
      if (state.step !== "question") break;
      seen.push(`${state.question} ${state.index + 1}/${state.total}`);
      state = advance(config, state, { type: "answer", patch });
      state = advance(config, state, { type: "next" });
    }
    return state.step === "question" ? [...seen, `${state.question}…`] : [...seen, state.step];
  };

  it.each<[string, SurveyAnswers[], string[]]>([
    ["a promoter from search: no branch", [{ attribution: { optionId: "search" } }, { nps: 9 }, { csat: 5 }, { comment: "ok" }], ["attribution 1/4", "nps 2/4", "csat 3/4", "comment 4/4", "submitting"]],
    [
      "a detractor: asked what went wrong, the count grows as the branch opens",
      [{ attribution: { optionId: "search" } }, { nps: 3 }, { csat: 2 }, { custom: { "q-wrong": "late" } }, { comment: "x" }],
      ["attribution 1/4", "nps 2/4", "csat 3/5", "q-wrong 4/5", "comment 5/5", "submitting"],
    ],
    [
      "a detractor who heard of the shop on a podcast: both branches",
      [{ attribution: { optionId: "podcast" } }, { nps: 0 }, { csat: 1 }, { custom: { "q-wrong": "late" } }, { custom: { "q-podcast": "The Daily" } }, {}],
      ["attribution 1/4", "nps 2/5", "csat 3/6", "q-wrong 4/6", "q-podcast 5/6", "comment 6/6", "submitting"],
    ],
  ])("%s", (_what, answers, seen) => {
    expect(walk(answers)).toEqual(seen);
  });

  it("drops a branch's answer when the answer that opened it changes before sending", () => {
    let state: FlowState = startFlow(config);
    state = advance(config, state, { type: "answer", patch: { nps: 2 } });
    // (a shopper's answers to a hidden question can only come from an earlier pass; the flow never sends them)
    state = advance(config, state, { type: "answer", patch: { custom: { "q-wrong": "late" } } });
    state = advance(config, state, { type: "answer", patch: { nps: 9 } });
    for (let i = 0; i < 3; i++) state = advance(config, state, { type: "next" });
    expect(state).toEqual({ step: "question", question: "comment", index: 3, total: 4, answers: { nps: 9, custom: { "q-wrong": "late" } } });
    expect(advance(config, state, { type: "next" })).toEqual({ step: "submitting", answers: { nps: 9 } });
  });
});

describe("branching in the config", () => {
  it("survives a publish round trip; a malformed condition is dropped by the lenient reader", () => {
    expect(readSurveyConfig(JSON.stringify(config))).toEqual(config);
    expect(validateSurveyConfig(config)).toEqual({ ok: true, config });
    for (const showIf of [{ question: "nps", min: 7, max: 3 }, { question: "nps", min: "0", max: 6 }, { question: "Bad Key", min: 0, max: 6 }, { question: "attribution", options: [] }, "nps"]) {
      expect(readSurveyConfig({ ...config, custom: [{ ...wrong, showIf }] }).custom[0]).toEqual({ ...base, id: "q-wrong", type: "short_text", text: { en: "What went wrong?" } });
    }
  });

  it.each<[string, ShowIf, string]>([
    ["a question asked later", { question: "comment", min: 0, max: 6 }, "Choose a question asked before this one"],
    ["itself", { question: "q-wrong", min: 0, max: 6 }, "Choose a question asked before this one"],
    ["a question that does not exist", { question: "q-gone", options: ["a"] }, "Choose a question asked before this one"],
    ["a range beyond the scale", { question: "csat", min: 0, max: 5 }, "Choose scores from 1 to 5"],
    ["options for a scale", { question: "nps", options: ["a"] }, "Choose scores from 0 to 10"],
    ["an option the question does not have", { question: "attribution", options: ["radio"] }, "Choose at least one of that question's options"],
    ["a range for a choice", { question: "attribution", min: 1, max: 2 }, "Choose at least one of that question's options"],
  ])("refuses a condition on %s", (_what, showIf, error) => {
    expect(validateSurveyConfig({ ...config, custom: [{ ...wrong, showIf }, podcast] })).toEqual({ ok: false, errors: { "custom.0.showIf": error } });
  });

  it.each<[string, unknown]>([
    ["a reversed range", { question: "nps", min: 7, max: 3 }],
    ["a range as text", { question: "nps", min: "0", max: 6 }],
    ["no options and no range", { question: "attribution" }],
    ["a sentence", "nps <= 6"],
  ])("refuses a condition it cannot read (%s) rather than asking everyone", (_what, showIf) => {
    expect(validateSurveyConfig({ ...config, custom: [{ ...wrong, showIf }, podcast] })).toEqual({
      ok: false,
      errors: { "custom.0.showIf": "Choose an earlier question and its scores or options" },
    });
  });

  it("refuses a condition on a question switched off", () => {
    const off = structuredClone(config);
    off.questions.nps.enabled = false;
    expect(validateSurveyConfig(off)).toEqual({ ok: false, errors: { "custom.0.showIf": "Choose a question asked before this one" } });
  });

  it("refuses a condition on a text question", () => {
    const why: CustomQuestion = { ...base, id: "q-why", type: "short_text", text: { en: "Why?" } };
    const follow: CustomQuestion = { ...base, id: "q-more", type: "short_text", text: { en: "More?" }, showIf: { question: "q-why", options: ["x"] } };
    expect(validateSurveyConfig({ ...config, custom: [why, follow] })).toEqual({ ok: false, errors: { "custom.1.showIf": "This question's answers cannot be branched on" } });
  });
});

describe("answers behind a branch, at the endpoint's check", () => {
  const submit = (answers: SurveyAnswers) => validateSubmission({ orderId: "gid://shopify/Order/5", locale: "en", answers }, config);
  it("are taken when the set opens the branch", () => {
    expect(submit({ nps: 4, custom: { "q-wrong": "late" } }).ok).toBe(true);
    expect(submit({ attribution: { optionId: "podcast" }, custom: { "q-podcast": "The Daily" } }).ok).toBe(true);
  });
  it.each<[string, SurveyAnswers]>([
    ["a promoter's answer to the detractors' question", { nps: 9, custom: { "q-wrong": "late" } }],
    ["an answer to the detractors' question without an NPS", { custom: { "q-wrong": "late" } }],
    ["the podcast question after another channel", { attribution: { optionId: "search" }, custom: { "q-podcast": "x" } }],
  ])("are refused for %s", (_what, answers) => {
    const id = Object.keys(answers.custom!)[0]!;
    expect(submit(answers)).toEqual({ ok: false, errors: { [`answers.custom.${id}`]: "Not asked: the answer it depends on does not match" } });
  });
});
