import { parseDateRange, rangeView, trendBuckets, trendGranularity } from "~/domain/cx/date-range";
import { periodState } from "~/domain/cx/partial-period";
import { mostRefundedItems, returnFiguresByBucket, returnTotals, type ReturnCounts } from "~/models/returns-figures.server";
import { shopDisplay } from "./shop-profile.server";

/**
 * The Returns page's figures for the dashboard's kind of date range (`?range=30d` or `?from=…&to=…`, UTC days):
 * per week or month, totals against the previous period of the same length, and the items most refunded. Counts
 * and amounts only (integers, shop-currency minor units); the page divides. Definitions in
 * app/models/returns-figures.server.ts.
 */
const EMPTY: ReturnCounts = { orders: 0, refundedOrders: 0, grossMinor: 0, refundedMinor: 0 };

export async function loadReturnFigures(shop: string, params: URLSearchParams, now = new Date()) {
  const parsed = parseDateRange(params, now);
  const { range } = parsed;
  const granularity = trendGranularity(range);
  const [display, byBucket, totals, previous, topItems] = await Promise.all([
    shopDisplay(shop),
    returnFiguresByBucket(shop, range.from, range.to, granularity),
    returnTotals(shop, range.from, range.to),
    returnTotals(shop, range.previousFrom, range.previousTo),
    mostRefundedItems(shop, range.from, range.to, 10),
  ]);
  const found = new Map(byBucket.map((b) => [b.bucket, b]));
  return {
    range: rangeView(parsed),
    currency: display.currency,
    granularity,
    buckets: trendBuckets(range, granularity).map((b) => {
      const { bucket: _key, ...counts } = found.get(b.key) ?? { ...EMPTY, bucket: b.key };
      // `period`: whether the bucket is a whole week or month; the chart marks the others as partial ("so far").
      return { label: b.label, start: b.start.toISOString(), period: periodState(b.start, granularity, range, now), ...counts };
    }),
    totals,
    previous,
    topItems,
  };
}
