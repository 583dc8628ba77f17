/**
 * The Survey page's response rate and drop-off (decision 041), from counts aggregated in SQL
 * (app/models/survey-response-rate.server.ts). Pure.
 *
 * - Response rate = answered ÷ seen: of the orders whose survey was shown in the period, how many have answers (a
 *   shopper who left after the first question answered). For the part of the period before the shop's survey was
 *   first reported seen (answers given before seen data existed), answered ÷ orders placed. A period across that
 *   moment adds the two parts, and says so.
 * - Drop-off: per question, how many answer sets reached it and how many answered it. Every seen order reached the
 *   first question; a set that answered a question reached it, whatever its client reported.
 */

interface RateCounts {
  seen: number;
  seenAnswered: number;
  ordersBefore: number;
  ordersBeforeAnswered: number;
}

/** `seen`: all from seen data; `orders`: all from orders (no seen data in the period); `both`: the two parts added. */
type RateBasis = "seen" | "orders" | "both";

export interface ResponseRate {
  basis: RateBasis;
  answered: number;
  /** Seen orders, orders placed before seen data, or both added. */
  outOf: number;
  /** answered ÷ outOf, null when there is nothing to divide by. */
  rate: number | null;
}

export function responseRate(counts: RateCounts): ResponseRate {
  const basis: RateBasis = counts.seen > 0 && counts.ordersBefore > 0 ? "both" : counts.seen > 0 ? "seen" : "orders";
  const answered = counts.seenAnswered + counts.ordersBeforeAnswered;
  const outOf = counts.seen + counts.ordersBefore;
  return { basis, answered, outOf, rate: outOf > 0 ? answered / outOf : null };
}

export interface QuestionDropOff {
  key: string;
  label: string;
  reached: number;
  answered: number;
  /** answered ÷ reached, null when none reached it. */
  answeredShare: number | null;
}

/**
 * The drop-off table: the survey's questions in the order shoppers meet them (`questions`), with the counts by key
 * (`reach`) of the sets of the `seen` orders.
 */
export function dropOff(
  questions: ReadonlyArray<{ key: string; label: string }>,
  reach: ReadonlyArray<{ key: string; reached: number; answered: number }>,
  seen: number,
): QuestionDropOff[] {
  const byKey = new Map(reach.map((r) => [r.key, r]));
  return questions.map((q, index) => {
    const counts = byKey.get(q.key);
    const answered = counts?.answered ?? 0;
    const reached = Math.max(counts?.reached ?? 0, answered, index === 0 ? seen : 0);
    return { key: q.key, label: q.label, reached, answered, answeredShare: reached > 0 ? answered / reached : null };
  });
}
