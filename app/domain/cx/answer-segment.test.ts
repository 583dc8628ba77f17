import { describe, expect, it } from "vitest";
import { parseAnswerSegment, segmentParam } from "./answer-segment";

describe("parseAnswerSegment", () => {
  it.each([
    [null, null],
    ["", null],
    ["all", null],
    ["customerType:new", { dimension: "customerType", value: "new" }],
    ["customerType:guest", { dimension: "customerType", value: "guest" }],
    ["tier:gold", { dimension: "tier", value: "gold" }],
    ["tier:", { dimension: "tier", value: "" }],
    ["tier:guest", { dimension: "tier", value: "guest" }],
    ["refund:none", { dimension: "refund", value: "none" }],
  ])("%s → %o", (param, segment) => {
    expect(parseAnswerSegment(param)).toEqual({ ok: true, segment });
  });

  it.each([
    ["email:x", "Unknown segment"],
    ["tier", "Unknown segment value"],
    ["tier:Gold", "Unknown segment value"],
    ["tier:gold'--", "Unknown segment value"],
    [`tier:${"a".repeat(61)}`, "Unknown segment value"],
    ["customerType:vip", "Unknown segment value"],
    ["customerType:", "Unknown segment value"],
    ["refund", "Unknown segment value"],
    [":new", "Unknown segment"],
    ["tier:a:b", "Unknown segment value"],
    ["customerType:new:", "Unknown segment value"],
  ])("refuses %s: %s", (param, error) => {
    expect(parseAnswerSegment(param)).toEqual({ ok: false, error });
  });

  it("writes what it reads", () => {
    expect(segmentParam({ dimension: "tier", value: "silver" })).toBe("tier:silver");
    expect(parseAnswerSegment(segmentParam({ dimension: "refund", value: "refund" }))).toEqual({ ok: true, segment: { dimension: "refund", value: "refund" } });
  });
});
