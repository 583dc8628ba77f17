/**
 * Who may write an order's survey answers, and what becomes of an answer given before the app has the order
 * (docs/decisions/022-survey-answer-integrity.md). Pure rules; the survey service and the answers model apply them.
 *
 * - A session token that names a customer (`sub`) may answer only that customer's orders, and replace only them.
 * - A token without `sub` (a guest checkout) may create an order's answers, never replace them. Answers are saved as
 *   the shopper gives them (decision 041), so a guest may add answers to questions the set does not have yet while it
 *   is not complete, and send an answer again unchanged (a retry); changing a stored answer stays refused (409).
 * - An order the app has not received yet: the answers wait apart (pending), counted nowhere; when the order
 *   arrives they are kept if it names the customer the token named (any customer for a guest's token) and was
 *   placed within the answer window, else deleted; still pending after 72 hours, they are deleted.
 * - Orders placed longer ago than the shop's answer window (default 90 days) take no answers.
 */

export const PENDING_ANSWER_TTL_MS = 72 * 60 * 60 * 1000;

export const DEFAULT_ANSWER_WINDOW_DAYS = 90;
export const MIN_ANSWER_WINDOW_DAYS = 1;
export const MAX_ANSWER_WINDOW_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d{1,20})$/;

/**
 * The customer a session token names, from its `sub`: the numeric id of `gid://shopify/Customer/<n>`, else null.
 * Checkout and customer-account tokens carry a customer GID only for a signed-in customer; any other `sub` (none, or
 * one we cannot read) names no customer we can check, so it gets a guest's rights: create, never replace.
 */
export function tokenCustomer(sub: unknown): string | null {
  return typeof sub === "string" ? (CUSTOMER_GID.exec(sub)?.[1] ?? null) : null;
}

/** Who is writing: the customer the shopper's token named (null: a guest). */
export interface AnswerWriter {
  customerId: string | null;
}

export interface AnswerWriteInput {
  /** The token's customer; null when the app itself records the answer (the demo seed). */
  writer: AnswerWriter | null;
  /** The order as stored, or null when the app has not received it yet. */
  order: { customerId: string | null; placedAt: Date } | null;
  /** The order's stored answers (confirmed or pending), or null for a first answer. */
  existing: { tokenCustomerId: string | null } | null;
  windowDays: number;
  now: Date;
}

/** Why a write is refused: the token names another customer, a guest tries to replace, or the order is too old. */
export type AnswerWriteRefusal = "not-owner" | "guest-replace" | "too-old";

export function checkAnswerWrite({ writer, order, existing, windowDays, now }: AnswerWriteInput): AnswerWriteRefusal | null {
  if (writer) {
    if (writer.customerId !== null) {
      // The order's customer when known, else the customer whoever answered first named.
      const owner = order ? order.customerId : existing ? existing.tokenCustomerId : writer.customerId;
      if (owner !== writer.customerId) return "not-owner";
    }
    // A guest's write to an existing set is checked where it is written (`guestFillsOnly`), answer by answer.
  }
  if (order && isOutsideWindow(order.placedAt, now, windowDays)) return "too-old";
  return null;
}

/**
 * Whether a write may only fill the set's blanks: a guest's token (or a `sub` naming no customer) writing to a set
 * that exists. Such a write stores nothing and is refused as "guest-replace" when it would change an answer the set
 * has, or add one to a complete set; answers equal to the stored ones (a retry) pass.
 */
export function guestFillsOnly(writer: AnswerWriter | null, existing: AnswerWriteInput["existing"]): boolean {
  return writer !== null && writer.customerId === null && existing !== null;
}

/** True when an answer given at `answeredAt` is more than `windowDays` after the order was placed. */
export function isOutsideWindow(placedAt: Date, answeredAt: Date, windowDays: number): boolean {
  return answeredAt.getTime() - placedAt.getTime() > windowDays * DAY_MS;
}

/** What becomes of a pending answer when its order arrives. */
export type PendingFate = "confirm" | "other-customer" | "too-old";

export function pendingAnswerFate(input: {
  tokenCustomerId: string | null;
  order: { customerId: string | null; placedAt: Date };
  answeredAt: Date;
  windowDays: number;
}): PendingFate {
  if (input.tokenCustomerId !== null && input.order.customerId !== input.tokenCustomerId) return "other-customer";
  if (isOutsideWindow(input.order.placedAt, input.answeredAt, input.windowDays)) return "too-old";
  return "confirm";
}

/** The answer window as the Survey page submits it: a whole number of days, 1–365. */
export function parseAnswerWindowDays(input: unknown): { ok: true; days: number } | { ok: false; error: string } {
  const text = typeof input === "number" ? String(input) : typeof input === "string" ? input.trim() : "";
  const days = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(days) || days < MIN_ANSWER_WINDOW_DAYS || days > MAX_ANSWER_WINDOW_DAYS) {
    return { ok: false, error: `Enter a whole number of days from ${MIN_ANSWER_WINDOW_DAYS} to ${MAX_ANSWER_WINDOW_DAYS}` };
  }
  return { ok: true, days };
}
