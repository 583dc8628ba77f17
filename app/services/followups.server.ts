import { parseFollowUpAction, type FollowUpMark, type FollowUpUpdate } from "~/domain/followups/actions";
import type { FollowUpListParams } from "~/domain/followups/list-params";
import {
  canBeMarked,
  canMoveTo,
  describeTrigger,
  isRecoveryStatus,
  recoveryTrigger,
  type MarkAction,
  type RecoveryStatus,
} from "~/domain/followups/rules";
import type { FollowUpActionResult, FollowUpPage, FollowUpView, MarkCandidateView } from "~/domain/followups/views";
import { BAND_RANGES, UNHAPPY_AT_MOST } from "~/domain/survey/score-bands";
import {
  countFollowUpsByStatus,
  countOpenFollowUps,
  deleteMark,
  findFollowUp,
  findRecoveryFollowUpByOrder,
  insertMark,
  listFollowUps,
  listMarkCandidates,
  updateFollowUpRow,
  upsertRecoveryFollowUp,
  withdrawUntouchedRecoveryFollowUp,
  type FollowUpPatch,
  type FollowUpRow,
  type MarkCandidateRow,
  type RecoveryUpsert,
} from "~/models/followups.server";
import { findSurveyResponseById, type StoredSurveyResponse } from "~/models/survey-responses.server";
import { inTransaction, type SqlTx, type Tx } from "~/models/transaction.server";
import { queueFollowUpStatusChanged } from "./flow-triggers.server";
import { shopDisplay } from "./shop-profile.server";

/**
 * The follow-up queue: unhappy survey answers open a recovery follow-up that staff work open → contacted →
 * resolved, with an owner and notes; passives and promoters can be marked for a thank-you or a review request
 * (recorded only — nothing is sent). The survey service opens follow-ups; the follow-ups page reads and works them.
 */

// ---------------------------------------------------------------------------------------------------------------
// Opening: called by the survey service inside the transaction that stores the answer

type RecoverySync = RecoveryUpsert | "withdrawn" | "none";

/**
 * Brings the recovery follow-up of a just-stored answer in line with it:
 * - an unhappy answer (NPS 0–6, CSAT 1–2 or CES 1–3) opens one, once; while nobody has worked on it, its trigger
 *   follows the answer's edits;
 * - an answer edited (within its 24 h window) into a happy one loses its follow-up if it is still open with no
 *   owner and no notes. We delete it rather than resolve it: nobody did anything, so a "resolved" row would claim
 *   work that never happened and inflate the resolved count, and the shopper's own correction means there was
 *   nothing to recover. The queue then looks as if the answer had been happy from the start, and replaying the
 *   same answer gives the same state;
 * - a follow-up a staff member has worked on (contacted, resolved, an owner or notes) is never touched.
 */
export async function syncRecoveryFollowUp(
  tx: SqlTx,
  shop: string,
  response: StoredSurveyResponse,
  now: Date,
  /** The answer set was just created: it has no follow-up yet, so a happy one has nothing to withdraw. */
  created = false,
): Promise<RecoverySync> {
  const trigger = recoveryTrigger(response);
  const answer = { responseId: response.id, orderId: response.orderId, customerId: response.customerId };
  if (trigger) return upsertRecoveryFollowUp(tx, shop, answer, trigger, now);
  if (created) return "none";
  return (await withdrawUntouchedRecoveryFollowUp(tx, shop, response.id)) ? "withdrawn" : "none";
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: the page and the nav badge

const FOLLOW_UPS_PAGE_SIZE = 25;

/** The count in the nav: open recovery follow-ups. */
export async function openFollowUpCount(shop: string): Promise<number> {
  return countOpenFollowUps(shop);
}

interface StatusCounts {
  open: number;
  contacted: number;
  resolved: number;
  marked: number;
  all: number;
}

async function followUpCounts(shop: string): Promise<StatusCounts> {
  const byStatus = await countFollowUpsByStatus(shop);
  const open = byStatus.open ?? 0;
  const contacted = byStatus.contacted ?? 0;
  const resolved = byStatus.resolved ?? 0;
  const marked = byStatus.marked ?? 0;
  return { open, contacted, resolved, marked, all: open + contacted + resolved + marked };
}

function followUpView(row: FollowUpRow): FollowUpView {
  return {
    id: row.id,
    responseId: row.responseId,
    orderId: row.orderId,
    orderName: row.orderName,
    customerId: row.customerId,
    customerName: row.customerId ? (row.customerName ?? `Customer ${row.customerId}`) : null,
    kind: row.kind,
    trigger: describeTrigger(row.trigger),
    status: row.status,
    owner: row.owner,
    notes: row.notes,
    nps: row.nps,
    csat: row.csat,
    ces: row.ces,
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resolvedAt: row.resolvedAt ? row.resolvedAt.toISOString() : null,
  };
}

function candidateView(row: MarkCandidateRow): MarkCandidateView {
  return {
    responseId: row.responseId,
    orderId: row.orderId,
    orderName: row.orderName,
    customerId: row.customerId,
    customerName: row.customerId ? (row.customerName ?? `Customer ${row.customerId}`) : null,
    nps: row.nps,
    csat: row.csat,
    ces: row.ces,
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
    marks: row.marks,
  };
}

/** One page of the queue (newest first). A `before` page that comes back empty falls back to the first page. */
export async function followUpQueuePage(
  shop: string,
  params: Pick<FollowUpListParams, "status" | "kind" | "after" | "before">,
  limit = FOLLOW_UPS_PAGE_SIZE,
): Promise<FollowUpPage<FollowUpView>> {
  const filter = {
    ...(params.status !== "all" ? { status: params.status } : {}),
    ...(params.kind !== "all" ? { kind: params.kind } : {}),
  };
  let page = await listFollowUps(shop, filter, { after: params.after, before: params.before, limit });
  if (params.before && page.rows.length === 0) page = await listFollowUps(shop, filter, { limit });
  return { rows: page.rows.map(followUpView), pageInfo: page.pageInfo };
}

/** The NPS ranges of the answers-to-mark filter (app/domain/survey/score-bands.ts). */
const BAND_NPS = {
  passive: BAND_RANGES.nps.passive,
  promoter: BAND_RANGES.nps.promoter,
  all: [BAND_RANGES.nps.passive[0], BAND_RANGES.nps.promoter[1]],
} as const;

/** One page of passives and promoters that can be marked, newest first, with their marks. */
export async function markCandidatesPage(
  shop: string,
  params: Pick<FollowUpListParams, "band" | "after" | "before">,
  limit = FOLLOW_UPS_PAGE_SIZE,
): Promise<FollowUpPage<MarkCandidateView>> {
  const [npsFrom, npsTo] = BAND_NPS[params.band];
  const filter = { npsFrom, npsTo, csatAbove: UNHAPPY_AT_MOST.csat, cesAbove: UNHAPPY_AT_MOST.ces };
  let page = await listMarkCandidates(shop, filter, { after: params.after, before: params.before, limit });
  if (params.before && page.rows.length === 0) page = await listMarkCandidates(shop, filter, { limit });
  return { rows: page.rows.map(candidateView), pageInfo: page.pageInfo };
}

/** What the follow-ups page shows for its URL: the counts per status, and the queue or the answers to mark. */
export async function followUpsPage(shop: string, params: FollowUpListParams) {
  const now = new Date();
  const [counts, queue, answers, { timezone }] = await Promise.all([
    followUpCounts(shop),
    params.view === "queue" ? followUpQueuePage(shop, params) : null,
    params.view === "answers" ? markCandidatesPage(shop, params) : null,
    shopDisplay(shop),
  ]);
  return { params, counts, queue, answers, now: now.toISOString(), timezone };
}

// ---------------------------------------------------------------------------------------------------------------
// Working the queue

/** The action's result (app/domain/followups/views.ts); a refusal also carries its HTTP status, which the route answers with. */
type ActionResult = Extract<FollowUpActionResult, { ok: true }> | (Extract<FollowUpActionResult, { ok: false }> & { status: 400 | 404 });

const STATUS_MESSAGES: Record<RecoveryStatus, string> = { open: "Reopened", contacted: "Marked as contacted", resolved: "Resolved" };
const ACTION_LABELS: Record<MarkAction, string> = { "thank-you": "a thank-you", "review-request": "a review request" };

function transitionError(from: RecoveryStatus, to: RecoveryStatus): string {
  if (from === "resolved") return "A resolved follow-up can only be reopened";
  return `A ${from} follow-up cannot move to ${to}`;
}

/**
 * Changes the status, owner and/or notes of one recovery follow-up of `shop`. Resolving sets `resolvedAt`;
 * leaving "resolved" clears it. `now` dates the change (the demo seed passes past times).
 */
async function updateFollowUp(shop: string, update: FollowUpUpdate, now = new Date()): Promise<ActionResult> {
  const ids = { id: update.id, responseId: null };
  return inTransaction(async (tx): Promise<ActionResult> => {
    const current = await findFollowUp(shop, update.id, tx);
    if (!current) return { ok: false, status: 404, intent: "update", errors: { id: "Follow-up not found" }, ...ids };
    if (current.kind !== "recovery" || !isRecoveryStatus(current.status)) {
      return { ok: false, status: 400, intent: "update", errors: { form: "Only recovery follow-ups are worked on; unmark this answer instead" }, ...ids };
    }
    const from = current.status;
    const to = update.status ?? from;
    if (!canMoveTo(from, to)) return { ok: false, status: 400, intent: "update", errors: { status: transitionError(from, to) }, ...ids };

    const patch: FollowUpPatch = statusPatch(from, to, now);
    if (update.owner !== undefined) patch.owner = update.owner;
    if (update.notes !== undefined) patch.notes = update.notes;
    const changed = await updateFollowUpRow(tx, shop, current.id, from, patch, now);
    if (!changed) return { ok: false, status: 404, intent: "update", errors: { id: "Follow-up not found" }, ...ids };
    // Shopify Flow's "Follow-up status changed", queued with the change (only when a workflow of the shop uses it).
    if (to !== from) {
      const owner = update.owner !== undefined ? update.owner : current.owner;
      const event = { followUpId: current.id, customerId: current.customerId, orderId: current.orderId, previousStatus: from, status: to, owner };
      await queueFollowUpStatusChanged(tx, shop, event, now);
    }
    return { ok: true, intent: "update", message: to !== from ? STATUS_MESSAGES[to] : "Follow-up saved", ...ids };
  });
}

/** The fields a move from `from` to `to` writes: the status, and `resolvedAt` set on resolving, cleared on leaving it. */
function statusPatch(from: RecoveryStatus, to: RecoveryStatus, now: Date): FollowUpPatch {
  if (to === from) return {};
  return { status: to, ...(to === "resolved" ? { resolvedAt: now } : from === "resolved" ? { resolvedAt: null } : {}) };
}

/** What Shopify Flow's "Set follow-up status" came to. */
type FlowStatusOutcome =
  | { outcome: "set" | "unchanged"; followUpId: number; customerId: string | null; from: RecoveryStatus }
  | { outcome: "not-found" }
  | { outcome: "refused"; reason: string; followUpId: number; customerId: string | null };

/**
 * Shopify Flow's "Set follow-up status" action (services/flow-actions.server.ts), in the caller's transaction: moves
 * the recovery follow-up of order `orderId` to `to` under the same rules as the follow-ups page. Its source is Flow,
 * so it does NOT queue "Follow-up status changed" (a workflow setting a status must not start itself again), and an
 * unchanged status writes nothing.
 */
export async function setFollowUpStatusFromFlow(tx: Tx, shop: string, orderId: string, to: RecoveryStatus, now: Date): Promise<FlowStatusOutcome> {
  const current = await findRecoveryFollowUpByOrder(tx, shop, orderId);
  if (!current || !isRecoveryStatus(current.status)) return { outcome: "not-found" };
  const ids = { followUpId: current.id, customerId: current.customerId };
  const from = current.status;
  if (to === from) return { outcome: "unchanged", from, ...ids };
  if (!canMoveTo(from, to)) return { outcome: "refused", reason: transitionError(from, to), ...ids };
  const changed = await updateFollowUpRow(tx, shop, current.id, from, statusPatch(from, to, now), now);
  // Moved by someone else since it was read (same transaction, so only by a concurrent one that committed first).
  if (!changed) return { outcome: "refused", reason: "The follow-up changed meanwhile; run the action again", ...ids };
  return { outcome: "set", from, ...ids };
}

/** Marks or unmarks an answer of `shop` for a thank-you or a review request. Both are idempotent. */
async function markAnswer(shop: string, mark: FollowUpMark, now = new Date()): Promise<ActionResult> {
  const ids = { id: null, responseId: mark.responseId };
  return inTransaction(async (tx): Promise<ActionResult> => {
    const response = await findSurveyResponseById(shop, mark.responseId, tx);
    if (!response) return { ok: false, status: 404, intent: mark.intent, errors: { responseId: "Answer not found" }, ...ids };
    if (mark.intent === "unmark") {
      await deleteMark(shop, mark.responseId, mark.action, tx);
      return { ok: true, intent: "unmark", message: `No longer marked for ${ACTION_LABELS[mark.action]}`, ...ids };
    }
    if (!canBeMarked(response)) {
      return {
        ok: false,
        status: 400,
        intent: "mark",
        errors: { responseId: "Only passives and promoters (NPS 7–10) without a low CSAT or CES can be marked" },
        ...ids,
      };
    }
    await insertMark(tx, shop, { responseId: response.id, orderId: response.orderId, customerId: response.customerId }, mark.action, now);
    return { ok: true, intent: "mark", message: `Marked for ${ACTION_LABELS[mark.action]}`, ...ids };
  });
}

/** One posted action of the follow-ups page, validated: field errors (400), unknown or another shop's ids (404). */
export async function applyFollowUpAction(shop: string, form: Record<string, unknown>, now = new Date()): Promise<ActionResult> {
  const parsed = parseFollowUpAction(form);
  if (!parsed.ok) {
    const id = typeof form.id === "string" && /^\d{1,12}$/.test(form.id) ? Number(form.id) : null;
    const responseId = typeof form.responseId === "string" && /^\d{1,12}$/.test(form.responseId) ? Number(form.responseId) : null;
    const intent = typeof form.intent === "string" ? form.intent.slice(0, 20) : null;
    return { ok: false, status: 400, intent, errors: parsed.errors, id, responseId };
  }
  const { action } = parsed;
  return action.intent === "update" ? updateFollowUp(shop, action, now) : markAnswer(shop, action, now);
}
