/**
 * The demo shop's rewards: a catalogue as the Loyalty page's editor would post it, and a few shoppers who spent their
 * points on it (the customers holding the most points, lowest id on a tie, each redeeming the dearest reward their
 * balance pays for, a few days apart). Pure and deterministic; prepare.server.ts saves and redeems them through the
 * rewards service, whose Admin API calls go to the recorder.
 */
export const DEMO_REWARDS = [
  { title: "$5 off your next order", kind: "fixed_amount", pointsCost: "500", amount: "5", minimum: "", validityDays: "30" },
  { title: "$15 off orders of $100 or more", kind: "fixed_amount", pointsCost: "1200", amount: "15", minimum: "100", validityDays: "30" },
  { title: "10% off", kind: "percentage", pointsCost: "1000", percent: "10", validityDays: "30" },
  { title: "Free shipping", kind: "free_shipping", pointsCost: "300", validityDays: "14" },
] as const;

const DAY = 86_400_000;

/** Which of DEMO_REWARDS (by index) each chosen customer redeems, and when. */
export function planDemoRedemptions(customers: readonly { id: string; balance: number }[], { now, count = 3 }: { now: Date; count?: number }) {
  const chosen = [...customers].sort((a, b) => b.balance - a.balance || a.id.localeCompare(b.id)).slice(0, count);
  return chosen.flatMap((customer, i) => {
    const affordable = DEMO_REWARDS.map((reward, index) => ({ index, cost: Number(reward.pointsCost) }))
      .filter((r) => r.cost <= customer.balance)
      .sort((a, b) => b.cost - a.cost)[0];
    if (!affordable) return [];
    return [{ customerId: customer.id, reward: affordable.index, at: new Date(now.getTime() - (2 + 3 * i) * DAY), key: `demo-redeem-${customer.id}` }];
  });
}
