import { answerFilterBounds, type AnswerFilters } from "~/domain/survey/answer-filters";
import { localized, surveyQuestions, type SurveyConfig } from "~/domain/survey/questions";
import { QUESTION_REGISTRY } from "~/domain/survey/registry";
import { dropOff, responseRate } from "~/domain/survey/response-rate";
import { questionReach, responseRateCounts } from "~/models/survey-response-rate.server";

/** Without a date filter, the Survey page's response rate covers the last 30 days. */
const DEFAULT_DAYS = 30;
const DAY_MS = 24 * 3_600_000;

/**
 * The Survey page's "Response rate" card (decision 041): answered ÷ seen (answered ÷ orders before seen data
 * existed) for the answers list's date range (the last 30 days without one), and each question of `config` (the
 * draft: the questions the merchant is looking at) with how many sets reached and answered it.
 */
export async function surveyResponseRate(shop: string, filters: Pick<AnswerFilters, "from" | "to">, config: SurveyConfig, now = new Date()) {
  const bounds = answerFilterBounds(filters);
  const to = bounds.to ? new Date(bounds.to.getTime() + 1) : now;
  const from = bounds.from ?? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  const [counts, reach] = await Promise.all([responseRateCounts(shop, from, to), questionReach(shop, from, to)]);
  const questions = surveyQuestions(config).map((q) => ({
    key: q.key,
    label: q.custom ? (localized(q.text, config.defaultLocale, config.defaultLocale) ?? q.key) : QUESTION_REGISTRY[q.type].name,
  }));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    firstSeenAt: counts.firstSeenAt?.toISOString() ?? null,
    completed: counts.seenCompleted,
    seen: counts.seen,
    rate: responseRate(counts),
    questions: dropOff(questions, reach, counts.seen),
  };
}
