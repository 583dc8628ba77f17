import { currencyExponent, decimalToMinorBig, MAX_MINOR } from "../money";
import { matchLocale, SUPPORTED_LOCALES } from "./questions";

/**
 * Targeting: which shoppers a question is asked of (docs/decisions/045-survey-targeting.md). Dependency-free apart
 * from the money helpers: the extension bundles it.
 *
 * Each rule reads one fact, and each fact has one named source:
 * - `customer` (first order or returning): the app's own order history for the signed-in customer the session token
 *   names, asked of `POST /api/checkout/survey/audience`; a guest, or a shopper the app could not ask about, counts as
 *   a first order.
 * - `orderValue`: the order's total as the page shows it (the thank-you page's checkout cost, the order status page's
 *   order cost), in the order's own currency; a range applies only to orders in its currency.
 * - `locales`: the shopper's language (the page's localization), matched as the survey's wording is.
 */
export type CustomerRule = "first" | "returning";
const CUSTOMER_RULES: readonly CustomerRule[] = ["first", "returning"];

interface OrderValueRule {
  /** ISO 4217 code of the bounds; an order in another currency is outside the range. */
  currency: string;
  /** Inclusive bounds in minor units of `currency`; at least one is set. */
  minMinor?: number;
  maxMinor?: number;
}

export interface Audience {
  customer?: CustomerRule;
  orderValue?: OrderValueRule;
  /** Shopper languages, from SUPPORTED_LOCALES. */
  locales?: string[];
}

/** What the page knows about the shopper and the order when the survey starts. */
export interface AudienceFacts {
  /** From the app (`POST /api/checkout/survey/audience`): false for a returning customer; null when not known (counts as first). */
  firstOrder: boolean | null;
  /** The order's total as the page gives it (`cost.totalAmount`); null when the page has none. */
  orderTotal: { amount: number; currencyCode: string } | null;
  /** The shopper's language (`localization.language.isoCode`). */
  locale: string;
}

/** The order total in minor units of its currency, or null when it cannot be read exactly. */
export function totalMinor(total: AudienceFacts["orderTotal"]): bigint | null {
  // Number.isFinite is false for anything that is not a number, as the page's value may be.
  if (!total || !Number.isFinite(total.amount) || total.amount < 0) return null;
  const exponent = currencyExponent(total.currencyCode);
  try {
    return decimalToMinorBig(total.amount.toFixed(exponent), exponent);
  } catch {
    return null;
  }
}

/** Whether a shopper with `facts` is in `audience` (every rule it has holds; no rules: everyone). */
export function inAudience(audience: Audience | undefined, facts: AudienceFacts): boolean {
  if (!audience) return true;
  if (audience.customer === "first" && facts.firstOrder === false) return false;
  if (audience.customer === "returning" && facts.firstOrder !== false) return false;
  if (audience.orderValue) {
    const { currency, minMinor, maxMinor } = audience.orderValue;
    const total = facts.orderTotal?.currencyCode?.toUpperCase() === currency ? totalMinor(facts.orderTotal) : null;
    if (total === null) return false;
    if (minMinor !== undefined && total < BigInt(minMinor)) return false;
    if (maxMinor !== undefined && total > BigInt(maxMinor)) return false;
  }
  if (audience.locales) {
    const locale = matchLocale(facts.locale);
    if (!locale || !audience.locales.includes(locale)) return false;
  }
  return true;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isAmount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_MINOR;
const CURRENCY = /^[A-Z]{3}$/;

/** Why an audience cannot be read: `field` names the rule, `problem` the reason (AUDIENCE_PROBLEMS words it). */
type AudienceProblem = "shape" | "unknown" | "customer" | "range" | "amount" | "bounds" | "order" | "locales";
type Read = { ok: true; audience: Audience | undefined } | { ok: false; field: string; problem: AudienceProblem };

/**
 * The admin's words for each problem. Apart from `readAudience` on purpose: the extension's lenient reader needs to
 * know only that an audience is unreadable, and a bundler leaves this table out of its bundle.
 */
export const AUDIENCE_PROBLEMS: Record<AudienceProblem, string> = {
  shape: "Expected who is asked",
  unknown: "Unknown rule",
  customer: "Choose first order or returning customer",
  range: "Expected an order value range with its currency",
  amount: "Amounts must be zero or more, in the currency's smallest unit",
  bounds: "Enter a minimum, a maximum or both",
  order: "The minimum is above the maximum",
  locales: "Choose one or more of en, fr, de, es, zh-CN",
};

const refuse = (field: string, problem: AudienceProblem): Read => ({ ok: false, field, problem });

/**
 * An audience as stored, strictly: each rule well formed, or why it is not (`field` names the rule). No rule at all
 * reads as no audience (asked of everyone). The admin refuses to save what this refuses; the extension's lenient
 * reader leaves out a question whose audience it cannot read (a rule from a newer version of the app, say) rather
 * than ask everyone what the merchant meant for some.
 */
export function readAudience(raw: unknown): Read {
  if (raw === undefined || raw === null) return { ok: true, audience: undefined };
  if (!isObject(raw)) return refuse("audience", "shape");
  const audience: Audience = {};
  if (Object.keys(raw).some((key) => !["customer", "orderValue", "locales"].includes(key))) return refuse("audience", "unknown");
  if (raw.customer !== undefined) {
    if (!CUSTOMER_RULES.includes(raw.customer as CustomerRule)) return refuse("audience.customer", "customer");
    audience.customer = raw.customer as CustomerRule;
  }
  if (raw.orderValue !== undefined) {
    const value = raw.orderValue;
    if (!isObject(value) || typeof value.currency !== "string" || !CURRENCY.test(value.currency)) return refuse("audience.orderValue", "range");
    const { minMinor, maxMinor } = value;
    if ((minMinor !== undefined && !isAmount(minMinor)) || (maxMinor !== undefined && !isAmount(maxMinor))) return refuse("audience.orderValue", "amount");
    if (minMinor === undefined && maxMinor === undefined) return refuse("audience.orderValue", "bounds");
    if (minMinor !== undefined && maxMinor !== undefined && minMinor > maxMinor) return refuse("audience.orderValue", "order");
    audience.orderValue = { currency: value.currency, ...(minMinor !== undefined ? { minMinor } : {}), ...(maxMinor !== undefined ? { maxMinor } : {}) };
  }
  if (raw.locales !== undefined) {
    const locales = raw.locales;
    const supported: readonly string[] = SUPPORTED_LOCALES;
    if (!Array.isArray(locales) || !locales.length || !locales.every((l) => supported.includes(l as string)) || new Set(locales).size !== locales.length) {
      return refuse("audience.locales", "locales");
    }
    audience.locales = [...(locales as string[])];
  }
  return { ok: true, audience: Object.keys(audience).length ? audience : undefined };
}

/** Whether any question in `audiences` needs the app's answer about the customer (only then is it asked). */
export function needsCustomerFact(audiences: readonly (Audience | undefined)[]): boolean {
  return audiences.some((a) => a?.customer !== undefined);
}
