import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasLoneSurrogate, hostileJson, hostileText } from "../../../tests/support/hostile";
import { INVALID_TEXT_MESSAGE } from "../text";
import {
  DEFAULT_RETURN_POLICY,
  flatReturnShippingFee,
  isFinalSaleOnly,
  MAX_FINAL_SALE_TAGS,
  RETURN_LOCALES,
  RETURN_POLICY_ERROR_KEY,
  tagKey,
  validateReturnPolicy,
  WINDOW_STARTS,
  type ReturnPolicy,
} from "./policy";

const policy = (overrides: Record<string, unknown> = {}) => ({ ...DEFAULT_RETURN_POLICY, ...overrides });
const parsed = (input: unknown): ReturnPolicy => {
  const result = validateReturnPolicy(input);
  if (!result.ok) throw new Error(`expected a valid policy, got ${JSON.stringify(result.errors)}`);
  return result.policy;
};
const errorsOf = (input: unknown) => {
  const result = validateReturnPolicy(input);
  if (result.ok) throw new Error("expected validation to fail");
  return result.errors;
};

const DAYS_MESSAGE = "Enter a whole number of days from 0 to 365, or choose unlimited";
const RESTOCKING_MESSAGE = "Restocking fee must be a whole number between 0 and 100 %";
const BONUS_MESSAGE = "Store credit bonus must be a whole number between 0 and 100 %";
const FEE_MESSAGE = "Enter a return shipping fee of 0 or more";
const SHIPPING_MESSAGE = "Choose free return shipping, a flat fee, or return shipping paid by the customer";

describe("DEFAULT_RETURN_POLICY", () => {
  it("is valid: 30 days from delivery, customer pays return shipping, no fees, exchanges yes", () => {
    expect(validateReturnPolicy(DEFAULT_RETURN_POLICY)).toEqual({ ok: true, policy: DEFAULT_RETURN_POLICY });
    expect(DEFAULT_RETURN_POLICY).toMatchObject({
      windowDays: 30,
      windowStart: "delivery",
      shipping: { kind: "customer" },
      restockingFeePercent: 0,
      exchanges: true,
      storeCredit: { offered: false, bonusPercent: 0 },
      finalSaleTags: [],
      note: "",
      publishLocale: "en",
    });
  });
});

describe("validateReturnPolicy: accepted values", () => {
  it.each<[string, Record<string, unknown>, Partial<ReturnPolicy>]>([
    ["window 0 (final sale only)", { windowDays: 0 }, { windowDays: 0 }],
    ["window 365", { windowDays: 365 }, { windowDays: 365 }],
    ["window unlimited", { windowDays: null }, { windowDays: null }],
    ["window as digits from a form", { windowDays: " 14 " }, { windowDays: 14 }],
    ["window from the order", { windowStart: "order" }, { windowStart: "order" }],
    ["window from fulfillment", { windowStart: "fulfillment" }, { windowStart: "fulfillment" }],
    ["free shipping", { shipping: { kind: "free" } }, { shipping: { kind: "free" } }],
    ["flat fee", { shipping: { kind: "flat", feeMinor: 500 } }, { shipping: { kind: "flat", feeMinor: 500 } }],
    ["flat fee 0", { shipping: { kind: "flat", feeMinor: 0 } }, { shipping: { kind: "flat", feeMinor: 0 } }],
    ["flat fee as digits", { shipping: { kind: "flat", feeMinor: "1999" } }, { shipping: { kind: "flat", feeMinor: 1999 } }],
    ["restocking 0", { restockingFeePercent: 0 }, { restockingFeePercent: 0 }],
    ["restocking 100", { restockingFeePercent: 100 }, { restockingFeePercent: 100 }],
    ["restocking as digits", { restockingFeePercent: "15" }, { restockingFeePercent: 15 }],
    ["restocking -0", { restockingFeePercent: -0 }, { restockingFeePercent: 0 }],
    ["window '-0'", { windowDays: "-0" }, { windowDays: 0 }],
    ["no exchanges", { exchanges: false }, { exchanges: false }],
    ["store credit with bonus", { storeCredit: { offered: true, bonusPercent: 10 } }, { storeCredit: { offered: true, bonusPercent: 10 } }],
    ["bonus kept while credit is off", { storeCredit: { offered: false, bonusPercent: "5" } }, { storeCredit: { offered: false, bonusPercent: 5 } }],
    ["no conditions", { conditions: { unused: false, originalPackaging: false, tagsAttached: false } }, { conditions: { unused: false, originalPackaging: false, tagsAttached: false } }],
    ["a 1,000-character note", { note: "n".repeat(1000) }, { note: "n".repeat(1000) }],
    ["emoji in the note", { note: "Thanks 🙂👩‍👩‍👧" }, { note: "Thanks 🙂👩‍👩‍👧" }],
    ["publish in zh-CN", { publishLocale: "zh-CN" }, { publishLocale: "zh-CN" }],
    ["20 tags", { finalSaleTags: Array.from({ length: 20 }, (_, i) => `t${i}`) }, { finalSaleTags: Array.from({ length: 20 }, (_, i) => `t${i}`) }],
    ["a 40-character tag", { finalSaleTags: ["x".repeat(40)] }, { finalSaleTags: ["x".repeat(40)] }],
  ])("%s", (_label, overrides, expected) => {
    expect(parsed(policy(overrides))).toMatchObject(expected);
  });

  it("trims tags and keeps the first spelling of tags that differ only in case or spaces", () => {
    const result = parsed(policy({ finalSaleTags: ["  Final Sale ", "final sale", "FINAL SALE", "Clearance", "clearance "] }));
    expect(result.finalSaleTags).toEqual(["Final Sale", "Clearance"]);
  });

  it("normalises the note: CRLF to LF, trimmed; 1,000 characters counted after that", () => {
    expect(parsed(policy({ note: "  Line 1\r\nLine 2\rLine 3\n\n" })).note).toBe("Line 1\nLine 2\nLine 3");
    expect(parsed(policy({ note: `${"a\r\n".repeat(500)}` })).note).toHaveLength(999);
  });
});

describe("validateReturnPolicy: refused values, one message per field", () => {
  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ["window -1", { windowDays: -1 }, { windowDays: DAYS_MESSAGE }],
    ["window 366", { windowDays: 366 }, { windowDays: DAYS_MESSAGE }],
    ["window 1.5", { windowDays: 1.5 }, { windowDays: DAYS_MESSAGE }],
    ["window ''", { windowDays: "" }, { windowDays: DAYS_MESSAGE }],
    ["window '1.5'", { windowDays: "1.5" }, { windowDays: DAYS_MESSAGE }],
    ["window '1e2'", { windowDays: "1e2" }, { windowDays: DAYS_MESSAGE }],
    ["window '0x10'", { windowDays: "0x10" }, { windowDays: DAYS_MESSAGE }],
    ["window 'unlimited'", { windowDays: "unlimited" }, { windowDays: DAYS_MESSAGE }],
    ["window NaN", { windowDays: Number.NaN }, { windowDays: DAYS_MESSAGE }],
    ["window Infinity", { windowDays: Number.POSITIVE_INFINITY }, { windowDays: DAYS_MESSAGE }],
    ["window true", { windowDays: true }, { windowDays: DAYS_MESSAGE }],
    ["window missing", { windowDays: undefined }, { windowDays: DAYS_MESSAGE }],
    ["window start 'shipment'", { windowStart: "shipment" }, { windowStart: "Choose whether the window counts from the order, its fulfillment or its delivery" }],
    ["shipping kind unknown", { shipping: { kind: "half" } }, { "shipping.kind": SHIPPING_MESSAGE }],
    ["shipping a string", { shipping: "free" }, { shipping: SHIPPING_MESSAGE }],
    ["flat fee missing", { shipping: { kind: "flat" } }, { "shipping.feeMinor": FEE_MESSAGE }],
    ["flat fee negative", { shipping: { kind: "flat", feeMinor: -1 } }, { "shipping.feeMinor": FEE_MESSAGE }],
    ["flat fee as a decimal", { shipping: { kind: "flat", feeMinor: "5.00" } }, { "shipping.feeMinor": FEE_MESSAGE }],
    ["flat fee too large", { shipping: { kind: "flat", feeMinor: 100_000_001 } }, { "shipping.feeMinor": "That return shipping fee is too large" }],
    ["a fee on free shipping", { shipping: { kind: "free", feeMinor: 5 } }, { "shipping.feeMinor": "Unknown field" }],
    ["restocking 101", { restockingFeePercent: 101 }, { restockingFeePercent: RESTOCKING_MESSAGE }],
    ["restocking -5", { restockingFeePercent: "-5" }, { restockingFeePercent: RESTOCKING_MESSAGE }],
    ["restocking 2.5", { restockingFeePercent: 2.5 }, { restockingFeePercent: RESTOCKING_MESSAGE }],
    ["exchanges 'on'", { exchanges: "on" }, { exchanges: "Choose whether exchanges are offered" }],
    ["store credit missing", { storeCredit: undefined }, { storeCredit: "Expected the store credit settings" }],
    ["bonus 150", { storeCredit: { offered: true, bonusPercent: 150 } }, { "storeCredit.bonusPercent": BONUS_MESSAGE }],
    ["offered 'true'", { storeCredit: { offered: "true", bonusPercent: 0 } }, { "storeCredit.offered": "Choose whether store credit is offered" }],
    ["tags not a list", { finalSaleTags: "final-sale" }, { finalSaleTags: "Expected a list of product tags" }],
    ["21 tags", { finalSaleTags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, { finalSaleTags: `Use at most ${MAX_FINAL_SALE_TAGS} final-sale tags` }],
    ["an empty tag", { finalSaleTags: ["ok", "   "] }, { "finalSaleTags.1": "Enter a tag, or remove the empty one" }],
    ["a 41-character tag", { finalSaleTags: [`  ${"x".repeat(41)}`] }, { "finalSaleTags.0": "Keep each tag to 40 characters or fewer" }],
    ["a tag with a comma", { finalSaleTags: ["final, sale"] }, { "finalSaleTags.0": "A tag cannot contain a comma" }],
    ["a tag that is a number", { finalSaleTags: [7] }, { "finalSaleTags.0": "Expected a product tag" }],
    ["a tag with a lone surrogate", { finalSaleTags: ["sale\ud800"] }, { "finalSaleTags.0": INVALID_TEXT_MESSAGE }],
    ["conditions missing a field", { conditions: { unused: true, originalPackaging: false } }, { "conditions.tagsAttached": "Choose whether items must have their tags attached" }],
    ["note 1,001 characters", { note: "n".repeat(1001) }, { note: "Keep the note to 1,000 characters or fewer" }],
    ["note with a lone surrogate", { note: "Hi \udc00" }, { note: INVALID_TEXT_MESSAGE }],
    ["note null", { note: null }, { note: "Expected the note as text" }],
    ["publish locale pt", { publishLocale: "pt" }, { publishLocale: "Choose the language of the published policy: en, fr, de, es or zh-CN" }],
    ["an unknown field", { returnsPortal: true }, { returnsPortal: "Unknown field" }],
    ["an unknown nested field", { conditions: { unused: true, originalPackaging: true, tagsAttached: true, ironed: true } }, { "conditions.ironed": "Unknown field" }],
  ])("%s", (_label, overrides, expected) => {
    expect(errorsOf(policy(overrides))).toEqual(expected);
  });

  it.each([[null], [undefined], ["policy"], [42], [[DEFAULT_RETURN_POLICY]]])("refuses %j as a whole", (input) => {
    expect(errorsOf(input)).toEqual({ [RETURN_POLICY_ERROR_KEY]: "Expected the return policy settings" });
  });

  it("reports every missing field of an empty object", () => {
    expect(Object.keys(errorsOf({})).sort()).toEqual(Object.keys(DEFAULT_RETURN_POLICY).sort());
  });

  it("keeps a '__proto__' key from JSON as an ordinary error entry", () => {
    const errors = errorsOf(JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(DEFAULT_RETURN_POLICY).slice(1)}`));
    expect(Object.getPrototypeOf(errors)).toBe(Object.prototype);
    expect(Object.entries(errors)).toEqual([["__proto__", "Unknown field"]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("helpers", () => {
  it.each([
    ["Final Sale", "final sale"],
    ["  FINAL sale ", "final sale"],
    ["Cafe\u0301", "café"],
  ])("tagKey(%j) = %j", (tag, key) => {
    expect(tagKey(tag)).toBe(key);
  });

  it.each<[Partial<ReturnPolicy>, boolean, number]>([
    [{ windowDays: 0 }, true, 0],
    [{ windowDays: null }, false, 0],
    [{ windowDays: 30, shipping: { kind: "flat", feeMinor: 750 } }, false, 750],
    [{ windowDays: 30, shipping: { kind: "free" } }, false, 0],
  ])("%j → final sale only %s, flat fee %i", (overrides, finalSale, fee) => {
    const p = { ...DEFAULT_RETURN_POLICY, ...overrides };
    expect(isFinalSaleOnly(p)).toBe(finalSale);
    expect(flatReturnShippingFee(p)).toBe(fee);
  });
});

describe("hostile input (fast-check)", () => {
  const field = fc.oneof(hostileJson, hostileText(), fc.integer(), fc.double(), fc.constantFrom("30", " 7 ", "-1", "1e3", "", null));
  const nearlyValid = fc.record(
    {
      windowDays: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.constant(null), field),
      windowStart: fc.oneof(fc.constantFrom(...WINDOW_STARTS), field),
      shipping: fc.oneof(
        fc.record({ kind: fc.constantFrom("free", "flat", "customer", "other"), feeMinor: fc.oneof(fc.integer(), field) }, { requiredKeys: ["kind"] }),
        field,
      ),
      restockingFeePercent: fc.oneof(fc.integer({ min: -5, max: 105 }), field),
      exchanges: fc.oneof(fc.boolean(), field),
      storeCredit: fc.oneof(fc.record({ offered: fc.oneof(fc.boolean(), field), bonusPercent: fc.oneof(fc.integer({ min: -5, max: 105 }), field) }), field),
      finalSaleTags: fc.oneof(fc.array(fc.oneof(hostileText(3), fc.string()), { maxLength: 25 }), field),
      conditions: fc.oneof(fc.record({ unused: fc.boolean(), originalPackaging: fc.boolean(), tagsAttached: fc.boolean() }), field),
      note: fc.oneof(hostileText(), fc.string({ minLength: 995, maxLength: 1005 }), field),
      publishLocale: fc.oneof(fc.constantFrom(...RETURN_LOCALES), field),
      extra: hostileJson,
    },
    { requiredKeys: [] },
  );

  /** Checks one outcome; true when the input was accepted. */
  function checkOutcome(input: unknown): boolean {
    const result = validateReturnPolicy(input);
    if (!result.ok) {
      expect(Object.keys(result.errors).length).toBeGreaterThan(0);
      for (const message of Object.values(result.errors)) expect(message).toMatch(/^[A-Z]/);
      return false;
    }
    const p = result.policy;
    expect(p.windowDays === null || (Number.isInteger(p.windowDays) && p.windowDays >= 0 && p.windowDays <= 365)).toBe(true);
    expect(Number.isInteger(p.restockingFeePercent) && p.restockingFeePercent >= 0 && p.restockingFeePercent <= 100).toBe(true);
    expect(p.finalSaleTags.length).toBeLessThanOrEqual(20);
    expect(new Set(p.finalSaleTags.map(tagKey)).size).toBe(p.finalSaleTags.length);
    for (const tag of p.finalSaleTags) {
      expect(tag).toBe(tag.trim());
      expect(tag.length >= 1 && tag.length <= 40).toBe(true);
      expect(hasLoneSurrogate(tag)).toBe(false);
    }
    expect(p.note.length).toBeLessThanOrEqual(1000);
    expect(hasLoneSurrogate(p.note)).toBe(false);
    // What was accepted validates again to itself: stored versions read back unchanged.
    expect(validateReturnPolicy(JSON.parse(JSON.stringify(p)))).toEqual({ ok: true, policy: p });
    return true;
  }

  it("any input is a well-formed policy or a set of field errors; never an exception", () => {
    fc.assert(fc.property(fc.oneof(nearlyValid, hostileJson), (input) => void checkOutcome(input)), { numRuns: 1000 });
  });

  it("the default policy with any one field replaced: accepted and well-formed, or refused naming fields", () => {
    const keys = Object.keys(DEFAULT_RETURN_POLICY) as (keyof ReturnPolicy)[];
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...keys), nearlyValid, (key, values) => {
        if (!(key in values)) return;
        if (checkOutcome({ ...DEFAULT_RETURN_POLICY, [key]: values[key] })) accepted += 1;
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});

describe("validateReturnPolicy: one message per field, the first", () => {
  it("a fee that is both fractional and too large is told the first thing wrong with it", () => {
    const checked = validateReturnPolicy({ ...DEFAULT_RETURN_POLICY, shipping: { kind: "flat", feeMinor: 100_000_000.5 } });
    expect(checked).toEqual({ ok: false, errors: { "shipping.feeMinor": "Enter a return shipping fee of 0 or more" } });
  });
});
