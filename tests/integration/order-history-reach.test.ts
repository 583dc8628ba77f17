import { describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/env.server";
import { loader as loyaltyLoader } from "~/routes/app.loyalty/route";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { orderHistoryReach } from "~/services/order-history-reach.server";
import { restOrder } from "../support/orders";
import { callHandler } from "../support/handlers";
import { adminRequest, installShop } from "../support/sessions";
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

describe("the Loyalty page's order history card", () => {
  const STORE = "history-reach-page";
  const SHOP = `${STORE}.myshopify.com`;
  const page = async () => {
    const result = await callHandler(loyaltyLoader, await adminRequest(STORE, "/app/loyalty"));
    expect(result.status).toBe(200);
    return result.value as { historyReach: unknown; returnRuleDifferences: unknown };
  };

  it("reads the granted scopes from the shop's session: read_all_orders counts once Shopify's app/scopes_update says it is granted", async () => {
    await installShop(SHOP);
    const placed = "2026-07-04T10:00:00Z";
    const body = restOrder({ id: 7101, created_at: placed, processed_at: placed, updated_at: placed });
    expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body }))).status).toBe(200);
    expect(await page()).toMatchObject({ historyReach: { allOrders: false, earliestOrderAt: "2026-07-04T10:00:00.000Z" }, returnRuleDifferences: [] });

    const granted = { id: 1, previous: DEFAULT_SCOPES.split(","), current: [...DEFAULT_SCOPES.split(","), "read_all_orders"], updated_at: "2026-12-04T12:00:00Z" };
    expect((await callAction(scopesUpdate, signedWebhook({ topic: "app/scopes_update", shop: SHOP, body: granted }))).status).toBe(200);
    expect((await page()).historyReach).toEqual({ allOrders: true, earliestOrderAt: "2026-07-04T10:00:00.000Z" });
  });
});
