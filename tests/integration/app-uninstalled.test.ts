import { describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { getShop } from "~/models/shops.server";
import { action } from "~/routes/webhooks.app.uninstalled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { deliverDueOutbox } from "~/services/outbox.server";
import { stubAdminOperation } from "../support/admin-api";
import { databaseState } from "../support/db-state";
import { shopRows, type Row } from "../support/db-rows";
import { restOrder } from "../support/orders";
import { countSessionsForShop, installShop } from "../support/sessions";
import { seedShop } from "../support/shop-seed";
import { callAction, signedWebhook } from "../support/webhooks";

const SHOP = "uninstall-shop.myshopify.com";
const OTHER = "other-shop.myshopify.com";

vi.setConfig({ testTimeout: 60_000 });

describe("POST /webhooks/app/uninstalled", () => {
  it("answers 401 without a valid HMAC and deletes nothing", async () => {
    await installShop(SHOP);
    for (const secret of [null, "not-the-app-secret"]) {
      const response = await callAction(action, signedWebhook({ topic: "app/uninstalled", shop: SHOP, body: {}, secret }));
      expect(response.status).toBe(401);
    }
    // (the shop's offline session and the test staff member's online one)
    expect(await countSessionsForShop(SHOP)).toBe(2);
  });

  it("deletes the shop's sessions, only that shop's, and a repeat delivery still answers 200", async () => {
    // GIVEN two installed shops
    await installShop(SHOP);
    await installShop(OTHER);
    const webhookId = "uninstall-delivery-1";

    // WHEN Shopify delivers app/uninstalled for one of them, twice
    const first = await callAction(action, signedWebhook({ topic: "app/uninstalled", shop: SHOP, body: { id: 1 }, webhookId }));
    const repeat = await callAction(action, signedWebhook({ topic: "app/uninstalled", shop: SHOP, body: { id: 1 }, webhookId }));

    // THEN its sessions (offline and online) are gone, the other shop's two are untouched, both deliveries are acknowledged
    expect(first.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect(await countSessionsForShop(SHOP)).toBe(0);
    expect(await countSessionsForShop(OTHER)).toBe(2);
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

describe("app/uninstalled, checked row by row", () => {
  it("deletes the sessions, stops the outbox (pending → failed), marks the shop, and changes nothing else", async () => {
    // GIVEN a shop with a full history and an outbox with a delivered message and pending ones, and another shop
    const gone = await seedShop("uninstall-rows", "UNROWS");
    const kept = await seedShop("uninstall-kept", "KEPTROWS");
    for (const [operation, field] of [["AfterglowTagsAdd", "tagsAdd"], ["AfterglowTagsRemove", "tagsRemove"], ["AfterglowMetafieldsSet", "metafieldsSet"]] as const) {
      stubAdminOperation(operation, () => ({ [field]: { userErrors: [] } }));
    }
    expect((await deliverDueOutbox({ batch: 1 })).delivered).toBeGreaterThanOrEqual(1);
    const late = restOrder({ id: 1099, total_price: "500.00", customer: { id: 777, first_name: "UNROWSLate", last_name: "Buyer", email: "unrows.late@example.com" } });
    expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: gone.shop, body: late }))).status).toBe(200);
    const before = await shopRows(gone.shop);
    const keptBefore = await databaseState(kept.shop);
    const statuses = (rows: Row[]) => rows.map((r) => r.status);
    expect(statuses(before.OutboxMessage!)).toEqual(expect.arrayContaining(["delivered", "pending"]));
    expect(before.Session!.map((r) => r.isOnline)).toEqual([false, true]);

    // WHEN Shopify delivers app/uninstalled, and then the same delivery again
    const webhookId = "uninstall-rows-1";
    expect((await callAction(action, signedWebhook({ topic: "app/uninstalled", shop: gone.shop, body: { id: 1 }, webhookId }))).status).toBe(200);
    const after = await shopRows(gone.shop);
    expect((await callAction(action, signedWebhook({ topic: "app/uninstalled", shop: gone.shop, body: { id: 1 }, webhookId }))).status).toBe(200);

    // THEN, table by table and row by row:
    // sessions are gone;
    expect(after.Session).toEqual([]);
    // every pending message is failed with the reason, and nothing else about it changed; delivered ones stay delivered;
    expect(after.OutboxMessage).toEqual(before.OutboxMessage!.map((m) => (m.status === "pending" ? { ...m, status: "failed", lastError: "shop uninstalled" } : m)));
    // the shop is marked uninstalled (it had no profile yet: the row is created for the outbox worker to read);
    expect(before.Shop).toEqual([]);
    expect(after.Shop).toEqual([expect.objectContaining({ shop: gone.shop, uninstalledAt: expect.stringMatching(/^\d{4}-/) })]);
    // and every other table holds exactly the rows it held (the data stays until shop/redact).
    for (const table of Object.keys(before).filter((t) => !["Session", "OutboxMessage", "Shop"].includes(t))) {
      expect(after[table], table).toEqual(before[table]);
    }
    // The repeat changed nothing, and the other shop was never touched.
    expect(await shopRows(gone.shop)).toEqual(after);
    expect(await databaseState(kept.shop)).toEqual(keptBefore);

    // The worker sends nothing more for it: a message queued by a late order webhook is failed, not sent.
    const lateAgain = restOrder({ id: 1100, total_price: "900.00", customer: { id: 777, first_name: "UNROWSLate", last_name: "Buyer", email: "unrows.late@example.com" } });
    expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: gone.shop, body: lateAgain }))).status).toBe(200);
    expect(await prisma.outboxMessage.count({ where: { shop: gone.shop, status: "pending" } })).toBeGreaterThan(0);
    await deliverDueOutbox();
    expect(await prisma.outboxMessage.count({ where: { shop: gone.shop, status: { not: "failed" }, deliveredAt: null } })).toBe(0);
    expect(await prisma.outboxMessage.count({ where: { shop: gone.shop, status: "delivered" } })).toBe(before.OutboxMessage!.filter((m) => m.status === "delivered").length);
  });
});
