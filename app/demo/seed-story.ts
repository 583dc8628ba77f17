/**
 * The story the demo shop tells (issue 20), in one place: each seeded customer has a disposition and a channel,
 * drawn from their id alone so the order history (seed-data.ts) and the survey answers (seed-answers.ts) agree on
 * them without passing anything between the two. Pure and deterministic.
 *
 * - Promoters reorder more and are worth more; passives sit between; detractors mostly buy once or twice, early, and
 *   then stop (churn).
 * - Customers who heard of the shop from a friend buy the pricier pieces: the highest average order of any channel.
 * - Refunds cluster on two products that run small (the selvedge jeans and the trail sneakers): orders with them are
 *   refunded far more often, and a partial refund gives them back first.
 */
import { mulberry32 } from "./random";

export type Disposition = "promoter" | "passive" | "detractor";
/** The default survey's attribution option ids. */
type Channel = "search" | "social" | "friend" | "ad";

interface CustomerProfile {
  disposition: Disposition;
  channel: Channel;
}

/** The channel whose customers buy the pricier pieces. */
export const HIGH_VALUE_CHANNEL: Channel = "friend";

/** The two products most refunds are for (they run small). */
export const OFTEN_REFUNDED = ["Selvedge Denim Jeans", "Trail Runner Sneakers"] as const;

/**
 * Share of customers by disposition (customers a friend sent lean happier: they came knowing what to expect), and of
 * channels (search and social lead, then friends, then ads).
 */
const DISPOSITIONS: readonly [Disposition, number][] = [
  ["promoter", 0.42],
  ["passive", 0.31],
  ["detractor", 0.27],
];
const REFERRED_DISPOSITIONS: readonly [Disposition, number][] = [
  ["promoter", 0.75],
  ["passive", 0.2],
  ["detractor", 0.05],
];
const CHANNELS: readonly [Channel, number][] = [
  ["search", 0.38],
  ["social", 0.3],
  ["friend", 0.2],
  ["ad", 0.12],
];

function choose<T>(r: number, table: readonly [T, number][]): T {
  let left = r;
  for (const [value, share] of table) {
    if (left < share) return value;
    left -= share;
  }
  return table[table.length - 1]![0];
}

/** A customer's disposition and channel, from their Shopify id alone. */
export function customerProfile(customerId: number): CustomerProfile {
  // A few rounds of mulberry32 seeded by the id's two halves spread neighbouring ids apart.
  const rng = mulberry32((customerId % 2 ** 31) ^ Math.floor(customerId / 2 ** 31) ^ 0x5107_a11e);
  rng();
  const channel = choose(rng(), CHANNELS);
  return { disposition: choose(rng(), channel === HIGH_VALUE_CHANNEL ? REFERRED_DISPOSITIONS : DISPOSITIONS), channel };
}

/**
 * How many orders a customer of this disposition wants over the history, from one uniform draw and a range drawer:
 * promoters come back most; detractors mostly buy once, the others two or three times, and never become regulars.
 */
export function appetite(disposition: Disposition, r: number, between: (min: number, max: number) => number): number {
  if (disposition === "detractor") return r < 0.7 ? 1 : between(2, 3);
  const [once, few, many] = disposition === "promoter" ? [0.2, 0.48, 0.76] : [0.38, 0.74, 0.92];
  return r < once ? 1 : r < few ? between(2, 5) : r < many ? between(6, 14) : between(15, 40);
}

/** NPS weights (scores 0–10) of an answer on an order that was not refunded, by the customer's disposition. */
export const NPS_BY_DISPOSITION: Record<Disposition, readonly number[]> = {
  promoter: [0, 0, 0, 0, 0, 0.5, 1, 3, 7, 30, 40],
  passive: [0, 0, 0, 0.5, 0.5, 1, 3, 20, 24, 5, 3],
  detractor: [4, 3, 4, 6, 8, 12, 14, 6, 3, 1, 1],
};
