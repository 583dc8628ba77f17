/**
 * JSON parsing that never loses an integer's digits (docs/decisions/020-lossless-webhook-json.md).
 *
 * Shopify's ids are 64-bit integers, written in webhook bodies as bare JSON numbers; `JSON.parse` rounds any integer
 * beyond ±2^53 to the nearest double, so two orders can collide and an id no longer matches the Admin API's. Here an
 * integer token that a JS number cannot hold exactly becomes a string of its exact digits ("820982911946154508");
 * every other value is exactly what `JSON.parse` gives (safe integers stay numbers, so `quantity: 2` is still 2;
 * fractions and exponents stay numbers: amounts are strings in Shopify's payloads). Consumers therefore accept an id
 * as a number up to 2^53 or as a digit string — the order, product and compliance schemas do.
 *
 * How: one pass over the text finds number tokens outside strings and wraps the unsafe integers in quotes; the native
 * `JSON.parse` then does the parsing and all syntax checking. Wrapping never makes invalid JSON valid: only a token of
 * the form `-?[1-9][0-9]*` (a valid JSON number) is wrapped, and a string may stand wherever a number may. Texts without
 * a run of 16 digits cannot hold an unsafe integer and skip the pass.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** Digits of Number.MAX_SAFE_INTEGER (2^53 - 1): 16 of them. */
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);
const LONG_DIGIT_RUN = /\d{16}/;

const isDigit = (c: number) => c >= ZERO && c <= NINE;
/** Characters a JSON number token can contain after its first. */
const isNumberChar = (c: number) => isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;

/** True when text[start, end) is an integer token (no fraction, no exponent, no leading zero) beyond ±(2^53 - 1). */
function isUnsafeInteger(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start) === MINUS ? start + 1 : start;
  const digits = end - first;
  if (digits < MAX_SAFE_DIGITS.length || text.charCodeAt(first) === ZERO) return false;
  for (let i = first; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return digits > MAX_SAFE_DIGITS.length || text.slice(first, end) > MAX_SAFE_DIGITS;
}

/** The JSON text with every unsafe integer token outside strings wrapped in quotes; the text itself when there is none. */
export function quoteUnsafeIntegers(text: string): string {
  if (!LONG_DIGIT_RUN.test(text)) return text;
  let out = "";
  let copied = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string, escapes included; an unterminated one runs to the end (JSON.parse then refuses it).
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else {
          i++;
          if (d === QUOTE) break;
        }
      }
    } else if (c === MINUS || isDigit(c)) {
      const start = i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      if (isUnsafeInteger(text, start, i)) {
        out += `${text.slice(copied, start)}"${text.slice(start, i)}"`;
        copied = i;
      }
    } else i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** `JSON.parse`, except that integers beyond ±(2^53 - 1) become their exact digit strings. Throws SyntaxError. */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text)) as unknown;
}
