import { INVALID_TEXT_MESSAGE, isWellFormedText } from "../text";
import {
  DEFAULT_SURVEY_CONFIG,
  MAX_ATTRIBUTION_OPTIONS,
  QUESTION_TYPES,
  type AttributionOption,
  type LocalizedText,
  type SurveyConfig,
} from "./questions";

/**
 * Reading and checking a survey configuration. `readSurveyConfig` is lenient (the extension must always show
 * something: anything missing or malformed falls back to the default); `validateSurveyConfig` is strict (the admin
 * rejects a bad save with field errors).
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const MAX_TEXT = 300;

function readText(value: unknown): LocalizedText {
  if (!isObject(value)) return {};
  const out: LocalizedText = {};
  for (const [locale, text] of Object.entries(value)) {
    if (typeof text === "string" && text.trim() && text.length <= MAX_TEXT && locale.length <= 10) out[locale] = text;
  }
  return out;
}

/** An absolute http(s) URL of the answers endpoint, or undefined. */
function readEndpoint(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 300 || !/^https?:\/\/[^\s/?#]+\/[^\s?#]*api\/checkout\/survey$/.test(value)) return undefined;
  return value;
}

/** Lenient: the metafield value (JSON string or object) → a usable config; never throws. */
export function readSurveyConfig(value: unknown): SurveyConfig {
  let raw: unknown = value;
  if (typeof value === "string") {
    try {
      raw = JSON.parse(value);
    } catch {
      return DEFAULT_SURVEY_CONFIG;
    }
  }
  if (!isObject(raw) || raw.version !== 1 || !isObject(raw.questions)) return DEFAULT_SURVEY_CONFIG;
  const q = raw.questions;
  const base = DEFAULT_SURVEY_CONFIG.questions;
  const question = (type: (typeof QUESTION_TYPES)[number]) => {
    const item = q[type];
    return isObject(item)
      ? { enabled: item.enabled === true, text: readText(item.text) }
      : { ...base[type], text: { ...base[type].text } };
  };
  const attribution = isObject(q.attribution) ? q.attribution : {};
  const options: AttributionOption[] = Array.isArray(attribution.options)
    ? attribution.options
        .filter((o): o is Record<string, unknown> => isObject(o) && typeof o.id === "string" && /^[a-z0-9][a-z0-9-]{0,39}$/.test(o.id))
        .slice(0, MAX_ATTRIBUTION_OPTIONS)
        .map((o) => ({ id: o.id as string, label: readText(o.label) }))
    : base.attribution.options;
  const extras = isObject(raw.extras) ? raw.extras : {};
  return {
    version: 1,
    defaultLocale: typeof raw.defaultLocale === "string" ? raw.defaultLocale : "en",
    questions: {
      nps: question("nps"),
      csat: question("csat"),
      ces: question("ces"),
      attribution: { ...question("attribution"), options, allowOther: attribution.allowOther !== false },
      comment: question("comment"),
    },
    extras: {
      returnPolicySummary: isObject(extras.returnPolicySummary) ? readText(extras.returnPolicySummary) : null,
      showLoyaltyTier: extras.showLoyaltyTier !== false,
    },
    ...(readEndpoint(raw.endpoint) ? { endpoint: readEndpoint(raw.endpoint) } : {}),
  };
}

type ConfigValidation = { ok: true; config: SurveyConfig } | { ok: false; errors: Record<string, string> };

/** Strict: what the admin may save. Errors are keyed by dotted path ("questions.attribution.options.2.label"). */
export function validateSurveyConfig(input: unknown): ConfigValidation {
  const errors: Record<string, string> = {};
  if (!isObject(input) || !isObject(input.questions)) return { ok: false, errors: { questions: "Expected the survey questions" } };
  // The endpoint is the app's to set at publish time, never the merchant's.
  const { endpoint: _ignored, ...merchantInput } = input;
  const config = readSurveyConfig({ ...merchantInput, version: 1 });
  for (const type of QUESTION_TYPES) {
    const text = (input.questions[type] as { text?: unknown } | undefined)?.text;
    if (isObject(text)) {
      for (const [locale, value] of Object.entries(text)) {
        if (typeof value === "string" && value.length > MAX_TEXT) errors[`questions.${type}.text.${locale}`] = `At most ${MAX_TEXT} characters`;
      }
    }
  }
  if (!QUESTION_TYPES.some((type) => config.questions[type].enabled)) errors.questions = "Switch on at least one question";
  const attribution = config.questions.attribution;
  const rawOptions = (input.questions.attribution as { options?: unknown } | undefined)?.options;
  if (Array.isArray(rawOptions) && rawOptions.length > MAX_ATTRIBUTION_OPTIONS) {
    errors["questions.attribution.options"] = `At most ${MAX_ATTRIBUTION_OPTIONS} options`;
  }
  if (attribution.enabled && attribution.options.length === 0) errors["questions.attribution.options"] = "Add at least one option";
  const seen = new Set<string>();
  attribution.options.forEach((option, i) => {
    if (seen.has(option.id)) errors[`questions.attribution.options.${i}.id`] = "Option ids must be unique";
    seen.add(option.id);
    if (!option.label[config.defaultLocale]) errors[`questions.attribution.options.${i}.label`] = `A label in ${config.defaultLocale} is required`;
  });
  for (const path of illFormedTexts(config)) errors[path] = INVALID_TEXT_MESSAGE;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, config };
}

/** Dotted paths of the strings in `value` that hold a lone surrogate (see app/domain/text.ts). */
function illFormedTexts(value: unknown, path: string[] = []): string[] {
  if (typeof value === "string") return isWellFormedText(value) ? [] : [path.join(".")];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => illFormedTexts(item, [...path, key]));
}
