import { describe, expect, it } from "vitest";
import { questionDistributions } from "./distribution";
import { DEFAULT_SURVEY_CONFIG, type SurveyConfig } from "./questions";

const base = { options: [], shuffle: false, allowOther: false, allowNone: false };
const config: SurveyConfig = {
  ...structuredClone(DEFAULT_SURVEY_CONFIG),
  defaultLocale: "fr",
  custom: [
    { ...base, id: "q-box", type: "single_choice", text: { en: "The box?", fr: "La boîte ?" }, options: [{ id: "ok", label: { en: "Fine", fr: "Bien" } }], allowOther: true, allowNone: true },
    { ...base, id: "q-note", type: "short_text", text: { en: "Why?" } },
    { ...base, id: "q-rate", type: "rating_1_5", text: {} },
    { ...base, id: "q-plain", type: "multiple_choice", text: { fr: "Lesquels ?" }, options: [{ id: "a", label: { fr: "A" } }, { id: "b", label: {} }] },
  ],
};

describe("questionDistributions", () => {
  it("lays each scale and choice question out in the survey's order, zeros included, text questions left out", () => {
    const result = questionDistributions(config, [
      { question: "nps", value: "9", count: 3 },
      { question: "nps", value: "2", count: 1 },
      { question: "nps", value: null, count: 4 },
      { question: "q-box", value: "other", count: 1 },
      { question: "q-box", value: "ok", count: 2 },
      { question: "q-box", value: null, count: 3 },
    ]);
    expect(result.map((d) => [d.key, d.title, d.kind, d.respondents])).toEqual([
      ["attribution", "How did you hear about us?", "choice", 0],
      ["nps", "Net Promoter Score (NPS)", "scale", 4],
      ["csat", "Customer satisfaction (CSAT)", "scale", 0],
      ["q-box", "La boîte ?", "choice", 3],
      ["q-rate", "Rating 1–5", "scale", 0],
      ["q-plain", "Lesquels ?", "choice", 0],
    ]);
    // Without "Other" or "None": the options alone; an option without wording is named by its id.
    expect(result[5]!.bins.map((b) => [b.value, b.label])).toEqual([
      ["a", "A"],
      ["b", "b"],
    ]);
    const nps = result[1]!;
    expect(nps.bins).toHaveLength(11);
    expect(nps.bins[9]).toEqual({ value: "9", label: "9", count: 3, share: 75 });
    expect(nps.bins[2]).toEqual({ value: "2", label: "2", count: 1, share: 25 });
    expect(nps.bins[0]).toEqual({ value: "0", label: "0", count: 0, share: 0 });
    expect(result[3]!.bins).toEqual([
      { value: "ok", label: "Bien", count: 2, share: 66.7 },
      { value: "other", label: "Other", count: 1, share: 33.3 },
      { value: "none", label: "None of these", count: 0, share: 0 },
    ]);
    expect(result[2]!.bins.every((b) => b.share === null && b.count === 0)).toBe(true);
  });

  it("shows a built-in question switched off while the range has answers to it, and adds up repeated pairs", () => {
    const result = questionDistributions(config, [
      { question: "ces", value: "7", count: 1 },
      { question: "ces", value: "7", count: 2 },
      { question: "ces", value: null, count: 3 },
      { question: "q-gone", value: "x", count: 5 },
      { question: "q-gone", value: null, count: 5 },
    ]);
    expect(result.map((d) => d.key)).toEqual(["attribution", "nps", "csat", "ces", "q-box", "q-rate", "q-plain"]);
    expect(result[3]!.bins.at(-1)).toEqual({ value: "7", label: "7", count: 3, share: 100 });
  });
});
