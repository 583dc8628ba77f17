/**
 * Free text from shoppers and merchants arrives as JSON, and JSON can carry a lone UTF-16 surrogate ("\ud800").
 * Such a string has no UTF-8 form: the database would silently store U+FFFD instead, and Shopify refuses it in a
 * metafield. Parsers refuse it up front (a 400 naming the field) rather than store something else than was sent.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const INVALID_TEXT_MESSAGE = "Contains characters that are not valid text";

/** False when `text` holds a lone surrogate (String.prototype.isWellFormed, written out for older runtimes). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
