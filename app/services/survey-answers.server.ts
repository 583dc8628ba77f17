import type { SurveySubmission, SurveySurface } from "~/domain/survey/answer";
import { findSurveyResponse, isUniqueViolation, saveSurveyResponse, type SurveyResponseFields } from "~/models/survey-responses.server";
import { createGroupCommit } from "~/models/transaction.server";
import { syncRecoveryFollowUp } from "./followups.server";

/**
 * Submitting a survey answer set: one per order. The first submission stores it; another one for the same order
 * within 24 hours of the first replaces it (the shopper changed their mind on the order status page); after that
 * the answers are final. The HTTP route, the demo seed and tests all call `recordSurveyAnswer`.
 */
export const SURVEY_EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

export { SURVEY_SURFACES, type SurveySurface } from "~/domain/survey/answer";

export type RecordOutcome = { outcome: "created" | "updated" } | { outcome: "locked" };

/**
 * Stores `submission` (already checked by `validateSubmission`) for `shop`, and in the same transaction opens,
 * updates or withdraws the answer's recovery follow-up (services/followups.server.ts), so an unhappy answer is
 * never stored without its follow-up. `context.now` dates the answer (default: the current time); the demo seed
 * passes the time the shopper would have answered.
 */
/** Answers submitted together share a transaction (each in its own savepoint) and are answered after its commit. */
const inAnswerGroup = createGroupCommit();

export async function recordSurveyAnswer(
  shop: string,
  submission: SurveySubmission & { orderNumericId: string },
  context: { surface: SurveySurface; now?: Date },
): Promise<RecordOutcome> {
  const { answers } = submission;
  const fields: SurveyResponseFields = {
    nps: answers.nps ?? null,
    csat: answers.csat ?? null,
    ces: answers.ces ?? null,
    attributionOption: answers.attribution?.optionId ?? null,
    attributionOther: answers.attribution?.other ?? null,
    comment: answers.comment ?? null,
    locale: submission.locale,
    surface: context.surface,
  };
  const now = context.now ?? new Date();
  const attempt = () =>
    inAnswerGroup(async (tx): Promise<RecordOutcome> => {
      const saved = await saveSurveyResponse(shop, submission.orderNumericId, fields, now, SURVEY_EDIT_WINDOW_MS, tx);
      if (saved.outcome === "locked") return { outcome: "locked" };
      await syncRecoveryFollowUp(tx, shop, saved.response, now);
      return { outcome: saved.outcome };
    });
  try {
    return await attempt();
  } catch (error) {
    // Another process inserted the same order's first answer between our read and our insert: ours is a later
    // submission, so run again (it now finds the row and updates it, or is locked).
    if (!isUniqueViolation(error)) throw error;
    return attempt();
  }
}

/** Whether the order has an answer set in `shop`, and whether the shopper may still change it. */
export async function surveyAnswerStatus(shop: string, orderNumericId: string, now = new Date()) {
  const found = await findSurveyResponse(shop, orderNumericId);
  return {
    answered: found !== null,
    editable: found === null || now.getTime() - found.createdAt.getTime() < SURVEY_EDIT_WINDOW_MS,
  };
}
