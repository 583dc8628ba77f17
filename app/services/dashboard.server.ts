import { monthlyRevenue, orderTotals } from "~/models/orders.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { ensureShopProfile } from "./shop-profile.server";

const DAY = 24 * 60 * 60 * 1000;

/** The dashboard's figures: last 30 days against the 30 before, and six months of net revenue. */
export async function loadDashboard(shop: string, graphql: AdminGraphql, now = new Date()) {
  const periodStart = new Date(now.getTime() - 30 * DAY);
  const previousStart = new Date(now.getTime() - 60 * DAY);
  const sixMonthsAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1));
  const [profile, current, previous, months] = await Promise.all([
    ensureShopProfile(shop, graphql),
    orderTotals(shop, periodStart, now),
    orderTotals(shop, previousStart, periodStart),
    monthlyRevenue(shop, sixMonthsAgo),
  ]);
  return { profile, current, previous, months };
}
