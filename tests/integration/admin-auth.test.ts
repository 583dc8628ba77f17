import { describe, expect, it } from "vitest";
import { loader as dashboardLoader } from "~/routes/app._index";
import { loader as layoutLoader } from "~/routes/app";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { restOrder } from "../support/orders";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

const STORE = "dash-shop";
const SHOP = `${STORE}.myshopify.com`;
const args = (request: Request) => ({ request, params: {}, context: {} });

describe("embedded admin authentication (session-token JWT)", () => {
  it("serves the layout to a valid session token of an installed shop", async () => {
    await installShop(SHOP);
    const result = await layoutLoader(args(await adminRequest(STORE, "/app")));
    expect(result).toEqual({ apiKey: "test-api-key", demo: false, openFollowUps: 0 });
  });

  it("refuses a request without a session token", async () => {
    await installShop(SHOP);
    const outcome = await layoutLoader(args(new Request("https://afterglow.test/app", { headers: { Authorization: "Bearer nope" } }))).catch(
      (thrown: unknown) => thrown,
    );
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(401);
  });

  it("the dashboard fetches the shop profile from the Admin API once and aggregates this shop's orders", async () => {
    // GIVEN an installed shop with two recent orders and a stubbed Admin API
    await installShop(SHOP);
    stubAdminOperation("AfterglowShopProfile", () => ({
      shop: { name: "Dash Shop", currencyCode: "EUR", ianaTimezone: "Europe/Berlin", primaryDomain: { host: "dash.example" } },
    }));
    const recent = new Date(Date.now() - 2 * 86400_000).toISOString();
    for (const id of [1, 2]) {
      const body = restOrder({ id, total_price: "25.00", currency: "EUR", created_at: recent, processed_at: recent, updated_at: recent });
      await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body }));
    }
    await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: "someone-else.myshopify.com", body: restOrder({ id: 3, created_at: recent, processed_at: recent, updated_at: recent }) }));

    // WHEN the dashboard loads twice
    const first = await dashboardLoader(args(await adminRequest(STORE, "/app")));
    const second = await dashboardLoader(args(await adminRequest(STORE, "/app")));

    // THEN one profile query went to Shopify, for this shop, and the figures are this shop's only
    expect(adminCalls.map((c) => [c.shop, c.operation])).toEqual([[SHOP, "AfterglowShopProfile"]]);
    expect(adminCalls[0]?.query).toContain("currencyCode");
    expect(first.profile).toMatchObject({ name: "Dash Shop", currency: "EUR" });
    expect(second.current).toEqual({ orders: 2, customers: 1, grossMinor: 5000, refundedMinor: 0 });
  });
});
