import { prisma } from "~/db.server";
import type { OrderFacts, RefundFacts } from "~/domain/orders/order-payload";
import type { Tx } from "./transaction.server";

/**
 * Records that webhook `webhookId` is being applied for `shop`. Returns false when it was applied before
 * (a repeat delivery), in which case the caller must change nothing.
 */
export async function claimWebhookDelivery(tx: Tx, shop: string, webhookId: string, topic: string): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "WebhookDelivery" ("shop", "webhookId", "topic", "receivedAt")
    VALUES (${shop}, ${webhookId}, ${topic}, ${new Date()})
    ON CONFLICT ("shop", "webhookId") DO NOTHING`;
  return inserted === 1;
}

export type OrderWriteResult = "created" | "updated" | "stale";

/** Stores an order version unless a newer version (by Shopify's updated_at) is already stored. */
export async function upsertOrderIfNewer(tx: Tx, shop: string, order: OrderFacts): Promise<OrderWriteResult> {
  const existing = await tx.order.findUnique({
    where: { shop_id: { shop, id: order.id } },
    select: { shopifyUpdatedAt: true },
  });
  if (existing && existing.shopifyUpdatedAt > order.updatedAt) return "stale";
  if (order.customer) {
    const { id, ...personal } = order.customer;
    await tx.customer.upsert({
      where: { shop_id: { shop, id } },
      create: { shop, id, ...personal },
      update: personal,
    });
  }
  const data = {
    name: order.name,
    customerId: order.customer?.id ?? null,
    currency: order.currency,
    presentmentCurrency: order.presentmentCurrency,
    totalMinor: order.totalMinor,
    presentmentTotalMinor: order.presentmentTotalMinor,
    financialStatus: order.financialStatus,
    test: order.test,
    cancelledAt: order.cancelledAt,
    placedAt: order.placedAt,
    shopifyUpdatedAt: order.updatedAt,
    lineItemCount: order.lineItems.reduce((n, li) => n + li.quantity, 0),
  };
  await tx.order.upsert({
    where: { shop_id: { shop, id: order.id } },
    create: { shop, id: order.id, ...data },
    update: data,
  });
  return existing ? "updated" : "created";
}

/** Stores a refund by id; a refund for an order not seen yet is kept and counts once the order arrives. */
export async function insertRefund(tx: Tx, shop: string, refund: RefundFacts): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "Refund" ("shop", "id", "orderId", "amountMinor", "currency", "createdAt")
    VALUES (${shop}, ${refund.id}, ${refund.orderId}, ${refund.amountMinor}, ${refund.currency}, ${refund.createdAt})
    ON CONFLICT ("shop", "id") DO NOTHING`;
  return inserted === 1;
}

/**
 * Converts the order's refunds into its shop currency: a refund paid in the presentment currency is scaled by the
 * order's own shop/presentment ratio (integer arithmetic, rounded half up); one in the shop currency is taken as is.
 */
export async function settleRefundAmounts(tx: Tx, shop: string, orderId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Refund" SET "shopAmountMinor" = (
      SELECT CASE
        WHEN "Refund"."currency" IS NULL OR "Refund"."currency" = o."currency" OR o."presentmentTotalMinor" = 0
          THEN "Refund"."amountMinor"
        WHEN "Refund"."currency" = o."presentmentCurrency"
          THEN ("Refund"."amountMinor" * o."totalMinor" * 2 + o."presentmentTotalMinor") / (o."presentmentTotalMinor" * 2)
        ELSE "Refund"."amountMinor" END
      FROM "Order" o WHERE o."shop" = "Refund"."shop" AND o."id" = "Refund"."orderId")
    WHERE "shop" = ${shop} AND "orderId" = ${orderId}
      AND EXISTS (SELECT 1 FROM "Order" o WHERE o."shop" = ${shop} AND o."id" = ${orderId})`;
}

export interface OrderForLoyalty {
  id: string;
  customerId: string | null;
  currency: string;
  totalMinor: number;
  test: boolean;
  cancelledAt: Date | null;
  placedAt: Date;
}

export async function findOrder(tx: Tx, shop: string, orderId: string): Promise<OrderForLoyalty | null> {
  return tx.order.findUnique({
    where: { shop_id: { shop, id: orderId } },
    select: { id: true, customerId: true, currency: true, totalMinor: true, test: true, cancelledAt: true, placedAt: true },
  });
}

/** The order's refunds in shop currency, oldest first (only those already converted). */
export async function settledRefunds(tx: Tx, shop: string, orderId: string) {
  return tx.refund.findMany({
    where: { shop, orderId, shopAmountMinor: { not: null } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, shopAmountMinor: true, createdAt: true },
  });
}

/** The order a refund belongs to, by refund id. */
export async function refundOrderId(tx: Tx, shop: string, refundId: string): Promise<string | null> {
  const refund = await tx.refund.findUnique({ where: { shop_id: { shop, id: refundId } }, select: { orderId: true } });
  return refund?.orderId ?? null;
}

export interface OrderTotals {
  orders: number;
  customers: number;
  grossMinor: number;
  refundedMinor: number;
}

/** Non-test orders placed in [from, to): count, distinct customers, gross and refunded amounts, in SQL. */
export async function orderTotals(shop: string, from: Date, to: Date): Promise<OrderTotals> {
  const [row] = await prisma.$queryRaw<
    { orders: bigint | number; customers: bigint | number; gross: bigint | number | null; refunded: bigint | number | null }[]
  >`
    SELECT COUNT(*) AS orders,
           COUNT(DISTINCT o."customerId") AS customers,
           SUM(o."totalMinor") AS gross,
           SUM((SELECT COALESCE(SUM(r."shopAmountMinor"), 0) FROM "Refund" r WHERE r."shop" = o."shop" AND r."orderId" = o."id")) AS refunded
    FROM "Order" o
    WHERE o."shop" = ${shop} AND o."test" = 0 AND o."placedAt" >= ${from} AND o."placedAt" < ${to}`;
  return {
    orders: Number(row?.orders ?? 0),
    customers: Number(row?.customers ?? 0),
    grossMinor: Number(row?.gross ?? 0),
    refundedMinor: Number(row?.refunded ?? 0),
  };
}

export interface MonthlyRevenue {
  month: string;
  orders: number;
  netMinor: number;
}

/** Net revenue (gross minus refunds) and order count per calendar month (UTC) since `from`. */
export async function monthlyRevenue(shop: string, from: Date): Promise<MonthlyRevenue[]> {
  const rows = await prisma.$queryRaw<{ month: string; orders: bigint | number; net: bigint | number | null }[]>`
    SELECT strftime('%Y-%m', o."placedAt" / 1000, 'unixepoch') AS month,
           COUNT(*) AS orders,
           SUM(o."totalMinor" - (SELECT COALESCE(SUM(r."shopAmountMinor"), 0) FROM "Refund" r
                                 WHERE r."shop" = o."shop" AND r."orderId" = o."id")) AS net
    FROM "Order" o
    WHERE o."shop" = ${shop} AND o."test" = 0 AND o."cancelledAt" IS NULL AND o."placedAt" >= ${from}
    GROUP BY month ORDER BY month`;
  return rows.map((r) => ({ month: r.month, orders: Number(r.orders), netMinor: Number(r.net ?? 0) }));
}

export async function countOrders(shop: string): Promise<number> {
  return prisma.order.count({ where: { shop } });
}
