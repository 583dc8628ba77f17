import { isRewardCode } from "~/domain/loyalty/rewards";
import type { OrderFacts } from "~/domain/orders/order-payload";
import { log } from "~/logger.server";
import { markRewardCodesUsed } from "~/models/rewards.server";
import type { SqlTx } from "~/models/transaction.server";

/**
 * Reward codes used on orders (docs/decisions/035-rewards-redemption.md): the ingest hands over a group's events in its
 * transaction; the codes with the shape of a reward code (`isRewardCode`) that the orders' `discount_codes` name are
 * marked used by their order, one statement for the whole group, none when no order names such a code (the usual
 * case: merchants' own codes never reach the database).
 */
export async function markUsedRewardCodes(
  tx: SqlTx,
  events: readonly { shop: string; parsed: { kind: "order"; order: OrderFacts } | { kind: string } }[],
  now: Date,
): Promise<void> {
  const uses = events.flatMap(({ shop, parsed }) =>
    "order" in parsed ? parsed.order.discountCodes.filter(isRewardCode).map((code) => ({ shop, code, orderId: parsed.order.id })) : [],
  );
  if (!uses.length) return;
  for (const used of await markRewardCodesUsed(tx, uses, now)) {
    if (used.late) log.warn("reward code used after it expired: its points had been given back", { shop: used.shop, redemptionId: used.id, orderId: used.orderId });
    else log.info("reward code used", { shop: used.shop, redemptionId: used.id, orderId: used.orderId });
  }
}
