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
    orderConfirmation: signal({ order: { id: orderId } }),
    order: signal({ id: orderId.replace("OrderIdentity", "Order") }),
  };
  return { host, storage };
}
