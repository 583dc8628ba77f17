import { describe, expect, it } from "vitest";
import { DEFAULT_LIST_PARAMS, parseFollowUpListParams } from "./list-params";

const parse = (query: string) => parseFollowUpListParams(new URLSearchParams(query));

describe("parseFollowUpListParams", () => {
  it("defaults to the open queue", () => {
    expect(parse("")).toEqual(DEFAULT_LIST_PARAMS);
    expect(DEFAULT_LIST_PARAMS).toMatchObject({ view: "queue", status: "open", kind: "all" });
  });

  it("reads status, kind, view, band and a cursor", () => {
    expect(parse("status=resolved&kind=recovery&after=MTIzOjQ1")).toMatchObject({ status: "resolved", kind: "recovery", after: "MTIzOjQ1", before: null });
    expect(parse("status=all&kind=thank-you")).toMatchObject({ status: "all", kind: "thank-you" });
    expect(parse("view=answers&band=promoter")).toMatchObject({ view: "answers", band: "promoter" });
  });

  it("falls back on nonsense, and takes one direction only", () => {
    expect(parse("status=deleted&kind=spam&view=admin&band=detractor")).toEqual(DEFAULT_LIST_PARAMS);
    expect(parse(`after=${"a".repeat(201)}`).after).toBeNull();
    expect(parse("after=not%20base64!").after).toBeNull();
    expect(parse("after=YQ&before=Yg")).toMatchObject({ after: null, before: "Yg" });
  });
});
