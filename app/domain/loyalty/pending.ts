import { windowEnd } from "../returns/eligibility";
import type { WindowStart } from "../returns/policy";

/**
 * When an order's points become available (docs/decisions/043-pending-points.md). Points earned on an order wait until
 * its return window has closed under the return-policy version that judges the order (the window of
 * app/domain/returns/eligibility.ts: the end of the Nth calendar day after the order, fulfilment or delivery, in the
 * shop's time zone), and never longer than the programme's longest wait after the order (`capAt`). The instant
 * returned is the first one after the window: at `returnBy` a return can still be started, one millisecond later
 * the points are available.
 *
 * - No policy saved, or a policy with no time limit: the longest wait.
 * - A final-sale policy (a 0-day window): nothing can be returned, so the points are available when the order is placed.
 * - The window counts from a fulfilment or delivery that has not happened yet: the longest wait, until it happens
 *   (the order's next update moves the date earlier).
 * - Otherwise the window's end, or the longest wait when that comes first.
 */

/** The programme's setting: whether orders booked from now on hold their points, and the longest wait in days. */
export interface PendingSetting {
  enabled: boolean;
  maxDays: number;
}

const PENDING_MAX_DAYS_DEFAULT = 60;
export const PENDING_MAX_DAYS_LIMIT = 365;

/**
 * The setting of a programme saved without one (and of the programme a shop never saved): on, with the default
 * longest wait (docs/decisions/043-pending-points.md).
 */
export const PENDING_DEFAULT: PendingSetting = { enabled: true, maxDays: PENDING_MAX_DAYS_DEFAULT };

/** What the rule reads of the return policy version that judges the order (null: the shop never saved one). */
export type PendingWindow = { windowStart: WindowStart; windowDays: number | null } | null;

export interface PendingOrderDates {
  placedAt: Date;
  fulfilledAt: Date | null;
  deliveredAt: Date | null;
}

/** The latest instant an order placed at `placedAt` may wait until: the start of the day after the `maxDays`th day. */
export function pendingCap(placedAt: Date, maxDays: number, timeZone = "UTC"): Date {
  if (!Number.isSafeInteger(maxDays) || maxDays < 1) throw new RangeError(`maxDays must be a whole number ≥ 1, got ${maxDays}`);
  return afterEnd(windowEnd(placedAt, maxDays, timeZone));
}

/** The first instant the order's points are available (see the module comment). */
export function pointsAvailableAt(order: PendingOrderDates, window: PendingWindow, capAt: Date, timeZone = "UTC"): Date {
  if (window === null || window.windowDays === null) return capAt;
  if (window.windowDays === 0) return order.placedAt;
  const startAt = window.windowStart === "order" ? order.placedAt : window.windowStart === "fulfillment" ? order.fulfilledAt : order.deliveredAt;
  if (startAt === null) return capAt;
  const closes = afterEnd(windowEnd(startAt, window.windowDays, timeZone));
  return closes.getTime() < capAt.getTime() ? closes : capAt;
}

const afterEnd = (end: Date) => new Date(end.getTime() + 1);

