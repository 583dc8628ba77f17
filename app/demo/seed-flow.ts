/**
 * The demo shop's Shopify Flow use (docs/decisions/040-flow-actions.md): which triggers its workflows use (as Flow's
 * lifecycle callback would have said), and the action runs those workflows made: points awarded to the customers
 * holding the most points, and the follow-up of an order moved to resolved, plus one run refused (a customer
 * Afterglow does not know), so the Flow page shows both outcomes. Pure and deterministic; prepare.server.ts records
 * them through the Flow services.
 */

/**
 * The triggers the demo shop's workflows use: "Survey answer received" and "Thank-you requested" are left unused, so
 * the Flow page and the follow-ups page show a trigger no workflow uses (a thank-you mark then says nothing was sent).
 */
export const DEMO_FLOW_TRIGGERS = ["follow-up-status-changed", "loyalty-tier-changed", "reward-redeemed", "goodwill-granted", "review-requested"] as const;

const HOUR = 3_600_000;

interface DemoFlowRun {
  handle: "award-points" | "set-follow-up-status";
  actionRunId: string;
  properties: Record<string, unknown>;
  at: Date;
}

/**
 * The action runs: an award to each of the first two customers (most points first, lowest id on a tie), the first
 * open follow-up's order resolved, and an award to a customer id no order ever named (refused), hours apart.
 */
export function planDemoFlowRuns(customers: readonly { id: string; balance: number }[], openFollowUpOrders: readonly string[], { now }: { now: Date }): DemoFlowRun[] {
  const chosen = [...customers].sort((a, b) => b.balance - a.balance || a.id.localeCompare(b.id)).slice(0, 2);
  const reasons = ["Left a product review", "Birthday bonus"];
  const runs: Omit<DemoFlowRun, "at">[] = chosen.map((customer, i) => ({
    handle: "award-points",
    actionRunId: `demo-flow-award-${customer.id}`,
    properties: { customer_id: customer.id, points: 50 * (i + 1), reason: reasons[i]! },
  }));
  const order = openFollowUpOrders[0];
  if (order) runs.push({ handle: "set-follow-up-status", actionRunId: `demo-flow-status-${order}`, properties: { order_id: order, status: "resolved" } });
  runs.push({ handle: "award-points", actionRunId: "demo-flow-award-unknown", properties: { customer_id: "999999999", points: 25, reason: "Joined the newsletter" } });
  return runs.map((run, i) => ({ ...run, at: new Date(now.getTime() - (runs.length - i) * 5 * HOUR) }));
}
