import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { ordersForEligibility } from "~/models/order-eligibility.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as productsCreate } from "~/routes/webhooks.products.create";
import { action as productsDelete } from "~/routes/webhooks.products.delete";
import { action as productsUpdate } from "~/routes/webhooks.products.update";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { databaseState } from "../support/db-state";
import { restOrder, restRefund } from "../support/orders";
import { restProduct } from "../support/products";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";
import { orderForEligibility } from "../support/order-eligibility";

// The facts return eligibility needs, kept from real signed webhooks: order lines, fulfilment and delivery dates,
// refund lines, and product tags; then read back the way the Returns page and the customer page will.

const SHOP = "returns-facts.myshopify.com";
const OTHER = "returns-facts-other.myshopify.com";

type Action = typeof ordersCreate;
const deliver = (action: Action, topic: string, body: unknown, shop = SHOP, webhookId?: string) =>
  callAction(action, signedWebhook({ topic, shop, body, webhookId }));

const lines = (orderId: string, shop = SHOP) =>
  prisma.orderLineItem.findMany({ where: { shop, orderId }, orderBy: { id: "asc" }, select: { id: true, productId: true, title: true, quantity: true, priceMinor: true } });

const shipped = (created: string, updated: string, shipment: string | null) => ({ id: Date.parse(created) % 1e9, status: "success", created_at: created, updated_at: updated, shipment_status: shipment, tracking_company: "UPS" });

const refundLine = (lineItemId: number, quantity: number, subtotal: string, productId: number | null, title: string) => ({
  id: lineItemId * 7 + quantity,
  line_item_id: lineItemId,
  quantity,
  restock_type: "return",
  subtotal,
  subtotal_set: { shop_money: { amount: subtotal, currency_code: "USD" }, presentment_money: { amount: subtotal, currency_code: "USD" } },
  line_item: { id: lineItemId, product_id: productId, title, quantity: 9, price: "0.00" },
});

describe("order lines and fulfilment dates", () => {
  it("are stored with the order, replaced by a newer version, and left alone by a stale one", async () => {
    // GIVEN an order with two lines, not yet shipped
    const v1 = restOrder({
      id: 2001,
      updated_at: "2026-10-01T10:00:00Z",
      line_items: [
        { id: 20011, product_id: 77, title: "Tee", quantity: 2, price: "30.00" },
        { id: 20012, product_id: null, title: "Gift wrap", quantity: 1, price: "4.50" },
      ],
    });
    expect((await deliver(ordersCreate, "orders/create", v1)).status).toBe(200);
    expect(await lines("2001")).toEqual([
      { id: "20011", productId: "77", title: "Tee", quantity: 2, priceMinor: 3000n },
      { id: "20012", productId: null, title: "Gift wrap", quantity: 1, priceMinor: 450n },
    ]);
    expect(await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "2001" } } })).toMatchObject({ fulfilledAt: null, deliveredAt: null });

    // WHEN a newer version arrives: an edit removed the gift wrap, the order shipped and was delivered
    const v3 = restOrder({
      id: 2001,
      updated_at: "2026-10-06T10:00:00Z",
      line_items: [{ id: 20011, product_id: 77, title: "Tee", quantity: 1, price: "30.00" }],
      fulfillments: [shipped("2026-10-02T08:00:00Z", "2026-10-05T17:45:00Z", "delivered")],
    });
    expect((await deliver(ordersUpdated, "orders/updated", v3)).status).toBe(200);
    // AND an older version (shipped, in transit, still with the gift wrap) arrives late
    const v2 = restOrder({ ...v1, id: 2001, updated_at: "2026-10-03T10:00:00Z", fulfillments: [shipped("2026-10-02T08:00:00Z", "2026-10-03T09:00:00Z", "in_transit")] });
    expect((await deliver(ordersUpdated, "orders/updated", v2)).status).toBe(200);

    // THEN the newest version's lines and dates stand
    expect(await lines("2001")).toEqual([{ id: "20011", productId: "77", title: "Tee", quantity: 1, priceMinor: 3000n }]);
    expect(await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "2001" } } })).toMatchObject({
      fulfilledAt: new Date("2026-10-02T08:00:00Z"),
      deliveredAt: new Date("2026-10-05T17:45:00Z"),
      lineItemCount: 1,
    });
  });

  it("keeps the same line ids apart in two shops", async () => {
    await deliver(ordersCreate, "orders/create", restOrder({ id: 2002, line_items: [{ id: 1, product_id: 5, title: "A", quantity: 1, price: "1.00" }] }));
    await deliver(ordersCreate, "orders/create", restOrder({ id: 2002, line_items: [{ id: 1, product_id: 6, title: "B", quantity: 3, price: "2.00" }] }), OTHER);
    expect(await lines("2002")).toEqual([{ id: "1", productId: "5", title: "A", quantity: 1, priceMinor: 100n }]);
    expect(await lines("2002", OTHER)).toEqual([{ id: "1", productId: "6", title: "B", quantity: 3, priceMinor: 200n }]);
  });
});

describe("refund lines", () => {
  it("are stored with their refund, also before the order arrives, and once however often delivered", async () => {
    const refund = restRefund({
      id: 3001,
      order_id: 2003,
      created_at: "2026-10-08T10:00:00Z",
      refund_line_items: [refundLine(20031, 1, "30.00", 77, "Tee"), refundLine(20032, 1, "4.50", null, "Gift wrap")],
    });
    expect((await deliver(refundsCreate, "refunds/create", refund, SHOP, "refund-3001")).status).toBe(200);
    expect((await deliver(refundsCreate, "refunds/create", refund, SHOP, "refund-3001")).status).toBe(200);
    // The same refund under another delivery id (Shopify can resend an event) adds nothing either.
    expect((await deliver(refundsCreate, "refunds/create", refund, SHOP, "refund-3001-again")).status).toBe(200);
    expect(await prisma.refundLineItem.findMany({ where: { shop: SHOP, refundId: "3001" }, orderBy: { lineItemId: "asc" }, omit: { shop: true } })).toEqual([
      { refundId: "3001", orderId: "2003", lineItemId: "20031", productId: "77", title: "Tee", quantity: 1, subtotalMinor: 3000n, createdAt: new Date("2026-10-08T10:00:00Z") },
      { refundId: "3001", orderId: "2003", lineItemId: "20032", productId: null, title: "Gift wrap", quantity: 1, subtotalMinor: 450n, createdAt: new Date("2026-10-08T10:00:00Z") },
    ]);
  });
});

describe("products from the products webhooks", () => {
  const product = (id: number) => prisma.product.findUnique({ where: { shop_id: { shop: SHOP, id: String(id) } }, omit: { shop: true } });

  it("keep the newest version's title and normalised tags", async () => {
    expect((await deliver(productsCreate, "products/create", restProduct({ id: 77, title: "Tee", tags: "Summer, Final Sale", updated_at: "2026-09-01T10:00:00Z" }))).status).toBe(200);
    expect(await product(77)).toEqual({ id: "77", title: "Tee", tags: '["final sale","summer"]', shopifyUpdatedAt: new Date("2026-09-01T10:00:00Z"), deletedAt: null });
    // A newer update, then an older one delivered late.
    await deliver(productsUpdate, "products/update", restProduct({ id: 77, title: "Organic Tee", tags: "summer", updated_at: "2026-09-03T10:00:00Z" }));
    await deliver(productsUpdate, "products/update", restProduct({ id: 77, title: "Tee (old)", tags: "final-sale", updated_at: "2026-09-02T10:00:00Z" }));
    expect(await product(77)).toMatchObject({ title: "Organic Tee", tags: '["summer"]', shopifyUpdatedAt: new Date("2026-09-03T10:00:00Z") });
    // The same product id in another shop is another product.
    await deliver(productsCreate, "products/create", restProduct({ id: 77, title: "Mug", tags: "kitchen" }), OTHER);
    expect(await product(77)).toMatchObject({ title: "Organic Tee" });
  });

  it("a deletion keeps the tags and is never undone by a late version; a deletion first leaves a tombstone", async () => {
    await deliver(productsCreate, "products/create", restProduct({ id: 78, title: "Sale Scarf", tags: "final-sale", updated_at: "2026-09-01T10:00:00Z" }));
    expect((await deliver(productsDelete, "products/delete", { id: 78 })).status).toBe(200);
    await deliver(productsUpdate, "products/update", restProduct({ id: 78, title: "Sale Scarf", tags: "final-sale, clearance", updated_at: "2026-09-05T10:00:00Z" }));
    expect(await product(78)).toMatchObject({ title: "Sale Scarf", tags: '["clearance","final-sale"]', deletedAt: expect.any(Date) });

    expect((await deliver(productsDelete, "products/delete", { id: 79 })).status).toBe(200);
    expect(await product(79)).toMatchObject({ title: "", tags: "[]", shopifyUpdatedAt: new Date(0), deletedAt: expect.any(Date) });
    await deliver(productsCreate, "products/create", restProduct({ id: 79, title: "Ghost Hat", tags: "Final-Sale", updated_at: "2026-09-01T10:00:00Z" }));
    expect(await product(79)).toMatchObject({ title: "Ghost Hat", tags: '["final-sale"]', deletedAt: expect.any(Date) });
  });

  it("answer 400 with the field paths to a malformed product, 401 to a forged one, and write nothing", async () => {
    const before = await databaseState(SHOP);
    const malformed = await deliver(productsUpdate, "products/update", { id: 80, title: 12, tags: ["a"], updated_at: "soon" });
    expect(malformed.status).toBe(400);
    const { errors } = (await malformed.json()) as { errors: string[] };
    expect(errors.join(" ")).toMatch(/title.*tags.*updated_at/);
    expect((await deliver(productsDelete, "products/delete", { id: "eighty" })).status).toBe(400);
    const forged = await callAction(productsCreate, signedWebhook({ topic: "products/create", shop: SHOP, body: restProduct({ id: 81 }), secret: "not-the-app-secret" }));
    expect(forged.status).toBe(401);
    expect(await databaseState(SHOP)).toEqual(before);
  });
});

describe("eligibility facts of orders", () => {
  it("give dates, and per line the refunded quantity and the product tags, for one order or several", async () => {
    // GIVEN products, an order with three lines delivered, two refunds of it (one before the order arrived), and
    // an order still in transit
    await deliver(productsCreate, "products/create", restProduct({ id: 501, title: "Linen Shirt", tags: "Summer" }));
    await deliver(productsCreate, "products/create", restProduct({ id: 502, title: "Clearance Socks", tags: "Final Sale, socks" }));
    await deliver(refundsCreate, "refunds/create", restRefund({ id: 3101, order_id: 2101, refund_line_items: [refundLine(21011, 1, "68.00", 501, "Linen Shirt")] }));
    await deliver(
      ordersCreate,
      "orders/create",
      restOrder({
        id: 2101,
        processed_at: "2026-10-01T10:00:00Z",
        total_price: "162.00",
        line_items: [
          { id: 21011, product_id: 501, title: "Linen Shirt", quantity: 2, price: "68.00" },
          { id: 21012, product_id: 502, title: "Clearance Socks", quantity: 3, price: "6.00" },
          { id: 21013, product_id: 599, title: "Unknown Product", quantity: 1, price: "8.00" },
        ],
        fulfillments: [shipped("2026-10-02T08:00:00Z", "2026-10-04T12:00:00Z", "delivered")],
      }),
    );
    await deliver(refundsCreate, "refunds/create", restRefund({ id: 3102, order_id: 2101, refund_line_items: [refundLine(21011, 1, "68.00", 501, "Linen Shirt"), refundLine(21012, 2, "12.00", 502, "Clearance Socks")] }));
    await deliver(
      ordersCreate,
      "orders/create",
      restOrder({
        id: 2102,
        processed_at: "2026-10-10T10:00:00Z",
        line_items: [{ id: 21021, product_id: 502, title: "Clearance Socks", quantity: 1, price: "6.00" }],
        fulfillments: [shipped("2026-10-11T08:00:00Z", "2026-10-12T08:00:00Z", "in_transit")],
      }),
    );
    // AND another shop with the same order id
    await deliver(ordersCreate, "orders/create", restOrder({ id: 2101, line_items: [{ id: 1, product_id: 501, title: "Other shop's line", quantity: 1, price: "1.00" }] }), OTHER);

    // WHEN the facts are read
    const order = await orderForEligibility(SHOP, "2101");

    // THEN
    expect(order).toEqual({
      id: "2101",
      placedAt: new Date("2026-10-01T10:00:00Z"),
      fulfilledAt: new Date("2026-10-02T08:00:00Z"),
      deliveredAt: new Date("2026-10-04T12:00:00Z"),
      cancelled: false,
      currency: "USD",
      lineItems: [
        { id: "21011", productId: "501", title: "Linen Shirt", quantity: 2, priceMinor: 6800, refundedQuantity: 2, productTags: ["summer"] },
        { id: "21012", productId: "502", title: "Clearance Socks", quantity: 3, priceMinor: 600, refundedQuantity: 2, productTags: ["final sale", "socks"] },
        { id: "21013", productId: "599", title: "Unknown Product", quantity: 1, priceMinor: 800, refundedQuantity: 0, productTags: [] },
      ],
    });
    expect(await orderForEligibility(SHOP, "404")).toBeNull();
    expect(await orderForEligibility(OTHER, "2101")).toMatchObject({ lineItems: [{ title: "Other shop's line", productTags: [], refundedQuantity: 0 }] });

    const several = await ordersForEligibility(SHOP, ["2102", "404", "2101", "2102"]);
    expect(several.map((o) => o.id)).toEqual(["2102", "2101"]);
    expect(several[0]).toMatchObject({ fulfilledAt: new Date("2026-10-11T08:00:00Z"), deliveredAt: null, lineItems: [{ id: "21021", productTags: ["final sale", "socks"], refundedQuantity: 0 }] });
    expect(await ordersForEligibility(SHOP, [])).toEqual([]);
  });

  it("reads a cancelled order as cancelled", async () => {
    await deliver(ordersCreate, "orders/create", restOrder({ id: 2103, cancelled_at: "2026-10-02T10:00:00Z" }));
    expect(await orderForEligibility(SHOP, "2103")).toMatchObject({ cancelled: true });
  });
});

describe("shop/redact", () => {
  it("deletes the shop's lines, refund lines and products, and nothing of another shop", async () => {
    const shop = "returns-facts-redact.myshopify.com";
    await installShop(shop);
    await deliver(productsCreate, "products/create", restProduct({ id: 601, tags: "final-sale" }), shop);
    await deliver(ordersCreate, "orders/create", restOrder({ id: 2201 }), shop);
    await deliver(refundsCreate, "refunds/create", restRefund({ id: 3201, order_id: 2201, refund_line_items: [refundLine(22010, 1, "30.00", 77, "Tee")] }), shop);
    const others = await databaseState(OTHER);
    const counts = async () => [await prisma.orderLineItem.count({ where: { shop } }), await prisma.refundLineItem.count({ where: { shop } }), await prisma.product.count({ where: { shop } })];
    expect(await counts()).toEqual([1, 1, 1]);

    expect((await callAction(shopRedact, signedWebhook({ topic: "shop/redact", shop, body: { shop_id: 1, shop_domain: shop } }))).status).toBe(200);

    expect(await counts()).toEqual([0, 0, 0]);
    expect(await databaseState(OTHER)).toEqual(others);
  });
});
