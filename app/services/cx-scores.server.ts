import type { DateRange } from "~/domain/cx/date-range";
import { cesFigure, csatFigure, delta, npsFigure, responseRateFigure } from "~/domain/cx/scores";
import { answerCounts, orderResponseCounts, type AnswerCounts, type OrderResponseCounts } from "~/models/cx-scores.server";

/** The dashboard's score cards: NPS, CSAT, CES and response rate for a range and the period before it. */
function figuresFrom(answers: AnswerCounts, orders: OrderResponseCounts) {
  return {
    nps: npsFigure({ promoters: answers.promoters, passives: answers.passives, detractors: answers.detractors }),
    csat: csatFigure(answers.csatSatisfied, answers.csatAnswers),
    ces: cesFigure({ answers: answers.cesAnswers, sum: answers.cesSum, sumOfSquares: answers.cesSumOfSquares, easy: answers.cesEasy }),
    responseRate: responseRateFigure(orders.answeredOrders, orders.orders),
    answers: answers.answers,
  };
}

/** Current and previous period, queried in parallel, with the change of each headline value. */
export async function loadScoreCards(shop: string, range: DateRange) {
  const [answers, orders, previousAnswers, previousOrders] = await Promise.all([
    answerCounts(shop, range.from, range.to),
    orderResponseCounts(shop, range.from, range.to),
    answerCounts(shop, range.previousFrom, range.previousTo),
    orderResponseCounts(shop, range.previousFrom, range.previousTo),
  ]);
  const current = figuresFrom(answers, orders);
  const previous = figuresFrom(previousAnswers, previousOrders);
  return {
    current,
    previous,
    deltas: {
      nps: delta(current.nps.value, previous.nps.value),
      csat: delta(current.csat.value, previous.csat.value),
      ces: delta(current.ces.value, previous.ces.value),
      responseRate: delta(current.responseRate.value, previous.responseRate.value),
    },
  };
}
