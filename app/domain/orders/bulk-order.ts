import { z } from "zod";
import type { RestOrder, RestRefund } from "./order-payload";

/**
 * The historical import reads orders through a bulk operation whose JSONL has one object per line: orders, and
 * their line items as separate lines pointing back with `__parentId`. Fulfilments and refunds are list fields, so
 * they come inline with their order; a refund's lines are a connection under that list, which bulk queries cannot
 * express, so imported refunds carry no lines (docs/decisions/014-returns-data.md). This module turns those GraphQL shapes
 * into the REST payload shapes the ingest service already understands, so imported and webhook-delivered orders
 * take the very same path.
 */
const money = z.object({ amount: z.string(), currencyCode: z.string() });
const moneyBag = z.object({ shopMoney: money, presentmentMoney: money.optional() });

export const BulkOrderLineSchema = z.object({
  id: z.string().startsWith("gid://shopify/Order/"),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  processedAt: z.string().nullish(),
  cancelledAt: z.string().nullish(),
  test: z.boolean(),
  displayFinancialStatus: z.string().nullish(),
  currencyCode: z.string(),
  presentmentCurrencyCode: z.string().nullish(),
  totalPriceSet: moneyBag,
  customer: z
    .object({ id: z.string(), firstName: z.string().nullish(), lastName: z.string().nullish(), email: z.string().nullish() })
    .nullish(),
  refunds: z
    .array(z.object({ id: z.string(), createdAt: z.string(), totalRefundedSet: moneyBag }))
    .default([]),
  fulfillments: z
    .array(
      z.object({
        createdAt: z.string(),
        updatedAt: z.string().nullish(),
        status: z.string(),
        displayStatus: z.string().nullish(),
        deliveredAt: z.string().nullish(),
      }),
    )
    .default([]),
});

export const BulkLineItemLineSchema = z.object({
  id: z.string().startsWith("gid://shopify/LineItem/"),
  __parentId: z.string(),
  title: z.string(),
  quantity: z.number().int(),
  originalUnitPriceSet: z.object({ shopMoney: money }),
  product: z.object({ id: z.string() }).nullish(),
});

export type BulkOrderLine = z.infer<typeof BulkOrderLineSchema>;
export type BulkLineItemLine = z.infer<typeof BulkLineItemLineSchema>;

/** The numeric id at the end of a GID ("gid://shopify/Order/123" → "123"). */
export function legacyId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

export function bulkOrderToRest(order: BulkOrderLine, lineItems: BulkLineItemLine[]): RestOrder {
  return {
    id: legacyId(order.id),
    name: order.name,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.processedAt ?? order.createdAt,
    cancelled_at: order.cancelledAt ?? null,
    currency: order.currencyCode,
    presentment_currency: order.presentmentCurrencyCode ?? order.currencyCode,
    total_price: order.totalPriceSet.shopMoney.amount,
    total_price_set: {
      shop_money: { amount: order.totalPriceSet.shopMoney.amount, currency_code: order.totalPriceSet.shopMoney.currencyCode },
      presentment_money: {
        amount: (order.totalPriceSet.presentmentMoney ?? order.totalPriceSet.shopMoney).amount,
        currency_code: (order.totalPriceSet.presentmentMoney ?? order.totalPriceSet.shopMoney).currencyCode,
      },
    },
    financial_status: order.displayFinancialStatus?.toLowerCase() ?? null,
    test: order.test,
    customer: order.customer
      ? {
          id: legacyId(order.customer.id),
          first_name: order.customer.firstName ?? null,
          last_name: order.customer.lastName ?? null,
          email: order.customer.email ?? null,
        }
      : null,
    line_items: lineItems.map((li) => ({
      id: legacyId(li.id),
      product_id: li.product ? legacyId(li.product.id) : null,
      title: li.title,
      quantity: li.quantity,
      price: li.originalUnitPriceSet.shopMoney.amount,
    })),
    // GraphQL knows when a shipment was delivered (deliveredAt); REST only that it was (shipment_status) and when the
    // fulfilment last changed (updated_at). Writing deliveredAt as updated_at gives the exact date through the same rule.
    fulfillments: order.fulfillments.map((f) => ({
      status: f.status.toLowerCase(),
      created_at: f.createdAt,
      updated_at: f.deliveredAt ?? f.updatedAt ?? null,
      // (a displayStatus of "DELIVERED" without the date lower-cases to "delivered" too)
      shipment_status: f.deliveredAt ? "delivered" : (f.displayStatus?.toLowerCase() ?? null),
    })),
  };
}

/** Refunds of a bulk order as REST refund payloads, in the shop currency. */
export function bulkRefundsToRest(order: BulkOrderLine): RestRefund[] {
  return order.refunds.map((refund) => ({
    id: legacyId(refund.id),
    order_id: legacyId(order.id),
    created_at: refund.createdAt,
    transactions: [
      {
        kind: "refund",
        status: "success",
        amount: refund.totalRefundedSet.shopMoney.amount,
        currency: refund.totalRefundedSet.shopMoney.currencyCode,
      },
    ],
  }));
}
