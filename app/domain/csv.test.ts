import { describe, expect, it } from "vitest";
import { parseCsv } from "../../tests/support/csv";
import {
  CSV_BOM,
  CSV_EOL,
  CsvValueError,
  decimal,
  encodeCell,
  encodeRow,
  guardFormula,
  minorUnitsToDecimal,
  moneyCell,
  quoteField,
  utcDateTime,
  type CsvCell,
} from "./csv";

describe("encodeCell: text", () => {
  it.each([
    ["plain", "hello", "hello"],
    ["empty string", "", ""],
    ["comma", "a,b", '"a,b"'],
    ["double quotes are doubled", 'say "hi"', '"say ""hi"""'],
    ["only a quote", '"', '""""'],
    ["LF", "line 1\nline 2", '"line 1\nline 2"'],
    ["CRLF", "line 1\r\nline 2", '"line 1\r\nline 2"'],
    ["semicolon — Excel in semicolon locales", "a;b", '"a;b"'],
    ["tab inside", "a\tb", '"a\tb"'],
    ["a lone CR inside", "a\rb", '"a\rb"'],
    ["single quote inside is plain", "it's", "it's"],
    ["spaces kept", "  padded  ", "  padded  "],
    ["RTL text", "שלום עולם", "שלום עולם"],
    ["RTL with comma", "مرحبا، بالعالم, hi", '"مرحبا، بالعالم, hi"'],
    ["emoji — astral plane", "great 👍🏽 service 🎉", "great 👍🏽 service 🎉"],
    ["CJK", "很好，谢谢", "很好，谢谢"],
    ["number-looking text is text", "0042", "0042"],
  ])("%s", (_name, input, expected) => {
    expect(encodeCell(input)).toBe(expected);
  });

  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["=HYPERLINK(\"http://evil.example\",\"click\")", '"\'=HYPERLINK(""http://evil.example"",""click"")"'],
    ["@SUM(1)", "'@SUM(1)"],
    ["-2+3", "'-2+3"],
    ["+1", "'+1"],
    ["=1+1,=2", '"\'=1+1,=2"'],
    ["\t=1+1", '"\'\t=1+1"'],
    ["\r=1+1", '"\'\r=1+1"'],
    ["-", "'-"],
  ])("formula injection: %j is prefixed with '", (input, expected) => {
    expect(encodeCell(input)).toBe(expected);
  });

  it.each(["a=1", "1+1", "x@example.com", "café -5", " =1"])("a trigger that is not the first character is left alone: %j", (input) => {
    expect(guardFormula(input)).toBe(input);
  });

  it("null and undefined are empty fields", () => {
    expect(encodeCell(null)).toBe("");
    expect(encodeCell(undefined)).toBe("");
  });
});

describe("encodeCell: numbers are never prefixed", () => {
  it.each([
    [0, "0"],
    [42, "42"],
    [-7, "-7"],
    [-2.5, "-2.5"],
    [Number.MAX_SAFE_INTEGER, "9007199254740991"],
  ])("%s → %s", (input, expected) => {
    expect(encodeCell(input)).toBe(expected);
  });

  it.each([
    ["-12.50", "-12.50"],
    ["0.05", "0.05"],
    ["1200", "1200"],
  ])("decimal %s stays a number", (input, expected) => {
    expect(encodeCell(decimal(input))).toBe(expected);
  });

  it.each([NaN, Infinity, -Infinity])("refuses %s", (input) => {
    expect(() => encodeCell(input)).toThrow(CsvValueError);
  });

  it.each(["=1+1", "-1,5", "1e5", "", " 1", "--1"])("a decimal cell only holds a decimal number, not %j", (input) => {
    expect(() => decimal(input)).toThrow(CsvValueError);
    expect(() => encodeCell({ decimal: input })).toThrow(CsvValueError);
  });
});

describe("money from integer minor units", () => {
  it.each([
    [1999, 2, "19.99"],
    [5, 2, "0.05"],
    [-5, 2, "-0.05"],
    [-123456, 2, "-1234.56"],
    [0, 2, "0.00"],
    [100, 2, "1.00"],
    [1200, 0, "1200"],
    [-1200, 0, "-1200"],
    [1, 3, "0.001"],
    [12345, 3, "12.345"],
    [Number.MAX_SAFE_INTEGER, 2, "90071992547409.91"],
  ])("%s with %s decimals → %s", (minor, exponent, expected) => {
    expect(minorUnitsToDecimal(minor, exponent)).toBe(expected);
  });

  it("refuses non-integer amounts (no floats) and odd exponents", () => {
    expect(() => minorUnitsToDecimal(19.99, 2)).toThrow(CsvValueError);
    expect(() => minorUnitsToDecimal(2 ** 60, 2)).toThrow(CsvValueError);
    expect(() => minorUnitsToDecimal(1, -1)).toThrow(CsvValueError);
  });

  it("uses the currency's exponent (ISO 4217)", () => {
    expect(moneyCell(4250, "USD")).toEqual({ decimal: "42.50" });
    expect(moneyCell(4250, "JPY")).toEqual({ decimal: "4250" });
    expect(moneyCell(4250, "KWD")).toEqual({ decimal: "4.250" });
    expect(moneyCell(-4250, "EUR")).toEqual({ decimal: "-42.50" });
    expect(moneyCell(null, "USD")).toBeNull();
    expect(encodeRow([moneyCell(-4250, "EUR"), "EUR"])).toBe("-42.50,EUR\r\n");
  });
});

describe("encodeRow", () => {
  it("joins with commas and ends with CRLF", () => {
    expect(encodeRow(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
    expect(CSV_EOL).toBe("\r\n");
    expect(CSV_BOM).toBe("\uFEFF");
  });

  it("an empty row is one empty field", () => {
    expect(encodeRow([null])).toBe("\r\n");
  });

  it("round-trips hostile and international text through an independent RFC 4180 parser", () => {
    const rows: CsvCell[][] = [
      ["=cmd|' /C calc'!A0", "@SUM(1)", "-2+3", -2, decimal("-3.50")],
      ['He said "no", then left.\r\nSecond line\nThird', "a;b", "\tindented", "\rcr", null],
      ["שלום, עולם", "مرحبا", "👍🏽🎉", "", "plain"],
    ];
    const text = rows.map(encodeRow).join("");
    expect(parseCsv(text)).toEqual([
      ["'=cmd|' /C calc'!A0", "'@SUM(1)", "'-2+3", "-2", "-3.50"],
      ['He said "no", then left.\r\nSecond line\nThird', "a;b", "'\tindented", "'\rcr", ""],
      ["שלום, עולם", "مرحبا", "👍🏽🎉", "", "plain"],
    ]);
  });

  it("every record boundary is CRLF: no bare LF outside quoted fields", () => {
    const text = encodeRow(["x\ny", "z"]) + encodeRow(["1"]);
    const outsideQuotes = text.replace(/"(?:[^"]|"")*"/g, "");
    expect(outsideQuotes).toBe(",z\r\n1\r\n");
  });
});

describe("quoteField", () => {
  it("quotes only when needed", () => {
    expect(quoteField("abc")).toBe("abc");
    expect(quoteField("a\"b")).toBe('"a""b"');
  });
});

describe("utcDateTime", () => {
  it("is a spreadsheet-friendly UTC date-time, without milliseconds", () => {
    expect(utcDateTime(new Date("2026-10-01T10:00:00.123Z"))).toBe("2026-10-01 10:00:00");
    expect(utcDateTime(null)).toBeNull();
  });
});

describe("refusals say what was refused", () => {
  it.each([
    ["a decimal with text after it", () => decimal("1.5x"), 'not a decimal number: "1.5x"'],
    ["a decimal with text before it", () => decimal("x1.5"), 'not a decimal number: "x1.5"'],
    ["a decimal point with no digits after it", () => decimal("1."), 'not a decimal number: "1."'],
    ["a long bad decimal, shown to 40 characters", () => decimal(`${"9".repeat(50)}x`), `not a decimal number: "${"9".repeat(40)}"`],
    ["a bad decimal cell", () => encodeCell({ decimal: "1,5" }), 'not a decimal number: "1,5"'],
    ["a long bad decimal cell, shown to 40 characters", () => encodeCell({ decimal: `x${"9".repeat(50)}` }), `not a decimal number: "x${"9".repeat(39)}"`],
    ["NaN", () => encodeCell(NaN), "not a finite number: NaN"],
    ["a float amount", () => minorUnitsToDecimal(19.99, 2), "not an integer amount: 19.99"],
    ["a negative exponent", () => minorUnitsToDecimal(1, -1), "bad exponent: -1"],
    ["an exponent above 6", () => minorUnitsToDecimal(1, 7), "bad exponent: 7"],
    ["a fractional exponent", () => minorUnitsToDecimal(1, 1.5), "bad exponent: 1.5"],
  ])("%s", (_what, run, message) => {
    expect(run).toThrow(new CsvValueError(message));
    try {
      run();
    } catch (error) {
      expect(error).toMatchObject({ name: "CsvValueError", message });
    }
  });

  it("accepts every exponent from 0 to 6", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((exponent) => minorUnitsToDecimal(1234567, exponent))).toEqual([
      "1234567",
      "123456.7",
      "12345.67",
      "1234.567",
      "123.4567",
      "12.34567",
      "1.234567",
    ]);
  });

  it("a missing amount or date is an empty cell", () => {
    expect(moneyCell(undefined, "USD")).toBeNull();
    expect(utcDateTime(undefined)).toBeNull();
    expect(encodeRow([moneyCell(undefined, "USD"), utcDateTime(new Date("2026-01-02T03:04:05Z"))])).toBe(",2026-01-02 03:04:05\r\n");
  });
});
