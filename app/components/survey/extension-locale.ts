import { matchLocale, type SupportedLocale } from "~/domain/survey/questions";
import de from "../../../extensions/post-purchase-survey/locales/de.json";
import en from "../../../extensions/post-purchase-survey/locales/en.default.json";
import es from "../../../extensions/post-purchase-survey/locales/es.json";
import fr from "../../../extensions/post-purchase-survey/locales/fr.json";
import zh from "../../../extensions/post-purchase-survey/locales/zh-CN.json";

/**
 * The checkout extension's own locale files, read by the admin preview so the preview and the shopper see the same
 * words: the same built-in questions, scale ends, buttons and states, with `{{shop}}` and the other placeholders
 * filled in the way Shopify's `i18n.translate` fills them. A key missing from a language falls back to English.
 */
const TABLES: Record<SupportedLocale, unknown> = { en, fr, de, es, "zh-CN": zh };

export type Translate = (key: string, options?: Record<string, string | number>) => string;

const lookup = (table: unknown, key: string): unknown =>
  key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), table);

/** `translate(key, options)` in the extension's wording for `locale` (English for a language it does not ship). */
export function extensionTranslator(locale: string, shop: string): Translate {
  const table = TABLES[matchLocale(locale) ?? "en"];
  return (key, options = {}) => {
    const template = lookup(table, key) ?? lookup(en, key);
    if (typeof template !== "string") return key;
    const values: Record<string, string | number> = { shop, ...options };
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  };
}
