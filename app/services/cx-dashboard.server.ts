import { parseDateRange, rangeView, trendBuckets, trendGranularity } from "~/domain/cx/date-range";
import { periodState } from "~/domain/cx/partial-period";
import { attributionLabeller, tierLabeller } from "~/domain/cx/segment-labels";
import { cesFigure, csatFigure, npsFigure } from "~/domain/cx/scores";
import { VALUE_BANDS, valueBandEdgesMinor } from "~/domain/cx/value-bands";
import { currencyExponent } from "~/domain/money";
import { latestComments } from "~/models/cx-comments.server";
import { answerCountsByBucket, answerCountsBySegment, type AnswerCounts, type SegmentDimension } from "~/models/cx-scores.server";
import { FOLLOW_WINDOW_MS, worthByCategory } from "~/models/cx-worth.server";
import { loadScoreCards } from "./cx-scores.server";
import { shopDisplay } from "./shop-profile.server";
import { getLoyaltyProgram } from "./loyalty.server";
import { getSurveySettings } from "./survey-settings.server";

/**
 * Everything the CX part of the dashboard shows for one date range: score cards against the previous period,
 * the trend, segments, what promoters / passives / detractors are worth, and the latest comments. Every figure
 * is aggregated in SQL (app/models/cx-*.server.ts); the independent queries run in parallel.
 */
const DAY = 24 * 60 * 60 * 1000;
const MAX_SEARCH = 100;
/** The worth cohort: 365 days of answers ending 90 days before today, so every one has been followed for 90 days. */
const WORTH_COHORT_MS = 365 * DAY;

function scores(counts: AnswerCounts) {
  return {
    answers: counts.answers,
    nps: npsFigure({ promoters: counts.promoters, passives: counts.passives, detractors: counts.detractors }),
    csat: csatFigure(counts.csatSatisfied, counts.csatAnswers),
    ces: cesFigure({ answers: counts.cesAnswers, sum: counts.cesSum, sumOfSquares: counts.cesSumOfSquares, easy: counts.cesEasy }),
  };
}

export async function loadCxDashboard(shop: string, params: URLSearchParams, now = new Date()) {
  const parsed = parseDateRange(params, now);
  const { range } = parsed;
  const search = (params.get("q") ?? "").trim().slice(0, MAX_SEARCH) || null;
  const granularity = trendGranularity(range);
  const display = await shopDisplay(shop);
  const bands = valueBandEdgesMinor(currencyExponent(display.currency));
  // Whole UTC days: the cohort ends at the midnight 90 days before today's.
  const worthTo = new Date(Math.floor((now.getTime() - FOLLOW_WINDOW_MS) / DAY) * DAY);
  const worthFrom = new Date(worthTo.getTime() - WORTH_COHORT_MS);

  const segmentQuery = (dimension: SegmentDimension) => answerCountsBySegment(shop, range.from, range.to, dimension, bands);
  const [cards, trendRows, tier, customerType, orderValue, attribution, refund, worth, comments, { program }, survey] = await Promise.all([
    loadScoreCards(shop, range),
    answerCountsByBucket(shop, range.from, range.to, granularity),
    segmentQuery("tier"),
    segmentQuery("customerType"),
    segmentQuery("orderValue"),
    segmentQuery("attribution"),
    segmentQuery("refund"),
    worthByCategory(shop, worthFrom, worthTo),
    latestComments(shop, range.from, range.to, search),
    getLoyaltyProgram(shop),
    getSurveySettings(shop),
  ]);

  const byBucket = new Map(trendRows.map((row) => [row.bucket, row]));
  const empty: AnswerCounts = { answers: 0, promoters: 0, passives: 0, detractors: 0, csatAnswers: 0, csatSatisfied: 0, cesAnswers: 0, cesSum: 0, cesSumOfSquares: 0, cesEasy: 0 };
  // `period`: whether the bucket is a whole week or month; the chart marks the others as partial ("so far").
  const trend = trendBuckets(range, granularity).map((b) => ({
    label: b.label,
    start: b.start.toISOString(),
    period: periodState(b.start, granularity, range, now),
    ...scores(byBucket.get(b.key) ?? empty),
  }));

  const tierLabel = tierLabeller(program);
  const attributionLabel = attributionLabeller(survey.published ?? survey.draft);
  const bandLabel = (key: string) => {
    if (key === "unknown") return "Order not received yet";
    const i = Number(key);
    const format = (units: number) => `${units.toLocaleString("en-US")} ${display.currency}`;
    if (i === 0) return `Under ${format(VALUE_BANDS[0]!)}`;
    if (i >= VALUE_BANDS.length) return `${format(VALUE_BANDS[VALUE_BANDS.length - 1]!)} and more`;
    return `${format(VALUE_BANDS[i - 1]!)} to ${format(VALUE_BANDS[i]!)}`;
  };
  const label: Record<SegmentDimension, (key: string) => string> = {
    tier: tierLabel,
    customerType: (key) => ({ new: "First order", returning: "Returning customer", guest: "Guest checkout" })[key] ?? key,
    orderValue: bandLabel,
    attribution: attributionLabel,
    refund: (key) => ({ refund: "Has a refund", none: "No refund" })[key] ?? key,
  };
  const segment = (dimension: SegmentDimension, rows: (AnswerCounts & { segment: string })[]) => {
    const sorted = dimension === "orderValue" ? [...rows].sort((a, b) => a.segment.localeCompare(b.segment)) : rows;
    return sorted.map((row) => ({ key: row.segment, label: label[dimension](row.segment), ...scores(row) }));
  };

  return {
    range: rangeView(parsed),
    currency: display.currency,
    cards,
    granularity,
    trend,
    segments: {
      tier: segment("tier", tier),
      customerType: segment("customerType", customerType),
      orderValue: segment("orderValue", orderValue),
      attribution: segment("attribution", attribution),
      refund: segment("refund", refund),
    },
    worth: {
      from: worthFrom.toISOString().slice(0, 10),
      to: worthTo.toISOString().slice(0, 10),
      rows: (["promoter", "passive", "detractor"] as const).map((category) => {
        const row = worth.find((w) => w.category === category);
        const answers = row?.answers ?? 0;
        return {
          category,
          answers,
          averageOrderMinor: answers ? Math.round(row!.answeredOrdersMinor / answers) : null,
          repeatRate: answers ? Math.round((row!.repeaters / answers) * 1000) / 10 : null,
          netPerCustomerMinor: answers ? Math.round(row!.followingNetMinor / answers) : null,
        };
      }),
    },
    search,
    comments: comments.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
  };
}

export type CxDashboard = Awaited<ReturnType<typeof loadCxDashboard>>;
