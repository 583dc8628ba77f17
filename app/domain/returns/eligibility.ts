import { endOfLocalDay, localDay } from "./local-day";
import { flatReturnShippingFee, tagKey, type ReturnPolicy, type WindowStart } from "./policy";

/**
 * Can each item of an order be returned under a policy version, until when, and at what cost?
 *
 * The window: a return can be started until the END of the Nth calendar day after the start day (the day of the
 * order, its fulfillment or its delivery, as the policy says), in the shop's time zone (`opts.timeZone`, IANA,
 * default "UTC"). Ordered on 3 March with a 1-day window: returns until 4 March 23:59:59.999 shop time. Days are
 * calendar days, so a window across a daylight-saving change is an hour shorter or longer. `returnBy` is that last
 * millisecond; at `returnBy` an item is still returnable, one millisecond later it is not. An unknown time zone
 * throws Intl's RangeError.
 *
 * Decisions (docs/decisions/013-return-policy-domain.md):
 * - Not yet fulfilled / delivered when the window counts from that event: the window has not started, so it cannot
 *   have closed. The item is `returnable: true` with `returnBy: null` and reason "not_fulfilled" (nothing shipped
 *   yet) or "not_delivered" (shipped, no delivery date yet), which says "window not started yet". Many carriers
 *   never report a delivery, and such an order must not become unreturnable for good. With no time limit, or
 *   a window counted from the order, the reason is null: the fulfillment does not matter then.
 * - Why not, in this order: "cancelled" (the whole order), "final_sale_policy" (a 0-day window),
 *   "final_sale_item" (a product tag in finalSaleTags, compared trimmed and case-insensitively),
 *   "already_refunded" (nothing left after refunds), "window_closed".
 * - `returnBy` is null when no window applies to the item (cancelled order, final sale, no time limit) or when it
 *   has not started; otherwise it is reported, also for a closed window or a fully refunded item.
 * - Amounts are for the returnable quantity and 0 when the item is not returnable: the restocking fee and the
 *   store credit bonus are percentages of priceMinor (the unit price actually paid) × returnableQuantity, rounded
 *   half up to a whole minor unit. The bonus is on the items' value, before fees.
 * - `returnShippingFeeMinor` is the flat fee of a return that includes this item. It is charged once per return,
 *   however many items the return holds, so it is the same on every returnable item: never add it up.
 */

export interface EligibilityLineItem {
  id: string;
  title: string;
  quantity: number;
  /** Unit price actually paid, minor units of the order currency. */
  priceMinor: number;
  refundedQuantity: number;
  productTags: string[];
}

export interface EligibilityOrder {
  placedAt: Date;
  fulfilledAt: Date | null;
  deliveredAt: Date | null;
  cancelled: boolean;
  currency: string;
  lineItems: EligibilityLineItem[];
}

export type IneligibleReason =
  | "final_sale_item"
  | "final_sale_policy"
  | "window_closed"
  | "not_fulfilled"
  | "not_delivered"
  | "cancelled"
  | "already_refunded";

export interface ItemEligibility {
  lineItemId: string;
  returnable: boolean;
  /** why not, or why not yet */
  reason: null | IneligibleReason;
  /** last instant a return can be started; null when unlimited or when the window has not started yet */
  returnBy: Date | null;
  windowStartsOn: WindowStart;
  returnableQuantity: number;
  /** for the returnable quantity, rounded half up, integer */
  restockingFeeMinor: number;
  /** the flat fee of a return holding this item (once per return, the same on every item); 0 when free or customer-paid */
  returnShippingFeeMinor: number;
  /** extra credit if the shopper chooses store credit */
  storeCreditBonusMinor: number;
}

interface EligibilityOptions {
  /** The shop's IANA time zone; default "UTC". */
  timeZone?: string;
}

/** The instant the window counts from, or null when that event has not happened yet. */
function windowStartAt(order: EligibilityOrder, start: WindowStart): Date | null {
  if (start === "order") return order.placedAt;
  return start === "fulfillment" ? order.fulfilledAt : order.deliveredAt;
}

/** The last millisecond a return can be started, for a window of `days` ≥ 1 days from `startAt`. */
export function windowEnd(startAt: Date, days: number, timeZone = "UTC"): Date {
  return endOfLocalDay(localDay(startAt, timeZone) + days, timeZone);
}

/** percent % of unitMinor × quantity, rounded half up, exactly (BigInt: no float, no overflow). */
function percentOf(unitMinor: number, quantity: number, percent: number): number {
  const hundredths = BigInt(unitMinor) * BigInt(quantity) * BigInt(percent);
  return Number((hundredths + 50n) / 100n);
}

function assertWhole(value: number, what: string, lineItemId: string) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Line item ${lineItemId}: ${what} must be a whole number ≥ 0`);
}

export function returnEligibility(order: EligibilityOrder, policy: ReturnPolicy, now: Date, opts: EligibilityOptions = {}): ItemEligibility[] {
  const timeZone = opts.timeZone ?? "UTC";
  const start = policy.windowStart;
  const startAt = windowStartAt(order, start);
  const days = policy.windowDays;
  // A 0-day window (final sale) never reads returnBy: every item is refused before it is.
  const returnBy = days !== null && startAt !== null ? windowEnd(startAt, days, timeZone) : null;
  const notStarted: IneligibleReason | null =
    days === null || startAt !== null ? null : order.fulfilledAt === null ? "not_fulfilled" : "not_delivered";
  const finalSaleKeys = new Set(policy.finalSaleTags.map(tagKey));
  const shippingFee = flatReturnShippingFee(policy);

  return order.lineItems.map((item) => {
    assertWhole(item.quantity, "quantity", item.id);
    assertWhole(item.refundedQuantity, "refundedQuantity", item.id);
    assertWhole(item.priceMinor, "priceMinor", item.id);
    const remaining = Math.max(0, item.quantity - item.refundedQuantity);
    const closed: ItemEligibility = {
      lineItemId: item.id,
      returnable: false,
      reason: null,
      returnBy: null,
      windowStartsOn: start,
      returnableQuantity: 0,
      restockingFeeMinor: 0,
      returnShippingFeeMinor: 0,
      storeCreditBonusMinor: 0,
    };
    if (order.cancelled) return { ...closed, reason: "cancelled" };
    if (days === 0) return { ...closed, reason: "final_sale_policy" };
    if (item.productTags.some((tag) => finalSaleKeys.has(tagKey(tag)))) return { ...closed, reason: "final_sale_item" };
    if (remaining === 0) return { ...closed, reason: "already_refunded", returnBy };
    if (returnBy !== null && now.getTime() > returnBy.getTime()) return { ...closed, reason: "window_closed", returnBy };
    return {
      ...closed,
      returnable: true,
      reason: notStarted,
      returnBy,
      returnableQuantity: remaining,
      restockingFeeMinor: percentOf(item.priceMinor, remaining, policy.restockingFeePercent),
      returnShippingFeeMinor: shippingFee,
      storeCreditBonusMinor: policy.storeCredit.offered ? percentOf(item.priceMinor, remaining, policy.storeCredit.bonusPercent) : 0,
    };
  });
}
