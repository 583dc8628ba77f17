/**
 * The post-purchase survey's question model, shared by the admin (settings, preview, publish) and the checkout
 * extension. Dependency-free on purpose: it is bundled into the extension, whose budget is 25 KB
 * (docs/decisions/006-survey-shapes-without-zod.md).
 */
export const QUESTION_TYPES = ["nps", "csat", "ces", "attribution", "comment"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const SCALES = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
} as const;
export type ScaleQuestion = keyof typeof SCALES;

export const SUPPORTED_LOCALES = ["en", "fr", "de", "es", "zh-CN"] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export const MAX_COMMENT_LENGTH = 1000;
export const MAX_OTHER_LENGTH = 200;
export const MAX_ATTRIBUTION_OPTIONS = 10;

/** Merchant-written text per locale; a missing locale falls back to the default language, then to built-ins. */
export type LocalizedText = Partial<Record<string, string>>;

interface QuestionSettings {
  enabled: boolean;
  /** Overrides the built-in wording, per locale. Empty → built-in translation. */
  text: LocalizedText;
}

export interface AttributionOption {
  id: string;
  label: LocalizedText;
}

export interface SurveyConfig {
  version: 1;
  defaultLocale: string;
  questions: {
    nps: QuestionSettings;
    csat: QuestionSettings;
    ces: QuestionSettings;
    attribution: QuestionSettings & { options: AttributionOption[]; allowOther: boolean };
    comment: QuestionSettings;
  };
  /**
   * Slots filled by other features through the same metafield:
   * - returnPolicySummary: one line per locale, written by the return-policy feature ("Free returns within 30 days").
   * - showLoyaltyTier: whether the extension shows the shopper's tier (read from the customer's `$app:loyalty.status`).
   */
  extras: { returnPolicySummary: LocalizedText | null; showLoyaltyTier: boolean };
  /**
   * Where the extension posts answers: the app's own `/api/checkout/survey`, added by the app when it publishes
   * (never by the merchant: the admin's strict validation drops it). Absent → the extension's built-in origin.
   */
  endpoint?: string;
}

/** The app-owned shop metafield the admin writes on publish and the extension reads. */
export const SURVEY_METAFIELD = { namespace: "$app:afterglow", key: "survey_config", type: "json" } as const;

export const DEFAULT_SURVEY_CONFIG: SurveyConfig = {
  version: 1,
  defaultLocale: "en",
  questions: {
    nps: { enabled: true, text: {} },
    csat: { enabled: true, text: {} },
    ces: { enabled: false, text: {} },
    attribution: {
      enabled: true,
      text: {},
      allowOther: true,
      options: [
        { id: "search", label: { en: "Search engine", fr: "Moteur de recherche", de: "Suchmaschine", es: "Buscador", "zh-CN": "搜索引擎" } },
        { id: "social", label: { en: "Social media", fr: "Réseaux sociaux", de: "Soziale Medien", es: "Redes sociales", "zh-CN": "社交媒体" } },
        { id: "friend", label: { en: "A friend", fr: "Un ami", de: "Freunde", es: "Un amigo", "zh-CN": "朋友推荐" } },
        { id: "ad", label: { en: "An ad", fr: "Une publicité", de: "Werbung", es: "Un anuncio", "zh-CN": "广告" } },
      ],
    },
    comment: { enabled: true, text: {} },
  },
  extras: { returnPolicySummary: null, showLoyaltyTier: true },
};

/** The enabled questions in the order shoppers see them. */
export function enabledQuestions(config: SurveyConfig): QuestionType[] {
  return QUESTION_TYPES.filter((type) => config.questions[type].enabled);
}

/** "zh-Hans-CN" → "zh-CN", "fr-CA" → "fr", unknown → null. */
export function matchLocale(locale: string | null | undefined): SupportedLocale | null {
  if (!locale) return null;
  const lower = locale.toLowerCase();
  if (lower.startsWith("zh")) return "zh-CN";
  const base = lower.split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(base ?? "") ? (base as SupportedLocale) : null;
}

/** Merchant text for `locale`, else for the default locale, else null (the caller then uses its built-in string). */
export function localized(text: LocalizedText | null | undefined, locale: string, defaultLocale: string): string | null {
  if (!text) return null;
  const exact = text[locale]?.trim();
  if (exact) return exact;
  const matched = matchLocale(locale);
  const viaMatch = matched ? text[matched]?.trim() : undefined;
  if (viaMatch) return viaMatch;
  return text[defaultLocale]?.trim() || null;
}
