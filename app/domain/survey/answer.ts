import { MAX_CUSTOM_QUESTIONS, QUESTION_TYPES, surveyQuestions, type BuiltInType, type SurveyConfig, type SurveyQuestion } from "./questions";
import { meetsCondition, QUESTION_REGISTRY, type AnswerValue, type ChoiceAnswer } from "./registry";

/**
 * The body the extension posts to POST /api/checkout/survey, and its validator — the single source of truth
 * for that shape on both sides. Hand-written (no zod) to keep the checkout bundle small; unknown fields are
 * rejected, every error is reported per field.
 */
/** The page a survey was answered on: the thank-you page or the order status page. */
export type SurveySurface = "thank-you" | "order-status";
export const SURVEY_SURFACES: readonly SurveySurface[] = ["thank-you", "order-status"];

export interface SurveyAnswers {
  nps?: number;
  csat?: number;
  ces?: number;
  attribution?: ChoiceAnswer;
  comment?: string;
  /** Answers to the merchant's own questions, by question id (checked against the shop's published questions). */
  custom?: Record<string, CustomAnswer>;
}
type CustomAnswer = AnswerValue;

export interface SurveySubmission {
  /** gid://shopify/Order/<n> or gid://shopify/OrderIdentity/<n> (what the thank-you page exposes). */
  orderId: string;
  locale: string;
  answers: SurveyAnswers;
  /**
   * Whether this is the survey's last step (decision 041): the extension saves the answers as they are given, each
   * request carrying every answer so far with `complete: false`, and the last one `complete: true`. Absent means
   * true (a client that sends the whole set once, at the end).
   */
  complete?: boolean;
  /** The questions the shopper has been shown so far (question keys), for the Survey page's drop-off. */
  reached?: string[];
}

type SubmissionValidation =
  | { ok: true; value: SurveySubmission & { orderNumericId: string } }
  | { ok: false; errors: Record<string, string> };

const ORDER_GID = /^gid:\/\/shopify\/(?:Order|OrderIdentity)\/(\d{1,20})$/;

/** The numeric id of an order GID (Order or OrderIdentity), or null. */
export function orderNumericId(gid: unknown): string | null {
  return typeof gid === "string" ? (ORDER_GID.exec(gid)?.[1] ?? null) : null;
}
const LOCALE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$/;
/** A question key in `reached`: a built-in type's name or a custom question's id (both fit OPTION_ID's form). */
const QUESTION_KEY = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** At most every question a survey can ask: the five built-in ones and the custom ones. */
const MAX_REACHED = QUESTION_TYPES.length + MAX_CUSTOM_QUESTIONS;
const ANSWER_KEYS: readonly string[] = [...QUESTION_TYPES, "custom"];

/** Every error key `validateSubmission` can report other than an unknown field's and a custom question's. */
export const SUBMISSION_FIELDS: readonly string[] = [
  "body",
  "orderId",
  "locale",
  "answers",
  "answers.nps",
  "answers.csat",
  "answers.ces",
  "answers.attribution.optionId",
  "answers.attribution.other",
  "answers.comment",
  "answers.custom",
  "complete",
  "reached",
];

/**
 * What of a refused submission may be logged: the field names the schema knows, and how many unknown fields it
 * had. An unknown field's name is whatever the sender wrote (an email, a comment), so it never reaches a log.
 */
export function loggableErrors(errors: Record<string, string>): { fields: string; unknownFields: number } {
  const keys = Object.keys(errors);
  // A custom question's key carries an id the sender wrote: it is logged as "answers.custom", never by its id.
  const known = keys.map((key) => (key.startsWith("answers.custom.") ? "answers.custom" : key)).filter((key) => SUBMISSION_FIELDS.includes(key));
  return { fields: [...new Set(known)].join(","), unknownFields: keys.length - known.length };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `answers.custom`: an object of question id → answer, each checked by its question's type. */
function readCustomAnswers(raw: unknown, config: SurveyConfig | null, errors: Record<string, string>): Record<string, CustomAnswer> | null {
  if (!isObject(raw)) {
    errors["answers.custom"] = "Expected an object of answers by question id";
    return null;
  }
  const entries = Object.entries(raw);
  if (entries.length > MAX_CUSTOM_QUESTIONS) {
    errors["answers.custom"] = `At most ${MAX_CUSTOM_QUESTIONS} answers`;
    return null;
  }
  const questions = new Map((config ? surveyQuestions(config) : []).filter((q) => q.custom).map((q) => [q.key, q]));
  const out: Record<string, CustomAnswer> = {};
  for (const [id, value] of entries) {
    const question = questions.get(id);
    if (!question) {
      errors[`answers.custom.${id}`] = "Not a question of this survey";
      continue;
    }
    const checked = QUESTION_REGISTRY[question.type].readAnswer(value, question);
    if (!checked.ok) errors[checked.field ? `answers.custom.${id}.${checked.field}` : `answers.custom.${id}`] = checked.error;
    else if (checked.value !== null) out[id] = checked.value;
  }
  return out;
}

/**
 * A custom question behind a branch is asked only when the answer it depends on matches (`showIf`): an answer to it
 * in a set whose answers do not open the branch was never asked for, and is refused.
 */
function refuseUnaskedAnswers(config: SurveyConfig, answers: SurveyAnswers, errors: Record<string, string>) {
  const questions = surveyQuestions(config);
  for (const id of Object.keys(answers.custom ?? {})) {
    const showIf = questions.find((q) => q.key === id)?.showIf;
    if (!showIf) continue;
    const subject = questions.find((q) => q.key === showIf.question);
    if (!subject || !meetsCondition(subject, answerFor(answers, subject), showIf)) {
      errors[`answers.custom.${id}`] = "Not asked: the answer it depends on does not match";
    }
  }
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], prefix: string, errors: Record<string, string>) {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) errors[`${prefix}${key}`] = "Unknown field";
}

/**
 * Checks the body the extension posts. Each answer is checked by its question type's entry in the registry
 * (registry.ts). Answers to the merchant's own questions (`answers.custom`) are checked against `config`, the shop's
 * published questions: without it, or for an id it does not ask, they are refused.
 */
export function validateSubmission(input: unknown, config?: SurveyConfig | null): SubmissionValidation {
  const errors: Record<string, string> = {};
  if (!isObject(input)) return { ok: false, errors: { body: "Expected a JSON object" } };
  unknownKeys(input, ["orderId", "locale", "answers", "complete", "reached"], "", errors);
  if (input.complete !== undefined && typeof input.complete !== "boolean") errors.complete = "Expected true or false";
  const reached = readReached(input.reached, errors);

  const orderMatch = typeof input.orderId === "string" ? ORDER_GID.exec(input.orderId) : null;
  if (!orderMatch) errors.orderId = "Expected an order GID such as gid://shopify/Order/123";
  if (typeof input.locale !== "string" || !LOCALE.test(input.locale)) errors.locale = "Expected a locale such as en or zh-CN";

  const answers: SurveyAnswers = {};
  if (!isObject(input.answers)) {
    errors.answers = "Expected an object of answers";
  } else {
    const raw = input.answers;
    unknownKeys(raw, ANSWER_KEYS, "answers.", errors);
    const builtIn = answers as Record<BuiltInType, AnswerValue | undefined>;
    for (const type of QUESTION_TYPES) {
      if (raw[type] === undefined) continue;
      const checked = QUESTION_REGISTRY[type].readAnswer(raw[type], null);
      if (!checked.ok) errors[checked.field ? `answers.${type}.${checked.field}` : `answers.${type}`] = checked.error;
      else if (checked.value !== null) builtIn[type] = checked.value;
    }
    if (raw.custom !== undefined) {
      const custom = readCustomAnswers(raw.custom, config ?? null, errors);
      if (custom && Object.keys(custom).length) answers.custom = custom;
      if (config) refuseUnaskedAnswers(config, answers, errors);
    }
    if (!Object.keys(errors).some((k) => k.startsWith("answers")) && Object.keys(answers).length === 0) {
      errors.answers = "At least one answer is required";
    }
  }
  if (Object.keys(errors).length || !orderMatch) return { ok: false, errors };
  const value: SurveySubmission & { orderNumericId: string } = { orderId: input.orderId as string, locale: input.locale as string, answers, orderNumericId: orderMatch[1]! };
  if (input.complete === false) value.complete = false;
  if (reached.length) value.reached = reached;
  return { ok: true, value };
}

/** `reached`: distinct question keys, at most MAX_REACHED; absent is none. */
function readReached(raw: unknown, errors: Record<string, string>): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > MAX_REACHED || !raw.every((key) => typeof key === "string" && QUESTION_KEY.test(key))) {
    errors.reached = `Expected at most ${MAX_REACHED} question keys`;
    return [];
  }
  return [...new Set(raw as string[])];
}

/** The answer given so far to `question` (built-in answers sit under their type, custom ones under `custom`). */
export function answerFor(answers: SurveyAnswers, question: SurveyQuestion): AnswerValue | undefined {
  return question.custom ? answers.custom?.[question.key] : (answers as Record<string, AnswerValue | undefined>)[question.key];
}

/** The flow's `answer` patch that sets the answer to `question`. */
export function answerPatch(question: SurveyQuestion, value: AnswerValue): SurveyAnswers {
  return question.custom ? { custom: { [question.key]: value } } : ({ [question.key]: value } as SurveyAnswers);
}

/**
 * Custom answers as stored (decision 037): choices and ratings in one object, the shopper's words (short text, the
 * text typed with "Other") in another, so erasing personal data clears one column. Both by question id; null for none.
 */
export function splitCustomAnswers(custom: SurveyAnswers["custom"]): { answers: Record<string, unknown> | null; text: Record<string, string> | null } {
  const answers: Record<string, unknown> = {};
  const text: Record<string, string> = {};
  for (const [id, value] of Object.entries(custom ?? {})) {
    if (typeof value === "string") text[id] = value;
    else if (typeof value === "number") answers[id] = value;
    else {
      const { other, ...choice } = value;
      answers[id] = choice;
      if (other) text[id] = other;
    }
  }
  return { answers: Object.keys(answers).length ? answers : null, text: Object.keys(text).length ? text : null };
}
