import { codePointLength, INVALID_TEXT_MESSAGE, isStorableText } from "../text";
import {
  MAX_CHOICE_OPTIONS,
  MAX_COMMENT_LENGTH,
  MAX_OTHER_LENGTH,
  MAX_SHORT_TEXT_LENGTH,
  NONE_OPTION,
  OTHER_OPTION,
  type QuestionType,
  type ShowIf,
  type SurveyQuestion,
} from "./questions";
import { BANDS_BY_QUESTION, type ScoreBand } from "./score-bands";

/**
 * The question-type registry: one entry per type, from which the config reader, the answer schema, the answer
 * filters, the admin editor and both renderers (the admin preview and the extension) derive
 * (docs/decisions/037-survey-question-registry.md). Dependency-free: the extension bundles it.
 *
 * A renderer draws a question by its `control` (a scale, a choice list, a text field), never by its type's name, so
 * a new type is an entry here, its locale strings, and its admin strings below.
 */
export type QuestionControl =
  | { kind: "scale"; min: number; max: number }
  | { kind: "choice"; multiple: boolean }
  | { kind: "text"; maxLength: number; multiline: boolean };

/** One choice; `other` is the shopper's own words when they chose "Other". */
export interface ChoiceAnswer {
  optionId: string;
  other?: string;
}
/** Several choices; "None" is chosen alone. */
export interface MultiChoiceAnswer {
  optionIds: string[];
  other?: string;
}
export type AnswerValue = number | string | ChoiceAnswer | MultiChoiceAnswer;

type Checked = { ok: true; value: AnswerValue | null } | { ok: false; error: string; field?: string };

interface QuestionTypeEntry {
  control: QuestionControl;
  /** One of the survey's five fixed slots (its answer has its own column), or a type the merchant's questions use. */
  builtIn: boolean;
  /** The admin's name for the type, and what it asks (the editor's type picker); `shortName` for lists and filters. */
  name: string;
  shortName: string;
  summary: string;
  /**
   * Scored types: the bands the answers list and export filter by (app/domain/survey/score-bands.ts); null when the
   * type has none.
   */
  bands: readonly ScoreBand[] | null;
  /**
   * The extension's locale keys of the type's built-in wording: `<key>.question` (built-in types only) and, for a
   * scale, `<key>.low` / `<key>.high` (its ends).
   */
  localeKey: string;
  /**
   * The answer as the extension sends it → the value stored (null: an empty answer, not stored), or the reason it is
   * refused. `question` is the question it answers (its options); null for a built-in answer checked without the
   * shop's configuration (option ids are then checked for form only).
   */
  readAnswer(raw: unknown, question: SurveyQuestion | null): Checked;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const OPTION_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

function scale(min: number, max: number) {
  return (raw: unknown): Checked =>
    typeof raw === "number" && Number.isInteger(raw) && raw >= min && raw <= max
      ? { ok: true, value: raw }
      : { ok: false, error: `Expected a whole number from ${min} to ${max}` };
}

function freeText(max: number, raw: unknown): { ok: true; value: string } | { ok: false; error: string } {
  if (typeof raw !== "string" || codePointLength(raw) > max) return { ok: false, error: `Expected text of at most ${max} characters` };
  if (!isStorableText(raw)) return { ok: false, error: INVALID_TEXT_MESSAGE };
  return { ok: true, value: raw.trim() };
}

function text(max: number) {
  return (raw: unknown): Checked => {
    const read = freeText(max, raw);
    return read.ok ? { ok: true, value: read.value || null } : read;
  };
}

/** The ids a shopper may choose for `question`: its options, then "Other" and "None" where offered. */
export function choiceIds(question: SurveyQuestion): string[] {
  return [...question.options.map((o) => o.id), ...(question.allowOther ? [OTHER_OPTION] : []), ...(question.allowNone ? [NONE_OPTION] : [])];
}

const knownOption = (id: unknown, question: SurveyQuestion | null): id is string =>
  typeof id === "string" && OPTION_ID.test(id) && (question === null || choiceIds(question).includes(id));

/** The "Other" text of a choice answer: only with "Other" chosen, trimmed, dropped when blank. */
function otherText(raw: Record<string, unknown>, chosenOther: boolean): { ok: true; other?: string } | { ok: false; error: string; field: string } {
  if (raw.other === undefined) return { ok: true };
  if (!chosenOther) return { ok: false, error: "Only with the Other option chosen", field: "other" };
  const read = freeText(MAX_OTHER_LENGTH, raw.other);
  if (!read.ok) return { ...read, field: "other" };
  return read.value ? { ok: true, other: read.value } : { ok: true };
}

function unknownField(raw: Record<string, unknown>, allowed: readonly string[]): string | null {
  return Object.keys(raw).find((key) => !allowed.includes(key)) ?? null;
}

function singleChoice(raw: unknown, question: SurveyQuestion | null): Checked {
  if (!isObject(raw) || !knownOption(raw.optionId, question)) {
    return { ok: false, error: question ? "Expected one of the question's options" : "Expected an option id", field: "optionId" };
  }
  const unknownKey = unknownField(raw, ["optionId", "other"]);
  if (unknownKey) return { ok: false, error: "Unknown field", field: unknownKey };
  const other = otherText(raw, raw.optionId === OTHER_OPTION);
  if (!other.ok) return other;
  return { ok: true, value: other.other ? { optionId: raw.optionId, other: other.other } : { optionId: raw.optionId } };
}

function multipleChoice(raw: unknown, question: SurveyQuestion | null): Checked {
  if (!isObject(raw) || !Array.isArray(raw.optionIds)) return { ok: false, error: "Expected a list of the question's options", field: "optionIds" };
  const unknownKey = unknownField(raw, ["optionIds", "other"]);
  if (unknownKey) return { ok: false, error: "Unknown field", field: unknownKey };
  const ids = raw.optionIds;
  if (ids.length > MAX_CHOICE_OPTIONS + 2 || !ids.every((id) => knownOption(id, question)) || new Set(ids).size !== ids.length) {
    return { ok: false, error: "Expected distinct options of the question", field: "optionIds" };
  }
  const chosen = ids as string[];
  if (chosen.includes(NONE_OPTION) && chosen.length > 1) return { ok: false, error: "None is chosen alone", field: "optionIds" };
  const other = otherText(raw, chosen.includes(OTHER_OPTION));
  if (!other.ok) return other;
  if (!chosen.length) return { ok: true, value: null };
  return { ok: true, value: other.other ? { optionIds: chosen, other: other.other } : { optionIds: chosen } };
}

const SCORE_BANDS = BANDS_BY_QUESTION;

export const QUESTION_REGISTRY: Record<QuestionType, QuestionTypeEntry> = {
  nps: {
    control: { kind: "scale", min: 0, max: 10 },
    builtIn: true,
    name: "Net Promoter Score (NPS)",
    shortName: "NPS",
    summary: "How likely to recommend the shop, 0 to 10",
    bands: SCORE_BANDS.nps,
    localeKey: "nps",
    readAnswer: scale(0, 10),
  },
  csat: {
    control: { kind: "scale", min: 1, max: 5 },
    builtIn: true,
    name: "Customer satisfaction (CSAT)",
    shortName: "CSAT",
    summary: "How satisfied with the purchase, 1 to 5",
    bands: SCORE_BANDS.csat,
    localeKey: "csat",
    readAnswer: scale(1, 5),
  },
  ces: {
    control: { kind: "scale", min: 1, max: 7 },
    builtIn: true,
    name: "Customer effort (CES)",
    shortName: "CES",
    summary: "How easy it was to order, 1 to 7",
    bands: SCORE_BANDS.ces,
    localeKey: "ces",
    readAnswer: scale(1, 7),
  },
  attribution: {
    control: { kind: "choice", multiple: false },
    builtIn: true,
    name: "How did you hear about us?",
    shortName: "Attribution",
    summary: "Where the shopper heard of the shop, one option or their own words",
    bands: null,
    localeKey: "attribution",
    readAnswer: singleChoice,
  },
  comment: {
    control: { kind: "text", maxLength: MAX_COMMENT_LENGTH, multiline: true },
    builtIn: true,
    name: "Comment",
    shortName: "Comment",
    summary: "Anything else, in the shopper's words",
    bands: null,
    localeKey: "comment",
    readAnswer: text(MAX_COMMENT_LENGTH),
  },
  single_choice: {
    control: { kind: "choice", multiple: false },
    builtIn: false,
    name: "Single choice",
    shortName: "Single choice",
    summary: "One of your options",
    bands: null,
    localeKey: "choice",
    readAnswer: singleChoice,
  },
  multiple_choice: {
    control: { kind: "choice", multiple: true },
    builtIn: false,
    name: "Multiple choice",
    shortName: "Multiple choice",
    summary: "Any of your options",
    bands: null,
    localeKey: "choice",
    readAnswer: multipleChoice,
  },
  short_text: {
    control: { kind: "text", maxLength: MAX_SHORT_TEXT_LENGTH, multiline: false },
    builtIn: false,
    name: "Short text",
    shortName: "Short text",
    summary: `A line in the shopper's words (up to ${MAX_SHORT_TEXT_LENGTH} characters)`,
    bands: null,
    localeKey: "shortText",
    readAnswer: text(MAX_SHORT_TEXT_LENGTH),
  },
  rating_1_5: {
    control: { kind: "scale", min: 1, max: 5 },
    builtIn: false,
    name: "Rating 1–5",
    shortName: "Rating",
    summary: "A score from 1 to 5",
    bands: null,
    localeKey: "rating",
    readAnswer: scale(1, 5),
  },
};

/** The types that are scored with bands: the answers list's and the export's question filter. */
export const BANDED_TYPES = (Object.keys(QUESTION_REGISTRY) as QuestionType[]).filter((type) => QUESTION_REGISTRY[type].bands !== null);

/**
 * The options of a choice question in the order a shopper sees them: as the merchant listed them, or, with `shuffle`,
 * in an order drawn from `seed` (the order and the question: the same order on every reload); "Other" and "None"
 * (when offered) always last, in that order.
 */
export function orderedChoices(question: SurveyQuestion, seed: string): string[] {
  const ids = question.options.map((o) => o.id);
  if (question.shuffle) {
    const random = seededRandom(`${seed}|${question.key}`);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
  }
  return [...ids, ...(question.allowOther ? [OTHER_OPTION] : []), ...(question.allowNone ? [NONE_OPTION] : [])];
}

/** A small deterministic generator (FNV-1a hash of the seed, then mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Whether `answer`, given to `question`, meets a branching condition (`ShowIf`): a score in its range for a scale, one
 * of its options for a choice. A question without an answer, or of a type that cannot be branched on (text), never
 * meets one.
 */
export function meetsCondition(question: SurveyQuestion | undefined, answer: AnswerValue | undefined, showIf: ShowIf): boolean {
  if (!question || answer === undefined) return false;
  const control = QUESTION_REGISTRY[question.type].control;
  if (control.kind === "scale") {
    return typeof answer === "number" && answer >= (showIf.min ?? control.min) && answer <= (showIf.max ?? control.max);
  }
  if (control.kind === "choice" && typeof answer === "object") {
    const chosen = "optionIds" in answer ? answer.optionIds : [answer.optionId];
    return chosen.some((id) => showIf.options?.includes(id));
  }
  return false;
}

/** The branching condition a question of this type can be the subject of: a score range, options, or none. */
export function conditionKind(type: QuestionType): "range" | "options" | null {
  const kind = QUESTION_REGISTRY[type].control.kind;
  return kind === "scale" ? "range" : kind === "choice" ? "options" : null;
}
