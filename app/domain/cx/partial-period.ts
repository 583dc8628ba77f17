/**
 * Whether a chart's bucket (a week, a month) holds a whole period's data. Rollup days are UTC days (decision 025), so
 * periods are cut at UTC midnight. A bucket is:
 * - "in-progress" while the period has not ended: it holds today (or a later day), which is still filling up;
 * - "cut" when the range covers only part of it (a month the range starts or ends inside, the short last week of a
 *   30-day range);
 * - "complete" otherwise.
 * A chart marks the first two as partial ("so far"; lighter or dashed), never as a full point.
 */
export type PeriodState = "complete" | "in-progress" | "cut";

const DAY = 24 * 60 * 60 * 1000;

/** The exclusive end of the week (7 UTC days) or calendar month (UTC) starting at `start`. */
export function periodEnd(start: Date, granularity: "week" | "month"): Date {
  if (granularity === "week") return new Date(start.getTime() + 7 * DAY);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/**
 * The state of the bucket starting at `start`, inside the range [from, to) (to exclusive), at `now`. A week is the
 * 7 days from its start; a month is its UTC calendar month, even when the range starts inside it.
 */
export function periodState(start: Date, granularity: "week" | "month", range: { from: Date; to: Date }, now: Date): PeriodState {
  const end = periodEnd(start, granularity);
  if (now.getTime() < end.getTime()) return "in-progress";
  if (start.getTime() < range.from.getTime() || end.getTime() > range.to.getTime()) return "cut";
  return "complete";
}
