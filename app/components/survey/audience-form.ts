import { currencyExponent, decimalToMinorBig, MAX_MINOR, minorToDecimal } from "~/domain/money";
import type { Audience, CustomerRule } from "~/domain/survey/audience";
import { LOCALE_NAMES } from "./survey-strings";

/**
 * Editing helpers for a question's audience (targeting, decision 045): pure functions shared by the editor and its
 * tests. Amounts are typed as decimals in the currency and kept as minor units; a text that is not an amount keeps
 * the rule unreadable (an out-of-range bound) so the page's validation holds the save, with the field's own message.
 */

/** A bound as the field shows it: "50" or "50.25" (no trailing zero decimals), empty when unset. */
export function amountText(minor: number | undefined, currency: string): string {
  return minor === undefined ? "" : minorToDecimal(minor, currency, { dropZeroFraction: true });
}

/** A bound as typed → minor units (undefined: empty), or null when it is not an amount of the currency. */
export function parseAmountText(text: string, currency: string): number | undefined | null {
  const trimmed = text.trim().replace(/,/g, "");
  if (trimmed === "") return undefined;
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  try {
    const minor = decimalToMinorBig(trimmed, currencyExponent(currency));
    return minor <= BigInt(MAX_MINOR) ? Number(minor) : null;
  } catch {
    return null;
  }
}

/** The audience with its empty rules dropped: undefined when nothing is left (asked of everyone). */
export function tidyAudience(audience: Audience): Audience | undefined {
  const out: Audience = {};
  if (audience.customer) out.customer = audience.customer;
  const value = audience.orderValue;
  if (value && (value.minMinor !== undefined || value.maxMinor !== undefined)) out.orderValue = value;
  if (audience.locales?.length) out.locales = audience.locales;
  return Object.keys(out).length ? out : undefined;
}

/** The audience with one rule set (undefined clears it). */
export function withRule<K extends keyof Audience>(audience: Audience | undefined, key: K, value: Audience[K] | undefined): Audience | undefined {
  const next: Audience = { ...audience };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return tidyAudience(next);
}

const CUSTOMER_NAMES: Record<CustomerRule, string> = { first: "First orders", returning: "Returning customers" };
export const CUSTOMER_OPTIONS = [
  { value: "", label: "Every customer" },
  { value: "first", label: "First orders only (guests count as first orders)" },
  { value: "returning", label: "Returning customers only (signed in, with an earlier order)" },
];

/** One line saying who is asked: "Everyone", or "First orders · 50–100 CAD · French, German". */
export function audienceSummary(audience: Audience | undefined): string {
  if (!audience) return "Everyone";
  const parts: string[] = [];
  if (audience.customer) parts.push(CUSTOMER_NAMES[audience.customer]);
  const value = audience.orderValue;
  if (value) {
    const min = amountText(value.minMinor, value.currency);
    const max = amountText(value.maxMinor, value.currency);
    parts.push(min && max ? `${min}–${max} ${value.currency}` : min ? `${min} ${value.currency} or more` : `up to ${max} ${value.currency}`);
  }
  if (audience.locales) parts.push(audience.locales.map((l) => LOCALE_NAMES[l] ?? l).join(", "));
  return parts.join(" · ");
}
