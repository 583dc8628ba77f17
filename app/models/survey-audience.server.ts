import { prisma } from "~/db.server";

/**
 * What survey targeting asks of the app's own order facts (decision 045). Scoped by `shop` like every model.
 *
 * Whether `customerId` placed a real order (not a test, not cancelled) before the order `orderId`: before that order's
 * `placedAt` when the app holds it as this customer's order, else any other order of theirs (the order just placed
 * may not have reached the app yet; an order of another customer gives no date, so nothing about it is learnt).
 * One index range on Order (shop, customerId, placedAt) and one primary-key probe.
 */
export async function hasEarlierOrder(shop: string, customerId: string, orderId: string): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ earlier: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM "Order" o
      WHERE o."shop" = ${shop} AND o."customerId" = ${customerId} AND o."id" <> ${orderId}
        AND NOT o."test" AND o."cancelledAt" IS NULL
        AND o."placedAt" < COALESCE(
          (SELECT t."placedAt" FROM "Order" t WHERE t."shop" = ${shop} AND t."id" = ${orderId} AND t."customerId" = ${customerId}),
          'infinity'::timestamptz)
    ) AS "earlier"`;
  return row?.earlier === true;
}
