import { formatMoney } from "~/domain/money";
import type { IneligibleReason } from "~/domain/returns/eligibility";
import { formatDate } from "~/domain/dates";

/** What the customer page says about one item's return, from the eligibility the loader computed. */
export interface ItemReturnFacts {
  returnable: boolean;
  reason: IneligibleReason | null;
  returnBy: string | null;
  quantity: number;
  returnableQuantity: number;
  restockingFeeMinor: number;
  returnShippingFeeMinor: number;
  storeCreditBonusMinor: number;
}

const NOT_RETURNABLE: Record<Exclude<IneligibleReason, "not_fulfilled" | "not_delivered">, string> = {
  cancelled: "Not returnable: the order was cancelled",
  final_sale_policy: "Not returnable: all sales are final under this policy",
  final_sale_item: "Not returnable: final sale",
  already_refunded: "Not returnable: already refunded in full",
  window_closed: "Not returnable: the return window has closed",
};

/** "Returnable until Nov 3, 2026", "Not returnable: final sale", "Returnable: window not started (not delivered yet)"… */
export function returnStatusText(item: ItemReturnFacts, timezone: string): string {
  if (!item.returnable) {
    const reason = item.reason && item.reason !== "not_fulfilled" && item.reason !== "not_delivered" ? NOT_RETURNABLE[item.reason] : "Not returnable";
    return item.reason === "window_closed" && item.returnBy ? `${reason} (last day ${formatDate(item.returnBy, timezone)})` : reason;
  }
  if (item.reason === "not_fulfilled") return "Returnable: the window has not started (not shipped yet)";
  if (item.reason === "not_delivered") return "Returnable: the window has not started (not delivered yet)";
  if (item.returnBy) return `Returnable until ${formatDate(item.returnBy, timezone)}`;
  return "Returnable, no time limit";
}

/** The costs and credit of returning it, in the shop currency; empty when not returnable or nothing applies. */
export function returnCostsText(item: ItemReturnFacts, currency: string): string[] {
  if (!item.returnable) return [];
  const parts: string[] = [];
  if (item.returnableQuantity < item.quantity) parts.push(`${item.returnableQuantity} of ${item.quantity} units left to return`);
  if (item.restockingFeeMinor > 0) parts.push(`restocking fee ${formatMoney(item.restockingFeeMinor, currency)}`);
  if (item.returnShippingFeeMinor > 0) parts.push(`return shipping ${formatMoney(item.returnShippingFeeMinor, currency)} per return`);
  if (item.storeCreditBonusMinor > 0) parts.push(`store credit bonus ${formatMoney(item.storeCreditBonusMinor, currency)}`);
  return parts;
}
