import { formatMoney } from "../money";
import { flatReturnShippingFee, isFinalSaleOnly, RETURN_LOCALES, type ReturnLocale, type ReturnPolicy } from "./policy";
import { de } from "./wording/de";
import { en } from "./wording/en";
import { es } from "./wording/es";
import { fr } from "./wording/fr";
import type { PolicyWording } from "./wording/types";
import { zhCN } from "./wording/zh-CN";

/**
 * The return policy as text shoppers read: the full refund policy (published to Shopify with shopPolicyUpdate,
 * REFUND_POLICY) and a one-line summary (shown by the checkout extension). Each language's sentences live in
 * ./wording/<locale>.ts; this file only decides which sentences apply and formats amounts for the language.
 *
 * - Amounts: minor units in the shop currency, formatted with that currency's exponent (JPY has no decimals) in
 *   the policy's language via app/domain/money.ts. `currency` must be a 3-letter code: anything else throws a
 *   RangeError (it comes from the shop, never from a form).
 * - A flat return shipping fee of 0 reads as free return shipping.
 * - The summary says "free" only when the shopper pays nothing to return (no shipping fee, no restocking fee).
 *   It is at most MAX_SUMMARY_LENGTH characters: the window always shows; the shipping fee, then the restocking
 *   fee, are added only while the line still fits.
 * - The merchant's note is shown as written, in every language: paragraphs split on blank lines, escaped in HTML
 *   with its single line breaks kept as <br>.
 * - The HTML body has no title: Shopify shows the policy page under its own title ("Refund policy").
 */

interface PolicySection {
  heading: string;
  paragraphs: string[];
  bullets?: string[];
}
export interface PolicyDocument {
  title: string;
  sections: PolicySection[];
}
interface PolicyTextOptions {
  locale: ReturnLocale;
  currency: string;
}

export const MAX_SUMMARY_LENGTH = 120;
const SUMMARY_SEPARATOR = " · ";

const WORDING: Record<ReturnLocale, PolicyWording> = { en, fr, de, es, "zh-CN": zhCN };

function checkedCurrency(currency: string): string {
  if (!/^[A-Za-z]{3}$/.test(currency)) throw new RangeError(`Not an ISO 4217 currency code: ${JSON.stringify(currency)}`);
  return currency.toUpperCase();
}

const formatPercent = (percent: number, locale: ReturnLocale) =>
  new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(percent / 100);

/** The note's paragraphs (split on blank lines), as written. */
function noteParagraphs(note: string): string[] {
  return note
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\n+|\n+$/g, ""))
    .filter((p) => p.trim() !== "");
}

export function policyDocument(policy: ReturnPolicy, opts: PolicyTextOptions): PolicyDocument {
  const w = WORDING[opts.locale];
  const currency = checkedCurrency(opts.currency);
  const sentences = (...parts: (string | false | null)[]) => parts.filter((p): p is string => Boolean(p)).join(w.sentenceGap);
  const sections: PolicySection[] = [];

  if (isFinalSaleOnly(policy)) {
    sections.push({ heading: w.headings.window, paragraphs: [w.finalSaleOnly, w.statutoryRights] });
  } else {
    const { windowDays: days, windowStart: start } = policy;
    const window =
      days === null
        ? w.noTimeLimit
        : sentences(w.within(days, start), w.lastDay(days, start));
    sections.push({ heading: w.headings.window, paragraphs: [window, w.statutoryRights] });

    if (policy.finalSaleTags.length > 0) sections.push({ heading: w.headings.finalSale, paragraphs: [w.finalSaleItems] });

    const { unused, originalPackaging, tagsAttached } = policy.conditions;
    const bullets = [unused && w.conditions.unused, originalPackaging && w.conditions.originalPackaging, tagsAttached && w.conditions.tagsAttached];
    const required = bullets.filter((b): b is string => Boolean(b));
    sections.push(
      required.length > 0
        ? { heading: w.headings.conditions, paragraphs: [w.conditionsIntro], bullets: required }
        : { heading: w.headings.conditions, paragraphs: [w.noConditions] },
    );

    sections.push({ heading: w.headings.howToStart, paragraphs: [...w.howToStart] });

    const fee = flatReturnShippingFee(policy);
    const shipping =
      fee > 0 ? w.shippingFlat(formatMoney(fee, currency, opts.locale)) : policy.shipping.kind === "customer" ? w.shippingCustomer : w.shippingFree;
    sections.push({ heading: w.headings.shipping, paragraphs: [shipping] });

    const refunds = [
      sentences(w.refundToOriginal, policy.restockingFeePercent > 0 && w.restockingFee(formatPercent(policy.restockingFeePercent, opts.locale))),
    ];
    if (policy.storeCredit.offered) {
      const bonus = policy.storeCredit.bonusPercent;
      refunds.push(sentences(w.storeCredit, bonus > 0 && w.storeCreditBonus(formatPercent(bonus, opts.locale))));
    }
    sections.push({ heading: w.headings.refunds, paragraphs: refunds });

    sections.push({ heading: w.headings.exchanges, paragraphs: [policy.exchanges ? w.exchangesYes : w.exchangesNo] });
  }

  const note = noteParagraphs(policy.note);
  if (note.length > 0) sections.push({ heading: w.headings.note, paragraphs: note });
  return { title: w.title, sections };
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);

/** The body for shopPolicyUpdate: h2 / p / ul / li, every text escaped. */
export function policyHtml(doc: PolicyDocument): string {
  const lines: string[] = [];
  for (const section of doc.sections) {
    lines.push(`<h2>${escapeHtml(section.heading)}</h2>`);
    for (const paragraph of section.paragraphs) lines.push(`<p>${escapeHtml(paragraph).replace(/\n/g, "<br>")}</p>`);
    if (section.bullets?.length) lines.push(`<ul>${section.bullets.map((b) => `<li>${escapeHtml(b)}</li>`).join("")}</ul>`);
  }
  return lines.join("\n");
}

/** One line for shoppers: "Free returns within 30 days of delivery"; at most MAX_SUMMARY_LENGTH characters. */
export function policySummary(policy: ReturnPolicy, opts: PolicyTextOptions): string {
  const w = WORDING[opts.locale].summary;
  const currency = checkedCurrency(opts.currency);
  if (isFinalSaleOnly(policy)) return w.finalSale;
  const fee = flatReturnShippingFee(policy);
  const free = policy.shipping.kind !== "customer" && fee === 0 && policy.restockingFeePercent === 0;
  let line = policy.windowDays === null ? w.noTimeLimit(free) : w.within(policy.windowDays, policy.windowStart, free);
  const extras = [
    fee > 0 && w.shippingFee(formatMoney(fee, currency, opts.locale)),
    policy.restockingFeePercent > 0 && w.restockingFee(formatPercent(policy.restockingFeePercent, opts.locale)),
  ];
  for (const extra of extras) {
    if (extra && line.length + SUMMARY_SEPARATOR.length + extra.length <= MAX_SUMMARY_LENGTH) line += SUMMARY_SEPARATOR + extra;
  }
  return line;
}

/** The summary in every supported language, as the survey metafield's `extras.returnPolicySummary` holds it. */
export function policySummaries(policy: ReturnPolicy, currency: string): Record<ReturnLocale, string> {
  const out = {} as Record<ReturnLocale, string>;
  for (const locale of RETURN_LOCALES) out[locale] = policySummary(policy, { locale, currency });
  return out;
}
