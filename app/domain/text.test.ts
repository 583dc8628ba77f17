import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codePointLength, INVALID_TEXT_MESSAGE, isStorableText, isWellFormedText, toWellFormedText } from "./text";

describe("isWellFormedText", () => {
  it.each([
    ["", true],
    ["plain", true],
    ["emoji 🙂 and 👩‍👩‍👧", true],
    ["\uD800", false],
    ["a\uDC00b", false],
    ["\uDC00\uD800", false],
    ["\uD83D\uDE42", true],
    ["end\uD83D", false],
    // the edges of the surrogate ranges: highs D800–DBFF, lows DC00–DFFF
    ["\uDFFF", false],
    ["\uD800\uDC00", true],
    ["\uDBFF\uDFFF", true],
    ["\uDBFF\uE000", false],
    ["\uD800\uDBFF", false],
  ])("%j → %s", (text, expected) => {
    expect(isWellFormedText(text)).toBe(expected);
  });

  it("agrees with String.prototype.isWellFormed on any code units", () => {
    const native = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
    fc.assert(fc.property(fc.string({ unit: "binary" }), fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((n) => String.fromCharCode(n)) }), (a, b) => {
      expect(isWellFormedText(a + b)).toBe(native(a + b));
    }));
  });
});

describe("the refusal", () => {
  it("says the text holds characters that are not valid text", () => {
    expect(INVALID_TEXT_MESSAGE).toBe("Contains characters that are not valid text");
  });
});

describe("isStorableText (well-formed, and no NUL: PostgreSQL text cannot hold U+0000)", () => {
  it.each([
    ["", true],
    ["plain 🙂", true],
    ["\u0000", false],
    ["a\u0000b", false],
    ["end\u0000", false],
    ["\u0001 and \uFFFD", true],
    ["a\uD800b", false],
  ])("%j → %s", (text, expected) => {
    expect(isStorableText(text)).toBe(expected);
  });
});

describe("toWellFormedText", () => {
  it.each([
    ["plain", "plain"],
    ["a\uD800b", "a\uFFFDb"], // a lone high surrogate
    ["a\uDC00b", "a\uFFFDb"], // a lone low surrogate
    ["\uDC00\uD83D\uDE42", "\uFFFD🙂"], // a pair after a lone low one is kept
    ["end\uD83D", "end\uFFFD"],
    ["\uD83D\uD83D\uDE42", "\uFFFD🙂"], // two highs: the first is lone
    ["\uD7FF\uE000", "\uD7FF\uE000"], // the code units either side of the surrogates are text
    // pairs at the edges of the ranges are kept beside a lone surrogate
    ["\uD800\uDC00\uDFFF", "\uD800\uDC00\uFFFD"],
    ["\uDBFF\uDFFF\uD800", "\uDBFF\uDFFF\uFFFD"],
    ["\uDBFF\uE000", "\uFFFD\uE000"],
  ])("%j → %j", (text, expected) => {
    expect(toWellFormedText(text)).toBe(expected);
  });

  it("agrees with String.prototype.toWellFormed on any code units", () => {
    const native = (s: string) => (s as unknown as { toWellFormed(): string }).toWellFormed();
    const units = fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((n) => String.fromCharCode(n)) });
    fc.assert(fc.property(fc.string({ unit: "binary" }), units, (a, b) => {
      expect(toWellFormedText(a + b)).toBe(native(a + b));
      expect(isWellFormedText(toWellFormedText(a + b))).toBe(true);
    }));
  });
});

describe("codePointLength", () => {
  it.each([
    ["", 0],
    ["abc", 3],
    ["é", 1],
    ["e\u0301", 2],
    ["🙂", 1],
    ["x".repeat(10) + "🙂".repeat(600), 610],
    ["👩‍👩‍👧", 5],
    ["\uD800", 1],
    ["a\uDC00b", 3],
    ["\uDC00\uD800", 2],
    ["end\uD83D", 4],
    ["\uD800\uDC00", 1],
    ["\uDBFF\uDFFF", 1],
    ["\uDBFF\uE000", 2],
  ])("%j → %i", (text, expected) => {
    expect(codePointLength(text)).toBe(expected);
  });

  it("agrees with iterating the string by code points, on any code units", () => {
    const agrees = (text: string) => {
      expect(codePointLength(text)).toBe([...text].length);
    };
    fc.assert(fc.property(fc.string({ unit: "binary" }), agrees));
    // Mostly surrogates, paired or not.
    fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0xd7fe, max: 0xe001 }).map((n) => String.fromCharCode(n)) }), agrees));
  });
});
