/**
 * The demo shop's survey as shoppers met it (decision 041), deterministic and pure: the survey reports being seen from
 * SEEN_SINCE_DAYS days before `now` (so the Survey page shows a response rate out of orders seen, and out of orders
 * placed before that), on the page each shopper met it; some shoppers left after the first question (their answer
 * set is kept unfinished). Draws come from a generator seeded by the order id, so they never shift other demo data.
 */
import type { SurveySubmission } from "~/domain/survey/answer";
import type { AudienceFacts } from "~/domain/survey/audience";
import { askedQuestions } from "~/domain/survey/flow";
import { mulberry32 } from "./random";
import { DEMO_SURVEY_CONFIG } from "./seed-answers";
import type { SeedEvent } from "./seed-data";

export const SEEN_SINCE_DAYS = 60;
/** Of the orders placed since then that nobody answered, the share whose shopper was still shown the survey. */
const SEEN_UNANSWERED = 0.55;
/**
 * Of the answer sets that answer the first question (attribution, asked first; about two shoppers in three answer it),
 * the share left right after it: about one answer set in eight overall.
 */
const LEFT_EARLY = 0.19;

const DAY = 24 * 3_600_000;
const MINUTE = 60_000;

interface DemoAnswer {
  submission: SurveySubmission & { orderNumericId: string };
  surface: "thank-you" | "order-status";
  at: Date;
  /** Whether the order was its customer's first: the questions targeted by it were shown accordingly. */
  firstOrder: boolean;
}

const draw = (orderId: string, salt: number) => mulberry32(Number(orderId) * 7919 + salt)();

/**
 * An answer set as the shopper gave it: most finished (every question shown, complete), some left after the first
 * question (only that answer, the second question shown, not complete).
 */
export function asGiven(answer: DemoAnswer): DemoAnswer {
  const { submission } = answer;
  // The demo shop's survey as this shopper met it (its branches opened by their answers, the questions targeted at
  // them; no demo question is targeted by order value), in order.
  const facts: AudienceFacts = { firstOrder: answer.firstOrder, orderTotal: null, locale: submission.locale };
  const questions = askedQuestions(DEMO_SURVEY_CONFIG, submission.answers, facts).map((q) => q.key);
  const first = questions[0]!;
  if (draw(submission.orderNumericId, 1) >= LEFT_EARLY || !(first in submission.answers)) {
    return { ...answer, submission: { ...submission, reached: questions } };
  }
  const kept = { [first]: (submission.answers as Record<string, unknown>)[first] } as SurveySubmission["answers"];
  return { ...answer, submission: { ...submission, answers: kept, complete: false, reached: askedQuestions(DEMO_SURVEY_CONFIG, kept, facts).slice(0, 2).map((q) => q.key) } };
}

/** One "seen" record: the order, the page, when. */
interface DemoSeen {
  orderNumericId: string;
  surface: "thank-you" | "order-status";
  at: Date;
}

/**
 * The seen records: every answered order placed within SEEN_SINCE_DAYS of `now` was seen where it was answered, a
 * minute before; of the other live orders of that period, about SEEN_UNANSWERED were seen on the thank-you page.
 */
export function generateDemoSeen(events: readonly SeedEvent[], answers: readonly DemoAnswer[], now: Date): DemoSeen[] {
  const since = now.getTime() - SEEN_SINCE_DAYS * DAY;
  const answered = new Map(answers.map((a) => [a.submission.orderNumericId, a]));
  const seen: DemoSeen[] = [];
  for (const event of events) {
    if (event.topic !== "orders/create") continue;
    const order = event.payload as { id: number; test?: boolean; created_at: string };
    const placed = Date.parse(order.created_at);
    const id = String(order.id);
    if (order.test || placed < since || placed > now.getTime()) continue;
    const answer = answered.get(id);
    if (answer) seen.push({ orderNumericId: id, surface: answer.surface, at: new Date(Math.max(placed, answer.at.getTime() - MINUTE)) });
    else if (draw(id, 2) < SEEN_UNANSWERED) seen.push({ orderNumericId: id, surface: "thank-you", at: new Date(placed + MINUTE) });
  }
  return seen.filter((s) => s.at.getTime() <= now.getTime());
}
