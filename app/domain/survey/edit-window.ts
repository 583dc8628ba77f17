/**
 * How long a shopper may change an order's survey answers: while less than 24 hours have passed since the first
 * answer. At exactly 24 hours the answers are final (the README's "within 24 hours": 24 h is no longer within).
 * The one rule the save (confirmed and pending answers) and the order status page's check both apply, so they never
 * disagree at the boundary.
 */
export const SURVEY_EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * True while answers first given at `firstAnsweredAt` may still be replaced at `now`: `now` is less than 24 hours
 * later. A `now` before the first answer (clocks of two instances a little apart) is within the window.
 */
export function isEditable(firstAnsweredAt: Date, now: Date): boolean {
  return now.getTime() - firstAnsweredAt.getTime() < SURVEY_EDIT_WINDOW_MS;
}
