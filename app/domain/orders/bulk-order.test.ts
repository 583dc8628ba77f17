import { describe, expect, it } from "vitest";
import { BulkLineItemLineSchema, BulkOrderLineSchema, bulkOrderToRest, bulkRefundsToRest, legacyId } from "./bulk-order";
import { parseRefundPayload } from "../../../tests/support/orders";
import { parseOrderPayload } from "./order-payload";

const ORDER = {
  id: "gid://shopify/Order/1",
  name: "#1",
  createdAt: "2026-03-01T10:00:00Z",
  updatedAt: "2026-03-09T10:00:00Z",
  test: false,
  currencyCode: "USD",
  totalPriceSet: { shopMoney: { amount: "150.00", currencyCode: "USD" } },
};
const LINE = {
  id: "gid://shopify/LineItem/11",
  __parentId: "gid://shopify/Order/1",
  title: "Wool Scarf",
  quantity: 1,
  product: { id: "gid://shopify/Product/5" },
  originalUnitPriceSet: { shopMoney: { amount: "150.00", currencyCode: "USD" } },
};

const facts = (fulfillments: unknown[]) => parseOrderPayload(bulkOrderToRest(BulkOrderLineSchema.parse({ ...ORDER, fulfillments }), [LINE as never]));

describe("bulk order → REST order: fulfilments", () => {
  it.each<[string, unknown[], { fulfilledAt: Date | null; deliveredAt: Date | null }]>([
    ["none", [], { fulfilledAt: null, deliveredAt: null }],
    [
      "shipped, in transit",
      [{ createdAt: "2026-03-02T10:00:00Z", updatedAt: "2026-03-03T10:00:00Z", status: "SUCCESS", displayStatus: "IN_TRANSIT", deliveredAt: null }],
      { fulfilledAt: new Date("2026-03-02T10:00:00Z"), deliveredAt: null },
    ],
    [
      "delivered: GraphQL's own deliveredAt, not the last update",
      [{ createdAt: "2026-03-02T10:00:00Z", updatedAt: "2026-03-09T10:00:00Z", status: "SUCCESS", displayStatus: "DELIVERED", deliveredAt: "2026-03-05T16:00:00Z" }],
      { fulfilledAt: new Date("2026-03-02T10:00:00Z"), deliveredAt: new Date("2026-03-05T16:00:00Z") },
    ],
    [
      "shown as delivered without a date: its last update",
      [{ createdAt: "2026-03-02T10:00:00Z", updatedAt: "2026-03-06T10:00:00Z", status: "SUCCESS", displayStatus: "DELIVERED", deliveredAt: null }],
      { fulfilledAt: new Date("2026-03-02T10:00:00Z"), deliveredAt: new Date("2026-03-06T10:00:00Z") },
    ],
    [
      "a cancelled fulfilment ships nothing",
      [{ createdAt: "2026-03-02T10:00:00Z", updatedAt: "2026-03-02T11:00:00Z", status: "CANCELLED", displayStatus: "CANCELED", deliveredAt: null }],
      { fulfilledAt: null, deliveredAt: null },
    ],
  ])("%s", (_label, fulfillments, expected) => {
    expect(facts(fulfillments)).toMatchObject(expected);
  });

  it("keeps the line's product id", () => {
    expect(facts([]).lineItems).toEqual([{ id: "11", productId: "5", title: "Wool Scarf", quantity: 1, priceMinor: 15000 }]);
  });
});

describe("bulk order → REST order: every field (issue 15)", () => {
  const FULL = {
    ...ORDER,
    id: "gid://shopify/Order/820982911946154508",
    processedAt: "2026-02-28T09:00:00Z",
    cancelledAt: "2026-03-10T10:00:00Z",
    test: true,
    displayFinancialStatus: "PARTIALLY_REFUNDED",
    currencyCode: "USD",
    presentmentCurrencyCode: "EUR",
    totalPriceSet: { shopMoney: { amount: "150.00", currencyCode: "USD" }, presentmentMoney: { amount: "138.00", currencyCode: "EUR" } },
    customer: { id: "gid://shopify/Customer/115310627314723954", firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
    fulfillments: [{ createdAt: "2026-03-02T10:00:00Z", updatedAt: null, status: "SUCCESS", displayStatus: "IN_TRANSIT", deliveredAt: null }],
  };
  const CUSTOM_LINE = { id: "gid://shopify/LineItem/12", __parentId: ORDER.id, title: "Gift wrap", quantity: 2, product: null, originalUnitPriceSet: { shopMoney: { amount: "2.50", currencyCode: "USD" } } };

  it("GIVEN every field THEN the REST order Shopify's webhooks would send", () => {
    expect(bulkOrderToRest(BulkOrderLineSchema.parse(FULL), [LINE as never, CUSTOM_LINE as never])).toStrictEqual({
      id: "820982911946154508",
      name: "#1",
      created_at: "2026-03-01T10:00:00Z",
      updated_at: "2026-03-09T10:00:00Z",
      processed_at: "2026-02-28T09:00:00Z",
      cancelled_at: "2026-03-10T10:00:00Z",
      currency: "USD",
      presentment_currency: "EUR",
      total_price: "150.00",
      total_price_set: { shop_money: { amount: "150.00", currency_code: "USD" }, presentment_money: { amount: "138.00", currency_code: "EUR" } },
      financial_status: "partially_refunded",
      test: true,
      customer: { id: "115310627314723954", first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" },
      line_items: [
        { id: "11", product_id: "5", title: "Wool Scarf", quantity: 1, price: "150.00" },
        { id: "12", product_id: null, title: "Gift wrap", quantity: 2, price: "2.50" },
      ],
      fulfillments: [{ status: "success", created_at: "2026-03-02T10:00:00Z", updated_at: null, shipment_status: "in_transit" }],
    });
  });

  it("GIVEN only the required fields THEN placed when created, single-currency, no customer, nulls for the rest", () => {
    expect(bulkOrderToRest(BulkOrderLineSchema.parse(ORDER), [])).toStrictEqual({
      id: "1",
      name: "#1",
      created_at: "2026-03-01T10:00:00Z",
      updated_at: "2026-03-09T10:00:00Z",
      processed_at: "2026-03-01T10:00:00Z",
      cancelled_at: null,
      currency: "USD",
      presentment_currency: "USD",
      total_price: "150.00",
      total_price_set: { shop_money: { amount: "150.00", currency_code: "USD" }, presentment_money: { amount: "150.00", currency_code: "USD" } },
      financial_status: null,
      test: false,
      customer: null,
      line_items: [],
      fulfillments: [],
    });
  });

  it("GIVEN a customer with only an id THEN null names and email", () => {
    expect(bulkOrderToRest(BulkOrderLineSchema.parse({ ...ORDER, customer: { id: "gid://shopify/Customer/7" } }), []).customer).toStrictEqual({
      id: "7",
      first_name: null,
      last_name: null,
      email: null,
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["delivered by date, shown otherwise", { status: "SUCCESS", displayStatus: "FULFILLED", deliveredAt: "2026-03-04T10:00:00Z", updatedAt: "2026-03-08T10:00:00Z" }, { updated_at: "2026-03-04T10:00:00Z", shipment_status: "delivered" }],
    ["no display status, no date", { status: "OPEN" }, { status: "open", updated_at: null, shipment_status: null }],
    ["last update without delivery", { status: "SUCCESS", displayStatus: "ATTEMPTED_DELIVERY", updatedAt: "2026-03-05T10:00:00Z" }, { updated_at: "2026-03-05T10:00:00Z", shipment_status: "attempted_delivery" }],
  ])("fulfilment: %s", (_label, fulfilment, expected) => {
    const rest = bulkOrderToRest(BulkOrderLineSchema.parse({ ...ORDER, fulfillments: [{ createdAt: "2026-03-02T10:00:00Z", ...fulfilment }] }), []);
    expect(rest.fulfillments?.[0]).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ["an order id that is not an Order GID", { id: "gid://shopify/Customer/1" }],
    ["an order id without the gid scheme", { id: "1" }],
    ["an order without test", { test: undefined }],
  ])("refuses %s", (_label, change) => {
    expect(BulkOrderLineSchema.safeParse({ ...ORDER, ...change }).success).toBe(false);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ["a line item GID", {}, true],
    ["an Order GID as a line item id", { id: "gid://shopify/Order/11" }, false],
    ["a bare line item id", { id: "11" }, false],
    ["a fractional quantity", { quantity: 1.5 }, false],
    ["a line without its price", { originalUnitPriceSet: {} }, false],
    ["a product without its id", { product: {} }, false],
    ["a custom line (no product)", { product: null }, true],
  ])("line item lines: %s → %s", (_label, change, ok) => {
    expect(BulkLineItemLineSchema.safeParse({ ...LINE, ...change }).success).toBe(ok);
  });
});

describe("bulk order refunds → REST refunds (issue 15)", () => {
  it("GIVEN no refunds THEN none", () => {
    expect(bulkRefundsToRest(BulkOrderLineSchema.parse(ORDER))).toStrictEqual([]);
  });

  it("GIVEN two refunds THEN one successful shop-currency refund transaction each, without lines", () => {
    const order = BulkOrderLineSchema.parse({
      ...ORDER,
      id: "gid://shopify/Order/820982911946154508",
      refunds: [
        { id: "gid://shopify/Refund/509562969", createdAt: "2026-03-05T10:00:00Z", totalRefundedSet: { shopMoney: { amount: "41.94", currencyCode: "USD" }, presentmentMoney: { amount: "38.00", currencyCode: "EUR" } } },
        { id: "gid://shopify/Refund/509562970", createdAt: "2026-03-06T10:00:00Z", totalRefundedSet: { shopMoney: { amount: "5.00", currencyCode: "USD" } } },
      ],
    });
    const refunds = bulkRefundsToRest(order);
    expect(refunds).toStrictEqual([
      { id: "509562969", order_id: "820982911946154508", created_at: "2026-03-05T10:00:00Z", transactions: [{ kind: "refund", status: "success", amount: "41.94", currency: "USD" }] },
      { id: "509562970", order_id: "820982911946154508", created_at: "2026-03-06T10:00:00Z", transactions: [{ kind: "refund", status: "success", amount: "5.00", currency: "USD" }] },
    ]);
    // …which the webhook path reads as money back in the shop currency.
    expect(refunds.map((r) => parseRefundPayload(r))).toMatchObject([
      { id: "509562969", orderId: "820982911946154508", amountDecimal: "41.94", currency: "USD", amountMinor: 4194, lineItems: [] },
      { id: "509562970", orderId: "820982911946154508", amountDecimal: "5.00", currency: "USD", amountMinor: 500, lineItems: [] },
    ]);
  });
});

describe("legacyId", () => {
  it.each([
    ["gid://shopify/Order/820982911946154508", "820982911946154508"],
    ["gid://shopify/LineItem/11", "11"],
    ["123", "123"],
  ])("%s → %s", (gid, expected) => {
    expect(legacyId(gid)).toBe(expected);
  });
});
