import { describe, expect, it } from "vitest";
import { readAudience } from "~/domain/survey/audience";
import { amountText, audienceSummary, parseAmountText, tidyAudience, withRule } from "./audience-form";

describe("order value bounds as typed and shown", () => {
  it.each([
    ["50", "CAD", 5000],
    ["50.5", "CAD", 5050],
    ["1,250.99", "USD", 125099],
    [" 0 ", "EUR", 0],
    ["1500", "JPY", 1500],
    ["1.234", "KWD", 1234],
    ["90071992547409.91", "USD", Number.MAX_SAFE_INTEGER],
  ])("%s %s → %s minor units", (text, currency, minor) => expect(parseAmountText(text, currency)).toBe(minor));
  it.each([["", "CAD"], ["   ", "CAD"]])("%j is no bound", (text, currency) => expect(parseAmountText(text, currency)).toBeUndefined());
  it.each([["-5", "CAD"], ["5.001", "CAD"], ["1.5", "JPY"], ["abc", "CAD"], ["1e3", "CAD"], ["90071992547409.92", "USD"]])("%j in %s is not an amount", (text, currency) =>
    expect(parseAmountText(text, currency)).toBeNull(),
  );
  it.each([
    [5000, "CAD", "50"],
    [5050, "CAD", "50.50"],
    [1500, "JPY", "1500"],
    [undefined, "CAD", ""],
  ])("%s %s shows as %j", (minor, currency, text) => expect(amountText(minor, currency)).toBe(text));
});

describe("rules set and cleared", () => {
  it("drops empty rules, and the whole audience when none is left", () => {
    expect(tidyAudience({ customer: "first", locales: [], orderValue: { currency: "CAD" } })).toEqual({ customer: "first" });
    expect(withRule({ customer: "first" }, "customer", undefined)).toBeUndefined();
    expect(withRule(undefined, "locales", ["fr"])).toEqual({ locales: ["fr"] });
    expect(withRule({ locales: ["fr"] }, "orderValue", { currency: "CAD", minMinor: 100 })).toEqual({ locales: ["fr"], orderValue: { currency: "CAD", minMinor: 100 } });
  });
  it("what the editor builds is what the validator accepts", () => {
    const built = withRule(withRule(withRule(undefined, "customer", "returning"), "orderValue", { currency: "CAD", minMinor: 5000, maxMinor: 10000 }), "locales", ["fr", "de"]);
    expect(readAudience(built)).toEqual({ ok: true, audience: built });
  });
});

describe("who is asked, in one line", () => {
  it.each([
    [undefined, "Everyone"],
    [{ customer: "first" as const }, "First orders"],
    [{ customer: "returning" as const, orderValue: { currency: "CAD", minMinor: 5000, maxMinor: 10050 } }, "Returning customers · 50–100.50 CAD"],
    [{ orderValue: { currency: "EUR", minMinor: 10000 } }, "100 EUR or more"],
    [{ orderValue: { currency: "JPY", maxMinor: 3000 }, locales: ["fr", "zh-CN"] }, "up to 3000 JPY · French, Chinese (Simplified)"],
  ])("%j → %s", (audience, text) => expect(audienceSummary(audience)).toBe(text));
});
