import { npsBand } from "~/domain/followups/rules";
import { claimAnswerSetMoment, shopsWithUndecidedAnswerSets, undecidedAnswerSets } from "~/models/survey-answer-events.server";
import { inTransaction, type SqlTx } from "~/models/transaction.server";
import { queueSurveyAnswerReceived } from "./flow-triggers.server";

/**
 * "Survey answer received" (decision 041): answers are saved as the shopper gives them, so the Flow trigger is sent
 * once per answer set — when its last step completes it, or, for a shopper who left after some questions, when its
 * 24-hour edit window closes (the hourly sweep) — never per answer, and only while the shop's workflows use it.
 */

/**
 * In the caller's transaction (the answer's): when the set's moment has come and was not passed before, marks it and
 * queues the trigger (if the shop uses it). Returns whether a trigger was queued.
 */
export async function decideSurveyAnswerReceived(tx: SqlTx, shop: string, orderId: string, now: Date): Promise<boolean> {
  const set = await claimAnswerSetMoment(tx, shop, orderId, now);
  if (!set) return false;
  return queueSurveyAnswerReceived(
    tx,
    shop,
    {
      customerId: set.customerId,
      orderId: set.orderId,
      nps: set.nps,
      npsGroup: npsBand(set.nps),
      csat: set.csat,
      ces: set.ces,
      comment: set.comment,
      attribution: set.attributionOption,
    },
    now,
  );
}

/** Sets decided per sweep call and shop; the rest wait for the next hour. */
const SWEEP_BATCH = 500;

/**
 * The hourly sweep of one shop: sets whose moment came without a request to decide it (their edit window closed, or
 * they were completed while their order was still unknown), each in its own short transaction.
 */
export async function sweepSurveyAnswerMoments(shop: string, now = new Date()): Promise<{ decided: number; queued: number }> {
  let queued = 0;
  const orders = await undecidedAnswerSets(shop, now, SWEEP_BATCH);
  for (const orderId of orders) if (await inTransaction((tx) => decideSurveyAnswerReceived(tx, shop, orderId, now))) queued += 1;
  return { decided: orders.length, queued };
}

export const shopsWithUndecidedSurveyAnswers = () => shopsWithUndecidedAnswerSets();
