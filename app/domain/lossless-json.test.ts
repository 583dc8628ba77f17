import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonLossless, quoteUnsafeIntegers } from "./lossless-json";

describe("parseJsonLossless", () => {
  it.each([
    // [what, text, expected]
    ["Shopify's sample order id", '{"id":820982911946154508}', { id: "820982911946154508" }],
    ["2^53 - 1 stays a number", "[9007199254740991]", [9007199254740991]],
    ["2^53 becomes its digits", "[9007199254740992]", ["9007199254740992"]],
    ["negative beyond -2^53", "[-9007199254740993]", ["-9007199254740993"]],
    ["2^64 - 1", "[18446744073709551615]", ["18446744073709551615"]],
    ["a 40-digit integer", `[${"9".repeat(40)}]`, ["9".repeat(40)]],
    ["small integers stay numbers", '{"quantity":2,"n":-7,"z":0}', { quantity: 2, n: -7, z: 0 }],
    // short tokens that sort after "9007199254740991" as text are still safe: their length decides first
    ["short integers beside an unsafe one stay numbers", '{"id":820982911946154508,"qty":95,"n":-950}', { id: "820982911946154508", qty: 95, n: -950 }],
    ["-0 as JSON.parse gives it", "[-0]", [-0]],
    ["fractions untouched", "[12345678901234567.5, 0.1]", [Number("12345678901234567.5"), 0.1]],
    ["exponents untouched", "[1e400, 12345678901234567890e0, -1E-7]", [Infinity, Number("12345678901234567890"), -1e-7]],
    ["digits inside strings untouched", '{"gid":"gid://shopify/Order/820982911946154508","n":"12345678901234567890"}', { gid: "gid://shopify/Order/820982911946154508", n: "12345678901234567890" }],
    ["escaped quotes and backslashes in strings", String.raw`["a\"12345678901234567890\\", 12345678901234567890]`, ['a"12345678901234567890\\', "12345678901234567890"]],
    ["unicode escapes", String.raw`{"t":"caf\u00e9 \ud83d\ude00","id":123456789012345678901}`, { t: "café 😀", id: "123456789012345678901" }],
    ["a key that looks like a number", '{"12345678901234567890":12345678901234567890}', { "12345678901234567890": "12345678901234567890" }],
    ["whitespace around tokens", "{ \"id\" :\n\t820982911946154508 \r\n}", { id: "820982911946154508" }],
    ["no long digit run: the native path", '{"a":[1,2,{"b":null,"c":true}]}', { a: [1, 2, { b: null, c: true }] }],
    // A long run of digits after a fraction point or an exponent sign belongs to that number: never quoted.
    ["a fraction with long digits", "[0.12345678901234567890]", [Number("0.12345678901234567890")]],
    ["an exponent with long digits", "[1e12345678901234567890, 1E12345678901234567890]", [Infinity, Infinity]],
    ["a signed exponent with long digits", "[1e+12345678901234567890, 1e-12345678901234567890]", [Infinity, 0]],
    ["an unsafe integer with an upper-case exponent", "[12345678901234567890E0]", [Number("12345678901234567890")]],
  ])("%s", (_what, text, expected) => {
    expect(parseJsonLossless(text)).toStrictEqual(expected);
  });

  it("parses deep nesting without overflowing the stack", () => {
    const depth = 100_000;
    const value = parseJsonLossless(`${"[".repeat(depth)}820982911946154508${"]".repeat(depth)}`);
    let inner: unknown = value;
    for (let i = 0; i < depth; i++) inner = (inner as unknown[])[0];
    expect(inner).toBe("820982911946154508");
  });

  it.each([
    ["leading zero", "[01234567890123456789]"],
    ["unterminated string", '["abc 12345678901234567890]'],
    ["two numbers without a comma", "[12345678901234567890 1]"],
    ["number glued to a string", '[12345678901234567890"x"]'],
    ["bare minus", "[-]"],
    ["trailing garbage", "{} 12345678901234567890"],
    ["empty", ""],
  ])("refuses invalid JSON (%s) with a SyntaxError, never turning it valid", (_what, text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseJsonLossless(text)).toThrow(SyntaxError);
  });

  it("returns the very text when nothing needs quoting (no copy on the fast path)", () => {
    const text = '{"id":"820982911946154508","total":"19.99","n":123456789012345}';
    expect(quoteUnsafeIntegers(text)).toBe(text);
  });
});

/** A JSON value in which integers are bigints, so that the test can write them digit for digit. */
type Model = bigint | number | string | boolean | null | Model[] | { [key: string]: Model };

const { model } = fc.letrec<{ model: Model }>((tie) => ({
  model: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.bigInt({ min: 0n, max: 2n ** 70n }).map((b) => `id ${b}`)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("model"), { maxLength: 5 }),
    fc.dictionary(
      fc.string().filter((k) => k !== "__proto__"),
      tie("model"),
      { maxKeys: 5 },
    ),
  ),
}));

/** Writes the model as JSON by hand: bigints as bare integer tokens. */
function write(value: Model): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(write).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

const isUnsafeIntegerToken = (token: string) => /^-?[1-9]\d*$/.test(token) && !Number.isSafeInteger(Number(token));

/** What the parser must give: unsafe integer tokens (bigints, and doubles JSON writes as integers) as digit strings. */
function expected(value: Model): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === "number") {
    const token = JSON.stringify(value);
    return isUnsafeIntegerToken(token) ? token : JSON.parse(token);
  }
  if (Array.isArray(value)) return value.map(expected);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expected(v)]));
  return value;
}

describe("parseJsonLossless (property)", () => {
  it("parses any hand-written JSON with big integers to the exact expected value", () => {
    fc.assert(
      fc.property(model, (value) => {
        expect(parseJsonLossless(write(value))).toStrictEqual(expected(value));
      }),
    );
  });

  it("agrees with JSON.parse on every JSON.stringify output without unsafe integers", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const plain: unknown = JSON.parse(text);
        const hasUnsafe = (v: unknown): boolean =>
          typeof v === "number"
            ? isUnsafeIntegerToken(JSON.stringify(v))
            : Array.isArray(v)
              ? v.some(hasUnsafe)
              : v !== null && typeof v === "object" && Object.values(v).some(hasUnsafe);
        fc.pre(!hasUnsafe(plain));
        expect(parseJsonLossless(text)).toStrictEqual(plain);
      }),
    );
  });
});
