import { matchLocale, type SupportedLocale } from "../survey/questions";

/**
 * How staff reach the customer of a follow-up (decisions 044, 049), pure: the e-mail subject in the shop's language,
 * the `mailto:` link, the order's link in the Shopify admin, and the response-time target's rules (overdue).
 */

/** The prefilled subject per language; `{order}` is the order's name ("#1001"). */
const SUBJECTS: Record<SupportedLocale, string> = {
  en: "About your order {order}",
  fr: "À propos de votre commande {order}",
  de: "Zu Ihrer Bestellung {order}",
  es: "Sobre tu pedido {order}",
  "zh-CN": "关于您的订单 {order}",
};

/**
 * The language of the e-mail (decision 049): the shop's (its primary domain's default locale), as the merchant writes
 * to customers; when it is unknown or Afterglow has no strings for it, the one the customer answered the survey in;
 * English otherwise.
 */
export function contactLocale(shopLocale: string | null | undefined, answerLocale: string | null | undefined): SupportedLocale {
  return matchLocale(shopLocale) ?? matchLocale(answerLocale) ?? "en";
}

export function contactSubject(locale: SupportedLocale, orderName: string): string {
  return SUBJECTS[locale].replace("{order}", orderName);
}

/** A plausible single e-mail address (what Shopify's customer record holds): one @, no spaces, no header characters. */
const EMAIL = /^[^\s@<>(),;:"\\]{1,64}@[^\s@<>(),;:"\\]{1,255}$/;

/**
 * `mailto:` with the subject prefilled, or null without a usable address. The address and the subject are
 * percent-encoded (RFC 6068), so text in them can never add a header (cc, body) to the link.
 */
export function mailtoLink(email: string | null | undefined, subject: string): string | null {
  if (!email || !EMAIL.test(email)) return null;
  const [local, domain] = email.split("@") as [string, string];
  return `mailto:${encodeURIComponent(local)}@${encodeURIComponent(domain)}?subject=${encodeURIComponent(subject)}`;
}

/**
 * The order in the Shopify admin: `shopify://admin/orders/<id>`, the admin's own scheme that App Bridge opens in the
 * admin from an embedded app. Null for an id that is not Shopify's numeric id.
 */
export function adminOrderUrl(orderId: string): string | null {
  return /^\d{1,20}$/.test(orderId) ? `shopify://admin/orders/${orderId}` : null;
}

// ---------------------------------------------------------------------------------------------------------------
// The response-time target

export const DEFAULT_RESPONSE_TARGET_HOURS = 24;
const RESPONSE_TARGET_RANGE = { min: 1, max: 720 } as const;

/** Reads the posted target: whole hours from 1 to 720 (30 days). */
export function parseResponseTarget(value: unknown): { ok: true; hours: number } | { ok: false; error: string } {
  const text = typeof value === "string" ? value.trim() : "";
  const message = `Enter whole hours from ${RESPONSE_TARGET_RANGE.min} to ${RESPONSE_TARGET_RANGE.max}`;
  if (!/^\d{1,4}$/.test(text)) return { ok: false, error: message };
  const hours = Number(text);
  if (hours < RESPONSE_TARGET_RANGE.min || hours > RESPONSE_TARGET_RANGE.max) return { ok: false, error: message };
  return { ok: true, hours };
}

/**
 * The instant an open follow-up opened at `createdAt` becomes overdue. The target is absolute time (hours after the
 * answer), the same instant whatever the shop's time zone: the zone changes only how the deadline is shown.
 */
export function overdueAt(createdAt: Date, targetHours: number): Date {
  return new Date(createdAt.getTime() + targetHours * 3_600_000);
}

/** Overdue: still open (nobody contacted the customer) past the target. Contacted and resolved ones never are. */
export function isOverdue(status: string, createdAt: Date, targetHours: number, now: Date): boolean {
  return status === "open" && overdueAt(createdAt, targetHours).getTime() <= now.getTime();
}
