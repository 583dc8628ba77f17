import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isWellFormedText, toWellFormedText } from "./text";

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

describe("toWellFormedText", () => {
  it("agrees with String.prototype.toWellFormed on any code units", () => {
    const native = (s: string) => (s as unknown as { toWellFormed(): string }).toWellFormed();
    const units = fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((n) => String.fromCharCode(n)) });
    fc.assert(fc.property(fc.string({ unit: "binary" }), units, (a, b) => {
      expect(toWellFormedText(a + b)).toBe(native(a + b));
      expect(isWellFormedText(toWellFormedText(a + b))).toBe(true);
    }));
  });
});
