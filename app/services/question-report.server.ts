import { parseAnswerSegment, segmentParam } from "~/domain/cx/answer-segment";
import { parseDateRange } from "~/domain/cx/date-range";
import { tierLabeller } from "~/domain/cx/segment-labels";
import { tierSlug } from "~/domain/loyalty/program";
import { questionDistributions } from "~/domain/survey/distribution";
import { localized, surveyQuestions } from "~/domain/survey/questions";
import { QUESTION_REGISTRY } from "~/domain/survey/registry";
import { answerValueCounts, searchTextAnswers } from "~/models/question-report.server";
import { getLoyaltyProgram } from "./loyalty.server";
import { shopDisplay } from "./shop-profile.server";
import { getSurveySettings } from "./survey-settings.server";

/** The longest search the page sends to the database. */
const MAX_SEARCH = 100;

/**
 * The Reports page's questions part: each scale and choice question's distribution and the answer sets whose words
 * match a search, for the page's date range and an optional answer segment (`?segment=`, `?q=`).
 */
export async function loadQuestionReport(shop: string, params: URLSearchParams, now = new Date()) {
  const { range } = parseDateRange(params, now);
  const parsedSegment = parseAnswerSegment(params.get("segment"));
  const segment = parsedSegment.ok ? parsedSegment.segment : null;
  const search = (params.get("q") ?? "").trim().slice(0, MAX_SEARCH) || null;
  const [counts, texts, { program }, survey, display] = await Promise.all([
    answerValueCounts(shop, range.from, range.to, segment),
    searchTextAnswers(shop, range.from, range.to, search, segment),
    getLoyaltyProgram(shop),
    getSurveySettings(shop),
    shopDisplay(shop),
  ]);
  const config = survey.published ?? survey.draft;
  const tierLabel = tierLabeller(program);
  // A built-in question without the merchant's own wording is named as the Survey page names it.
  const questionTitle = new Map(surveyQuestions(config).map((q) => [q.key, localized(q.text, config.defaultLocale, config.defaultLocale) ?? QUESTION_REGISTRY[q.type].name]));
  const segmentOptions = [
    { label: "All answers", value: "all" },
    { label: "First order", value: "customerType:new" },
    { label: "Returning customer", value: "customerType:returning" },
    { label: "Guest checkout", value: "customerType:guest" },
    ...[...program.tiers.map((t) => tierSlug(t.name)), ""].map((slug) => ({ label: `Tier: ${tierLabel(slug)}`, value: `tier:${slug}` })),
    { label: "Has a refund", value: "refund:refund" },
    { label: "No refund", value: "refund:none" },
  ];
  return {
    segment: segment ? segmentParam(segment) : "all",
    segmentError: parsedSegment.ok ? null : parsedSegment.error,
    segmentOptions,
    search,
    timezone: display.timezone,
    distributions: questionDistributions(config, counts),
    textAnswers: texts.map((t) => ({
      id: t.id,
      orderId: t.orderId,
      orderName: t.orderName,
      customerId: t.customerId,
      createdAt: t.createdAt.toISOString(),
      texts: [
        ...(t.comment ? [{ question: questionTitle.get("comment") ?? QUESTION_REGISTRY.comment.name, text: t.comment }] : []),
        ...(t.attributionOther ? [{ question: `${questionTitle.get("attribution") ?? QUESTION_REGISTRY.attribution.name} (Other)`, text: t.attributionOther }] : []),
        ...Object.entries(t.customText).map(([key, text]) => ({ question: questionTitle.get(key) ?? "A removed question", text })),
      ],
    })),
  };
}
