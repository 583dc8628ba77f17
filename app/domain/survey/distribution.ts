import { localized, NONE_OPTION, OTHER_OPTION, type SurveyConfig, type SurveyQuestion, surveyQuestions } from "./questions";
import { QUESTION_REGISTRY } from "./registry";

/**
 * Per-question distributions (Reports page): how the answers given in a range spread over each question's scale or
 * options. The database counts (question key, value) pairs; this module lays them out per question as the survey
 * asks it now, from the question-type registry: every point of a scale and every option shown (zeros included), in
 * the survey's order, "Other" and "None" last. Text questions have no distribution (their answers are searched).
 */

/** One counted pair: `value` is a score as digits or an option id; `value` null is the question's respondents. */
export interface AnswerValueCount {
  question: string;
  value: string | null;
  count: number;
}

export interface Distribution {
  key: string;
  /** The question in the survey's default language (the type's admin name when it has no wording). */
  title: string;
  kind: "scale" | "choice";
  /** Answer sets that answered this question (for multiple choice, the shares add up to more than 100 %). */
  respondents: number;
  bins: { value: string; label: string; count: number; share: number | null }[];
}

const share = (count: number, of: number) => (of > 0 ? Math.round((1000 * count) / of) / 10 : null);

function optionBins(question: SurveyQuestion, locale: string): { value: string; label: string }[] {
  return [
    ...question.options.map((o) => ({ value: o.id, label: localized(o.label, locale, locale) ?? o.id })),
    ...(question.allowOther ? [{ value: OTHER_OPTION, label: "Other" }] : []),
    ...(question.allowNone ? [{ value: NONE_OPTION, label: "None of these" }] : []),
  ];
}

/**
 * The distributions of the survey's scale and choice questions, in the order shoppers are asked them; a built-in
 * question switched off since still shows while the range has answers to it. A custom question removed from the
 * survey has no options to lay out and is left out.
 */
export function questionDistributions(config: SurveyConfig, counts: readonly AnswerValueCount[]): Distribution[] {
  const locale = config.defaultLocale;
  const byQuestion = new Map<string, Map<string | null, number>>();
  for (const c of counts) {
    const values = byQuestion.get(c.question) ?? new Map<string | null, number>();
    values.set(c.value, (values.get(c.value) ?? 0) + c.count);
    byQuestion.set(c.question, values);
  }
  const asked = surveyQuestions({
    ...config,
    questions: Object.fromEntries(
      Object.entries(config.questions).map(([type, q]) => [type, { ...q, enabled: q.enabled || (byQuestion.get(type)?.get(null) ?? 0) > 0 }]),
    ) as SurveyConfig["questions"],
  });
  return asked.flatMap((question): Distribution[] => {
    const entry = QUESTION_REGISTRY[question.type];
    const control = entry.control;
    if (control.kind === "text") return [];
    const values = byQuestion.get(question.key) ?? new Map<string | null, number>();
    const respondents = values.get(null) ?? 0;
    const layout =
      control.kind === "scale"
        ? Array.from({ length: control.max - control.min + 1 }, (_, i) => ({ value: String(control.min + i), label: String(control.min + i) }))
        : optionBins(question, locale);
    return [
      {
        key: question.key,
        title: localized(question.text, locale, locale) ?? entry.name,
        kind: control.kind,
        respondents,
        bins: layout.map((bin) => {
          const count = values.get(bin.value) ?? 0;
          return { ...bin, count, share: share(count, respondents) };
        }),
      },
    ];
  });
}
