import { countOrdersPlacedSince, takeRateLimits, type RateLimit } from "~/models/rate-limits.server";

/**
 * The survey endpoints' rate limits (POST /api/checkout/survey and /seen), shared by every app instance (buckets in
 * PostgreSQL, `takeRateLimits`). Answers are saved as the shopper gives them (decision 041), so one order makes a
 * request per question: the limits count per order, not per request burst.
 *
 * - per order: 30 an hour. A ten-question survey is at most 12 requests (ten answers, the last step, seen) with a few
 *   retries on top; the 31st in an hour is refused.
 * - per token (the signed-in customer, else the token's id): 60 in 10 minutes, so a token cannot spread requests
 *   over many order ids faster than a shopper answering several orders would.
 * - per shop: in proportion to its orders, the per-order allowance for every order placed in the last 24 hours,
 *   spread over the hour (at least 1,200 a minute), so a flash sale's shoppers never meet a 429 and a flood is still
 *   bounded.
 */
export const SURVEY_LIMITS = {
  order: { capacity: 30, windowMs: 3_600_000 },
  token: { capacity: 60, windowMs: 600_000 },
  shop: { minCapacity: 1200, windowMs: 60_000 },
} as const;

/** The shop bucket's capacity (per minute) for a shop that placed `recentOrders` orders in the last 24 hours. */
export function shopSurveyCapacity(recentOrders: number): number {
  const perMinute = Math.ceil((SURVEY_LIMITS.order.capacity * recentOrders * SURVEY_LIMITS.shop.windowMs) / SURVEY_LIMITS.order.windowMs);
  return Math.max(SURVEY_LIMITS.shop.minCapacity, perMinute);
}

const DAY_MS = 24 * 3_600_000;

/**
 * Each shop's recent-order count, kept in this process for at most ORDER_COUNT_TTL_MS (60 s) so that a request does
 * not count a busy shop's orders each time; a stale count only sizes the shop bucket a minute late (never below its
 * floor). Bounded: the oldest entries go first beyond ORDER_COUNT_CACHE_MAX shops.
 */
const ORDER_COUNT_TTL_MS = 60_000;
const ORDER_COUNT_CACHE_MAX = 10_000;
const orderCounts = new Map<string, { count: number; at: number }>();

async function recentOrderCount(shop: string, now: Date): Promise<number> {
  const cached = orderCounts.get(shop);
  if (cached && now.getTime() - cached.at < ORDER_COUNT_TTL_MS && now.getTime() >= cached.at) return cached.count;
  const count = await countOrdersPlacedSince(shop, new Date(now.getTime() - DAY_MS));
  orderCounts.delete(shop);
  orderCounts.set(shop, { count, at: now.getTime() });
  if (orderCounts.size > ORDER_COUNT_CACHE_MAX) orderCounts.delete(orderCounts.keys().next().value!);
  return count;
}

/**
 * Takes one request from the order's, the token's and the shop's buckets, or from none; resolves to 0 or the
 * Retry-After seconds. `orderId` is the numeric order id the body names (null when it names none: the request is
 * then refused as invalid, and counts against the token and shop only). `now` for tests; the database's clock else.
 */
export async function takeSurveyRateLimit(shop: string, tokenKey: string, orderId: string | null, now?: Date): Promise<number> {
  const limits: RateLimit[] = [
    { key: `survey-token ${tokenKey}`, ...SURVEY_LIMITS.token },
    { key: `survey-shop ${shop}`, capacity: shopSurveyCapacity(await recentOrderCount(shop, now ?? new Date())), windowMs: SURVEY_LIMITS.shop.windowMs },
  ];
  if (orderId) limits.push({ key: `survey-order ${shop} ${orderId}`, ...SURVEY_LIMITS.order });
  return takeRateLimits(limits, now);
}

/** Test seam: forgets the cached order counts (module state), so a test's shop bucket is sized from its own orders. */
export function forgetSurveyOrderCounts(): void {
  orderCounts.clear();
}
