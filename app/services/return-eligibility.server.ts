import { isKnownTimeZone } from "~/domain/returns/local-day";
import { returnEligibility, type IneligibleReason } from "~/domain/returns/eligibility";
import type { ReturnPolicy } from "~/domain/returns/policy";
import { readStoredPolicy } from "~/domain/returns/stored";
import { versionInForce } from "~/domain/returns/versions";
import { log } from "~/logger.server";
import { ordersForEligibility } from "~/models/order-eligibility.server";
import { policyVersionStamps, policyVersionsByNumber } from "~/models/return-policy.server";

/**
 * Can each item of these orders still be returned? Each order is judged by the return policy version in force when it
 * was placed, in the shop's time zone. A fixed number of queries for any number of orders: the orders' facts (two),
 * the versions' numbers and save times, then the settings of just the versions in force.
 */
interface ItemReturnView {
  lineItemId: string;
  title: string;
  quantity: number;
  returnable: boolean;
  reason: IneligibleReason | null;
  /** Last instant a return can be started (ISO); null when unlimited, not started, or no window applies. */
  returnBy: string | null;
  returnableQuantity: number;
  refundedQuantity: number;
  restockingFeeMinor: number;
  returnShippingFeeMinor: number;
  storeCreditBonusMinor: number;
}

export interface OrderReturnView {
  /** The policy version that judges this order. */
  version: number;
  versionSavedAt: string;
  /** True when the order was placed before the first version was saved (judged by the first; decision 013). */
  beforeFirstVersion: boolean;
  windowStart: ReturnPolicy["windowStart"];
  windowDays: number | null;
  items: ItemReturnView[];
}

/** The time zone to count calendar days in: the shop's, or UTC when Intl does not know it. */
export function usableTimeZone(shop: string, timeZone: string): string {
  if (isKnownTimeZone(timeZone)) return timeZone;
  log.warn("unknown shop time zone, counting return windows in UTC", { shop, timeZone: timeZone.slice(0, 64) });
  return "UTC";
}

/**
 * Eligibility of each of `orderIds` of `shop`, keyed by order id, and whether the shop has saved a return policy at
 * all (without one, the map is empty). Orders Afterglow does not know are left out. No orders, no queries.
 */
export async function returnsForOrders(
  shop: string,
  orderIds: string[],
  { timeZone, now = new Date() }: { timeZone: string; now?: Date },
): Promise<{ policySaved: boolean; byOrder: Map<string, OrderReturnView> }> {
  const out = new Map<string, OrderReturnView>();
  if (orderIds.length === 0) return { policySaved: false, byOrder: out };
  const [stamps, orders] = await Promise.all([policyVersionStamps(shop), ordersForEligibility(shop, orderIds)]);
  if (stamps.length === 0) return { policySaved: false, byOrder: out };

  const dated = stamps.map((s) => ({ version: s.version, createdAt: s.savedAt }));
  const firstSaved = Math.min(...dated.map((d) => d.createdAt.getTime()));
  const judging = new Map(orders.map((order) => [order.id, versionInForce(dated, order.placedAt)!]));
  const rows = await policyVersionsByNumber(shop, [...new Set([...judging.values()].map((v) => v.version))]);
  const policies = new Map(rows.map((row) => [row.version, readStoredPolicy(row.settings)]));
  const zone = usableTimeZone(shop, timeZone);

  for (const order of orders) {
    const stamp = judging.get(order.id)!;
    const policy = policies.get(stamp.version);
    if (!policy) continue;
    const items = returnEligibility(order, policy, now, { timeZone: zone });
    out.set(order.id, {
      version: stamp.version,
      versionSavedAt: stamp.createdAt.toISOString(),
      beforeFirstVersion: order.placedAt.getTime() < firstSaved,
      windowStart: policy.windowStart,
      windowDays: policy.windowDays,
      items: items.map((item, i) => {
        const line = order.lineItems[i]!;
        return {
          lineItemId: item.lineItemId,
          title: line.title,
          quantity: line.quantity,
          returnable: item.returnable,
          reason: item.reason,
          returnBy: item.returnBy?.toISOString() ?? null,
          returnableQuantity: item.returnableQuantity,
          refundedQuantity: line.refundedQuantity,
          restockingFeeMinor: item.restockingFeeMinor,
          returnShippingFeeMinor: item.returnShippingFeeMinor,
          storeCreditBonusMinor: item.storeCreditBonusMinor,
        };
      }),
    });
  }
  return { policySaved: true, byOrder: out };
}
