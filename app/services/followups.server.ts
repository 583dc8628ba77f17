import { parseFollowUpAction, type FollowUpMark, type FollowUpNote, type FollowUpSettingsInput, type FollowUpUpdate } from "~/domain/followups/actions";
import {
  adminOrderUrl,
  contactLocale,
  contactSubject,
  DEFAULT_RESPONSE_TARGET_HOURS,
  isOverdue,
  mailtoLink,
  overdueAt,
  parseResponseTarget,
} from "~/domain/followups/contact";
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
import {
  EARLIER_ANSWERS_SHOWN,
  type FlowSendOutcome,
  type FollowUpActionResult,
  type FollowUpPage,
  type FollowUpView,
  type MarkCandidateView,
} from "~/domain/followups/views";
import { BAND_RANGES, UNHAPPY_AT_MOST } from "~/domain/survey/score-bands";
import {
  countOpenAndOverdue,
  earlierAnswersOf,
  followUpMedianTimes,
  insertFollowUpNote,
  queuedFlowMessageId,
  responseTargetHours,
  saveResponseTargetHours,
  type EarlierAnswerRow,
} from "~/models/followup-work.server";
import { listRewards } from "~/models/rewards.server";
import {
  countFollowUpsByStatus,
  deleteMark,
  findFollowUp,
  findRecoveryFollowUpByOrder,
  insertMark,
  listFollowUps,
  listMarkCandidates,
  recordMarkFlowOutcome,
  updateFollowUpRow,
  upsertRecoveryFollowUp,
  withdrawUntouchedRecoveryFollowUp,
  type FollowUpPatch,
  type FollowUpRow,
  type MarkCandidateRow,
  type RecoveryUpsert,
} from "~/models/followups.server";
import { getShopLocale } from "~/models/shops.server";
import { findSurveyResponseById, type StoredSurveyResponse } from "~/models/survey-responses.server";
import { inTransaction, type SqlTx, type Tx } from "~/models/transaction.server";
import { markedAnswerTriggerHandle, queueFollowUpStatusChanged, queueMarkedAnswerTrigger } from "./flow-triggers.server";
import type { FollowUpActor } from "./followup-actor.server";
import { grantGoodwill } from "./followup-goodwill.server";
import { followUpWork, type FollowUpWork } from "./followup-work.server";
import { shopDisplay } from "./shop-profile.server";
import { shopStaffMember, staffOptions } from "./staff.server";

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

/** The shop's response-time target in hours (the default until it saves one). */
async function followUpTargetHours(shop: string): Promise<number> {
  return (await responseTargetHours(shop)) ?? DEFAULT_RESPONSE_TARGET_HOURS;
}

/**
 * The counts in the nav: open recovery follow-ups, and how many of them are overdue (open longer than the shop's
 * target, which is absolute time: the same instant in every time zone).
 */
export async function navFollowUpCounts(shop: string, now = new Date()): Promise<{ open: number; overdue: number }> {
  const target = await followUpTargetHours(shop);
  return countOpenAndOverdue(shop, new Date(now.getTime() - target * 3_600_000));
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

/** What the page says a mark's Flow trigger came to: from the mark's record and its outbox message's status. */
function flowSendOutcome(row: FollowUpRow): FlowSendOutcome | null {
  // "sent" / "withdrawn": recorded when customers/redact deleted the message (models/privacy.server.ts, decision 050).
  if (row.flowOutcome === "no-workflow" || row.flowOutcome === "sent" || row.flowOutcome === "withdrawn") return row.flowOutcome;
  if (row.flowOutcome !== "queued") return null;
  return row.flowMessageStatus === "delivered" ? "sent" : row.flowMessageStatus === "failed" ? "failed" : "queued";
}

interface FollowUpExtras {
  work: FollowUpWork;
  earlier: EarlierAnswerRow[];
}

function followUpView(row: FollowUpRow, extras: FollowUpExtras, targetHours: number, shopLocale: string | null, now: Date): FollowUpView {
  const open = row.kind === "recovery" && row.status === "open";
  const subject = contactSubject(contactLocale(shopLocale, row.locale), row.orderName ?? `…${row.orderId.slice(-4)}`);
  return {
    ownerUserId: row.ownerUserId,
    contact: { email: row.email, mailto: mailtoLink(row.email, subject), subject, orderUrl: adminOrderUrl(row.orderId) },
    firstContactAt: row.firstContactAt ? row.firstContactAt.toISOString() : null,
    overdue: row.kind === "recovery" && isOverdue(row.status, row.createdAt, targetHours, now),
    overdueAt: open ? overdueAt(row.createdAt, targetHours).toISOString() : null,
    flow: flowSendOutcome(row),
    noteLog: extras.work.notesOf(row.id),
    goodwill: extras.work.goodwillOf(row.id),
    earlierAnswers: extras.earlier
      .filter((a) => a.responseId === row.responseId)
      .map((a) => ({
        responseId: a.answerId,
        orderId: a.orderId,
        orderName: a.orderName,
        nps: a.nps,
        csat: a.csat,
        ces: a.ces,
        comment: a.comment,
        createdAt: a.createdAt.toISOString(),
      })),
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
  now = new Date(),
): Promise<FollowUpPage<FollowUpView>> {
  const filter = {
    ...(params.status !== "all" ? { status: params.status } : {}),
    ...(params.kind !== "all" ? { kind: params.kind } : {}),
  };
  let page = await listFollowUps(shop, filter, { after: params.after, before: params.before, limit });
  if (params.before && page.rows.length === 0) page = await listFollowUps(shop, filter, { limit });
  const ids = page.rows.map((r) => r.id);
  const pairs = page.rows.flatMap((r) => (r.customerId ? [{ customerId: r.customerId, responseId: r.responseId }] : []));
  const [work, earlier, targetHours, shopLocale] = await Promise.all([
    followUpWork(shop, ids),
    earlierAnswersOf(shop, pairs, EARLIER_ANSWERS_SHOWN),
    followUpTargetHours(shop),
    getShopLocale(shop),
  ]);
  return { rows: page.rows.map((row) => followUpView(row, { work, earlier }, targetHours, shopLocale, now)), pageInfo: page.pageInfo };
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
export async function followUpsPage(shop: string, params: FollowUpListParams, now = new Date()) {
  const [counts, nav, queue, answers, { timezone }, targetHours, staff, rewards] = await Promise.all([
    followUpCounts(shop),
    navFollowUpCounts(shop, now),
    params.view === "queue" ? followUpQueuePage(shop, params, FOLLOW_UPS_PAGE_SIZE, now) : null,
    params.view === "answers" ? markCandidatesPage(shop, params) : null,
    shopDisplay(shop),
    followUpTargetHours(shop),
    staffOptions(shop),
    listRewards(shop),
  ]);
  const offered = rewards.filter((r) => r.enabled).map((r) => ({ id: r.id, title: r.title }));
  return { params, counts, overdue: nav.overdue, queue, answers, now: now.toISOString(), timezone, targetHours, staff, rewards: offered };
}

/** The dashboard's window for the median times: follow-ups opened in the last 90 days. */
const RESPONSE_TIMES_DAYS = 90;

/**
 * The dashboard's follow-up card: the median time from an unhappy answer to the first contact, and to resolution, over
 * the recovery follow-ups opened in the last 90 days (percentile_cont in SQL), with the target and the overdue count.
 */
export async function followUpResponseTimes(shop: string, now = new Date()) {
  const from = new Date(now.getTime() - RESPONSE_TIMES_DAYS * 86_400_000);
  const [medians, nav, targetHours] = await Promise.all([followUpMedianTimes(shop, from, now), navFollowUpCounts(shop, now), followUpTargetHours(shop)]);
  return { days: RESPONSE_TIMES_DAYS, ...medians, open: nav.open, overdue: nav.overdue, targetHours };
}

// ---------------------------------------------------------------------------------------------------------------
// Working the queue

/** The action's result (app/domain/followups/views.ts); a refusal also carries its HTTP status, which the route answers with. */
export type ActionResult = Extract<FollowUpActionResult, { ok: true }> | (Extract<FollowUpActionResult, { ok: false }> & { status: 400 | 404 | 422 });

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
  // An owner is one of this shop's staff the app knows (another shop's staff member, or an unknown id: 400).
  const staff = update.ownerUserId ? await shopStaffMember(shop, update.ownerUserId) : null;
  if (update.ownerUserId && !staff) return { ok: false, status: 400, intent: "update", errors: { ownerUserId: "Choose a staff member from the list" }, ...ids };
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
    if (from === "open" && to !== "open" && !current.firstContactAt) patch.firstContactAt = now;
    if (update.owner !== undefined) Object.assign(patch, { owner: update.owner, ownerUserId: null });
    if (update.ownerUserId !== undefined) Object.assign(patch, { owner: staff?.name ?? null, ownerUserId: staff?.userId ?? null });
    if (update.notes !== undefined) patch.notes = update.notes;
    const changed = await updateFollowUpRow(tx, shop, current.id, from, patch, now);
    if (!changed) return { ok: false, status: 404, intent: "update", errors: { id: "Follow-up not found" }, ...ids };
    // Shopify Flow's "Follow-up status changed", queued with the change (only when a workflow of the shop uses it).
    if (to !== from) {
      const owner = patch.owner !== undefined ? patch.owner : current.owner;
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
  const patch = statusPatch(from, to, now);
  if (from === "open" && !current.firstContactAt) patch.firstContactAt = now;
  const changed = await updateFollowUpRow(tx, shop, current.id, from, patch, now);
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
    const markId = await insertMark(tx, shop, { responseId: response.id, orderId: response.orderId, customerId: response.customerId }, mark.action, now);
    if (markId === null) return { ok: true, intent: "mark", message: `Already marked for ${ACTION_LABELS[mark.action]}`, ...ids };
    // Shopify Flow's "Review requested" / "Thank-you requested", with the mark: the merchant's workflow does the asking.
    const event = { followUpId: markId, customerId: response.customerId, orderId: response.orderId, nps: response.nps };
    const queued = await queueMarkedAnswerTrigger(tx, shop, mark.action, event, now);
    const messageId = queued ? await queuedFlowMessageId(tx, shop, markedAnswerTriggerHandle(mark.action), markId) : null;
    await recordMarkFlowOutcome(tx, shop, markId, queued ? "queued" : "no-workflow", messageId);
    const what = queued ? "queued for your Shopify Flow workflow" : "recorded; no Shopify Flow workflow uses it, so nothing is sent";
    return { ok: true, intent: "mark", message: `Marked for ${ACTION_LABELS[mark.action]}: ${what}`, ...ids };
  });
}

/** One posted action of the follow-ups page, validated: field errors (400), unknown or another shop's ids (404). */
export async function applyFollowUpAction(shop: string, form: Record<string, unknown>, now = new Date(), actor: FollowUpActor = NO_ACTOR): Promise<ActionResult> {
  const parsed = parseFollowUpAction(form);
  if (!parsed.ok) {
    const id = typeof form.id === "string" && /^\d{1,12}$/.test(form.id) ? Number(form.id) : null;
    const responseId = typeof form.responseId === "string" && /^\d{1,12}$/.test(form.responseId) ? Number(form.responseId) : null;
    const intent = typeof form.intent === "string" ? form.intent.slice(0, 20) : null;
    return { ok: false, status: 400, intent, errors: parsed.errors, id, responseId };
  }
  const { action } = parsed;
  switch (action.intent) {
    case "update":
      return updateFollowUp(shop, action, now);
    case "note":
      return addNote(shop, action, actor, now);
    case "goodwill":
      return grantGoodwill(shop, action, actor, now);
    case "settings":
      return saveSettings(shop, action, now);
    default:
      return markAnswer(shop, action, now);
  }
}

const NO_ACTOR: FollowUpActor = { staff: { userId: null, name: null } };

/** Adds a note to a recovery follow-up of `shop`, with its author (the acting staff member) and time. */
async function addNote(shop: string, note: FollowUpNote, actor: FollowUpActor, now: Date): Promise<ActionResult> {
  const ids = { id: note.id, responseId: null };
  return inTransaction(async (tx): Promise<ActionResult> => {
    const current = await findFollowUp(shop, note.id, tx);
    if (!current) return { ok: false, status: 404, intent: "note", errors: { id: "Follow-up not found" }, ...ids };
    if (current.kind !== "recovery") return { ok: false, status: 400, intent: "note", errors: { form: "Notes are kept on recovery follow-ups" }, ...ids };
    const author = { authorUserId: actor.staff.userId, author: actor.staff.name };
    await insertFollowUpNote(tx, shop, { followUpId: current.id, customerId: current.customerId, orderId: current.orderId, ...author, body: note.body }, now);
    return { ok: true, intent: "note", message: "Note added", ...ids };
  });
}

/** Saves the shop's response-time target (whole hours, 1 to 720). */
async function saveSettings(shop: string, input: FollowUpSettingsInput, now: Date): Promise<ActionResult> {
  const ids = { id: null, responseId: null };
  const parsed = parseResponseTarget(input.responseTargetHours);
  if (!parsed.ok) return { ok: false, status: 400, intent: "settings", errors: { responseTargetHours: parsed.error }, ...ids };
  await saveResponseTargetHours(shop, parsed.hours, now);
  return { ok: true, intent: "settings", message: `Response-time target saved: ${parsed.hours} ${parsed.hours === 1 ? "hour" : "hours"}`, ...ids };
}
