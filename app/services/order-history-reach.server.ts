import { hasAllOrdersScope, type HistoryReach } from "~/domain/orders/history-reach";
import { earliestOrderPlacedAt } from "~/models/orders.server";

/**
 * How far back the shop's order facts reach, for the Loyalty page (decision 047): whether the merchant granted
 * `read_all_orders` (the offline session's scopes, kept current by app/scopes_update) and the earliest order held.
 */
export async function orderHistoryReach(shop: string, sessionScope: string | null | undefined): Promise<HistoryReach> {
  const earliest = await earliestOrderPlacedAt(shop);
  return { allOrders: hasAllOrdersScope(sessionScope), earliestOrderAt: earliest?.toISOString() ?? null };
}
