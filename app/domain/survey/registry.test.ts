import { describe, expect, it } from "vitest";
import { CUSTOM_TYPES, QUESTION_TYPES, type QuestionType, type SurveyQuestion } from "./questions";
import { BANDED_TYPES, choiceIds, orderedChoices, QUESTION_REGISTRY, seededRandom } from "./registry";
import { BANDS_BY_QUESTION } from "./score-bands";

const question = (over: Partial<SurveyQuestion> = {}): SurveyQuestion => ({
  key: "q-1",
  type: "single_choice",
  custom: true,
  text: { en: "Which?" },
  options: [
    { id: "red", label: { en: "Red" } },
    { id: "green", label: { en: "Green" } },
    { id: "blue", label: { en: "Blue" } },
  ],
  shuffle: false,
  allowOther: false,
  allowNone: false,
  ...over,
});

describe("the question-type registry", () => {
  it("has one entry per type, built-in and custom", () => {
    expect(Object.keys(QUESTION_REGISTRY).sort()).toEqual([...QUESTION_TYPES, ...CUSTOM_TYPES].sort());
    for (const type of QUESTION_TYPES) expect(QUESTION_REGISTRY[type].builtIn).toBe(true);
    for (const type of CUSTOM_TYPES) expect(QUESTION_REGISTRY[type].builtIn).toBe(false);
  });

  it.each<[QuestionType, unknown]>([
    ["nps", { kind: "scale", min: 0, max: 10 }],
    ["csat", { kind: "scale", min: 1, max: 5 }],
    ["ces", { kind: "scale", min: 1, max: 7 }],
    ["attribution", { kind: "choice", multiple: false }],
    ["comment", { kind: "text", maxLength: 1000, multiline: true }],
    ["single_choice", { kind: "choice", multiple: false }],
    ["multiple_choice", { kind: "choice", multiple: true }],
    ["short_text", { kind: "text", maxLength: 300, multiline: false }],
    ["rating_1_5", { kind: "scale", min: 1, max: 5 }],
  ])("%s is drawn as %j", (type, control) => {
    expect(QUESTION_REGISTRY[type].control).toEqual(control);
  });

  it("filters by score band exactly the types the band table scores", () => {
    expect(BANDED_TYPES).toEqual(["nps", "csat", "ces"]);
    for (const type of BANDED_TYPES) expect(QUESTION_REGISTRY[type].bands).toBe(BANDS_BY_QUESTION[type as keyof typeof BANDS_BY_QUESTION]);
    expect(QUESTION_REGISTRY.rating_1_5.bands).toBeNull();
  });

  it("names every type for the admin", () => {
    for (const entry of Object.values(QUESTION_REGISTRY)) {
      expect(entry.name.trim()).not.toBe("");
      expect(entry.summary.trim()).not.toBe("");
    }
  });
});

describe("readAnswer", () => {
  const choices = question({ allowOther: true, allowNone: true });
  it.each<[string, QuestionType, unknown, SurveyQuestion | null, unknown]>([
    // [what, type, sent, question, { ok, value } or { error, field }]
    ["NPS at each end", "nps", 0, null, { ok: true, value: 0 }],
    ["NPS 10", "nps", 10, null, { ok: true, value: 10 }],
    ["NPS 11", "nps", 11, null, { ok: false, error: "Expected a whole number from 0 to 10" }],
    ["NPS 9.5", "nps", 9.5, null, { ok: false, error: "Expected a whole number from 0 to 10" }],
    ["NPS as text", "nps", "9", null, { ok: false, error: "Expected a whole number from 0 to 10" }],
    ["a rating of 1", "rating_1_5", 1, null, { ok: true, value: 1 }],
    ["a rating of 0", "rating_1_5", 0, null, { ok: false, error: "Expected a whole number from 1 to 5" }],
    ["a rating of 6", "rating_1_5", 6, null, { ok: false, error: "Expected a whole number from 1 to 5" }],
    ["short text, trimmed", "short_text", "  fine  ", null, { ok: true, value: "fine" }],
    ["blank short text: nothing to keep", "short_text", "   ", null, { ok: true, value: null }],
    ["short text of 300 characters", "short_text", "é".repeat(300), null, { ok: true, value: "é".repeat(300) }],
    ["short text of 301 characters", "short_text", "a".repeat(301), null, { ok: false, error: "Expected text of at most 300 characters" }],
    ["short text of 300 emoji — code points, not UTF-16 units", "short_text", "😀".repeat(300), null, { ok: true, value: "😀".repeat(300) }],
    ["short text with NUL", "short_text", "a\u0000", null, { ok: false, error: "Contains characters that are not valid text" }],
    ["short text with a lone surrogate", "short_text", "a\ud800", null, { ok: false, error: "Contains characters that are not valid text" }],
    ["short text as a number", "short_text", 5, null, { ok: false, error: "Expected text of at most 300 characters" }],
    ["one of the options", "single_choice", { optionId: "green" }, choices, { ok: true, value: { optionId: "green" } }],
    ["an option the question does not have", "single_choice", { optionId: "pink" }, choices, { ok: false, error: "Expected one of the question's options", field: "optionId" }],
    ["Other with words", "single_choice", { optionId: "other", other: " a podcast " }, choices, { ok: true, value: { optionId: "other", other: "a podcast" } }],
    ["Other with blank words", "single_choice", { optionId: "other", other: "  " }, choices, { ok: true, value: { optionId: "other" } }],
    ["words without Other", "single_choice", { optionId: "red", other: "x" }, choices, { ok: false, error: "Only with the Other option chosen", field: "other" }],
    ["Other where it is not offered", "single_choice", { optionId: "other" }, question(), { ok: false, error: "Expected one of the question's options", field: "optionId" }],
    ["an unknown field", "single_choice", { optionId: "red", note: "x" }, choices, { ok: false, error: "Unknown field", field: "note" }],
    ["several options", "multiple_choice", { optionIds: ["red", "blue"] }, choices, { ok: true, value: { optionIds: ["red", "blue"] } }],
    ["no option: nothing to keep", "multiple_choice", { optionIds: [] }, choices, { ok: true, value: null }],
    ["an option twice", "multiple_choice", { optionIds: ["red", "red"] }, choices, { ok: false, error: "Expected distinct options of the question", field: "optionIds" }],
    ["None with another", "multiple_choice", { optionIds: ["none", "red"] }, choices, { ok: false, error: "None is chosen alone", field: "optionIds" }],
    ["None alone", "multiple_choice", { optionIds: ["none"] }, choices, { ok: true, value: { optionIds: ["none"] } }],
    ["an option list that is no list", "multiple_choice", { optionIds: "red" }, choices, { ok: false, error: "Expected a list of the question's options", field: "optionIds" }],
    ["a foreign option in the list", "multiple_choice", { optionIds: ["red", "pink"] }, choices, { ok: false, error: "Expected distinct options of the question", field: "optionIds" }],
    ["Other with words among several", "multiple_choice", { optionIds: ["red", "other"], other: "tv" }, choices, { ok: true, value: { optionIds: ["red", "other"], other: "tv" } }],
    ["attribution checked without the shop's options: any well-formed id", "attribution", { optionId: "podcast" }, null, { ok: true, value: { optionId: "podcast" } }],
    ["attribution with a malformed id", "attribution", { optionId: "Pod" }, null, { ok: false, error: "Expected an option id", field: "optionId" }],
  ])("%s", (_what, type, raw, q, expected) => {
    expect(QUESTION_REGISTRY[type].readAnswer(raw, q)).toEqual(expected);
  });
});

describe("orderedChoices", () => {
  const many = question({
    options: ["a", "b", "c", "d", "e", "f", "g", "h"].map((id) => ({ id, label: { en: id } })),
    allowOther: true,
    allowNone: true,
  });

  it("keeps the merchant's order without shuffle, Other then None last", () => {
    expect(orderedChoices(many, "gid://shopify/Order/1")).toEqual(["a", "b", "c", "d", "e", "f", "g", "h", "other", "none"]);
    expect(choiceIds(many)).toEqual(["a", "b", "c", "d", "e", "f", "g", "h", "other", "none"]);
  });

  it("shuffles per order: the same order for the same seed, Other and None pinned last", () => {
    const shuffled = { ...many, shuffle: true };
    const first = orderedChoices(shuffled, "gid://shopify/Order/1");
    expect(orderedChoices(shuffled, "gid://shopify/Order/1")).toEqual(first);
    expect(first.slice(-2)).toEqual(["other", "none"]);
    expect([...first].sort()).toEqual([...choiceIds(many)].sort());
    // over many orders the options do move (a shuffle that never shuffles would pass the lines above)
    const firsts = new Set(Array.from({ length: 40 }, (_, i) => orderedChoices(shuffled, `gid://shopify/Order/${i}`)[0]));
    expect(firsts.size).toBeGreaterThan(3);
    for (let i = 0; i < 40; i++) expect(orderedChoices(shuffled, `gid://shopify/Order/${i}`).slice(-2)).toEqual(["other", "none"]);
  });

  it("draws the same numbers from the same seed, in [0, 1)", () => {
    const a = seededRandom("x");
    const b = seededRandom("x");
    const draws = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(draws);
    for (const n of draws) expect(n >= 0 && n < 1).toBe(true);
    expect(seededRandom("y")()).not.toBe(draws[0]);
  });
});
