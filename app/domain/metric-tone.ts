/**
 * Whether a higher figure is good for the merchant, per metric: one table for every figure that shows a change
 * against the previous period, so a change is coloured by what it means (refunds up is bad, NPS up is good) and not
 * by its sign. A new metric with a change gets its line here.
 */
export const METRIC_DIRECTION = {
  nps: "higher-is-better",
  csat: "higher-is-better",
  ces: "higher-is-better",
  responseRate: "higher-is-better",
  orders: "higher-is-better",
  netRevenue: "higher-is-better",
  grossSales: "higher-is-better",
  customers: "higher-is-better",
  returnRate: "lower-is-better",
  refundedAmount: "lower-is-better",
  refundedOrders: "lower-is-better",
  refundedShare: "lower-is-better",
} as const satisfies Record<string, "higher-is-better" | "lower-is-better">;

export type Metric = keyof typeof METRIC_DIRECTION;
export type ChangeTone = "success" | "critical" | "subdued";

/** The tone of a change of `metric` by `delta` (any unit): success when good for the merchant, critical when bad, subdued for none or no figure. */
export function changeTone(metric: Metric, delta: number | null): ChangeTone {
  if (delta === null || delta === 0 || !Number.isFinite(delta)) return "subdued";
  const up = delta > 0;
  return up === (METRIC_DIRECTION[metric] === "higher-is-better") ? "success" : "critical";
}
