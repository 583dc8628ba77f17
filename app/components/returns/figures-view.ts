/**
 * Arithmetic of the Returns page's figures, on the counts and minor units the loader sends (the SQL aggregates): the
 * return rate, changes against the previous period, and bucket labels. Pure, so it is tested on its own.
 */

/** Orders with a refund as a share of the orders placed, in percent with one decimal; null without orders. */
export function returnRate(refundedOrders: number, orders: number): number | null {
  if (orders <= 0) return null;
  return Math.round((refundedOrders * 1000) / orders) / 10;
}

/** "▲ 1.5 points vs previous period"; null rates give a sentence saying so. */
export function rateChangeText(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return "No orders to compare with in the previous period";
  const delta = Math.round((current - previous) * 10) / 10;
  if (delta === 0) return "→ same as the previous period";
  return `${delta > 0 ? "▲" : "▼"} ${Math.abs(delta).toLocaleString("en-US")} points vs previous period`;
}

/** "▲ 12% vs previous period" for amounts and counts; without a previous figure, says so. */
export function changeText(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? "→ same as the previous period" : "Nothing in the previous period";
  const pct = Math.round(((current - previous) / previous) * 100);
  if (pct === 0) return "→ about the same as the previous period";
  return `${pct > 0 ? "▲" : "▼"} ${Math.abs(pct)}% vs previous period`;
}

/**
 * A bucket's short label, unique within a range (charts key their marks by it) and at most 7 characters: "Mar 4" for
 * a week (its first day; weeks are used up to ~100 days), "Mar '26" for a month.
 */
export function bucketLabel(label: string, granularity: "week" | "month"): string {
  if (granularity === "week") {
    return new Date(`${label}T00:00:00Z`).toLocaleString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  }
  const month = new Date(`${label}-01T00:00:00Z`).toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  return `${month} '${label.slice(2, 4)}`;
}
