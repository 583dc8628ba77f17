import { describe, expect, it } from "vitest";
import { answerFilterBounds, checkAnswerFilters, parseAnswerFilters, readDay } from "./answer-filters";

const params = (query: string) => new URLSearchParams(query);
const none = { question: null, band: null, from: null, to: null, cursor: null };

describe("readDay", () => {
  it.each([
    ["2026-10-01", "2026-10-01"],
    ["2028-02-29", "2028-02-29"],
    ["2026-02-29", null],
    ["2026-02-30", null],
    ["2026-13-01", null],
    ["2026-1-01", null],
    ["2026-10-01T00:00:00Z", null],
    ["x2026-10-01", null],
    ["2026-10-01x", null],
    ["+02026-10-01", null],
    ["+010000-01", null], // how the year 10000 round-trips: not YYYY-MM-DD
    ["-000001-01", null],
    ["", null],
    [null, null],
  ])("%j → %j", (input, expected) => {
    expect(readDay(input)).toBe(expected);
  });
});

describe("parseAnswerFilters (the list: lenient)", () => {
  it.each([
    ["", none],
    ["question=nps&band=detractor", { ...none, question: "nps", band: "detractor" }],
    ["question=csat&band=high&from=2026-10-01&to=2026-10-31", { ...none, question: "csat", band: "high", from: "2026-10-01", to: "2026-10-31" }],
    // what it cannot read is dropped
    ["question=nps&band=low", { ...none, question: "nps" }],
    ["band=detractor", none],
    ["question=stars", none],
    ["from=2026-02-30&to=later", none],
    ["question=&band=&from=&to=", none],
    [`cursor=${"x".repeat(201)}`, none],
    ["cursor=abc", { ...none, cursor: "abc" }],
    [`cursor=${"x".repeat(200)}`, { ...none, cursor: "x".repeat(200) }],
    ["question=ces&band=high&to=2026-10-31", { ...none, question: "ces", band: "high", to: "2026-10-31" }],
    ["question=nps&band=promoter&from=2026-10-01", { ...none, question: "nps", band: "promoter", from: "2026-10-01" }],
  ])("%j", (query, expected) => {
    expect(parseAnswerFilters(params(query))).toEqual(expected);
  });
});

describe("checkAnswerFilters (the export: strict)", () => {
  it.each([
    ["", none],
    ["question=&band=&from=&to=", none],
    ["question=ces&band=low&from=2026-10-01&to=2026-10-01", { ...none, question: "ces", band: "low", from: "2026-10-01", to: "2026-10-01" }],
    // the list's cursor and auth params are not the export's business
    ["cursor=abc&shop=x.myshopify.com&id_token=t&embedded=1", none],
  ])("accepts %j", (query, expected) => {
    expect(checkAnswerFilters(params(query))).toEqual({ ok: true, filters: expected });
  });

  it.each([
    ["question=stars", { question: 'Unknown question "stars"; expected nps, csat or ces' }],
    ["question=nps&band=low", { band: 'Unknown band "low" for nps; expected detractor, passive, promoter' }],
    ["band=high", { band: "A score band needs a question (nps, csat or ces)" }],
    ["from=2026-02-30", { from: '"2026-02-30" is not a day written YYYY-MM-DD' }],
    ["to=31/10/2026", { to: '"31/10/2026" is not a day written YYYY-MM-DD' }],
    ["from=2026-10-09&to=2026-10-01", { to: "The end date 2026-10-01 is before the start date 2026-10-09" }],
    ["from=2026-10-01&from=2026-10-02", { from: "Give from at most once" }],
    ["to=2026-10-01&to=2026-10-02", { to: "Give to at most once" }],
    ["question=nps&question=csat", { question: "Give question at most once" }],
    ["question=nps&band=promoter&band=passive", { band: "Give band at most once" }],
    // the first reason found for a param is the one given
    ["question=x&question=y", { question: "Give question at most once" }],
    ["question=nps&band=x&band=y", { band: "Give band at most once" }],
    ["band=x&band=y", { band: "Give band at most once" }],
    ["from=x&from=y", { from: "Give from at most once" }],
    ["from=2026-10-09&to=2026-10-01&to=2026-10-02", { to: "Give to at most once" }],
    ["question=csat&band=promoter", { band: 'Unknown band "promoter" for csat; expected low, high' }],
    ["from=2026-10-01&to=2026-10-01", null],
    ["question=x&band=y&from=z", {
      question: 'Unknown question "x"; expected nps, csat or ces',
      band: "A score band needs a question (nps, csat or ces)",
      from: '"z" is not a day written YYYY-MM-DD',
    }],
  ])("refuses %j", (query, errors) => {
    if (errors === null) expect(checkAnswerFilters(params(query))).toMatchObject({ ok: true });
    else expect(checkAnswerFilters(params(query))).toEqual({ ok: false, errors });
  });

  it("shortens a long bad value in the message", () => {
    const result = checkAnswerFilters(params(`question=${"q".repeat(500)}`));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.question!.length).toBeLessThan(100);
  });

  it.each([
    // [value, as the message shows it]: up to 40 characters as they are, longer ones cut at 40 with "…"
    ["q".repeat(40), `"${"q".repeat(40)}"`],
    ["q".repeat(41), `"${"q".repeat(40)}…"`],
  ])("shows a bad value of %#: %s", (value, shownAs) => {
    expect(checkAnswerFilters(params(`question=${value}`))).toEqual({ ok: false, errors: { question: `Unknown question ${shownAs}; expected nps, csat or ces` } });
  });
});

describe("answerFilterBounds", () => {
  it("makes UTC days inclusive", () => {
    expect(answerFilterBounds({ from: "2026-10-01", to: "2026-10-31" })).toEqual({
      from: new Date("2026-10-01T00:00:00.000Z"),
      to: new Date("2026-10-31T23:59:59.999Z"),
    });
    expect(answerFilterBounds({ from: null, to: null })).toEqual({});
    expect(answerFilterBounds({ from: "2026-10-01", to: null })).toEqual({ from: new Date("2026-10-01T00:00:00.000Z") });
    expect(answerFilterBounds({ from: null, to: "2026-10-31" })).toEqual({ to: new Date("2026-10-31T23:59:59.999Z") });
  });
});
