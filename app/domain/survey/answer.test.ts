import { describe, expect, it } from "vitest";
import { loggableErrors, orderNumericId, SUBMISSION_FIELDS, SURVEY_SURFACES, validateSubmission } from "./answer";

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
    ["600 emoji — 1,200 UTF-16 units", "🙂".repeat(600), true],
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

describe("validateSubmission: each refusal says exactly what was expected", () => {
  const refusal = (body: unknown) => {
    const result = validateSubmission(body);
    return result.ok ? null : result.errors;
  };
  const withAnswers = (answers: unknown) => ({ ...valid, answers });

  it.each([
    // [what, body, errors]
    ["an array body", [valid], { body: "Expected a JSON object" }],
    ["a null body", null, { body: "Expected a JSON object" }],
    ["NPS out of range", withAnswers({ nps: 11 }), { "answers.nps": "Expected a whole number from 0 to 10" }],
    ["CSAT out of range", withAnswers({ csat: 0 }), { "answers.csat": "Expected a whole number from 1 to 5" }],
    ["CES out of range", withAnswers({ ces: 8 }), { "answers.ces": "Expected a whole number from 1 to 7" }],
    ["answers as an array", withAnswers([9]), { answers: "Expected an object of answers" }],
    ["answers as null", withAnswers(null), { answers: "Expected an object of answers" }],
    ["no answer at all", withAnswers({}), { answers: "At least one answer is required" }],
    ["only blank text", withAnswers({ comment: "   " }), { answers: "At least one answer is required" }],
    ["an order GID of another kind", { ...valid, orderId: "gid://shopify/Customer/5001" }, { orderId: "Expected an order GID such as gid://shopify/Order/123" }],
    ["an order id that is a number", { ...valid, orderId: 5001 }, { orderId: "Expected an order GID such as gid://shopify/Order/123" }],
    ["an order GID with more after the id", { ...valid, orderId: "gid://shopify/Order/5001/x" }, { orderId: "Expected an order GID such as gid://shopify/Order/123" }],
    ["an order GID with something before", { ...valid, orderId: "x-gid://shopify/Order/5001" }, { orderId: "Expected an order GID such as gid://shopify/Order/123" }],
    ["an order GID inside a list", { ...valid, orderId: ["gid://shopify/Order/5001"] }, { orderId: "Expected an order GID such as gid://shopify/Order/123" }],
    ["no locale", { orderId: valid.orderId, answers: valid.answers }, { locale: "Expected a locale such as en or zh-CN" }],
    ["a locale with a space", { ...valid, locale: "en US" }, { locale: "Expected a locale such as en or zh-CN" }],
    ["a one-letter locale", { ...valid, locale: "e" }, { locale: "Expected a locale such as en or zh-CN" }],
    ["a locale with trailing junk", { ...valid, locale: "en-US!" }, { locale: "Expected a locale such as en or zh-CN" }],
    ["a locale inside a list", { ...valid, locale: ["en"] }, { locale: "Expected a locale such as en or zh-CN" }],
    ["attribution that is no object", withAnswers({ attribution: "ad" }), { "answers.attribution.optionId": "Expected an option id" }],
    ["attribution as an array", withAnswers({ attribution: [{ optionId: "ad" }] }), { "answers.attribution.optionId": "Expected an option id" }],
    ["attribution without an option id", withAnswers({ attribution: { other: "tv" } }), { "answers.attribution.optionId": "Expected an option id" }],
    ["an option id in capitals", withAnswers({ attribution: { optionId: "Ad" } }), { "answers.attribution.optionId": "Expected an option id" }],
    ["an option id starting with a dash", withAnswers({ attribution: { optionId: "-ad" } }), { "answers.attribution.optionId": "Expected an option id" }],
    ["an option id of 41 characters", withAnswers({ attribution: { optionId: "a".repeat(41) } }), { "answers.attribution.optionId": "Expected an option id" }],
    ["'Other' text that is no text", withAnswers({ attribution: { optionId: "other", other: 5 } }), { "answers.attribution.other": "Expected text of at most 200 characters" }],
    ["'Other' text with a lone surrogate", withAnswers({ attribution: { optionId: "other", other: "tv\ud800" } }), { "answers.attribution.other": "Contains characters that are not valid text" }],
    ["'Other' text with NUL — PostgreSQL text cannot store it", withAnswers({ attribution: { optionId: "other", other: "tv\u0000" } }), { "answers.attribution.other": "Contains characters that are not valid text" }],
    ["a comment with NUL", withAnswers({ comment: "fine\u0000" }), { "answers.comment": "Contains characters that are not valid text" }],
    ["a comment that is no text", withAnswers({ comment: 5 }), { "answers.comment": "Expected text of at most 1000 characters" }],
  ])("%s", (_what, body, errors) => {
    expect(refusal(body)).toEqual(errors);
  });

  it.each([
    // [what, answers, as kept]
    ["every answer at once", { nps: 0, csat: 5, ces: 7, attribution: { optionId: "a-1" }, comment: "ok" }, { nps: 0, csat: 5, ces: 7, attribution: { optionId: "a-1" }, comment: "ok" }],
    ["an option id of 40 characters", { attribution: { optionId: "0".repeat(40) } }, { attribution: { optionId: "0".repeat(40) } }],
    ["blank 'Other' text is left out", { attribution: { optionId: "other", other: "  " } }, { attribution: { optionId: "other" } }],
    ["'Other' text of exactly 200 characters", { attribution: { optionId: "other", other: "x".repeat(200) } }, { attribution: { optionId: "other", other: "x".repeat(200) } }],
  ])("keeps %s", (_what, answers, kept) => {
    expect(validateSubmission(withAnswers(answers))).toEqual({ ok: true, value: { ...valid, answers: kept, orderNumericId: "5001" } });
  });

  it.each(["en", "zh-CN", "zh_Hans_CN", "pt-BR", "fil", "de-DE-1996", "sr-Latn-RS-u1234"])("accepts the locale %j", (locale) => {
    expect(validateSubmission({ ...valid, locale }).ok).toBe(true);
  });

  it("a GID of Order (not only OrderIdentity) is read too", () => {
    expect(validateSubmission({ ...valid, orderId: "gid://shopify/Order/820982911946154508" })).toMatchObject({ ok: true, value: { orderNumericId: "820982911946154508" } });
  });
});

describe("validateSubmission: a step of a survey saved as it is answered (decision 041)", () => {
  const base = { orderId: "gid://shopify/OrderIdentity/7", locale: "en", answers: { nps: 9 } };
  it("keeps complete: false and the questions reached; complete: true or absent is the default (left out)", () => {
    const partial = validateSubmission({ ...base, complete: false, reached: ["nps", "csat", "nps"] });
    expect(partial).toEqual({ ok: true, value: { ...base, orderNumericId: "7", complete: false, reached: ["nps", "csat"] } });
    expect(validateSubmission({ ...base, complete: true })).toEqual({ ok: true, value: { ...base, orderNumericId: "7" } });
    expect(validateSubmission({ ...base, reached: [] })).toEqual({ ok: true, value: { ...base, orderNumericId: "7" } });
  });
  it.each([
    [{ complete: "yes" }, { complete: "Expected true or false" }],
    [{ complete: 1 }, { complete: "Expected true or false" }],
    [{ complete: null }, { complete: "Expected true or false" }],
    [{ reached: "nps" }, { reached: "Expected at most 15 question keys" }],
    [{ reached: [1] }, { reached: "Expected at most 15 question keys" }],
    [{ reached: ["NPS"] }, { reached: "Expected at most 15 question keys" }],
    [{ reached: ["a@example.com"] }, { reached: "Expected at most 15 question keys" }],
    [{ reached: ["x".repeat(41)] }, { reached: "Expected at most 15 question keys" }],
    [{ reached: Array.from({ length: 16 }, (_, i) => `q-${i}`) }, { reached: "Expected at most 15 question keys" }],
  ])("refuses %j", (extra, errors) => {
    expect(validateSubmission({ ...base, ...extra })).toEqual({ ok: false, errors });
  });
  it("logs only the field names of a refused step", () => {
    expect(loggableErrors({ complete: "x", reached: "y" })).toEqual({ fields: "complete,reached", unknownFields: 0 });
  });
});

describe("orderNumericId", () => {
  it.each([
    ["gid://shopify/Order/5001", "5001"],
    ["gid://shopify/OrderIdentity/5001", "5001"],
    ["gid://shopify/Order/", null],
    ["gid://shopify/Order/5001 ", null],
    ["gid://shopify/Product/5001", null],
    [5001, null],
    [null, null],
    [["gid://shopify/Order/5001"], null],
  ])("%j → %j", (gid, id) => {
    expect(orderNumericId(gid)).toBe(id);
  });
});

describe("the vocabularies", () => {
  it("lists the surfaces and every field a refusal may name", () => {
    expect(SURVEY_SURFACES).toEqual(["thank-you", "order-status"]);
    expect(SUBMISSION_FIELDS).toEqual([
      "body",
      "orderId",
      "locale",
      "answers",
      "answers.nps",
      "answers.csat",
      "answers.ces",
      "answers.attribution.optionId",
      "answers.attribution.other",
      "answers.comment",
      "answers.custom",
      "complete",
      "reached",
    ]);
    expect(loggableErrors({ "answers.attribution.other": "x", "answers.comment": "y", orderId: "z", "answers.x": "u" })).toEqual({
      fields: "answers.attribution.other,answers.comment,orderId",
      unknownFields: 1,
    });
  });
});
