/**
 * The follow-up queue's rules, pure: which survey answers open a recovery follow-up and what triggered it,
 * which answers may be marked for a thank-you or a review request, and how a recovery follow-up moves between
 * its statuses. Scores are unhappy, passive or promoting by the one band table, app/domain/survey/score-bands.ts.
 */
import { BAND_RANGES, SCORE_QUESTIONS, UNHAPPY_AT_MOST } from "../survey/score-bands";

export const RECOVERY_STATUSES = ["open", "contacted", "resolved"] as const;
export type RecoveryStatus = (typeof RECOVERY_STATUSES)[number];

/** Actions a merchant can mark on a passive or promoter answer. Recorded only: nothing is sent. */
export const MARK_ACTIONS = ["thank-you", "review-request"] as const;
export type MarkAction = (typeof MARK_ACTIONS)[number];

export const FOLLOW_UP_KINDS = ["recovery", ...MARK_ACTIONS] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** A marked action has the one status "marked". */
export const FOLLOW_UP_STATUSES = [...RECOVERY_STATUSES, "marked"] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export interface AnswerScores {
  nps: number | null;
  csat: number | null;
  ces: number | null;
}


/**
 * What makes an answer unhappy, e.g. "nps:3,csat:2" (questions in the order NPS, CSAT, CES), or null when
 * nothing does (unanswered questions never trigger).
 */
export function recoveryTrigger(scores: AnswerScores): string | null {
  const parts = SCORE_QUESTIONS.flatMap((q) => {
    const score = scores[q];
    return score !== null && score <= UNHAPPY_AT_MOST[q] ? [`${q}:${score}`] : [];
  });
  return parts.length ? parts.join(",") : null;
}

/** The parts of a trigger as labels, e.g. "nps:3,csat:2" → ["NPS 3", "CSAT 2"]; unreadable parts are skipped. */
export function describeTrigger(trigger: string | null): string[] {
  if (!trigger) return [];
  return trigger.split(",").flatMap((part) => {
    const match = /^(nps|csat|ces):(\d{1,2})$/.exec(part.trim());
    return match?.[1] && match[2] ? [`${match[1].toUpperCase()} ${match[2]}`] : [];
  });
}

type NpsBand = "detractor" | "passive" | "promoter";

/** The NPS band of a score (app/domain/survey/score-bands.ts), null when unanswered. */
export function npsBand(nps: number | null): NpsBand | null {
  if (nps === null) return null;
  return nps <= BAND_RANGES.nps.detractor[1] ? "detractor" : nps <= BAND_RANGES.nps.passive[1] ? "passive" : "promoter";
}

/**
 * Whether an answer can be marked for a thank-you or a review request: a passive or promoter (NPS 7–10) whose
 * other scores are not unhappy. An NPS 9 with CSAT 1 already has a recovery follow-up; asking that shopper for a
 * review would be tone-deaf, so it cannot be marked.
 */
export function canBeMarked(scores: AnswerScores): boolean {
  const band = npsBand(scores.nps);
  return (band === "passive" || band === "promoter") && recoveryTrigger(scores) === null;
}

/**
 * Where a recovery follow-up may go from each status. Work goes open → contacted → resolved; a follow-up can be
 * resolved without contact (the shopper wrote back first), put back to open from contacted, and reopened once
 * resolved. Staying in the same status is always allowed (saving only the owner or notes).
 */
export const STATUS_TRANSITIONS: Record<RecoveryStatus, readonly RecoveryStatus[]> = {
  open: ["contacted", "resolved"],
  contacted: ["open", "resolved"],
  resolved: ["open"],
};

export function canMoveTo(from: RecoveryStatus, to: RecoveryStatus): boolean {
  return from === to || STATUS_TRANSITIONS[from].includes(to);
}

export const isRecoveryStatus = (value: unknown): value is RecoveryStatus =>
  typeof value === "string" && (RECOVERY_STATUSES as readonly string[]).includes(value);

export const isMarkAction = (value: unknown): value is MarkAction =>
  typeof value === "string" && (MARK_ACTIONS as readonly string[]).includes(value);
