import { readSurveyConfig } from "~/domain/survey/config";
import { QUESTION_TYPES, type LocalizedText, type SurveyConfig } from "~/domain/survey/questions";
import { sameJson } from "../use-dirty-form";

/**
 * Editing helpers for the survey settings form: pure functions over SurveyConfig, shared by the form and its tests.
 * They stay beside the component, not in the route folder: they parse nothing a request carries (the survey action
 * hands the posted config to services/survey-settings.server.ts, which validates it with domain/survey/config); the
 * page itself only compares drafts with `sameSurvey`.
 */

/** "Search engine" → "search-engine"; ids must match /^[a-z0-9][a-z0-9-]{0,39}$/ (what the extension accepts). */
export function slugify(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

/** The id of an option from its default-locale label; a label with no latin letters or digits gets "option-<n>". */
export function optionId(label: string | undefined, position: number): string {
  return slugify(label ?? "") || `option-${position + 1}`;
}

/** Sets one locale's text; an empty value removes it (empty = the built-in translation). */
export function setText(text: LocalizedText, locale: string, value: string): LocalizedText {
  const next: LocalizedText = { ...text };
  if (value === "") delete next[locale];
  else next[locale] = value;
  return next;
}

/** The list with item `index` moved one place up (-1) or down (1); unchanged at either end. */
export function moveOption<T>(options: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= options.length) return options as T[];
  const next = [...options];
  const [item] = next.splice(index, 1);
  if (item) next.splice(target, 0, item);
  return next;
}

/**
 * An id for a new custom question: "q-" and a base-36 stamp, never one in `taken` nor a built-in type's name. Answers
 * are stored under it, so a question removed and another added never share one (a stamp, not the next free number).
 */
export function newQuestionId(taken: readonly string[], now = Date.now()): string {
  let stamp = now;
  let id = `q-${stamp.toString(36)}`;
  while (taken.includes(id) || (QUESTION_TYPES as readonly string[]).includes(id)) id = `q-${(++stamp).toString(36)}`;
  return id;
}

/** Two configs are the same survey for shoppers (what the extension would read from each). */
export function sameSurvey(a: SurveyConfig, b: SurveyConfig | null): boolean {
  return b !== null && JSON.stringify(readSurveyConfig(a)) === JSON.stringify(readSurveyConfig(b));
}

/** Everything the Survey page's form edits and its save bar covers: the questions (the draft) and the answer window. */
export interface SurveyPageForm {
  config: SurveyConfig;
  /** As typed: "30", "030", "" while editing. */
  answerWindowDays: string;
}

/** The window as its whole number of days when valid, else the text as typed ("030" and "30" are the same window). */
function windowKey(days: string): string {
  const text = days.trim();
  return /^\d{1,3}$/.test(text) ? String(Number(text)) : text;
}

/**
 * Would saving `a` store something other than `b`? The draft compares as plain JSON (decision 030: the form's state
 * as the merchant left it), the window by its number of days.
 */
export function sameSurveyPageForm(a: SurveyPageForm, b: SurveyPageForm): boolean {
  return windowKey(a.answerWindowDays) === windowKey(b.answerWindowDays) && sameJson(a.config, b.config);
}
