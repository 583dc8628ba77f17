import { NONE_OPTION, OTHER_OPTION, type CustomQuestion } from "./questions";
import { QUESTION_REGISTRY } from "./registry";

/**
 * A custom question's stored answer as one cell of the answers CSV (decision 037): a rating as its number, a short
 * text as written, a choice as its label in the survey's default language (several joined by "; "), "Other" followed
 * by the shopper's words. `stored` and `words` are the answer set's `customAnswers` and `customText` JSON objects.
 */
export function customAnswerCell(question: CustomQuestion, stored: unknown, words: unknown, defaultLocale: string): string | number | null {
  const answer = isObject(stored) ? stored[question.id] : undefined;
  const text = isObject(words) && typeof words[question.id] === "string" ? (words[question.id] as string) : null;
  const control = QUESTION_REGISTRY[question.type].control;
  if (control.kind === "scale") return typeof answer === "number" ? answer : null;
  if (control.kind === "text") return text;
  const ids = isObject(answer) ? (Array.isArray(answer.optionIds) ? answer.optionIds : typeof answer.optionId === "string" ? [answer.optionId] : []) : [];
  if (!ids.length) return null;
  const label = (id: unknown): string => {
    if (id === OTHER_OPTION) return text ? `Other: ${text}` : "Other";
    if (id === NONE_OPTION) return "None";
    const option = question.options.find((o) => o.id === id);
    return option?.label[defaultLocale] ?? String(id);
  };
  return ids.map(label).join("; ");
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
