import { describe, expect, it } from "vitest";
import { BulkOrderLineSchema, bulkOrderToRest } from "./bulk-order";
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
