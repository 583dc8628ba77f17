/**
 * The admin's names of the survey's languages. Question type names and descriptions are in the question-type registry
 * (app/domain/survey/registry.ts); what shoppers read is in the extension's locale files (./extension-locale.ts).
 */
export const LOCALE_NAMES: Record<string, string> = {
  en: "English",
  fr: "French",
  de: "German",
  es: "Spanish",
  "zh-CN": "Chinese (Simplified)",
};
