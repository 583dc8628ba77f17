import { describe, expect, it } from "vitest";
import { InvalidAmountError, formatMoney, toMinorUnits } from "./money";

describe("toMinorUnits", () => {
  it.each([
    ["19.99", "USD", 1999],
    ["0.10", "EUR", 10],
    ["0.1", "EUR", 10],
    ["100", "USD", 10000],
    ["19.990", "USD", 1999],
    ["1500", "JPY", 1500],
    ["1500.00", "JPY", 1500],
    ["1.234", "KWD", 1234],
    ["-5.50", "USD", -550],
    ["0.07", "usd", 7],
    ["123456789.01", "USD", 12345678901],
  ])("%s %s → %i", (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency)).toBe(expected);
  });

  it("is exact where floats are not (0.29 * 100 = 28.999…)", () => {
    expect(toMinorUnits("0.29", "USD")).toBe(29);
    expect(toMinorUnits("1.15", "USD")).toBe(115);
  });

  it.each([["abc"], [""], ["1,50"], ["1e3"], ["19.999"], ["1500.5"]])("rejects %j", (amount) => {
    const currency = amount === "1500.5" ? "JPY" : "USD";
    expect(() => toMinorUnits(amount, currency)).toThrow(InvalidAmountError);
  });
});

describe("formatMoney", () => {
  it("formats with the currency's own exponent", () => {
    expect(formatMoney(1999, "USD")).toBe("$19.99");
    expect(formatMoney(1500, "JPY")).toBe("¥1,500");
  });
});
