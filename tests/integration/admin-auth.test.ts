import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { loader as dashboardLoader } from "~/routes/app._index/route";
import { loader as layoutLoader } from "~/routes/app/route";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { adminCallTokens, adminCalls, stubAdminOperation } from "../support/admin-api";
import { restOrder } from "../support/orders";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook, TEST_API_KEY, TEST_SECRET } from "../support/webhooks";

const STORE = "dash-shop";
const SHOP = `${STORE}.myshopify.com`;
const args = (request: Request) => ({ request, params: {}, context: {} });

describe("embedded admin authentication (session-token JWT)", () => {
  it("serves the layout to a valid session token of an installed shop", async () => {
    await installShop(SHOP);
    const result = await layoutLoader(args(await adminRequest(STORE, "/app")));
    expect(result).toEqual({ apiKey: "test-api-key", demo: false, openFollowUps: 0, overdueFollowUps: 0 });
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
    // with the shop's offline token (installShop's), not the staff member's online one (decision 049)
    expect(adminCallTokens).toEqual([`token-${SHOP}`]);
    expect(adminCalls[0]?.query).toContain("currencyCode");
    expect(first.profile).toMatchObject({ name: "Dash Shop", currency: "EUR" });
    expect(second.current).toEqual({ orders: 2, customers: 1, grossMinor: 5000, refundedMinor: 0 });
  });

  describe("a malformed host parameter answers 400, never 500", () => {
    /** The document request the admin loads the app with (`embedded=1&shop&host&id_token`), with `host` replaced. */
    async function documentRequest(host: string) {
      const valid = await setUpValidRequest({ type: RequestType.Admin, store: STORE, apiKey: TEST_API_KEY, apiSecretKey: TEST_SECRET }, new Request("https://afterglow.test/app"));
      const url = new URL(valid.url);
      url.searchParams.set("host", host);
      return new Request(url);
    }

    it.each([
      ["base64 of no valid host name (the library's new URL throws)", Buffer.from("%%%").toString("base64")],
      ["base64 of NUL bytes", "AAAA"],
      ["base64 of '[]'", "W10="],
      ["not base64 at all", "not-base64!!"],
      ["percent signs", "%%%"],
      ["empty", ""],
      ["base64 of a host outside Shopify", Buffer.from("evil.example.com/store/x").toString("base64")],
    ])("%s", async (_label, host) => {
      await installShop(SHOP);
      for (const request of [await documentRequest(host), await adminRequest(STORE, `/app?host=${encodeURIComponent(host)}`)]) {
        const outcome = await layoutLoader(args(request)).catch((thrown: unknown) => thrown);
        expect(outcome).toBeInstanceOf(Response);
        expect((outcome as Response).status).toBe(400);
        expect(await (outcome as Response).json()).toEqual({ errors: { host: "Expected the base64 admin host Shopify sends" } });
      }
    });

    it("still serves the document request with the host Shopify sends", async () => {
      await installShop(SHOP);
      const valid = await setUpValidRequest({ type: RequestType.Admin, store: STORE, apiKey: TEST_API_KEY, apiSecretKey: TEST_SECRET }, new Request("https://afterglow.test/app"));
      expect(await layoutLoader(args(valid))).toEqual({ apiKey: "test-api-key", demo: false, openFollowUps: 0, overdueFollowUps: 0 });
    });
  });
});
