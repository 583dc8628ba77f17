import { minorToDecimal } from "~/domain/money";
import type { RestOrder } from "~/domain/orders/order-payload";

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

type DemoRedemption = { customerId: string; reward: number; at: Date; key: string } & (
  | { fate: "unused" | "expired" }
  /** When the order that used the code was placed. */
  | { fate: "used"; usedAt: Date }
);

/**
 * Which of DEMO_REWARDS (by index) each chosen customer redeems, when, and what becomes of the code: the first is used
 * on an order the next day (`usedAt`), the fourth is left to expire (the reward with the shortest validity their
 * balance pays for, redeemed so long ago that its code ended, and the sweep's two-day grace passed, four days ago),
 * the others stay unused.
 */
export function planDemoRedemptions(customers: readonly { id: string; balance: number }[], { now, count = 4 }: { now: Date; count?: number }): DemoRedemption[] {
  const chosen = [...customers].sort((a, b) => b.balance - a.balance || a.id.localeCompare(b.id)).slice(0, count);
  return chosen.flatMap((customer, i): DemoRedemption[] => {
    const affordable = DEMO_REWARDS.map((reward, index) => ({ index, cost: Number(reward.pointsCost), days: Number(reward.validityDays) })).filter(
      (r) => r.cost <= customer.balance,
    );
    const key = `demo-redeem-${customer.id}`;
    if (i === 3) {
      const shortest = affordable.sort((a, b) => a.days - b.days || b.cost - a.cost)[0];
      if (!shortest) return [];
      return [{ customerId: customer.id, reward: shortest.index, at: new Date(now.getTime() - (shortest.days + 6) * DAY), key, fate: "expired" }];
    }
    const dearest = affordable.sort((a, b) => b.cost - a.cost)[0];
    if (!dearest) return [];
    const at = new Date(now.getTime() - (2 + 3 * i) * DAY);
    if (i === 0) return [{ customerId: customer.id, reward: dearest.index, at, key, fate: "used", usedAt: new Date(at.getTime() + DAY) }];
    return [{ customerId: customer.id, reward: dearest.index, at, key, fate: "unused" }];
  });
}

/** Two of the demo catalogue's products (seed-data.ts: the 7th and 5th of its list), by their Shopify ids. */
const HOODIE = { productId: "8100000047514", title: "Heavyweight Hoodie", cents: 8400 };
const CHINOS = { productId: "8100000031676", title: "Relaxed Fit Chinos", cents: 7800 };

/** What a demo reward's code takes off an order of `subtotalCents` (free shipping: nothing off the items). */
function discountCents(reward: (typeof DEMO_REWARDS)[number], subtotalCents: number): number {
  if (reward.kind === "fixed_amount") return Number(reward.amount) * 100;
  if (reward.kind === "percentage") return Math.round((subtotalCents * Number(reward.percent)) / 100);
  return 0;
}

/** The `type` Shopify gives a discount code on an order, by reward kind. */
const SHOPIFY_CODE_TYPE = { fixed_amount: "fixed_amount", percentage: "percentage", free_shipping: "shipping" } as const;

interface OrderUsingCode {
  /** The customer as the order webhook carries them (the id as its exact digit string). */
  customer: { id: string; firstName: string | null; lastName: string | null; email: string | null };
  code: string;
  /** The reward redeemed (an index of DEMO_REWARDS). */
  reward: number;
  at: Date;
  number: number;
}

/**
 * The order on which a shopper used their reward code: an orders/create payload as Shopify sends it, the code in
 * `discount_codes` as the shopper typed it (lower case), one Heavyweight Hoodie and one Relaxed Fit Chinos less the
 * code's amount. `number` tells the demo's reward orders apart (ids and names past the history's).
 */
export function demoOrderUsingCode({ customer, code, reward, at, number }: OrderUsingCode): RestOrder {
  const stamp = at.toISOString();
  const amountOffCents = discountCents(DEMO_REWARDS[reward]!, HOODIE.cents + CHINOS.cents);
  const money = minorToDecimal(HOODIE.cents + CHINOS.cents - amountOffCents, "USD");
  return {
    id: String(5_600_900_000_000 + number),
    name: `#${9001 + number}`,
    created_at: stamp,
    updated_at: stamp,
    processed_at: stamp,
    cancelled_at: null,
    currency: "USD",
    presentment_currency: "USD",
    total_price: money,
    total_price_set: { shop_money: { amount: money, currency_code: "USD" }, presentment_money: { amount: money, currency_code: "USD" } },
    financial_status: "paid",
    test: false,
    customer: { id: customer.id, first_name: customer.firstName, last_name: customer.lastName, email: customer.email },
    discount_codes: [{ code: code.toLowerCase(), amount: minorToDecimal(amountOffCents, "USD"), type: SHOPIFY_CODE_TYPE[DEMO_REWARDS[reward]!.kind] }],
    line_items: [HOODIE, CHINOS].map((item, i) => ({
      id: String(5_600_900_000_000 + number * 10 + i + 1),
      product_id: item.productId,
      title: item.title,
      quantity: 1,
      price: minorToDecimal(item.cents, "USD"),
    })),
    fulfillments: [],
  };
}
