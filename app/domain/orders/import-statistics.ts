/**
 * When a historical import refreshes the planner statistics of the tables it fills (models/table-statistics.server.ts):
 * at the first STATISTICS_FIRST orders, then each time the count doubles. Every refresh then finds the tables at most
 * twice the size the plans were made for, at about twenty refreshes for a million orders.
 */
export const STATISTICS_FIRST = 1_000;

/** The order count at which the next refresh is due, after `done` orders (those of a resumed import included). */
export function nextStatisticsRefresh(done: number): number {
  let next = STATISTICS_FIRST;
  while (next <= done) next *= 2;
  return next;
}
