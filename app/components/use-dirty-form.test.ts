import { describe, expect, it } from "vitest";
import { errorsToShow, sameJson, touchedKeyCovers } from "./use-dirty-form";

describe("touchedKeyCovers", () => {
  it.each([
    ["windowDays", "windowDays", true],
    ["windowDays", "windowStart", false],
    // A touched parent does not reveal its children: choosing "flat fee" must not show the fee's error.
    ["shipping", "shipping.feeMinor", false],
    ["shipping.feeMinor", "shipping", false],
    ["finalSaleTags.*", "finalSaleTags.2", true],
    ["finalSaleTags.*", "finalSaleTags", false],
    ["tiers.*.threshold", "tiers.3.threshold", true],
    ["tiers.*.threshold", "tiers.3.name", false],
    ["tiers.*.threshold", "tiers.3.threshold.extra", false],
    ["tiers.1.threshold", "tiers.10.threshold", false],
  ])("%s covers %s: %s", (touched, key, expected) => {
    expect(touchedKeyCovers(touched, key)).toBe(expected);
  });
});

describe("errorsToShow", () => {
  const errors = { windowDays: "Enter days", "shipping.feeMinor": "Enter the fee", policy: "Expected the settings" };
  const isField = (key: string) => key !== "policy";

  it("shows nothing before anything is touched", () => {
    expect(errorsToShow(errors, new Set(), false, isField)).toEqual({});
  });

  it("shows the errors of touched fields only; a form-wide error once anything is touched", () => {
    expect(errorsToShow(errors, new Set(["shipping.kind", "shipping"]), false, isField)).toEqual({ policy: "Expected the settings" });
    expect(errorsToShow(errors, new Set(["shipping.feeMinor"]), false, isField)).toEqual({
      "shipping.feeMinor": "Enter the fee",
      policy: "Expected the settings",
    });
  });

  it("shows every error after a save attempt", () => {
    expect(errorsToShow(errors, new Set(), true, isField)).toEqual(errors);
  });

  it("treats every key as a field's unless told otherwise", () => {
    expect(errorsToShow(errors, new Set(["windowDays"]), false)).toEqual({ windowDays: "Enter days" });
  });
});

describe("sameJson", () => {
  it("compares plain values by content", () => {
    expect(sameJson({ a: "1", b: [true] }, { a: "1", b: [true] })).toBe(true);
    expect(sameJson({ a: "1", b: [true] }, { a: "1", b: [false] })).toBe(false);
    expect(sameJson("30", "030")).toBe(false);
  });
});
