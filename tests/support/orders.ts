import { randomUUID } from "node:crypto";
import { parseRefundShape, toRefundFacts, type RefundFacts, type RestOrder, type RestRefund } from "~/domain/orders/order-payload";

/** A refund payload made facts as the webhook path does it: the shape checked (`parseRefundShape`), then `toRefundFacts`. */
export function parseRefundPayload(payload: unknown, shopCurrency: string | null = null): RefundFacts {
  return toRefundFacts(parseRefundShape(payload), shopCurrency);
}

/**
 * The rows and one new delivery (a fresh X-Shopify-Webhook-Id) per row, as the order model's writes take them, which
 * claim the deliveries: `upsertOrdersIfNewer(tx, shop, ...delivered(orders))`.
 */
export function delivered<T>(rows: T[], topic = "orders/updated"): [T[], { webhookId: string; topic: string }[]] {
  return [rows, rows.map(() => ({ webhookId: randomUUID(), topic }))];
}

/** A REST order payload as Shopify sends it, with overrides. */
export function restOrder(overrides: Partial<RestOrder> & { id: number }): RestOrder {
  return {
    name: `#${overrides.id}`,
    created_at: "2026-10-01T10:00:00Z",
    updated_at: "2026-10-01T10:00:00Z",
    processed_at: "2026-10-01T10:00:00Z",
    currency: "USD",
    total_price: "60.00",
    financial_status: "paid",
    test: false,
    customer: { id: 501, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" },
    line_items: [{ id: overrides.id * 10, product_id: 77, title: "Tee", quantity: 2, price: "30.00" }],
    ...overrides,
  };
}

export function restRefund(overrides: Partial<RestRefund> & { id: number; order_id: number }): RestRefund {
  return {
    created_at: "2026-10-05T10:00:00Z",
    transactions: [{ id: overrides.id * 10, kind: "refund", status: "success", amount: "60.00", currency: "USD" }],
    ...overrides,
  };
}

/**
 * One order line of a bulk operation's JSONL (the historical import's input), as Shopify writes it: a paid USD order
 * placed 2026-03-01 by customer 900, `amount` its total. `extra` replaces any field.
 */
export function bulkOrderLine(n: number, amount = "150.00", extra: Record<string, unknown> = {}) {
  return {
    id: `gid://shopify/Order/${n}`,
    name: `#${n}`,
    createdAt: "2026-03-01T10:00:00Z",
    updatedAt: "2026-03-01T10:00:00Z",
    processedAt: "2026-03-01T10:00:00Z",
    cancelledAt: null,
    test: false,
    displayFinancialStatus: "PAID",
    currencyCode: "USD",
    presentmentCurrencyCode: "USD",
    totalPriceSet: { shopMoney: { amount, currencyCode: "USD" }, presentmentMoney: { amount, currencyCode: "USD" } },
    customer: { id: "gid://shopify/Customer/900", firstName: "Imported", lastName: "Buyer", email: "imp@example.com" },
    refunds: [],
    ...extra,
  };
}
