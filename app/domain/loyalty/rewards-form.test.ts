import { describe, expect, it } from "vitest";
import { EMPTY_REWARD_FORM, pointsLiability, rewardFormOf, rewardValueText, validateRewardForm, type RewardDefinition, type RewardForm } from "./rewards";

// The reward editor's boundaries and round trips, beside rewards.test.ts's field-by-field messages: the lowest and
// highest values each field accepts, text typed with spaces, and a saved reward of each kind back in the editor.

const form = (patch: Partial<RewardForm>): RewardForm => ({ ...EMPTY_REWARD_FORM, title: "Reward", pointsCost: "100", amount: "5", ...patch });
const check = (patch: Partial<RewardForm>, currency = "USD") => validateRewardForm(form(patch), currency);

describe("a new reward", () => {
  it("starts with empty text, amount off, a 30-day code and every combination allowed", () => {
    expect(EMPTY_REWARD_FORM).toEqual({
      title: "",
      kind: "fixed_amount",
      pointsCost: "",
      amount: "",
      percent: "",
      minimum: "",
      validityDays: "30",
      enabled: true,
      combinesWithOrder: true,
      combinesWithProduct: true,
      combinesWithShipping: true,
    });
    const checked = validateRewardForm(EMPTY_REWARD_FORM, "USD");
    expect(checked.ok ? {} : checked.errors).toEqual({ title: "Give the reward a name shoppers will see", pointsCost: "Enter the points cost", amount: "Enter the amount off" });
  });
});

describe("the lowest and highest values each field accepts", () => {
  it.each<[string, Partial<RewardForm>, Partial<RewardDefinition>]>([
    ["a cost of 1 point", { pointsCost: "1" }, { pointsCost: 1 }],
    ["1 %", { kind: "percentage", percent: "1" }, { percent: 1 }],
    ["a code valid 1 day", { validityDays: "1" }, { validityDays: 1 }],
    ["a code valid 365 days", { validityDays: "365" }, { validityDays: 365 }],
    ["1 cent off", { amount: "0.01" }, { amountMinor: 1 }],
    ["the largest amount (2^53 − 1 minor units)", { amount: "90071992547409.91" }, { amountMinor: Number.MAX_SAFE_INTEGER }],
    ["1 yen off", { amount: "1" }, { amountMinor: 1 }],
  ])("%s", (_label, patch, expected) => {
    expect(check(patch, patch.amount === "1" ? "JPY" : "USD")).toMatchObject({ ok: true, reward: expected });
  });

  it("reads numbers typed with spaces around them", () => {
    expect(check({ pointsCost: " 250 ", amount: " 7.5 ", minimum: " 20 ", validityDays: " 14 " })).toMatchObject({
      ok: true,
      reward: { pointsCost: 250, amountMinor: 750, minimumMinor: 2000, validityDays: 14, currency: "USD" },
    });
    expect(check({ kind: "percentage", percent: " 15 " })).toMatchObject({ ok: true, reward: { percent: 15 } });
    expect(check({ minimum: "   " })).toMatchObject({ ok: true, reward: { minimumMinor: null } });
  });

  it("names the currency's own decimals in the message for a malformed amount", () => {
    const messages = (["USD", "JPY", "KWD"] as const).map((currency) => {
      const checked = check({ amount: "1.2345" }, currency);
      return checked.ok ? null : checked.errors.amount;
    });
    expect(messages).toEqual([
      "Enter the amount off as an amount with at most 2 decimals, like 5.00",
      "Enter the amount off as a whole number of JPY",
      "Enter the amount off as an amount with at most 3 decimals, like 5.000",
    ]);
  });
});

describe("a saved reward back in the editor", () => {
  const saved = (patch: Partial<RewardDefinition>): RewardDefinition => ({
    title: "Saved",
    kind: "fixed_amount",
    pointsCost: 100,
    amountMinor: 500,
    percent: null,
    minimumMinor: null,
    currency: "USD",
    enabled: true,
    validityDays: 30,
    combinesWith: { order: true, product: false, shipping: true },
    ...patch,
  });

  it.each<[string, Partial<RewardDefinition>, Partial<RewardForm>]>([
    ["amount off, no minimum", {}, { kind: "fixed_amount", amount: "5", percent: "", minimum: "", combinesWithProduct: false }],
    ["percentage off with a minimum", { kind: "percentage", amountMinor: null, percent: 15, minimumMinor: 2500 }, { kind: "percentage", amount: "", percent: "15", minimum: "25" }],
    ["free shipping without amounts", { kind: "free_shipping", amountMinor: null, currency: null }, { kind: "free_shipping", amount: "", percent: "", minimum: "" }],
    ["an amount without a currency (never saved so) shows no amount", { currency: null }, { amount: "", minimum: "" }],
  ])("%s", (_label, patch, expected) => {
    expect(rewardFormOf(saved(patch))).toMatchObject(expected);
  });
});

describe("what a reward gives", () => {
  it("names no minimum without a currency, and shows an amount without one in dollars rather than nothing", () => {
    expect(rewardValueText({ kind: "percentage", amountMinor: null, percent: 10, minimumMinor: 5000, currency: null })).toBe("10% off");
    expect(rewardValueText({ kind: "fixed_amount", amountMinor: 250, percent: null, minimumMinor: null, currency: null })).toBe("$2.50 off");
  });
});

describe("pointsLiability ties and limits", () => {
  const fixed = (amountMinor: number, pointsCost: number) => ({ kind: "fixed_amount" as const, amountMinor, pointsCost, enabled: true, currency: "USD" });

  it("keeps the first of two rewards with the same rate", () => {
    expect(pointsLiability(100, [fixed(100, 100), fixed(200, 200)], "USD")?.rate).toEqual({ amountMinor: 100, pointsCost: 100 });
    expect(pointsLiability(100, [fixed(200, 200), fixed(100, 100)], "USD")?.rate).toEqual({ amountMinor: 200, pointsCost: 200 });
  });

  it("stops at the largest exact amount", () => {
    expect(pointsLiability(Number.MAX_SAFE_INTEGER, [fixed(Number.MAX_SAFE_INTEGER, 1)], "USD")?.minor).toBe(Number.MAX_SAFE_INTEGER);
    expect(pointsLiability(Number.MAX_SAFE_INTEGER, [fixed(2, 1)], "USD")?.minor).toBe(Number.MAX_SAFE_INTEGER);
    expect(pointsLiability(0, [fixed(2, 1)], "USD")?.minor).toBe(0);
  });
});
