import { currencyExponent, minorUnitsToDecimalText } from "./money";

/**
 * CSV writing for exports that people open in spreadsheet tools (Excel, Numbers, LibreOffice, Google Sheets).
 *
 * - RFC 4180: fields separated by commas, records ended by CRLF; a field that contains a comma, a double quote, CR
 *   or LF is wrapped in double quotes and its double quotes are doubled. We also quote fields containing a
 *   semicolon or a tab, because Excel in many European locales splits CSV on semicolons (still valid RFC 4180).
 * - The file starts with a UTF-8 byte order mark (`CSV_BOM`) so Excel reads UTF-8 instead of the ANSI code page.
 * - Formula injection (OWASP "CSV Injection"): a *text* cell whose first character is `=`, `+`, `-`, `@`, tab or CR
 *   would be evaluated as a formula by spreadsheet tools, so it gets a leading `'`. Numbers are typed cells and are
 *   written as they are, so "-12.50" stays a negative number.
 *
 * Cells are typed by their JavaScript type: a string is text (guarded), a number is a number, `decimal(...)` is a
 * pre-formatted decimal number (money), null/undefined is an empty field.
 */
export const CSV_BOM = "\uFEFF";
export const CSV_EOL = "\r\n";

/** A decimal number already written out exactly, e.g. "-12.50" (see `moneyCell`). Never formula-guarded. */
interface CsvDecimal {
  readonly decimal: string;
}

export type CsvCell = string | number | CsvDecimal | null | undefined;

export class CsvValueError extends Error {
  override name = "CsvValueError";
}

const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);
const NEEDS_QUOTES = /[",\r\n;\t]/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** `'` + text when a spreadsheet would read the text as a formula; the text unchanged otherwise. */
export function guardFormula(text: string): string {
  // "".charAt(0) is "", which is no trigger: the empty text needs no case of its own.
  return FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

/** The field as RFC 4180 writes it: quoted (with doubled quotes) only when it has to be. */
export function quoteField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export function decimal(value: string): CsvDecimal {
  if (!DECIMAL.test(value)) throw new CsvValueError(`not a decimal number: ${JSON.stringify(value.slice(0, 40))}`);
  return { decimal: value };
}

/**
 * Integer minor units as an exact decimal string with `exponent` fraction digits (1999, 2 → "19.99";
 * -5, 2 → "-0.05"; 1200, 0 → "1200"), written by money.ts's `minorUnitsToDecimalText`; a CSV cell refuses (with
 * CsvValueError) an amount beyond 2^53 or more than 6 decimals.
 */
export function minorUnitsToDecimal(amountMinor: number, exponent: number): string {
  if (!Number.isSafeInteger(amountMinor)) throw new CsvValueError(`not an integer amount: ${amountMinor}`);
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 6) throw new CsvValueError(`bad exponent: ${exponent}`);
  return minorUnitsToDecimalText(amountMinor, exponent);
}

/** An amount of `currency` in integer minor units, as a number cell with the currency's decimals ("42.50"). */
export function moneyCell(amountMinor: number | null | undefined, currency: string): CsvDecimal | null {
  if (amountMinor === null || amountMinor === undefined) return null;
  return decimal(minorUnitsToDecimal(amountMinor, currencyExponent(currency)));
}

/** One encoded field (without the separator). */
export function encodeCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return quoteField(guardFormula(cell));
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) throw new CsvValueError(`not a finite number: ${cell}`);
    return String(cell);
  }
  if (!DECIMAL.test(cell.decimal)) throw new CsvValueError(`not a decimal number: ${JSON.stringify(cell.decimal.slice(0, 40))}`);
  return cell.decimal;
}

/** One record, CRLF included. */
export function encodeRow(cells: readonly CsvCell[]): string {
  return cells.map(encodeCell).join(",") + CSV_EOL;
}

/** A timestamp as spreadsheet tools recognise a date-time: "2026-10-01 10:00:00" (UTC; say so in the header). */
export function utcDateTime(date: Date | null | undefined): string | null {
  if (!date) return null;
  return date.toISOString().slice(0, 19).replace("T", " ");
}
