import { ordersForEligibility } from "~/models/order-eligibility.server";

/** The eligibility facts of one order of `shop`, or null when Afterglow has not seen it. */
export async function orderForEligibility(shop: string, orderId: string) {
  const [order] = await ordersForEligibility(shop, [orderId]);
  return order ?? null;
}
