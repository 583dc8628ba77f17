import { describe, expect, it } from "vitest";
import {
  EMPTY_REWARD_FORM,
  canAfford,
  codeExpiry,
  newRewardCode,
  pointsLiability,
  rewardFormFrom,
  rewardFormOf,
  rewardValueText,
  sameRewardForm,
  validateRewardForm,
  type RewardForm,
} from "./rewards";

const form = (patch: Partial<RewardForm>): RewardForm => ({ ...EMPTY_REWARD_FORM, title: "$5 off", pointsCost: "500", amount: "5", ...patch });
const errorsOf = (patch: Partial<RewardForm>, currency = "USD") => {
  const checked = validateRewardForm(form(patch), currency);
  return checked.ok ? {} : checked.errors;
};

describe("validateRewardForm", () => {
  it("turns a fixed amount into exact minor units of the shop currency, with the stated defaults", () => {
    expect(validateRewardForm(form({ minimum: "20.50" }), "USD")).toEqual({
      ok: true,
      reward: {
        title: "$5 off",
        kind: "fixed_amount",
        pointsCost: 500,
        amountMinor: 500,
        percent: null,
        minimumMinor: 2050,
        currency: "USD",
        enabled: true,
        validityDays: 30,
        combinesWith: { order: true, product: true, shipping: true },
      },
    });
  });

  it("keeps only what the kind uses: a percentage has no amount, free shipping neither, and no currency without amounts", () => {
    const percent = validateRewardForm(form({ kind: "percentage", percent: "15", amount: "oops" }), "USD");
    expect(percent).toMatchObject({ ok: true, reward: { kind: "percentage", percent: 15, amountMinor: null, currency: null } });
    const shipping = validateRewardForm(form({ kind: "free_shipping", amount: "", percent: "200" }), "EUR");
    expect(shipping).toMatchObject({ ok: true, reward: { kind: "free_shipping", percent: null, amountMinor: null, minimumMinor: null, currency: null } });
    const minimumOnly = validateRewardForm(form({ kind: "free_shipping", minimum: "1000" }), "JPY");
    expect(minimumOnly).toMatchObject({ ok: true, reward: { minimumMinor: 1000, currency: "JPY" } });
  });

  it.each<[string, Partial<RewardForm>, string, Record<string, string>]>([
    ["no name", { title: "  " }, "USD", { title: "Give the reward a name shoppers will see" }],
    ["a long name", { title: "x".repeat(61) }, "USD", { title: "Keep the name to 60 characters or fewer" }],
    ["a name of 60 emoji is fine", { title: "🎁".repeat(60) }, "USD", {}],
    ["a lone surrogate", { title: "gift \uD800" }, "USD", { title: "Contains characters that are not valid text" }],
    ["an unknown kind", { kind: "bogo" }, "USD", { kind: "Choose amount off, percentage off or free shipping" }],
    ["no cost", { pointsCost: "" }, "USD", { pointsCost: "Enter the points cost" }],
    ["a fractional cost", { pointsCost: "1.5" }, "USD", { pointsCost: "Use a whole number for the points cost" }],
    ["a zero cost", { pointsCost: "0" }, "USD", { pointsCost: "The points cost must be at least 1" }],
    ["a huge cost", { pointsCost: "1000001" }, "USD", { pointsCost: "The points cost can be at most 1,000,000" }],
    ["a cost at the limit", { pointsCost: "1000000" }, "USD", {}],
    ["no amount", { amount: "" }, "USD", { amount: "Enter the amount off" }],
    ["a zero amount", { amount: "0.00" }, "USD", { amount: "The amount off must be more than zero" }],
    ["a negative amount", { amount: "-5" }, "USD", { amount: "The amount off must be more than zero" }],
    ["three decimals in dollars", { amount: "5.005" }, "USD", { amount: "Enter the amount off as an amount with at most 2 decimals, like 5.00" }],
    ["decimals in yen", { amount: "5.5" }, "JPY", { amount: "Enter the amount off as a whole number of JPY" }],
    ["three decimals in dinars", { amount: "5.005" }, "KWD", {}],
    ["an amount past 2^53 minor units", { amount: "90071992547409.92" }, "USD", { amount: "The amount off is too large" }],
    ["no percentage", { kind: "percentage", percent: "" }, "USD", { percent: "Enter the percentage" }],
    ["a fractional percentage", { kind: "percentage", percent: "12.5" }, "USD", { percent: "Use a whole number for the percentage" }],
    ["0 %", { kind: "percentage", percent: "0" }, "USD", { percent: "The percentage must be at least 1" }],
    ["101 %", { kind: "percentage", percent: "101" }, "USD", { percent: "The percentage can be at most 100" }],
    ["100 %", { kind: "percentage", percent: "100" }, "USD", {}],
    ["a minimum below the amount off", { amount: "10", minimum: "9.99" }, "USD", { minimum: "The minimum order must be at least the amount off ($10.00)" }],
    ["a minimum equal to the amount off", { amount: "10", minimum: "10" }, "USD", {}],
    ["an unreadable minimum", { minimum: "ten" }, "USD", { minimum: "Enter the minimum order as an amount with at most 2 decimals, like 5.00" }],
    ["no validity", { validityDays: "" }, "USD", { validityDays: "Enter the number of days a code stays valid" }],
    ["a zero validity", { validityDays: "0" }, "USD", { validityDays: "The number of days a code stays valid must be at least 1" }],
    ["a validity over a year", { validityDays: "366" }, "USD", { validityDays: "The number of days a code stays valid can be at most 365" }],
  ])("%s", (_label, patch, currency, expected) => {
    expect(errorsOf(patch, currency)).toEqual(expected);
  });

  it("reports every field's problem at once", () => {
    expect(Object.keys(errorsOf({ title: "", pointsCost: "x", amount: "", validityDays: "" })).sort()).toEqual(["amount", "pointsCost", "title", "validityDays"]);
  });
});

describe("the editor's fields", () => {
  it("reads any posted object as fields, with the defaults for missing switches", () => {
    expect(rewardFormFrom({ title: "A", pointsCost: 10, enabled: "false", combinesWithOrder: false, extra: 1 })).toEqual({
      ...EMPTY_REWARD_FORM,
      title: "A",
      kind: "",
      pointsCost: "10",
      validityDays: "",
      enabled: false,
      combinesWithOrder: false,
    });
    expect(rewardFormFrom(null)).toMatchObject({ title: "", enabled: true, combinesWithShipping: true });
    expect(rewardFormFrom({ title: { evil: true } }).title).toBe("");
  });

  it("puts a saved reward back in its fields, and those validate to the same reward", () => {
    const checked = validateRewardForm(form({ amount: "5.50", minimum: "20", validityDays: "14", combinesWithProduct: false, enabled: false }), "USD");
    if (!checked.ok) throw new Error("expected a valid reward");
    const back = rewardFormOf(checked.reward);
    expect(back).toMatchObject({ amount: "5.50", minimum: "20", validityDays: "14", combinesWithProduct: false, enabled: false });
    expect(validateRewardForm(back, "USD")).toEqual(checked);
  });

  it("compares drafts as they would save: trimmed text, every switch", () => {
    expect(sameRewardForm(form({}), form({ title: " $5 off " }))).toBe(true);
    expect(sameRewardForm(form({}), form({ pointsCost: "501" }))).toBe(false);
    expect(sameRewardForm(form({}), form({ combinesWithShipping: false }))).toBe(false);
  });
});

describe("what a reward gives and costs", () => {
  it.each([
    [{ kind: "fixed_amount" as const, amountMinor: 500, percent: null, minimumMinor: null, currency: "USD" }, "$5.00 off"],
    [{ kind: "fixed_amount" as const, amountMinor: 500, percent: null, minimumMinor: 2000, currency: "EUR" }, "€5.00 off orders of €20.00 or more"],
    [{ kind: "percentage" as const, amountMinor: null, percent: 15, minimumMinor: null, currency: null }, "15% off"],
    [{ kind: "free_shipping" as const, amountMinor: null, percent: null, minimumMinor: 5000, currency: "USD" }, "Free shipping orders of $50.00 or more"],
  ])("%o → %s", (reward, text) => {
    expect(rewardValueText(reward)).toBe(text);
  });

  it.each([
    [500, 500, true, true],
    [499, 500, true, false],
    [-20, 1, true, false],
    [10_000, 500, false, false],
  ])("balance %i, cost %i, offered %s → affordable %s", (balance, pointsCost, enabled, expected) => {
    expect(canAfford(balance, { pointsCost, enabled })).toBe(expected);
  });

  it("a code issued now ends validityDays × 24 hours later", () => {
    expect(codeExpiry(new Date("2026-12-03T10:00:00.000Z"), 30).toISOString()).toBe("2027-01-02T10:00:00.000Z");
  });
});

describe("newRewardCode", () => {
  const CODE = /^AG-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

  it("reads eight random bytes, the low five bits of each picking a Crockford base-32 symbol", () => {
    const bytes = Uint8Array.from([0, 1, 10, 18, 31, 32, 255, 224]);
    expect(newRewardCode((n) => bytes.slice(0, n))).toBe("AG-01AJ-Z0Z0");
  });

  it("draws from the platform CSPRNG by default: readable, never I, L, O or U, and different every time", () => {
    const codes = Array.from({ length: 2000 }, () => newRewardCode());
    for (const code of codes) expect(code).toMatch(CODE);
    expect(new Set(codes).size).toBe(codes.length);
    // Every symbol of the alphabet turns up (2000 × 8 draws of 32).
    expect(new Set(codes.join("").replace(/AG|-/g, "")).size).toBe(32);
  });
});

describe("pointsLiability", () => {
  const fixed = (amountMinor: number, pointsCost: number, extra: Partial<{ enabled: boolean; currency: string }> = {}) => ({
    kind: "fixed_amount" as const,
    amountMinor,
    pointsCost,
    enabled: true,
    currency: "USD",
    ...extra,
  });

  it("values the outstanding points at the best amount-off rate, rounded down to a cent", () => {
    // $5 for 500 points (1 ¢ a point) and $12 for 1000 (1.2 ¢): the better one counts.
    expect(pointsLiability(12_345, [fixed(500, 500), fixed(1200, 1000)], "USD")).toEqual({ minor: 14_814, rate: { amountMinor: 1200, pointsCost: 1000 } });
    // 1/3 ¢ a point: 10 points are worth 3 ¢, not 3.33
    expect(pointsLiability(10, [fixed(1, 3)], "USD")).toEqual({ minor: 3, rate: { amountMinor: 1, pointsCost: 3 } });
  });

  it("ignores rewards that are off, in another currency, or have no fixed worth; none left: null", () => {
    const others = [
      fixed(10_000, 1, { enabled: false }),
      fixed(10_000, 1, { currency: "EUR" }),
      { kind: "percentage" as const, amountMinor: null, pointsCost: 1, enabled: true, currency: null },
    ];
    expect(pointsLiability(500, others, "USD")).toBeNull();
    expect(pointsLiability(500, [...others, fixed(100, 100)], "USD")).toMatchObject({ minor: 500 });
  });

  it("is exact far beyond 2^53 in the product, and never counts an owed (negative) total", () => {
    expect(pointsLiability(Number.MAX_SAFE_INTEGER, [fixed(3, 7)], "USD")?.minor).toBe(Number((BigInt(Number.MAX_SAFE_INTEGER) * 3n) / 7n));
    expect(pointsLiability(-50, [fixed(100, 100)], "USD")?.minor).toBe(0);
  });
});
