import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  InvalidAmountError,
  MAX_MINOR,
  convertByTotals,
  currencyExponent,
  currencySymbol,
  decimalToMinorBig,
  formatMoney,
  minorToDecimal,
  minorToNumber,
  minorUnitsToDecimalText,
  mulDivHalfUp,
  sumDecimals,
  sumMinor,
  toMinorUnits,
} from "./money";

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

describe("currency exponents (ISO 4217: 0, 2 or 3 decimals)", () => {
  it.each([
    // every 0-decimal currency reads "1500" as 1500 minor units and refuses a decimal
    ...["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"].map((c) => [c, 0] as const),
    // every 3-decimal currency reads "1.234" as 1234
    ...["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"].map((c) => [c, 3] as const),
    // anything else, known or not, has 2
    ...["USD", "EUR", "GBP", "IDR", "CHF", "XYZ"].map((c) => [c, 2] as const),
  ])("%s has %i decimals", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(toMinorUnits("1", code)).toBe(10 ** exponent);
    expect(() => toMinorUnits(`0.${"0".repeat(exponent)}1`, code)).toThrow(new InvalidAmountError(`more decimals than the currency's ${exponent}`));
  });

  it.each([
    ["jpy", 0],
    ["Kwd", 3],
    ["usd", 2],
  ])("reads the code in any case: %s has %i decimals", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(toMinorUnits("7", code)).toBe(7 * 10 ** exponent);
  });
});

describe("decimalToMinorBig: what is a decimal amount", () => {
  it.each<[string, number, bigint]>([
    [" 19.99 ", 2, 1999n],
    ["\t5\n", 0, 5n],
    ["007.50", 2, 750n],
    ["12", 2, 1200n],
    ["-0", 2, 0n],
    ["-0.00", 2, 0n],
    ["-12.345", 3, -12345n],
  ])("%j with %i decimals → %s", (amount, exponent, expected) => {
    expect(decimalToMinorBig(amount, exponent)).toBe(expected);
  });

  it.each([["abc"], [""], ["  "], ["1,50"], ["1e3"], ["+1"], ["1."], [".5"], ["--1"], ["1-"], ["x1.00"], ["1.00x"], ["1.2.3"], ["- 1"], ["0x10"]])(
    "refuses %j, naming no value",
    (amount) => {
      expect(() => decimalToMinorBig(amount, 2)).toThrow(new InvalidAmountError("not a decimal amount"));
    },
  );

  it.each([
    ["19.999", 2],
    ["1500.5", 0],
    ["1.2345", 3],
    ["0.0001", 3],
  ])("refuses %s with %i decimals, saying why", (amount, exponent) => {
    expect(() => decimalToMinorBig(amount, exponent)).toThrow(new InvalidAmountError(`more decimals than the currency's ${exponent}`));
    expect(() => decimalToMinorBig(amount, exponent, "exact")).toThrow(InvalidAmountError);
  });

  it.each<[string, number, bigint]>([
    ["19.990", 2, 1999n],
    ["1500.000", 0, 1500n],
    ["1.2340000", 3, 1234n],
  ])("accepts trailing zeros beyond the exponent: %s → %s", (amount, exponent, expected) => {
    expect(decimalToMinorBig(amount, exponent)).toBe(expected);
    expect(decimalToMinorBig(amount, exponent, "half-up")).toBe(expected);
  });

  it.each<[string, number, bigint]>([
    ["1.006", 2, 101n],
    ["1.009", 2, 101n],
    ["1.0051", 2, 101n],
    ["1.0001", 2, 100n],
    ["0.05", 1, 1n],
    ["0.06", 0, 0n],
    ["-0.4", 0, 0n],
    ["-0.5", 0, -1n],
    ["9.995", 2, 1000n],
  ])("half-up: %s with %i decimals → %s", (amount, exponent, expected) => {
    expect(decimalToMinorBig(amount, exponent, "half-up")).toBe(expected);
  });
});

describe("minorToNumber: the ±(2^53 - 1) bound", () => {
  it.each<[bigint, number]>([
    [MAX, MAX_MINOR],
    [-MAX, -MAX_MINOR],
    [0n, 0],
    [-1n, -1],
  ])("%s → %i", (value, expected) => {
    expect(minorToNumber(value)).toBe(expected);
  });

  it.each([[MAX + 1n], [-MAX - 1n], [MAX * MAX], [-(MAX * MAX)]])("refuses %s", (value) => {
    expect(() => minorToNumber(value)).toThrow(new InvalidAmountError("above 2^53 minor units"));
  });

  it.each([
    ["-9007199254740991", "JPY", -9007199254740991],
    ["-90071992547409.91", "USD", -9007199254740991],
  ])("accepts the negative cap: %s %s", (amount, code, expected) => {
    expect(toMinorUnits(amount, code)).toBe(expected);
  });

  it.each([
    ["-9007199254740992", "JPY"],
    ["-9007199254740.992", "KWD"],
  ])("refuses one past the negative cap: %s %s", (amount, code) => {
    expect(() => toMinorUnits(amount, code)).toThrow(new InvalidAmountError("above 2^53 minor units"));
  });

  it("sumMinor refuses a negative sum past the cap too", () => {
    expect(sumMinor([-MAX_MINOR, 0])).toBe(-MAX_MINOR);
    expect(() => sumMinor([-MAX_MINOR, -1])).toThrow(new InvalidAmountError("above 2^53 minor units"));
    expect(sumMinor([MAX_MINOR, -1, 1])).toBe(MAX_MINOR);
    expect(sumMinor([])).toBe(0);
  });
});

describe("sumDecimals: edge cases", () => {
  it.each([
    [["0.05"], "0.05"],
    [["0.005", "0.001"], "0.006"],
    [["1", "-1"], "0"],
    [["1.50", "-1.5"], "0.00"],
    [["-1.5", "0.25"], "-1.25"],
    [["-0.05"], "-0.05"],
    [["-3", "-4"], "-7"],
    [[" 1.5 ", "2"], "3.5"],
    [["10", "0.10"], "10.10"],
    [["99.99", "0.01"], "100.00"],
  ])("sumDecimals %j = %s", (amounts, expected) => {
    expect(sumDecimals(amounts)).toBe(expected);
  });

  it.each([[["abc"]], [["1.5", "x"]], [["1,5"]]])("refuses %j with the amount error", (amounts) => {
    expect(() => sumDecimals(amounts)).toThrow(new InvalidAmountError("not a decimal amount"));
  });
});

describe("mulDivHalfUp: signs and the divisor", () => {
  it.each<[bigint, bigint, bigint, bigint]>([
    [1n, 3n, 2n, 2n],
    [-1n, 3n, 2n, -2n], // -1.5 → -2: half away from zero
    [1n, -3n, 2n, -2n],
    [-1n, -3n, 2n, 2n],
    [-1n, 1n, 3n, 0n], // -0.33 → 0
    [-2n, 1n, 3n, -1n], // -0.67 → -1
    [-5n, 1n, 2n, -3n],
    [-4n, 1n, 2n, -2n],
    [0n, -7n, 5n, 0n],
    [7n, 1n, 1n, 7n],
  ])("round(%s × %s / %s) = %s", (a, b, c, expected) => {
    expect(mulDivHalfUp(a, b, c)).toBe(expected);
  });

  it.each([[0n], [-1n], [-100n]])("refuses the divisor %s", (c) => {
    expect(() => mulDivHalfUp(1n, 1n, c)).toThrow(new RangeError("divisor must be positive"));
  });

  it("convertByTotals converts a negative amount (a correction) symmetrically", () => {
    expect(convertByTotals(-1, 2, 3)).toBe(-2);
    expect(convertByTotals(-150, 100, 10)).toBe(-15);
    expect(convertByTotals(1, 2, 3)).toBe(2);
  });

  it("convertByTotals refuses a result above 2^53 - 1", () => {
    expect(() => convertByTotals(MAX_MINOR, 1, 2)).toThrow(new InvalidAmountError("above 2^53 minor units"));
  });
});

describe("formatMoney: the currency's own decimals, not Intl's", () => {
  it.each([
    [1999, "USD", "$19.99"],
    [5, "USD", "$0.05"],
    [-1250, "USD", "-$12.50"],
    [0, "USD", "$0.00"],
    [123456789, "EUR", "€1,234,567.89"],
    [1500, "JPY", "¥1,500"],
    [1500, "KRW", "₩1,500"],
    [1234, "KWD", "KWD\u00a01.234"],
    [1500, "BHD", "BHD\u00a01.500"],
    // Intl shows IQD with 0 decimals and IDR with 0; ISO 4217 (and Shopify's amounts) have 3 and 2
    [1500, "IQD", "IQD\u00a01.500"],
    [150, "IDR", "IDR\u00a01.50"],
    [1999, "usd", "$19.99"],
  ])("%i %s → %s", (amount, code, expected) => {
    expect(formatMoney(amount, code)).toBe(expected);
  });

  it("formats in the merchant's locale", () => {
    expect(formatMoney(123450, "EUR", "de-DE")).toBe("1.234,50\u00a0€");
    expect(formatMoney(123450, "EUR", "en-US")).toBe("€1,234.50");
    expect(formatMoney(123450, "EUR")).toBe("€1,234.50");
  });
});

describe("formatMoney: exact at any size, negative amounts, amounts as bigint or digits", () => {
  it.each([
    // 2^53 - 1 as a number: every digit (dividing it by 100 as a float gave "…409.90")
    [Number.MAX_SAFE_INTEGER, "USD", "$90,071,992,547,409.91"],
    [2n ** 64n, "USD", "$184,467,440,737,095,516.16"],
    ["18446744073709551617", "USD", "$184,467,440,737,095,516.17"],
    [-(2n ** 64n) - 1n, "EUR", "-€184,467,440,737,095,516.17"],
    ["-123456789012345678901", "JPY", "-¥123,456,789,012,345,678,901"],
    [9007199254740993n, "KWD", "KWD\u00a09,007,199,254,740.993"],
    ["9007199254740993", "JPY", "¥9,007,199,254,740,993"],
    [-1234, "KWD", "-KWD\u00a01.234"],
    [-5, "JPY", "-¥5"],
    [-5, "USD", "-$0.05"],
    [-1n, "KWD", "-KWD\u00a00.001"],
    ["-0", "USD", "$0.00"],
    [-0, "USD", "$0.00"],
    ["000123", "USD", "$1.23"],
  ] as const)("%s %s → %s", (amount, code, expected) => {
    expect(formatMoney(amount, code)).toBe(expected);
  });

  it("writes a bigint and its digits as the number does, for every safe amount, in 0-, 2- and 3-decimal currencies", () => {
    fc.assert(
      fc.property(currency, minor, fc.boolean(), ([code], amount, negative) => {
        const signed = negative ? -amount : amount;
        const expected = formatMoney(Number(signed), code);
        expect(formatMoney(signed, code)).toBe(expected);
        expect(formatMoney(signed.toString(), code)).toBe(expected);
      }),
    );
  });

  it("shows a number that is not an integer (never a minor amount) as well as a float can, rather than failing a page", () => {
    expect(formatMoney(1999.5, "USD")).toBe("$20.00");
    expect(formatMoney(Number.NaN, "USD")).toBe("$NaN");
  });

  it("refuses text that is not an integer of minor units", () => {
    for (const text of ["19.99", "", " 1", "1e3", "+1", "--1", "0x10", "1_000"]) {
      expect(() => formatMoney(text, "USD")).toThrow(new InvalidAmountError("not an integer amount of minor units"));
    }
  });
});

describe("minorUnitsToDecimalText / minorToDecimal: exact decimal text", () => {
  it.each([
    [1999, 2, "19.99"],
    [5, 2, "0.05"],
    [-5, 2, "-0.05"],
    [0, 2, "0.00"],
    [-0, 2, "0.00"],
    [1200, 0, "1200"],
    [-1200, 0, "-1200"],
    [1, 3, "0.001"],
    [-12345, 3, "-12.345"],
    [1234567, 6, "1.234567"],
    [1, 8, "0.00000001"],
    [2n ** 64n, 2, "184467440737095516.16"],
    [-(2n ** 64n), 3, "-18446744073709551.616"],
    ["-0005", 2, "-0.05"],
    ["-000", 2, "0.00"],
    ["0", 0, "0"],
    ["-0", 0, "0"],
    ["123456789012345678901234567890", 0, "123456789012345678901234567890"],
    [2 ** 60, 2, "11529215046068469.76"],
  ] as const)("%s with %i decimals → %s", (amount, exponent, expected) => {
    expect(minorUnitsToDecimalText(amount, exponent)).toBe(expected);
  });

  it("reads back exactly as the same minor units, at any size and sign", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), fc.integer({ min: 0, max: 6 }), (amount, exponent) => {
        expect(decimalToMinorBig(minorUnitsToDecimalText(amount, exponent), exponent)).toBe(amount);
      }),
    );
  });

  it("refuses an amount that is not an integer, and an exponent that is not a whole number of decimals", () => {
    const notInteger = new InvalidAmountError("not an integer amount of minor units");
    for (const amount of [19.99, Number.NaN, Number.POSITIVE_INFINITY, "1.5", "", "abc", "1 000", "-", "1-"]) {
      expect(() => minorUnitsToDecimalText(amount, 2)).toThrow(notInteger);
    }
    expect(() => minorUnitsToDecimalText(1, -1)).toThrow(RangeError);
    expect(() => minorUnitsToDecimalText(1, 1.5)).toThrow(new RangeError("exponent must be a whole number of decimals"));
  });

  it.each([
    [4250, "USD", "42.50"],
    [-4250, "EUR", "-42.50"],
    [4250, "JPY", "4250"],
    [4250, "KWD", "4.250"],
    [4250, "kwd", "4.250"],
    [0, "USD", "0.00"],
    [9007199254740993n, "USD", "90071992547409.93"],
    ["-9007199254740993", "KWD", "-9007199254740.993"],
  ] as const)("minorToDecimal(%s, %s) → %s: the currency's decimals", (amount, code, expected) => {
    expect(minorToDecimal(amount, code)).toBe(expected);
  });

  // Form fields (the loyalty program's thresholds, the return policy's fee): a whole amount without decimals.
  it.each([
    [25000, "USD", "250"],
    [25050, "USD", "250.50"],
    [25005, "USD", "250.05"],
    [5, "USD", "0.05"],
    [0, "USD", "0"],
    [-1999, "USD", "-19.99"],
    [-2000, "USD", "-20"],
    [500, "JPY", "500"],
    [1000, "JPY", "1000"],
    [1234, "KWD", "1.234"],
    [1000, "KWD", "1"],
    [1200, "KWD", "1.200"],
    [9007199254740991, "USD", "90071992547409.91"],
  ])("minorToDecimal(%i, %s, { dropZeroFraction }) → %s", (amount, code, expected) => {
    expect(minorToDecimal(amount, code, { dropZeroFraction: true })).toBe(expected);
  });
});

describe("currencySymbol", () => {
  it.each([
    ["USD", "en-US", "$"],
    ["EUR", "en-US", "€"],
    ["JPY", "en-US", "¥"],
    ["KWD", "en-US", "KWD"],
    ["CAD", "en-US", "CA$"],
    ["CAD", "en-CA", "$"],
  ])("%s in %s → %s", (code, locale, expected) => {
    expect(currencySymbol(code, locale)).toBe(expected);
  });

  it("uses en-US unless told", () => {
    expect(currencySymbol("CAD")).toBe("CA$");
  });
});

describe("InvalidAmountError", () => {
  it("names itself in logs and error reports", () => {
    const error = new InvalidAmountError("not a decimal amount");
    expect(error.name).toBe("InvalidAmountError");
    expect(String(error)).toBe("InvalidAmountError: not a decimal amount");
    expect(error).toBeInstanceOf(Error);
  });
});
