import { codePointLength, INVALID_TEXT_MESSAGE, isStorableText } from "../text";
import { MAX_COMMENT_LENGTH, MAX_OTHER_LENGTH, SCALES, type QuestionType } from "./questions";

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
  attribution?: { optionId: string; other?: string };
  comment?: string;
}

export interface SurveySubmission {
  /** gid://shopify/Order/<n> or gid://shopify/OrderIdentity/<n> (what the thank-you page exposes). */
  orderId: string;
  locale: string;
  answers: SurveyAnswers;
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
const OPTION_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ANSWER_KEYS: readonly QuestionType[] = ["nps", "csat", "ces", "attribution", "comment"];

/** Every error key `validateSubmission` can report other than an unknown field's. */
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
];

/**
 * What of a refused submission may be logged: the field names the schema knows, and how many unknown fields it
 * had. An unknown field's name is whatever the sender wrote (an email, a comment), so it never reaches a log.
 */
export function loggableErrors(errors: Record<string, string>): { fields: string; unknownFields: number } {
  const keys = Object.keys(errors);
  const known = keys.filter((key) => SUBMISSION_FIELDS.includes(key));
  return { fields: known.join(","), unknownFields: keys.length - known.length };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], prefix: string, errors: Record<string, string>) {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) errors[`${prefix}${key}`] = "Unknown field";
}

export function validateSubmission(input: unknown): SubmissionValidation {
  const errors: Record<string, string> = {};
  if (!isObject(input)) return { ok: false, errors: { body: "Expected a JSON object" } };
  unknownKeys(input, ["orderId", "locale", "answers"], "", errors);

  const orderMatch = typeof input.orderId === "string" ? ORDER_GID.exec(input.orderId) : null;
  if (!orderMatch) errors.orderId = "Expected an order GID such as gid://shopify/Order/123";
  if (typeof input.locale !== "string" || !LOCALE.test(input.locale)) errors.locale = "Expected a locale such as en or zh-CN";

  const answers: SurveyAnswers = {};
  if (!isObject(input.answers)) {
    errors.answers = "Expected an object of answers";
  } else {
    const raw = input.answers;
    unknownKeys(raw, ANSWER_KEYS, "answers.", errors);
    for (const key of ["nps", "csat", "ces"] as const) {
      if (raw[key] === undefined) continue;
      const { min, max } = SCALES[key];
      const n = raw[key];
      if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
        errors[`answers.${key}`] = `Expected a whole number from ${min} to ${max}`;
      } else answers[key] = n;
    }
    if (raw.attribution !== undefined) {
      const a = raw.attribution;
      if (!isObject(a) || typeof a.optionId !== "string" || !OPTION_ID.test(a.optionId)) {
        errors["answers.attribution.optionId"] = "Expected an option id";
      } else {
        unknownKeys(a, ["optionId", "other"], "answers.attribution.", errors);
        if (a.other !== undefined && (typeof a.other !== "string" || codePointLength(a.other) > MAX_OTHER_LENGTH)) {
          errors["answers.attribution.other"] = `Expected text of at most ${MAX_OTHER_LENGTH} characters`;
        } else if (typeof a.other === "string" && !isStorableText(a.other)) {
          errors["answers.attribution.other"] = INVALID_TEXT_MESSAGE;
        } else {
          const other = typeof a.other === "string" ? a.other.trim() : "";
          answers.attribution = other ? { optionId: a.optionId, other } : { optionId: a.optionId };
        }
      }
    }
    if (raw.comment !== undefined) {
      if (typeof raw.comment !== "string" || codePointLength(raw.comment) > MAX_COMMENT_LENGTH) {
        errors["answers.comment"] = `Expected text of at most ${MAX_COMMENT_LENGTH} characters`;
      } else if (!isStorableText(raw.comment)) {
        errors["answers.comment"] = INVALID_TEXT_MESSAGE;
      } else if (raw.comment.trim()) answers.comment = raw.comment.trim();
    }
    if (!Object.keys(errors).some((k) => k.startsWith("answers")) && Object.keys(answers).length === 0) {
      errors.answers = "At least one answer is required";
    }
  }
  if (Object.keys(errors).length || !orderMatch) return { ok: false, errors };
  return {
    ok: true,
    value: { orderId: input.orderId as string, locale: input.locale as string, answers, orderNumericId: orderMatch[1]! },
  };
}
