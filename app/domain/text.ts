/**
 * Free text from shoppers and merchants arrives as JSON, and JSON can carry a lone UTF-16 surrogate ("\ud800").
 * Such a string has no UTF-8 form: the database would silently store U+FFFD instead, and Shopify refuses it in a
 * metafield. Parsers refuse it up front (a 400 naming the field) rather than store something other than was sent.
 * The checkout extension bundles this (through validateSubmission), so it is a plain loop: no regex lookbehind,
 * which older Safari cannot even parse, and no String.prototype.isWellFormed (ES2024).
 */
export const INVALID_TEXT_MESSAGE = "Contains characters that are not valid text";

/** False when `text` holds a lone surrogate. */
export function isWellFormedText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit > 0xdbff) return false; // a low surrogate with no high one before it
    const next = text.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false; // a high surrogate with no low one after it
    i += 1;
  }
  return true;
}

/**
 * False when `text` holds a lone surrogate or U+0000 (NUL): PostgreSQL's text cannot store NUL (it refuses the whole
 * statement, SQLSTATE 22021), so free text the app stores is refused with it, like a lone surrogate.
 */
export function isStorableText(text: string): boolean {
  return isWellFormedText(text) && !text.includes("\u0000");
}

/**
 * `text` with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). For text we must keep even
 * when it is malformed (Shopify's order payloads: refusing them would lose the order), so that it can be stored.
 */
export function toWellFormedText(text: string): string {
  if (isWellFormedText(text)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += text[i]! + text[i + 1]!;
      i += 1;
    } else {
      out += unit >= 0xd800 && unit <= 0xdfff ? "\uFFFD" : text[i]!;
    }
  }
  return out;
}

/**
 * The number of characters (Unicode code points) in `text`, as a shopper counts them: an emoji is one, not the two
 * UTF-16 units `String.length` counts. A lone surrogate counts as one (parsers refuse those separately). A plain
 * loop for the same reason as isWellFormedText: it is bundled into the checkout extension.
 */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}
