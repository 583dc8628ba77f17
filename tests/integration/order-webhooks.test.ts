import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { restOrder, restRefund } from "../support/orders";
import { callAction, signedWebhook } from "../support/webhooks";
import { numbers } from "../support/numbers";

const SHOP = "orders-shop.myshopify.com";

const deliver = (action: typeof ordersCreate, topic: string, body: unknown, webhookId?: string) =>
  callAction(action, signedWebhook({ topic, shop: SHOP, body, webhookId }));

describe("order webhooks → ingest service", () => {
  it("stores a signed orders/create in integer minor units, once, however often it is delivered", async () => {
    const payload = restOrder({ id: 1001, total_price: "59.99" });
    expect((await deliver(ordersCreate, "orders/create", payload, "wh-1")).status).toBe(200);
    expect((await deliver(ordersCreate, "orders/create", payload, "wh-1")).status).toBe(200);

    const orders = await prisma.order.findMany({ where: { shop: SHOP } });
    expect(orders).toHaveLength(1);
    expect(numbers(orders[0]!)).toMatchObject({ id: "1001", totalMinor: 5999, currency: "USD", customerId: "501", lineItemCount: 2 });
    expect(await prisma.webhookDelivery.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("never lets an older orders/updated overwrite a newer one, whatever the arrival order", async () => {
    const newer = restOrder({ id: 1002, updated_at: "2026-10-03T00:00:00Z", financial_status: "refunded" });
    const older = restOrder({ id: 1002, updated_at: "2026-10-02T00:00:00Z", financial_status: "paid" });
    await deliver(ordersUpdated, "orders/updated", newer);
    await deliver(ordersUpdated, "orders/updated", older);
    await deliver(ordersCreate, "orders/create", restOrder({ id: 1002 }));
    const order = await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "1002" } } });
    expect(order.financialStatus).toBe("refunded");
    expect(order.shopifyUpdatedAt.toISOString()).toBe("2026-10-03T00:00:00.000Z");
  });

  it("keeps a refund that arrives before its order, and a guest order has no customer", async () => {
    await deliver(refundsCreate, "refunds/create", restRefund({ id: 9001, order_id: 1003 }));
    await deliver(ordersCreate, "orders/create", restOrder({ id: 1003, customer: null }));
    expect((await prisma.refund.findMany({ where: { shop: SHOP, orderId: "1003" } })).map(numbers)).toMatchObject([{ amountMinor: 6000 }]);
    expect((await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "1003" } } })).customerId).toBeNull();
  });

  it("uses the shop-currency amount of a multi-currency order", async () => {
    await deliver(
      ordersCreate,
      "orders/create",
      restOrder({
        id: 1004,
        currency: "USD",
        presentment_currency: "EUR",
        total_price: "55.00",
        total_price_set: {
          shop_money: { amount: "60.00", currency_code: "USD" },
          presentment_money: { amount: "55.00", currency_code: "EUR" },
        },
      }),
    );
    const order = await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "1004" } } });
    expect(numbers(order)).toMatchObject({ totalMinor: 6000, currency: "USD", presentmentCurrency: "EUR" });
  });

  it("answers 400 with a reason to malformed JSON or a wrong shape, writing nothing", async () => {
    const deliveriesBefore = await prisma.webhookDelivery.count({ where: { shop: SHOP } });
    const badJson = await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body: null, rawBody: "{not json" }));
    expect(badJson.status).toBe(400);
    const wrongShape = await deliver(ordersCreate, "orders/create", { id: 1005, total_price: 12.5 });
    expect(wrongShape.status).toBe(400);
    expect(JSON.stringify(await wrongShape.json())).toContain("total_price");
    expect(await prisma.order.count({ where: { shop: SHOP, id: "1005" } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shop: SHOP } })).toBe(deliveriesBefore);
  });

  it("answers 401 to a forged signature and writes nothing", async () => {
    const response = await callAction(
      ordersCreate,
      signedWebhook({ topic: "orders/create", shop: SHOP, body: restOrder({ id: 1006 }), secret: "forged" }),
    );
    expect(response.status).toBe(401);
    expect(await prisma.order.count({ where: { shop: SHOP, id: "1006" } })).toBe(0);
  });

  it("refuses a body over the size limit with 413 before reading it", async () => {
    const request = signedWebhook({ topic: "orders/create", shop: SHOP, body: restOrder({ id: 1007 }) });
    request.headers.set("content-length", String(3 * 1024 * 1024));
    expect((await callAction(ordersCreate, request)).status).toBe(413);
  });
});
