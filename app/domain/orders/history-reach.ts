/**
 * How far back the app's order facts (and so lifetime tiers) can see (decision 047). Without the optional
 * `read_all_orders` scope Shopify serves an app only the last 60 days of past orders, so the historical import stops
 * there; with it, the whole history can be imported again.
 */
export const ALL_ORDERS_SCOPE = "read_all_orders";
export const RECENT_ORDERS_DAYS = 60;

/** Whether a session's granted scopes (Shopify's comma-separated string) include reading every order. */
export function hasAllOrdersScope(scope: string | null | undefined): boolean {
  if (!scope) return false;
  return scope
    .split(",")
    .map((s) => s.trim())
    .includes(ALL_ORDERS_SCOPE);
}

export interface HistoryReach {
  /** The merchant granted `read_all_orders`. */
  allOrders: boolean;
  /** The earliest order the app holds (ISO), null when none. */
  earliestOrderAt: string | null;
}
