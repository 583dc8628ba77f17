import { checkAnswerWrite, guestFillsOnly, PENDING_ANSWER_TTL_MS, type AnswerWriter, type AnswerWriteRefusal } from "~/domain/survey/answer-integrity";
import { splitCustomAnswers, type SurveySubmission, type SurveySurface } from "~/domain/survey/answer";
import { isEditable } from "~/domain/survey/edit-window";
import {
  findAnswerContext,
  findPendingSurveyAnswer,
  findSurveyResponse,
  savePendingSurveyAnswer,
  saveSurveyResponse,
  shopsWithPendingAnswers,
  sweepPendingSurveyAnswers,
  type SurveyResponseFields,
} from "~/models/survey-responses.server";
import { findAnswerWindowDays } from "~/models/survey-settings.server";
import { createGroupCommit, type SqlTx } from "~/models/transaction.server";
import { syncRecoveryFollowUp } from "./followups.server";
import { decideSurveyAnswerReceived } from "./survey-answer-events.server";

/**
 * Submitting a survey answer set: one per order. The first submission stores it; another one for the same order
 * less than 24 hours after the first replaces it (the shopper changed their mind on the order status page); from
 * exactly 24 hours on the answers are final (one rule for the save and the status check:
 * app/domain/survey/edit-window.ts). Who may write which order's answers, answers to orders the app has not received
 * yet, and the answer window follow app/domain/survey/answer-integrity.ts (docs/decisions/022-survey-answer-integrity.md).
 * The HTTP route, the demo seed and tests all call `recordSurveyAnswer`.
 */
export { SURVEY_SURFACES, type SurveySurface } from "~/domain/survey/answer";

/**
 * created / updated: stored and counted; pending-created / pending-updated: stored apart until the order arrives;
 * locked: the 24 h edit window is over; refused: `checkAnswerWrite`'s reason (nothing written).
 */
export type RecordOutcome =
  | { outcome: "created" | "updated" | "pending-created" | "pending-updated" | "locked" }
  | { outcome: "refused"; reason: AnswerWriteRefusal; windowDays: number };

/**
 * Stores `submission` (already checked by `validateSubmission`) for `shop`, and in the same transaction opens,
 * updates or withdraws the answer's recovery follow-up (services/followups.server.ts), so an unhappy answer is
 * never stored without its follow-up; a pending answer opens its follow-up when its order arrives. `context.now`
 * dates the answer (default: the current time); the demo seed passes the time the shopper would have answered.
 * `context.writer` is whom the shopper's session token named (the route always passes it); without it the app
 * itself is recording (the demo seed), and only the answer window applies.
 */
/** Answers submitted together share a transaction (each in its own savepoint) and are answered after its commit. */
const inAnswerGroup = createGroupCommit();

export async function recordSurveyAnswer(
  shop: string,
  submission: SurveySubmission & { orderNumericId: string },
  context: { surface: SurveySurface; now?: Date; writer?: AnswerWriter },
): Promise<RecordOutcome> {
  const { answers } = submission;
  const orderId = submission.orderNumericId;
  const custom = splitCustomAnswers(answers.custom);
  const fields: SurveyResponseFields = {
    nps: answers.nps ?? null,
    csat: answers.csat ?? null,
    ces: answers.ces ?? null,
    attributionOption: answers.attribution?.optionId ?? null,
    attributionOther: answers.attribution?.other ?? null,
    comment: answers.comment ?? null,
    customAnswers: custom.answers,
    customText: custom.text,
    locale: submission.locale,
    surface: context.surface,
    tokenCustomerId: context.writer?.customerId ?? null,
    complete: submission.complete !== false,
    reached: submission.reached ?? [],
  };
  const now = context.now ?? new Date();

  /** Decides on what the order has now and writes; null when another instance inserted its first answers meanwhile. */
  async function decideAndSave(tx: SqlTx): Promise<RecordOutcome | null> {
    const { order, existing } = await findAnswerContext(shop, orderId, tx);
    const windowDays = await findAnswerWindowDays(shop, tx);
    const reason = checkAnswerWrite({ writer: context.writer ?? null, order, existing, windowDays, now });
    if (reason) return { outcome: "refused", reason, windowDays };
    // A guest adds to an existing set only what it does not have yet (answers are saved as given, decision 041).
    const fillOnly = guestFillsOnly(context.writer ?? null, existing);
    const guestReplace: RecordOutcome = { outcome: "refused", reason: "guest-replace", windowDays };
    if (!order && existing?.state !== "confirmed") {
      const saved = await savePendingSurveyAnswer(shop, orderId, fields, now, tx, existing, fillOnly);
      if (saved === "lost-race") return null;
      if (saved === "conflict") return guestReplace;
      return { outcome: saved === "locked" ? "locked" : saved === "created" ? "pending-created" : "pending-updated" };
    }
    const saved = await saveSurveyResponse(shop, orderId, fields, now, tx, existing?.state === "confirmed" ? existing : null, fillOnly);
    if (saved.response === null) return saved.outcome === "locked" ? { outcome: "locked" } : saved.outcome === "conflict" ? guestReplace : null;
    await syncRecoveryFollowUp(tx, shop, saved.response, now, saved.outcome === "created");
    // The set's "Survey answer received" moment: when this step completed it (once per set, decision 041).
    if (fields.complete) await decideSurveyAnswerReceived(tx, shop, orderId, now);
    return { outcome: saved.outcome };
  }

  // A first answer is inserted race-free (ON CONFLICT DO NOTHING): when another instance inserted the order's first
  // answers between our read and our insert, nothing is written and we decide again on their row, in the same
  // transaction (READ COMMITTED: the next statement sees it, committed by the time our insert returned). No unique
  // violation can reach the shopper. A deadlock with another instance's group (40P01) or a serialization failure
  // (40001) rolls this piece back and the group commit runs it again (models/transaction.server.ts); any other failure
  // is the caller's (a 500: the shopper retries).
  return inAnswerGroup(async (tx): Promise<RecordOutcome> => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const outcome = await decideAndSave(tx);
      if (outcome) return outcome;
    }
    throw new Error("the order's answers kept changing while being saved");
  });
}

/** Decisions per attempt: a lost first insert takes a second; a third means rows vanish under us (shop/redact). */
const MAX_ROUNDS = 3;

/**
 * Whether the order has a complete answer set in `shop` (counted or pending), and whether the shopper may still change
 * it. A set the shopper left unfinished (decision 041) is not "answered": the order status page offers the survey
 * again, and the signed-in customer's answers there complete it.
 */
export async function surveyAnswerStatus(shop: string, orderNumericId: string, now = new Date()) {
  const found = (await findSurveyResponse(shop, orderNumericId)) ?? (await findPendingSurveyAnswer(shop, orderNumericId));
  return {
    answered: found !== null && found.completedAt !== null,
    editable: found === null || isEditable(found.createdAt, now),
  };
}

/**
 * The periodic clean-up of answers to orders that never arrived: settles those whose order came meanwhile, deletes
 * those pending for more than 72 hours.
 */
export function sweepPendingAnswers(shop: string, now = new Date()) {
  return sweepPendingSurveyAnswers(shop, now, PENDING_ANSWER_TTL_MS);
}

/** Every shop holding pending answers, for the periodic sweep. */
export const shopsWithPendingSurveyAnswers = () => shopsWithPendingAnswers();
