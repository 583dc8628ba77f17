import { INVALID_TEXT_MESSAGE, isWellFormedText } from "../text";
import {
  CUSTOM_TYPES,
  DEFAULT_SURVEY_CONFIG,
  MAX_ATTRIBUTION_OPTIONS,
  MAX_CHOICE_OPTIONS,
  MAX_CUSTOM_QUESTIONS,
  NONE_OPTION,
  OTHER_OPTION,
  QUESTION_TYPES,
  surveyQuestions,
  type ChoiceOption,
  type CustomQuestion,
  type CustomType,
  type LocalizedText,
  type ShowIf,
  type SurveyConfig,
} from "./questions";
import { AUDIENCE_PROBLEMS, readAudience, type Audience } from "./audience";
import { choiceIds, conditionKind, OPTION_ID, QUESTION_REGISTRY } from "./registry";

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

/**
 * Options of a choice question with well-formed ids, at most `max`. A custom question's (`unique`) also drop repeated
 * ids and "other" / "none", which are its built-in choices; the attribution question's are read as they always were
 * (the strict check names a repeated id).
 */
function readOptions(value: unknown, max: number, unique: boolean): ChoiceOption[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>(unique ? [OTHER_OPTION, NONE_OPTION] : []);
  const out: ChoiceOption[] = [];
  for (const o of value) {
    if (!isObject(o) || typeof o.id !== "string" || !OPTION_ID.test(o.id) || seen.has(o.id)) continue;
    if (unique) seen.add(o.id);
    out.push({ id: o.id, label: readText(o.label) });
  }
  return out.slice(0, max);
}

const isCustomType = (value: unknown): value is CustomType => (CUSTOM_TYPES as readonly unknown[]).includes(value);
const BUILT_IN_NAMES: readonly string[] = QUESTION_TYPES;

/** One custom question, or null when it cannot be asked (unknown type, malformed or reserved id). */
function readCustomQuestion(value: unknown): CustomQuestion | null {
  if (!isObject(value) || !isCustomType(value.type) || typeof value.id !== "string" || !OPTION_ID.test(value.id) || BUILT_IN_NAMES.includes(value.id)) {
    return null;
  }
  const choice = QUESTION_REGISTRY[value.type].control.kind === "choice";
  const showIf = readShowIf(value.showIf);
  const audience = readAudience(value.audience);
  // Not asked at all rather than asked of everyone: the merchant meant it for some shoppers only.
  if (!audience.ok) return null;
  return {
    id: value.id,
    type: value.type,
    text: readText(value.text),
    options: choice ? readOptions(value.options, MAX_CHOICE_OPTIONS, true) : [],
    shuffle: choice && value.shuffle === true,
    allowOther: choice && value.allowOther === true,
    allowNone: choice && value.allowNone === true,
    ...(showIf ? { showIf } : {}),
    ...(audience.audience ? { audience: audience.audience } : {}),
  };
}

/** A built-in question's audience: none, the one stored, or null when it cannot be read (the question is then off). */
function builtInAudience(item: Record<string, unknown>): Audience | undefined | null {
  const read = readAudience(item.audience);
  return read.ok ? read.audience : null;
}

const isWhole = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/**
 * A branching condition's shape (whether it names an earlier question it can apply to is the strict check's):
 * the question's key, and a range of whole numbers or a list of option ids. Anything else: no condition.
 */
function readShowIf(value: unknown): ShowIf | undefined {
  if (!isObject(value) || typeof value.question !== "string" || !OPTION_ID.test(value.question)) return undefined;
  if (Array.isArray(value.options)) {
    const options = value.options.filter((id): id is string => typeof id === "string" && OPTION_ID.test(id)).slice(0, MAX_CHOICE_OPTIONS + 2);
    return options.length ? { question: value.question, options } : undefined;
  }
  if (isWhole(value.min) && isWhole(value.max) && value.min <= value.max) return { question: value.question, min: value.min, max: value.max };
  return undefined;
}

/** The custom questions: readable ones with unique ids, at most `MAX_CUSTOM_QUESTIONS`. */
function readCustomQuestions(value: unknown): CustomQuestion[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  const out: CustomQuestion[] = [];
  for (const item of value) {
    const q = readCustomQuestion(item);
    if (!q || seen.has(q.id)) continue;
    seen.add(q.id);
    out.push(q);
  }
  return out.slice(0, MAX_CUSTOM_QUESTIONS);
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
    if (!isObject(item)) return { ...base[type], text: { ...base[type].text } };
    const audience = builtInAudience(item);
    return { enabled: item.enabled === true && audience !== null, text: readText(item.text), ...(audience ? { audience } : {}) };
  };
  const attribution = isObject(q.attribution) ? q.attribution : {};
  const options: ChoiceOption[] = Array.isArray(attribution.options) ? readOptions(attribution.options, MAX_ATTRIBUTION_OPTIONS, false) : base.attribution.options;
  const extras = isObject(raw.extras) ? raw.extras : {};
  return {
    version: 1,
    defaultLocale: typeof raw.defaultLocale === "string" ? raw.defaultLocale : "en",
    questions: {
      nps: question("nps"),
      csat: question("csat"),
      ces: question("ces"),
      attribution: { ...question("attribution"), options, allowOther: attribution.allowOther !== false, askFirst: attribution.askFirst !== false },
      comment: question("comment"),
    },
    custom: readCustomQuestions(raw.custom),
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
  if (!QUESTION_TYPES.some((type) => config.questions[type].enabled) && config.custom.length === 0) errors.questions = "Switch on at least one question";
  validateCustomQuestions(input.custom, config.defaultLocale, errors);
  validateAudiences(input, errors);
  validateConditions(config, errors);
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

/**
 * The merchant's own questions, strictly, by their place in the list the merchant sent (`custom.<i>.…`): a known type,
 * a unique id, wording in the default locale, and for the choice types at least two options, each labelled in the
 * default locale, with unique ids that are not "other" or "none" (those are the built-in choices).
 */
function validateCustomQuestions(raw: unknown, defaultLocale: string, errors: Record<string, string>) {
  if (raw === undefined) return;
  if (!Array.isArray(raw)) {
    errors.custom = "Expected a list of questions";
    return;
  }
  if (raw.length > MAX_CUSTOM_QUESTIONS) errors.custom = `At most ${MAX_CUSTOM_QUESTIONS} questions`;
  const ids = new Set<string>();
  raw.forEach((item, i) => {
    const path = `custom.${i}`;
    if (!isObject(item) || !isCustomType(item.type)) {
      errors[`${path}.type`] = `Choose a question type (${CUSTOM_TYPES.join(", ")})`;
      return;
    }
    if (typeof item.id !== "string" || !OPTION_ID.test(item.id) || BUILT_IN_NAMES.includes(item.id) || ids.has(item.id)) {
      errors[`${path}.id`] = "Question ids must be unique: lowercase letters, digits and dashes";
    }
    if (typeof item.id === "string") ids.add(item.id);
    const text = isObject(item.text) ? item.text : {};
    for (const [locale, value] of Object.entries(text)) {
      if (typeof value === "string" && value.length > MAX_TEXT) errors[`${path}.text.${locale}`] = `At most ${MAX_TEXT} characters`;
    }
    if (!errors[`${path}.text.${defaultLocale}`] && !readText(text)[defaultLocale]) errors[`${path}.text.${defaultLocale}`] = `The question in ${defaultLocale} is required`;
    // A condition the reader cannot read would be dropped (the question asked to everyone): refused instead.
    if (item.showIf !== undefined && item.showIf !== null && !readShowIf(item.showIf)) errors[`${path}.showIf`] = "Choose an earlier question and its scores or options";
    if (QUESTION_REGISTRY[item.type].control.kind !== "choice") return;
    const options = Array.isArray(item.options) ? item.options : [];
    if (options.length > MAX_CHOICE_OPTIONS) errors[`${path}.options`] = `At most ${MAX_CHOICE_OPTIONS} options`;
    else if (options.length < 2) errors[`${path}.options`] = "Add at least two options";
    const optionIds = new Set<string>([OTHER_OPTION, NONE_OPTION]);
    options.forEach((option: unknown, j: number) => {
      const o = isObject(option) ? option : {};
      if (typeof o.id !== "string" || !OPTION_ID.test(o.id) || optionIds.has(o.id)) errors[`${path}.options.${j}.id`] = "Option ids must be unique";
      if (typeof o.id === "string") optionIds.add(o.id);
      const label = isObject(o.label) ? o.label : {};
      for (const [locale, value] of Object.entries(label)) {
        if (typeof value === "string" && value.length > MAX_TEXT) errors[`${path}.options.${j}.label.${locale}`] = `At most ${MAX_TEXT} characters`;
      }
      if (!errors[`${path}.options.${j}.label.${defaultLocale}`] && !readText(label)[defaultLocale]) errors[`${path}.options.${j}.label`] = `A label in ${defaultLocale} is required`;
    });
  });
}

/**
 * Branching, strictly: a condition names a question asked before this one (an enabled built-in question before the
 * custom ones, or an earlier custom question) that can be branched on; a range within its scale, or options it has.
 * Errors at `custom.<i>.showIf`. (The raw input's malformed conditions were dropped by the reader: checked here as read.)
 */
function validateConditions(config: SurveyConfig, errors: Record<string, string>) {
  const questions = surveyQuestions(config);
  config.custom.forEach((q, i) => {
    if (!q.showIf) return;
    const at = questions.findIndex((item) => item.key === q.id);
    const subject = questions.slice(0, at).find((item) => item.key === q.showIf!.question);
    const path = `custom.${i}.showIf`;
    if (!subject) {
      errors[path] = "Choose a question asked before this one";
      return;
    }
    const kind = conditionKind(subject.type);
    const control = QUESTION_REGISTRY[subject.type].control;
    if (kind === "range" && control.kind === "scale") {
      const { min = control.min, max = control.max } = q.showIf;
      if (q.showIf.options || min < control.min || max > control.max || min > max) errors[path] = `Choose scores from ${control.min} to ${control.max}`;
    } else if (kind === "options") {
      const ids = choiceIds(subject);
      if (!q.showIf.options?.length || !q.showIf.options.every((id) => ids.includes(id))) errors[path] = "Choose at least one of that question's options";
    } else {
      errors[path] = "This question's answers cannot be branched on";
    }
  });
}

/** Targeting, strictly: every question's `audience` as `readAudience` accepts it (errors at `<question path>.audience…`). */
function validateAudiences(input: Record<string, unknown>, errors: Record<string, string>) {
  const check = (raw: unknown, path: string) => {
    const read = readAudience(raw);
    if (!read.ok) errors[`${path}.${read.field}`] = AUDIENCE_PROBLEMS[read.problem];
  };
  const questions = isObject(input.questions) ? input.questions : {};
  for (const type of QUESTION_TYPES) {
    const item = questions[type];
    if (isObject(item)) check(item.audience, `questions.${type}`);
  }
  if (Array.isArray(input.custom)) input.custom.forEach((item, i) => isObject(item) && check(item.audience, `custom.${i}`));
}

/** Dotted paths of the strings in `value` that hold a lone surrogate (see app/domain/text.ts). */
function illFormedTexts(value: unknown, path: string[] = []): string[] {
  if (typeof value === "string") return isWellFormedText(value) ? [] : [path.join(".")];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => illFormedTexts(item, [...path, key]));
}
