import { describe, expect, it } from "vitest";
import { splitCustomAnswers } from "./answer";
import { customAnswerCell } from "./answer-cells";
import type { CustomQuestion } from "./questions";

const base = { options: [], shuffle: false, allowOther: false, allowNone: false };
const colour: CustomQuestion = {
  ...base,
  id: "q-c",
  type: "multiple_choice",
  text: { en: "Colours?" },
  options: [
    { id: "red", label: { en: "Red", fr: "Rouge" } },
    { id: "blue", label: { fr: "Bleu" } },
  ],
  allowOther: true,
  allowNone: true,
};
const single: CustomQuestion = { ...colour, id: "q-s", type: "single_choice" };
const why: CustomQuestion = { ...base, id: "q-w", type: "short_text", text: { en: "Why?" } };
const stars: CustomQuestion = { ...base, id: "q-r", type: "rating_1_5", text: { en: "Stars?" } };

describe("customAnswerCell", () => {
  it.each<[string, CustomQuestion, unknown, unknown, string | number | null]>([
    ["a rating", stars, { "q-r": 4 }, null, 4],
    ["a rating stored as text is no rating", stars, { "q-r": "4" }, null, null],
    ["short text", why, null, { "q-w": "fast" }, "fast"],
    ["short text erased — customers/redact", why, null, null, null],
    ["several choices, default-language labels", colour, { "q-c": { optionIds: ["red", "blue"] } }, null, "Red; blue"],
    ["Other with its words", colour, { "q-c": { optionIds: ["other"] } }, { "q-c": "teal" }, "Other: teal"],
    ["Other whose words were erased", colour, { "q-c": { optionIds: ["other"] } }, null, "Other"],
    ["None", colour, { "q-c": { optionIds: ["none"] } }, null, "None"],
    ["one choice", single, { "q-s": { optionId: "red" } }, null, "Red"],
    ["an option since removed: its id", single, { "q-s": { optionId: "green" } }, null, "green"],
    ["no answer to this question", single, { other: 1 }, null, null],
    ["an empty choice list", colour, { "q-c": { optionIds: [] } }, null, null],
    ["a malformed stored value", colour, { "q-c": "red" }, null, null],
    ["nothing stored", colour, null, null, null],
  ])("%s", (_what, question, stored, words, cell) => {
    expect(customAnswerCell(question, stored, words, "en")).toEqual(cell);
  });
});

describe("splitCustomAnswers", () => {
  it.each<[string, Parameters<typeof splitCustomAnswers>[0], ReturnType<typeof splitCustomAnswers>]>([
    ["nothing", undefined, { answers: null, text: null }],
    ["an empty object", {}, { answers: null, text: null }],
    ["a rating", { r: 3 }, { answers: { r: 3 }, text: null }],
    ["short text goes apart", { w: "fast" }, { answers: null, text: { w: "fast" } }],
    ["a choice with Other's words: the choice stays, the words go apart", { c: { optionId: "other", other: "teal" } }, { answers: { c: { optionId: "other" } }, text: { c: "teal" } }],
    ["several choices", { m: { optionIds: ["a", "b"] } }, { answers: { m: { optionIds: ["a", "b"] } }, text: null }],
  ])("%s", (_what, custom, split) => {
    expect(splitCustomAnswers(custom)).toEqual(split);
  });
});
