import { describe, expect, it } from "vitest";
import { countSessionsForShop } from "~/models/sessions.server";
import { getShop } from "~/models/shops.server";
import { action } from "~/routes/webhooks.app.uninstalled";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

const SHOP = "uninstall-shop.myshopify.com";
const OTHER = "other-shop.myshopify.com";

describe("POST /webhooks/app/uninstalled", () => {
  it("answers 401 without a valid HMAC and deletes nothing", async () => {
    await installShop(SHOP);
    for (const secret of [null, "not-the-app-secret"]) {
      const response = await callAction(action, signedWebhook({ topic: "app/uninstalled", shop: SHOP, body: {}, secret }));
      expect(response.status).toBe(401);
    }
    expect(await countSessionsForShop(SHOP)).toBe(1);
  });

  it("deletes the shop's sessions, only that shop's, and a repeat delivery still answers 200", async () => {
    // GIVEN two installed shops
    await installShop(SHOP);
    await installShop(OTHER);
    const webhookId = "uninstall-delivery-1";

    // WHEN Shopify delivers app/uninstalled for one of them, twice
    const first = await callAction(action, signedWebhook({ topic: "app/uninstalled", shop: SHOP, body: { id: 1 }, webhookId }));
    const repeat = await callAction(action, signedWebhook({ topic: "app/uninstalled", shop: SHOP, body: { id: 1 }, webhookId }));

    // THEN its sessions are gone, the other shop is untouched, both deliveries are acknowledged
    expect(first.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect(await countSessionsForShop(SHOP)).toBe(0);
    expect(await countSessionsForShop(OTHER)).toBe(1);
  });

  it("marks a known shop as uninstalled", async () => {
    const { saveShopProfile } = await import("~/models/shops.server");
    await saveShopProfile(SHOP, { name: "S", currency: "USD", timezone: "UTC", domain: null });
    await callAction(action, signedWebhook({ topic: "app/uninstalled", shop: SHOP, body: {} }));
    expect((await getShop(SHOP))?.uninstalledAt).toBeInstanceOf(Date);
  });

  it("answers 405 to a GET", async () => {
    const request = new Request("https://afterglow.test/webhooks/app/uninstalled", { method: "GET" });
    const response = await callAction(action, request);
    expect(response.status).toBe(405);
  });
});
