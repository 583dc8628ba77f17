/**
 * Money is integer minor units plus an ISO 4217 currency code, never a float.
 * Shopify's REST payloads carry amounts as decimal strings ("19.99"); these helpers convert exactly.
 */
/** Minor-unit exponents that differ from the usual 2 (ISO 4217). */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

export class InvalidAmountError extends Error {
  override name = "InvalidAmountError";
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * The largest amount Afterglow stores, in minor units: 2^53 - 1, the largest integer a JavaScript number (and so a
 * JSON reader, a Prisma Int read into JS) holds exactly. Above it an amount is refused, never rounded
 * (docs/decisions/021-money-exactness.md).
 */
export const MAX_MINOR = Number.MAX_SAFE_INTEGER;
const MAX_MINOR_BIG = BigInt(MAX_MINOR);

/** `amount` in minor units of a currency with `exponent` decimals, as a BigInt (exact at any size). */
export function decimalToMinorBig(amount: string, exponent: number, rounding: "exact" | "half-up" = "exact"): bigint {
  const match = DECIMAL.exec(amount.trim());
  // The messages name no value: they reach 400 answers and logs, and an amount can be anything a sender chose.
  if (!match) throw new InvalidAmountError("not a decimal amount");
  const [, sign, whole, fraction = ""] = match;
  let minor = BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, "0"));
  const dropped = fraction.slice(exponent);
  if (/[^0]/.test(dropped)) {
    if (rounding === "exact") throw new InvalidAmountError(`more decimals than the currency's ${exponent}`);
    if (dropped.charCodeAt(0) >= 53 /* "5" */) minor += 1n;
  }
  return sign ? -minor : minor; // BigInt has no -0: "-0.00" is 0n
}

/** A BigInt amount as a number, refused (InvalidAmountError) beyond ±MAX_MINOR. */
export function minorToNumber(minor: bigint): number {
  if (minor > MAX_MINOR_BIG || minor < -MAX_MINOR_BIG) throw new InvalidAmountError("above 2^53 minor units");
  return Number(minor);
}

/**
 * Parses a decimal string into integer minor units of `currency` without floating point.
 * More fractional digits than the currency has are rejected unless they are zeros ("19.990" is fine);
 * so is an amount above MAX_MINOR minor units.
 */
export function toMinorUnits(amount: string, currency: string): number {
  return minorToNumber(decimalToMinorBig(amount, currencyExponent(currency)));
}

/** The exact sum of decimal strings, as a decimal string with as many decimals as the longest ("1.5" + "2.25" = "3.75"). */
export function sumDecimals(amounts: readonly string[]): string {
  const scale = Math.max(0, ...amounts.map((a) => DECIMAL.exec(a.trim())?.[3]?.length ?? 0));
  const total = amounts.reduce((sum, a) => sum + decimalToMinorBig(a, scale), 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

/** The exact sum of minor amounts, refused (InvalidAmountError) when it passes MAX_MINOR. */
export function sumMinor(amounts: readonly number[]): number {
  return minorToNumber(amounts.reduce((sum, a) => sum + BigInt(a), 0n));
}

/** round(a × b / c), half away from zero, for integer a, b and positive c: exact at any size (BigInt). */
export function mulDivHalfUp(a: bigint, b: bigint, c: bigint): bigint {
  if (c <= 0n) throw new RangeError("divisor must be positive");
  const product = a * b;
  const magnitude = (2n * (product < 0n ? -product : product) + c) / (2n * c);
  return product < 0n ? -magnitude : magnitude;
}

/**
 * An amount paid in one currency of an order converted to the other by the order's own two totals
 * (`amount × toTotal / fromTotal`, rounded half up), e.g. a refund in the presentment currency into the shop
 * currency. Exact at any size; the result is refused above MAX_MINOR. A zero `fromTotal` leaves the amount as is.
 */
export function convertByTotals(amountMinor: number, fromTotalMinor: number, toTotalMinor: number): number {
  if (fromTotalMinor === 0) return amountMinor;
  return minorToNumber(mulDivHalfUp(BigInt(amountMinor), BigInt(toTotalMinor), BigInt(fromTotalMinor)));
}

// ---------------------------------------------------------------------------------------------------------------
// Writing minor units out: the one home of minor-unit formatting (display, form fields, CSV and JSON exports)

/** An integer amount of minor units: a number, a bigint, or its digits as text ("-1999"; exact beyond 2^53). */
type MinorAmount = number | bigint | string;

const MINOR_DIGITS = /^-?\d+$/;

/** The amount's sign and its digits, exactly; refused (InvalidAmountError) unless it is an integer. */
function minorParts(amountMinor: MinorAmount): { negative: boolean; digits: string } {
  let text: string;
  if (typeof amountMinor === "bigint") text = amountMinor.toString();
  else if (typeof amountMinor === "number") {
    if (!Number.isInteger(amountMinor)) throw new InvalidAmountError("not an integer amount of minor units");
    text = BigInt(amountMinor).toString(); // every digit of a number beyond 2^53, never "1e+21"
  } else if (MINOR_DIGITS.test(amountMinor)) text = amountMinor;
  else throw new InvalidAmountError("not an integer amount of minor units");
  const negative = text.startsWith("-");
  const digits = (negative ? text.slice(1) : text).replace(/^0+(?=\d)/, "");
  return { negative: negative && /[^0]/.test(digits), digits };
}

/**
 * Integer minor units as exact decimal text with `exponent` fraction digits (1999, 2 → "19.99"; -5, 2 → "-0.05";
 * 1200, 0 → "1200"), by string arithmetic only: no float ever touches the amount, whatever its size.
 */
export function minorUnitsToDecimalText(amountMinor: MinorAmount, exponent: number): string {
  if (!Number.isInteger(exponent) || exponent < 0) throw new RangeError("exponent must be a whole number of decimals");
  const { negative, digits } = minorParts(amountMinor);
  const padded = digits.padStart(exponent + 1, "0");
  const text = exponent === 0 ? padded : `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
  return negative ? `-${text}` : text;
}

/**
 * An amount of `currency` as exact decimal text with the currency's decimals (ISO 4217): 1999 USD → "19.99",
 * 500 JPY → "500", 1234 KWD → "1.234". `dropZeroFraction` writes whole amounts without decimals, as a form field
 * shows them (25000 USD → "250", 25050 USD → "250.50").
 */
export function minorToDecimal(amountMinor: MinorAmount, currency: string, options: { dropZeroFraction?: boolean } = {}): string {
  const text = minorUnitsToDecimalText(amountMinor, currencyExponent(currency));
  return options.dropZeroFraction ? text.replace(/\.0+$/, "") : text;
}

/**
 * Minor units for display in the merchant's locale, with the currency's own decimals (ISO 4217, not Intl's):
 * 1999 USD → "$19.99", 1500 JPY → "¥1,500", -1250 USD → "-$12.50". The amount reaches Intl as exact decimal text,
 * so amounts beyond 2^53 (as a bigint or digits) keep every digit; a number that is not an integer (never a minor
 * amount) is shown as well as a float can.
 */
export function formatMoney(amountMinor: MinorAmount, currency: string, locale = "en-US"): string {
  const exponent = currencyExponent(currency);
  const { format } = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  if (typeof amountMinor === "number" && !Number.isInteger(amountMinor)) return format(amountMinor / 10 ** exponent);
  // Intl reads a decimal string exactly (ECMA-402's "string numeric literal"; TypeScript's ES2022 lib types only
  // numbers); an engine without it reads the string as a number, which is still right below 2^53.
  return (format as (value: number | string) => string)(minorUnitsToDecimalText(amountMinor, exponent));
}

/** The currency's symbol as the locale writes it ("$" for USD in en-US, "¥" for JPY), else its code: a field's prefix. */
export function currencySymbol(currency: string, locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(0).find((p) => p.type === "currency")?.value ?? currency;
}
