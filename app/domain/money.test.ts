import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidAmountError, MAX_MINOR, convertByTotals, decimalToMinorBig, formatMoney, mulDivHalfUp, sumDecimals, sumMinor, toMinorUnits } from "./money";

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

/** An independent oracle: the decimal text of `minor` minor units with `exponent` decimals. */
const decimalText = (minor: bigint, exponent: number) => {
  const digits = minor.toString().padStart(exponent + 1, "0");
  return exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
};
const CURRENCIES = [
  ["JPY", 0],
  ["USD", 2],
  ["IDR", 2],
  ["KWD", 3],
] as const;
const currency = fc.constantFrom(...CURRENCIES);
const MAX = BigInt(MAX_MINOR);
/** Minor amounts up to 2^53 - 1, biased to the extremes (0, 1, values near the cap). */
const minor = fc.oneof(fc.bigInt({ min: 0n, max: MAX }), fc.constantFrom(0n, 1n, MAX - 1n, MAX), fc.bigInt({ min: MAX - 1000n, max: MAX }));

describe("toMinorUnits across currencies and extreme amounts (properties)", () => {
  it("reads every amount up to 2^53 - 1 minor units exactly, in 0-, 2- and 3-decimal currencies", () => {
    fc.assert(
      fc.property(currency, minor, ([code, exponent], amount) => {
        expect(toMinorUnits(decimalText(amount, exponent), code)).toBe(Number(amount));
        expect(BigInt(toMinorUnits(decimalText(amount, exponent), code))).toBe(amount);
      }),
    );
  });

  it("refuses every amount above 2^53 - 1 minor units, naming no value", () => {
    fc.assert(
      fc.property(currency, fc.bigInt({ min: MAX + 1n, max: MAX * 1000n }), ([code, exponent], amount) => {
        const text = decimalText(amount, exponent);
        expect(() => toMinorUnits(text, code)).toThrow(new InvalidAmountError("above 2^53 minor units"));
      }),
    );
  });

  it.each([
    ["9007199254740991", "JPY", 9007199254740991],
    ["90071992547409.91", "USD", 9007199254740991],
    ["9007199254740.991", "KWD", 9007199254740991],
  ])("accepts the cap itself: %s %s", (amount, code, expected) => {
    expect(toMinorUnits(amount, code)).toBe(expected);
  });

  it.each([
    ["9007199254740992", "JPY"],
    ["90071992547409.92", "USD"],
    ["9007199254740.992", "KWD"],
    ["4000000000000000000.00", "IDR"],
  ])("refuses one past it: %s %s", (amount, code) => {
    expect(() => toMinorUnits(amount, code)).toThrow(InvalidAmountError);
  });

  it("never reads a 0- or 3-decimal amount with two decimals", () => {
    expect(toMinorUnits("41", "JPY")).toBe(41);
    expect(toMinorUnits("41.940", "KWD")).toBe(41940);
    expect(() => toMinorUnits("41.94", "JPY")).toThrow(InvalidAmountError);
  });
});

describe("decimalToMinorBig rounding", () => {
  it.each<[string, number, bigint]>([
    ["1.005", 2, 101n],
    ["1.004", 2, 100n],
    ["1.0049999", 2, 100n],
    ["0.5", 0, 1n],
    ["0.4999", 0, 0n],
    ["41.94", 0, 42n],
    ["2.0005", 3, 2001n],
    ["-1.005", 2, -101n],
  ])("half-up: %s with %i decimals → %s", (amount, exponent, expected) => {
    expect(decimalToMinorBig(amount, exponent, "half-up")).toBe(expected);
  });

  it("rounds half up exactly like the BigInt oracle (properties)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX * 1000n }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), (units, extra, exponent) => {
        // `units` has exponent + extra decimals; rounding to `exponent` decimals is floor((2·units + 10^extra) / (2·10^extra)).
        const scale = 10n ** BigInt(extra);
        const expected = (2n * units + scale) / (2n * scale);
        expect(decimalToMinorBig(decimalText(units, exponent + extra), exponent, "half-up")).toBe(expected);
      }),
    );
  });
});

describe("sums and products of amounts", () => {
  it("sumDecimals is the exact sum (properties, any number of decimals)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt({ min: 0n, max: MAX * 1000n }), fc.integer({ min: 0, max: 3 })), { maxLength: 30 }), (parts) => {
        const expectedThousandths = parts.reduce((sum, [units, exponent]) => sum + units * 10n ** BigInt(3 - exponent), 0n);
        const total = sumDecimals(parts.map(([units, exponent]) => decimalText(units, exponent)));
        expect(decimalToMinorBig(total, 3)).toBe(expectedThousandths);
      }),
    );
  });

  it.each([
    [["41.94"], "41.94"],
    [["0.1", "0.2"], "0.3"],
    [["1.5", "2.25", "3"], "6.75"],
    [["1500", "1"], "1501"],
    [[], "0"],
  ])("sumDecimals %j = %s", (amounts, expected) => {
    expect(sumDecimals(amounts)).toBe(expected);
  });

  it("sumMinor is exact, and refused once the sum passes 2^53 - 1 (properties)", () => {
    fc.assert(
      fc.property(fc.array(minor, { maxLength: 40 }), (amounts) => {
        const exact = amounts.reduce((sum, a) => sum + a, 0n);
        const numbers = amounts.map(Number);
        if (exact <= MAX) expect(sumMinor(numbers)).toBe(Number(exact));
        else expect(() => sumMinor(numbers)).toThrow(InvalidAmountError);
      }),
    );
  });

  it("mulDivHalfUp equals the BigInt oracle, far beyond 2^63 (properties)", () => {
    fc.assert(
      fc.property(minor, minor, fc.bigInt({ min: 1n, max: MAX }), (a, b, c) => {
        const product = a * b;
        const floor = product / c;
        const remainder = product - floor * c;
        expect(mulDivHalfUp(a, b, c)).toBe(2n * remainder >= c ? floor + 1n : floor);
      }),
    );
  });

  it.each<[number, number, number, number]>([
    // a US$250,000 order paid in IDR, refunded in full: IDR 4,000,000,000.00 → US$250,000.00 (the product passes 2^63)
    [400_000_000_000, 400_000_000_000, 25_000_000, 25_000_000],
    [200_000_000_000, 400_000_000_000, 25_000_000, 12_500_000],
    [1, 3, 1, 0],
    [2, 3, 1, 1],
    [MAX_MINOR, MAX_MINOR, MAX_MINOR, MAX_MINOR],
    [500, 0, 700, 500],
  ])("convertByTotals(%i, from %i, to %i) = %i", (amount, from, to, expected) => {
    expect(convertByTotals(amount, from, to)).toBe(expected);
  });

  it("convertByTotals is exact and never above the target total for a refund within its order (properties)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX }), fc.bigInt({ min: 0n, max: MAX }), fc.double({ min: 0, max: 1, noNaN: true }), (from, to, share) => {
        const amount = BigInt(Math.floor(Number(from) * share)) > from ? from : BigInt(Math.floor(Number(from) * share));
        const converted = convertByTotals(Number(amount), Number(from), Number(to));
        expect(BigInt(converted)).toBe((2n * amount * to + from) / (2n * from));
        expect(BigInt(converted)).toBeLessThanOrEqual(to);
      }),
    );
  });
});
