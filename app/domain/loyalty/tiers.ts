import { formatMoney } from "~/domain/money";
import { tierSlug, type LoyaltyProgram, type Tier } from "./program";

/** What we know about a customer's history, already net of refunds and cancellations. */
export interface CustomerStanding {
  lifetimeNetMinor: number;
  rolling12NetMinor: number;
  orderCount: number;
  rolling12Orders: number;
}

type SluggedTier = Tier & { slug: string };

/** The number the program compares with tier thresholds: spend or orders, lifetime or the last 12 months. */
export function qualifyingValue(program: LoyaltyProgram, standing: CustomerStanding): number {
  if (program.basis === "spend") {
    return program.window === "lifetime" ? standing.lifetimeNetMinor : standing.rolling12NetMinor;
  }
  return program.window === "lifetime" ? standing.orderCount : standing.rolling12Orders;
}

const withSlug = (tier: Tier): SluggedTier => ({ ...tier, slug: tierSlug(tier.name) });

/** The highest tier whose threshold the customer has reached; null below the lowest tier. */
export function tierFor(program: LoyaltyProgram, standing: CustomerStanding): SluggedTier | null {
  const value = qualifyingValue(program, standing);
  let best: Tier | null = null;
  for (const tier of program.tiers) {
    if (tier.threshold <= value && (best === null || tier.threshold > best.threshold)) best = tier;
  }
  return best && withSlug(best);
}

/** The next tier up and how much (minor units or orders) is left to reach it; null at the top tier. */
export function nextTier(
  program: LoyaltyProgram,
  standing: CustomerStanding,
): { tier: SluggedTier; remaining: number } | null {
  const value = qualifyingValue(program, standing);
  let next: Tier | null = null;
  for (const tier of program.tiers) {
    if (tier.threshold > value && (next === null || tier.threshold < next.threshold)) next = tier;
  }
  return next && { tier: withSlug(next), remaining: next.threshold - value };
}

const COUNT = new Intl.NumberFormat("en-US");

/** A threshold for people: "$250.00" for spend, "5 orders" / "1 order" for orders. */
export function formatThreshold(program: LoyaltyProgram, threshold: number, currency: string): string {
  if (program.basis === "spend") return formatMoney(threshold, currency);
  return `${COUNT.format(threshold)} ${threshold === 1 ? "order" : "orders"}`;
}
