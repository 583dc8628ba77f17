/**
 * Money is integer minor units plus an ISO 4217 currency code, never a float.
 * Shopify's REST payloads carry amounts as decimal strings ("19.99"); these helpers convert exactly.
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

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
 * Parses a decimal string into integer minor units of `currency` without floating point.
 * More fractional digits than the currency has are rejected unless they are zeros ("19.990" is fine).
 */
export function toMinorUnits(amount: string, currency: string): number {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new InvalidAmountError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole = "0", fraction = ""] = match;
  const exponent = currencyExponent(currency);
  const kept = fraction.slice(0, exponent).padEnd(exponent, "0");
  if (/[^0]/.test(fraction.slice(exponent))) {
    throw new InvalidAmountError(`${amount} has more decimals than ${currency} allows`);
  }
  const minor = Number(whole) * 10 ** exponent + Number(kept || "0");
  if (!Number.isSafeInteger(minor)) throw new InvalidAmountError(`amount out of range: ${amount}`);
  return sign ? -minor : minor;
}

/** Formats minor units for display in the merchant's locale. */
export function formatMoney(amountMinor: number, currency: string, locale = "en-US"): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(amountMinor / 10 ** exponent);
}
