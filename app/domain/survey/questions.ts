import type { Audience } from "./audience";

/**
 * The post-purchase survey's question model, shared by the admin (settings, preview, publish) and the checkout
 * extension. Dependency-free on purpose: it is bundled into the extension, whose budget is 40 KB
 * (docs/decisions/006-survey-shapes-without-zod.md). What each question type asks, accepts and means is its entry in
 * the question-type registry (registry.ts, docs/decisions/037-survey-question-registry.md); this module holds the
 * configuration's shape and the names of the types.
 */
/** The five questions every survey has a slot for (switched on or off), in the order shoppers see them. */
export const QUESTION_TYPES = ["nps", "csat", "ces", "attribution", "comment"] as const;
export type BuiltInType = (typeof QUESTION_TYPES)[number];
/** The types of the merchant's own questions (`SurveyConfig.custom`). */
export const CUSTOM_TYPES = ["single_choice", "multiple_choice", "short_text", "rating_1_5"] as const;
export type CustomType = (typeof CUSTOM_TYPES)[number];
export type QuestionType = BuiltInType | CustomType;

export const SUPPORTED_LOCALES = ["en", "fr", "de", "es", "zh-CN"] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export const MAX_COMMENT_LENGTH = 1000;
export const MAX_OTHER_LENGTH = 200;
export const MAX_ATTRIBUTION_OPTIONS = 10;
export const MAX_SHORT_TEXT_LENGTH = 300;
export const MAX_CUSTOM_QUESTIONS = 10;
export const MAX_CHOICE_OPTIONS = 10;
/** The ids of the built-in "Other" and "None" choices: never a merchant option's id, always shown last. */
export const OTHER_OPTION = "other";
export const NONE_OPTION = "none";

/** Merchant-written text per locale; a missing locale falls back to the default language, then to built-ins. */
export type LocalizedText = Partial<Record<string, string>>;

interface QuestionSettings {
  enabled: boolean;
  /** Overrides the built-in wording, per locale. Empty → built-in translation. */
  text: LocalizedText;
  /** Asked only of these shoppers (targeting, audience.ts); absent: everyone. */
  audience?: Audience;
}

export interface ChoiceOption {
  id: string;
  label: LocalizedText;
}

/**
 * A question the merchant wrote. `options`, `shuffle`, `allowOther` and `allowNone` matter for the choice types only
 * (they are empty / false for the others). Its text in the default locale is required: it has no built-in wording.
 */
/**
 * Branching: ask a question only when an earlier answer matches — a score in `min`–`max` (inclusive) for a scale
 * question, one of `options` for a choice question. `question` is that earlier question's key.
 */
export interface ShowIf {
  question: string;
  min?: number;
  max?: number;
  options?: string[];
}

export interface CustomQuestion {
  /** Stable: answers are stored under it. Never one of the built-in types' names. */
  id: string;
  type: CustomType;
  text: LocalizedText;
  options: ChoiceOption[];
  /** Options in a random order per order (the same order on every reload of that order); "Other" and "None" stay last. */
  shuffle: boolean;
  allowOther: boolean;
  allowNone: boolean;
  /** Asked only when an earlier answer matches; absent: always asked. */
  showIf?: ShowIf;
  /** Asked only of these shoppers (targeting, audience.ts); absent: everyone. */
  audience?: Audience;
}

export interface SurveyConfig {
  version: 1;
  defaultLocale: string;
  questions: {
    nps: QuestionSettings;
    csat: QuestionSettings;
    ces: QuestionSettings;
    /**
     * `askFirst` (default on): "How did you hear about us?" is asked before the scores, while the order is fresh in
     * the shopper's mind and before anyone leaves; off puts it after them. Absent counts as on.
     */
    attribution: QuestionSettings & { options: ChoiceOption[]; allowOther: boolean; askFirst?: boolean };
    comment: QuestionSettings;
  };
  /** The merchant's own questions (at most 10), asked after the built-in ones and before the comment, in this order. */
  custom: CustomQuestion[];
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
      askFirst: true,
      options: [
        { id: "search", label: { en: "Search engine", fr: "Moteur de recherche", de: "Suchmaschine", es: "Buscador", "zh-CN": "搜索引擎" } },
        { id: "social", label: { en: "Social media", fr: "Réseaux sociaux", de: "Soziale Medien", es: "Redes sociales", "zh-CN": "社交媒体" } },
        { id: "friend", label: { en: "A friend", fr: "Un ami", de: "Freunde", es: "Un amigo", "zh-CN": "朋友推荐" } },
        { id: "ad", label: { en: "An ad", fr: "Une publicité", de: "Werbung", es: "Un anuncio", "zh-CN": "广告" } },
      ],
    },
    comment: { enabled: true, text: {} },
  },
  custom: [],
  extras: { returnPolicySummary: null, showLoyaltyTier: true },
};

/**
 * One question as shoppers meet it, built-in or custom, so renderers and validators treat them alike. `key` is the
 * built-in type's name or the custom question's id (its answer's key in `answers.custom`).
 */
export interface SurveyQuestion {
  key: string;
  type: QuestionType;
  custom: boolean;
  text: LocalizedText;
  options: ChoiceOption[];
  shuffle: boolean;
  allowOther: boolean;
  allowNone: boolean;
  showIf?: ShowIf;
  audience?: Audience;
}

/**
 * The built-in questions before the custom ones, in the order they are asked: attribution first unless the merchant
 * moved it after the scores.
 */
export function builtInOrder(config: SurveyConfig): BuiltInType[] {
  return config.questions.attribution.askFirst === false ? ["nps", "csat", "ces", "attribution"] : ["attribution", "nps", "csat", "ces"];
}

/**
 * The questions shoppers are asked, in order: attribution (unless moved after the scores), NPS, CSAT, CES, the custom
 * questions, the comment.
 */
export function surveyQuestions(config: SurveyConfig): SurveyQuestion[] {
  const builtIn = (type: BuiltInType): SurveyQuestion => {
    const q = config.questions[type];
    const attribution = type === "attribution" ? config.questions.attribution : null;
    return {
      key: type,
      type,
      custom: false,
      text: q.text,
      options: attribution?.options ?? [],
      shuffle: false,
      allowOther: attribution?.allowOther ?? false,
      allowNone: false,
      ...(q.audience ? { audience: q.audience } : {}),
    };
  };
  const enabled = (type: BuiltInType) => (config.questions[type].enabled ? [builtIn(type)] : []);
  return [
    ...builtInOrder(config).flatMap(enabled),
    ...config.custom.map((q): SurveyQuestion => ({ ...q, key: q.id, custom: true })),
    ...enabled("comment"),
  ];
}

/** The keys of the questions shoppers are asked, in order. */
export function enabledQuestions(config: SurveyConfig): string[] {
  return surveyQuestions(config).map((q) => q.key);
}

/** "zh-Hans-CN" → "zh-CN", "fr-CA" → "fr", unknown → null. */
export function matchLocale(locale: string | null | undefined): SupportedLocale | null {
  if (!locale) return null;
  const lower = locale.toLowerCase();
  if (lower.startsWith("zh")) return "zh-CN";
  const base = lower.split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(base ?? "") ? (base as SupportedLocale) : null;
}

/**
 * The merchant's wording of a question that has a built-in translation: their text for the shopper's language; when
 * they left that language empty and the extension ships the language, null (the built-in translation, in the
 * shopper's language); only for a language nobody translated, their default-locale text. So a French shopper never
 * gets the merchant's English question with French buttons.
 */
export function questionWording(text: LocalizedText | null | undefined, locale: string, defaultLocale: string): string | null {
  const own = localized(text, locale, locale);
  if (own) return own;
  return matchLocale(locale) ? null : localized(text, locale, defaultLocale);
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
