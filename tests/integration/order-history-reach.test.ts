import { describe, expect, it } from "vitest";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { orderHistoryReach } from "~/services/order-history-reach.server";
import { restOrder } from "../support/orders";
import { callAction, signedWebhook } from "../support/webhooks";

/** How far back the Loyalty page says tiers can see (decision 047): the earliest order stored, and the granted scope. */
describe("orderHistoryReach", () => {
  const SHOP = "history-reach.myshopify.com";
  const deliver = async (id: number, placed: string, shop = SHOP) => {
    const body = restOrder({ id, created_at: placed, processed_at: placed, updated_at: placed });
    expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
  };

  it("names no date before any order, then the earliest order's placement, whatever the delivery order; another shop's never counts", async () => {
    expect(await orderHistoryReach(SHOP, "read_orders")).toEqual({ allOrders: false, earliestOrderAt: null });
    await deliver(7001, "2026-09-10T08:00:00Z");
    await deliver(7002, "2026-08-01T23:30:00Z");
    await deliver(7003, "2026-10-01T00:00:00Z");
    await deliver(7004, "2025-01-01T00:00:00Z", "history-reach-other.myshopify.com");
    expect(await orderHistoryReach(SHOP, "read_orders,read_all_orders")).toEqual({ allOrders: true, earliestOrderAt: "2026-08-01T23:30:00.000Z" });
    expect((await orderHistoryReach(SHOP, null)).allOrders).toBe(false);
  });
});
