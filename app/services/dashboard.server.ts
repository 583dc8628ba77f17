import { customersOrderedSince, monthlyRevenue, orderTotals } from "~/models/orders.server";
import { periodState } from "~/domain/cx/partial-period";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { ensureShopProfile } from "./shop-profile.server";

const DAY = 24 * 60 * 60 * 1000;

/**
 * The dashboard's order figures: the last 30 UTC days (today included) against the 30 before, and six calendar
 * months of net revenue, the current one marked as in progress (`period`).
 */
export async function loadDashboard(shop: string, graphql: AdminGraphql, now = new Date()) {
  const end = new Date((Math.floor(now.getTime() / DAY) + 1) * DAY);
  const periodStart = new Date(end.getTime() - 30 * DAY);
  const previousStart = new Date(end.getTime() - 60 * DAY);
  const sixMonthsAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1));
  const [profile, totals, customers, previous, months] = await Promise.all([
    ensureShopProfile(shop, graphql),
    orderTotals(shop, periodStart, end),
    customersOrderedSince(shop, periodStart),
    orderTotals(shop, previousStart, periodStart),
    monthlyRevenue(shop, sixMonthsAgo),
  ]);
  const monthRange = { from: sixMonthsAgo, to: end };
  return {
    profile,
    current: { ...totals, customers },
    previous,
    months: months.map((m) => ({ ...m, period: periodState(new Date(`${m.month}-01T00:00:00Z`), "month", monthRange, now) })),
  };
}
