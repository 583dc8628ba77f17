import { describe, expect, it } from "vitest";
import { loggableErrors, validateSubmission } from "./answer";

const valid = { orderId: "gid://shopify/OrderIdentity/5001", locale: "fr", answers: { nps: 9 } };

describe("validateSubmission", () => {
  it("accepts a minimal valid body and extracts the numeric order id", () => {
    const result = validateSubmission(valid);
    expect(result).toEqual({ ok: true, value: { ...valid, orderNumericId: "5001" } });
  });

  it.each([
    ["nps", -1], ["nps", 11], ["nps", 7.5], ["nps", "9"], ["csat", 0], ["csat", 6], ["ces", 0], ["ces", 8],
  ])("rejects %s = %j with a field error", (key, value) => {
    const result = validateSubmission({ ...valid, answers: { [key]: value } });
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : result.errors).toHaveProperty(`answers.${key}`);
  });

  it.each([["nps", 0], ["nps", 10], ["csat", 1], ["csat", 5], ["ces", 1], ["ces", 7]])("accepts the boundary %s = %i", (key, value) => {
    expect(validateSubmission({ ...valid, answers: { [key]: value } }).ok).toBe(true);
  });

  it("rejects unknown fields at every level", () => {
    const result = validateSubmission({ ...valid, shop: "other.myshopify.com", answers: { nps: 9, extra: 1, attribution: { optionId: "ad", x: 1 } } });
    expect(result.ok ? {} : result.errors).toEqual({
      shop: "Unknown field",
      "answers.extra": "Unknown field",
      "answers.attribution.x": "Unknown field",
    });
  });

  it("requires an order GID, a locale and at least one answer", () => {
    const result = validateSubmission({ orderId: "5001", locale: "<script>", answers: {} });
    expect(Object.keys(result.ok ? {} : result.errors).sort()).toEqual(["answers", "locale", "orderId"]);
  });

  it("limits the comment to 1,000 characters and trims it", () => {
    expect(validateSubmission({ ...valid, answers: { comment: "x".repeat(1001) } }).ok).toBe(false);
    const ok = validateSubmission({ ...valid, answers: { comment: `  ${"é".repeat(1000)}` } });
    expect(ok.ok).toBe(false);
    const trimmed = validateSubmission({ ...valid, answers: { comment: "  merci  " } });
    expect(trimmed.ok && trimmed.value.answers.comment).toBe("merci");
  });

  it.each([
    ["600 emoji (1,200 UTF-16 units)", "🙂".repeat(600), true],
    ["1,000 emoji", "🙂".repeat(1000), true],
    ["1,001 emoji", "🙂".repeat(1001), false],
    ["1,000 letters", "x".repeat(1000), true],
    ["1,001 letters", "x".repeat(1001), false],
    ["1,000 CJK characters", "好".repeat(1000), true],
  ] as const)("counts the comment in characters (code points): %s → %s", (_label, comment, ok) => {
    const result = validateSubmission({ ...valid, answers: { comment } });
    expect(result.ok).toBe(ok);
    if (!ok) expect(result.ok ? {} : result.errors).toEqual({ "answers.comment": "Expected text of at most 1000 characters" });
  });

  it("counts the 'Other' text in characters too (200)", () => {
    const other = (text: string) => validateSubmission({ ...valid, answers: { attribution: { optionId: "other", other: text } } });
    expect(other("🙂".repeat(200)).ok).toBe(true);
    expect(other("🙂".repeat(201))).toEqual({ ok: false, errors: { "answers.attribution.other": "Expected text of at most 200 characters" } });
  });

  it("still refuses a lone surrogate, whatever the length", () => {
    for (const comment of ["a\ud800b", "\udc00", `${"🙂".repeat(999)}\ud800`]) {
      const result = validateSubmission({ ...valid, answers: { comment: JSON.parse(`"${comment}"`) as string } });
      expect(result).toEqual({ ok: false, errors: { "answers.comment": "Contains characters that are not valid text" } });
    }
  });

  it("names only schema fields for logs, and counts the unknown ones", () => {
    const result = validateSubmission({ ...valid, "jane.doe@example.com": 1, answers: { nps: 11, "call me on 555 0100": true } });
    expect(result.ok ? null : loggableErrors(result.errors)).toEqual({ fields: "answers.nps", unknownFields: 2 });
    expect(loggableErrors({})).toEqual({ fields: "", unknownFields: 0 });
    expect(loggableErrors({ body: "Expected a JSON object" })).toEqual({ fields: "body", unknownFields: 0 });
  });

  it("keeps 'Other' text only when given", () => {
    const result = validateSubmission({ ...valid, answers: { attribution: { optionId: "other", other: " podcast " } } });
    expect(result.ok && result.value.answers.attribution).toEqual({ optionId: "other", other: "podcast" });
  });

  it("rejects a non-object body", () => {
    expect(validateSubmission("nps=9")).toEqual({ ok: false, errors: { body: "Expected a JSON object" } });
  });
});
