import fc from "fast-check";

/**
 * Text an attacker (or an unlucky shopper) types: spreadsheet formulas, markup and script, quotes and separators,
 * line breaks, bidi controls, emoji and combining marks, NUL, lone UTF-16 surrogates, template and SQL fragments,
 * mixed with arbitrary code points.
 */
export const HOSTILE_PIECES = [
  "=cmd|' /C calc'!A0",
  "=HYPERLINK(\"http://evil.example\",\"x\")",
  "+1+1",
  "-2+3",
  "@SUM(A1:A9)",
  "\t=1",
  "\r=1",
  '"',
  '""',
  "'",
  ",",
  ";",
  "\n",
  "\r\n",
  "\r",
  "\u202E", // RIGHT-TO-LEFT OVERRIDE
  "\u200F", // RIGHT-TO-LEFT MARK
  "\u2066", // LEFT-TO-RIGHT ISOLATE
  "مرحبا",
  "שלום",
  "🙂",
  "👩‍👩‍👧",
  "e\u0301",
  "<img src=x onerror=alert(1)>",
  "</script><script>alert(1)</script>",
  "<!--",
  "&lt;b&gt;",
  "javascript:alert(1)",
  "${7*7}",
  "{{7*7}}",
  "\u0000",
  "\\",
  "' OR 1=1 --",
  "\uD800",
  "\uDC00",
  "\uFEFF",
] as const;

export const hostilePiece = fc.constantFrom(...HOSTILE_PIECES);

/** A string built from hostile pieces and arbitrary code points (lone surrogates included). */
export const hostileText = (maxPieces = 8) =>
  fc.array(fc.oneof(hostilePiece, fc.string({ unit: "binary", maxLength: 6 })), { maxLength: maxPieces }).map((parts) => parts.join(""));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What UTF-8 makes of a string: each lone surrogate becomes U+FFFD (String.prototype.toWellFormed, ES2024). */
export const toWellFormed = (text: string) => text.replace(LONE_SURROGATE, "\uFFFD");

export const hasLoneSurrogate = (text: string) => new RegExp(LONE_SURROGATE.source).test(text);

/** Hostile text without lone surrogates: what a browser form (UTF-8 on the wire) can carry. */
export const hostileWellFormedText = (maxPieces = 8) => hostileText(maxPieces).map(toWellFormed);

/** Any JSON value, hostile strings included (keys too). */
export const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    hostileText(4),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileText(2), fc.string()), tie("value"), { maxKeys: 5 }),
  ),
})).value;
