import { describe, expect, it } from "vitest";
import { validateSubmission } from "./answer";

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

  it("keeps 'Other' text only when given", () => {
    const result = validateSubmission({ ...valid, answers: { attribution: { optionId: "other", other: " podcast " } } });
    expect(result.ok && result.value.answers.attribution).toEqual({ optionId: "other", other: "podcast" });
  });

  it("rejects a non-object body", () => {
    expect(validateSubmission("nps=9")).toEqual({ ok: false, errors: { body: "Expected a JSON object" } });
  });
});
