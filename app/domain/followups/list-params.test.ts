import { describe, expect, it } from "vitest";
import { DEFAULT_LIST_PARAMS, parseFollowUpListParams } from "./list-params";

const parse = (query: string) => parseFollowUpListParams(new URLSearchParams(query));

describe("parseFollowUpListParams", () => {
  it("defaults to the open queue", () => {
    expect(parse("")).toEqual(DEFAULT_LIST_PARAMS);
    expect(DEFAULT_LIST_PARAMS).toMatchObject({ view: "queue", status: "open", kind: "all" });
  });

  it("defaults: the open queue, every kind and band, from the top", () => {
    expect(DEFAULT_LIST_PARAMS).toEqual({ view: "queue", status: "open", kind: "all", band: "all", after: null, before: null });
  });

  it("reads status, kind, view, band and a cursor", () => {
    expect(parse("status=resolved&kind=recovery&after=MTIzOjQ1")).toMatchObject({ status: "resolved", kind: "recovery", after: "MTIzOjQ1", before: null });
    expect(parse("status=all&kind=thank-you")).toMatchObject({ status: "all", kind: "thank-you" });
    expect(parse("view=answers&band=promoter")).toMatchObject({ view: "answers", band: "promoter" });
  });

  it("falls back on nonsense, and takes one direction only", () => {
    expect(parse("status=deleted&kind=spam&view=admin&band=detractor")).toEqual(DEFAULT_LIST_PARAMS);
    // what an empty select sends
    expect(parse("status=&kind=&view=&band=")).toEqual(DEFAULT_LIST_PARAMS);
    expect(parse(`after=${"a".repeat(201)}`).after).toBeNull();
    expect(parse("after=not%20base64!").after).toBeNull();
    expect(parse("after=YQ&before=Yg")).toMatchObject({ after: null, before: "Yg" });
  });

  it.each([
    // [cursor as sent, as read]
    ["a".repeat(200), "a".repeat(200)], // the longest cursor kept
    ["a".repeat(201), null],
    ["AZaz09_-", "AZaz09_-"], // base64url's whole alphabet
    ["", null],
    ["!abc", null], // a bad character first…
    ["abc!", null], // …or last
    ["ab=c", null],
  ])("a cursor %j is read as %j, in either direction", (value, expected) => {
    expect(parse(`after=${encodeURIComponent(value)}`)).toMatchObject({ after: expected, before: null });
    expect(parse(`before=${encodeURIComponent(value)}`)).toMatchObject({ before: expected, after: null });
  });

  it.each([
    ["status", ["open", "contacted", "resolved", "marked", "all"]],
    ["kind", ["recovery", "thank-you", "review-request", "all"]],
    ["band", ["passive", "promoter", "all"]],
  ] as const)("reads every %s it knows, and nothing else", (name, values) => {
    for (const value of values) expect(parse(`${name}=${value}`)[name]).toBe(value);
    expect(parse(`${name}=${values[0].toUpperCase()}`)[name]).toBe(DEFAULT_LIST_PARAMS[name]);
  });

  it("an invalid `before` does not hide a valid `after`", () => {
    expect(parse("after=YQ&before=bad!")).toMatchObject({ after: "YQ", before: null });
  });
});
