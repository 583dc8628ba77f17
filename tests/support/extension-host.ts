import fs from "node:fs";
import path from "node:path";
import { vi } from "vitest";
import { matchLocale } from "~/domain/survey/questions";
import type { AppMetafieldEntryLike, OrderStatusHost, SignalLike, ThankYouHost } from "../../extensions/post-purchase-survey/src/host";
import { ROOT } from "./paths";

/**
 * Test double for the checkout / customer-account extension's `shopify` global (extensions/post-purchase-survey):
 * real locale files, in-memory storage, a controllable session token. It sits here, not in the extension's source.
 */
const LOCALES = path.join(ROOT, "extensions", "post-purchase-survey", "locales");

function loadLocale(language: string): Record<string, unknown> {
  const match = matchLocale(language);
  const file = match && match !== "en" ? `${match}.json` : "en.default.json";
  return JSON.parse(fs.readFileSync(path.join(LOCALES, file), "utf8")) as Record<string, unknown>;
}

export function signal<T>(value: T): SignalLike<T> & { set(v: T): void } {
  const listeners = new Set<(v: T) => void>();
  return {
    get value() {
      return value;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(v: T) {
      value = v;
      listeners.forEach((l) => l(v));
    },
  };
}

export interface HostOptions {
  language?: string;
  surveyConfig?: unknown;
  loyalty?: unknown;
  stored?: Record<string, unknown>;
  orderId?: string;
  /** The order's total as the page gives it (`cost.totalAmount`); default 84.50 CAD. */
  total?: { amount: number; currencyCode: string };
}

export function makeHost(options: HostOptions = {}) {
  const language = options.language ?? "en";
  const strings = loadLocale(language);
  const fallback = loadLocale("en");
  const lookup = (table: Record<string, unknown>, key: string) =>
    key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), table);
  const metafields: AppMetafieldEntryLike[] = [];
  if (options.surveyConfig !== undefined) {
    metafields.push({
      target: { type: "shop", id: "1" },
      metafield: { namespace: "$app:afterglow", key: "survey_config", value: JSON.stringify(options.surveyConfig) },
    });
  }
  if (options.loyalty !== undefined) {
    metafields.push({
      target: { type: "customer", id: "7" },
      metafield: { namespace: "$app:loyalty", key: "status", value: JSON.stringify(options.loyalty) },
    });
  }
  const storage = new Map<string, unknown>(Object.entries(options.stored ?? {}));
  const orderId = options.orderId ?? "gid://shopify/OrderIdentity/1001";
  const host: ThankYouHost & OrderStatusHost = {
    shop: { name: "Maple & Co" },
    sessionToken: { get: vi.fn(async () => "session-token-jwt") },
    storage: {
      read: vi.fn(async (key: string) => storage.get(key) ?? null) as ThankYouHost["storage"]["read"],
      write: vi.fn(async (key: string, data: unknown) => void storage.set(key, data)),
    },
    i18n: {
      translate: (key: string, replacements: Record<string, string | number> = {}) => {
        const template = lookup(strings, key) ?? lookup(fallback, key);
        if (typeof template !== "string") throw new Error(`Missing translation: ${key}`);
        return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(replacements[name] ?? `{{${name}}}`));
      },
    },
    localization: { language: signal({ isoCode: language }) },
    appMetafields: signal(metafields),
    cost: { totalAmount: signal<{ amount: number; currencyCode: string } | undefined>(options.total ?? { amount: 84.5, currencyCode: "CAD" }) },
    orderConfirmation: signal({ order: { id: orderId } }),
    order: signal({ id: orderId.replace("OrderIdentity", "Order") }),
  };
  return { host, storage };
}

// ---------------------------------------------------------------------------------------------------------------
// The customer account rewards extension (extensions/customer-account-rewards)

const REWARDS_LOCALES = path.join(ROOT, "extensions", "customer-account-rewards", "locales");

/** The rewards extension's locale file for `language` (exact file, else its language, else English). */
export function loadRewardsLocale(language: string): Record<string, unknown> {
  const files = fs.readdirSync(REWARDS_LOCALES);
  const base = language.split("-")[0]!;
  const file = files.find((f) => f === `${language}.json`) ?? files.find((f) => f === `${base}.json` || f.startsWith(`${base}-`)) ?? "en.default.json";
  return JSON.parse(fs.readFileSync(path.join(REWARDS_LOCALES, file), "utf8")) as Record<string, unknown>;
}

/**
 * Test double for the customer account `shopify` global as the rewards page and block use it: the real locale files
 * (with Shopify's pluralization: a `count` option picks the `one` / `other`… entry by the language's plural rules),
 * Intl formatting in the shopper's language, a controllable session token.
 */
export function makeRewardsHost(options: { language?: string } = {}) {
  const language = options.language ?? "en";
  const strings = loadRewardsLocale(language);
  const fallback = loadRewardsLocale("en");
  const plural = new Intl.PluralRules(language);
  const lookup = (table: Record<string, unknown>, key: string) =>
    key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), table);
  const pick = (entry: unknown, count: unknown): unknown => {
    if (!entry || typeof entry !== "object" || typeof count !== "number") return entry;
    const forms = entry as Record<string, unknown>;
    return forms[plural.select(count)] ?? forms.other;
  };
  const language$ = signal({ isoCode: language });
  const host = {
    sessionToken: { get: vi.fn(async () => "customer-account-session-token") },
    i18n: {
      translate: (key: string, replacements: Record<string, string | number> = {}) => {
        const template = pick(lookup(strings, key), replacements.count) ?? pick(lookup(fallback, key), replacements.count);
        if (typeof template !== "string") throw new Error(`Missing translation: ${key}`);
        return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(replacements[name] ?? `{{${name}}}`));
      },
      formatNumber: (value: number, o?: Intl.NumberFormatOptions) => new Intl.NumberFormat(language, o).format(value),
      formatCurrency: (value: number, o?: Intl.NumberFormatOptions) => new Intl.NumberFormat(language, { ...o, style: "currency" }).format(value),
      formatDate: (date: Date, o?: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(language, { ...o, timeZone: "UTC" }).format(date),
    },
    localization: { language: language$ },
  };
  return host;
}
