import { expect } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { storeProgram } from "~/models/loyalty.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { saveReward } from "~/services/rewards.server";
import { checkoutRequest, type CheckoutRequestOptions } from "./checkout";
import { restOrder } from "./orders";
import { callAction, signedWebhook } from "./webhooks";

/** The customer account extension's rewards endpoint. */
export const REWARDS_PATH = "/api/customer-account/rewards";

/**
 * A request from the customer account extension: a real session token (HS256, app secret) whose `sub` is the signed-in
 * customer's GID, like `shopify.sessionToken.get()` gives a customer account extension.
 */
export function rewardsRequest(store: string, customerId: string | null, options: CheckoutRequestOptions = {}) {
  return checkoutRequest(store, REWARDS_PATH, { ...(customerId ? { sub: `gid://shopify/Customer/${customerId}` } : {}), ...options });
}

let orderIds = 880_000;

/**
 * Gives customer `customerId` of `shop` `points` points the way real traffic does: a signed orders/create webhook for
 * an order of that many dollars (the default programme earns 1 point per dollar).
 */
export async function earnPoints(shop: string, customerId: string, points: number) {
  const id = ++orderIds;
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const body = restOrder({
    id,
    created_at: at,
    processed_at: at,
    updated_at: at,
    total_price: `${points}.00`,
    customer: { id: Number(customerId), first_name: "Rae", last_name: "Ward", email: `c${customerId}@example.com` },
    line_items: [{ id: id * 10, product_id: 77, title: "Tee", quantity: 1, price: `${points}.00` }],
  });
  const response = await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }));
  expect(response.status).toBe(200);
}

/**
 * Stores the default programme with pending points off (decision 043: on by default), for tests whose subject is not
 * pending points but which spend an order's points as soon as it is booked. The programme row only: a new shop has
 * nothing booked to recompute, and no perk sync is queued.
 */
export async function pointsAvailableAtOnce(shop: string) {
  await storeProgram(shop, { ...DEFAULT_PROGRAM, pending: { enabled: false, maxDays: 60 } });
}

/** Adds a reward through the service the Loyalty page saves with; returns its id. */
export async function addReward(shop: string, fields: Record<string, unknown>) {
  const saved = await saveReward(shop, null, { validityDays: "30", ...fields });
  if (!saved.ok) throw new Error(`reward refused: ${JSON.stringify(saved.errors)}`);
  return saved.id;
}

/** The customer's balance as stored, and their ledger rows of redemptions. */
export async function pointsOf(shop: string, customerId: string) {
  const customer = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: customerId } } });
  const ledger = await prisma.pointsLedger.findMany({
    where: { shop, customerId, kind: { in: ["redemption", "redemption-reversal"] } },
    orderBy: { id: "asc" },
    select: { kind: true, points: true, sourceKey: true },
  });
  return { balance: Number(customer.pointsBalance), ledger: ledger.map((l) => ({ ...l, points: Number(l.points) })) };
}
