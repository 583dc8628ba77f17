import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from "~/domain/returns/policy";
import { loader as customerLoader } from "~/routes/app.customers.$id/route";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as productsCreate } from "~/routes/webhooks.products.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { saveReturnPolicy } from "~/services/return-policy.server";
import { restOrder, restRefund } from "../support/orders";
import { restProduct } from "../support/products";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

// Return eligibility on the customer page, through the real loader: real webhooks for the orders, products and
// refunds; two policy versions saved in the past through the return policy service; days counted in the shop's time
// zone (New York), checked here with Intl independently of the app's own calendar code.

const STORE = "cr-alpha";
const SHOP = `${STORE}.myshopify.com`;
const OTHER_STORE = "cr-beta";
const OTHER = `${OTHER_STORE}.myshopify.com`;
const ZONE = "America/New_York";
const DAY = 86_400_000;
const NOW = Date.now();
const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY);
const iso = (daysAgo: number) => at(daysAgo).toISOString();
const CUSTOMER = { id: 4242, first_name: "Grace", last_name: "Hopper", email: "grace@example.com" };

const V1: ReturnPolicy = { ...DEFAULT_RETURN_POLICY, windowDays: 30, windowStart: "delivery", shipping: { kind: "customer" }, restockingFeePercent: 10, finalSaleTags: ["Final Sale"] };
const V2: ReturnPolicy = {
  ...V1,
  windowDays: 14,
  windowStart: "order",
  shipping: { kind: "flat", feeMinor: 500 },
  restockingFeePercent: 0,
  storeCredit: { offered: true, bonusPercent: 10 },
};

const deliver = async (action: typeof ordersCreate, topic: string, body: unknown, shop = SHOP) =>
  expect((await callAction(action, signedWebhook({ topic, shop, body }))).status).toBe(200);

const delivered = (shippedDaysAgo: number, deliveredDaysAgo: number | null) => [
  {
    id: 9_000 + shippedDaysAgo,
    status: "success",
    created_at: iso(shippedDaysAgo),
    updated_at: iso(deliveredDaysAgo ?? shippedDaysAgo),
    shipment_status: deliveredDaysAgo === null ? "in_transit" : "delivered",
  },
];

function order(id: number, placedDaysAgo: number, lineItems: { id: number; product_id: number; title: string; quantity: number; price: string }[], extra: Record<string, unknown> = {}) {
  return restOrder({ id, customer: CUSTOMER, created_at: iso(placedDaysAgo), processed_at: iso(placedDaysAgo), updated_at: iso(placedDaysAgo), line_items: lineItems, ...extra });
}

/** YYYY-MM-DD of an instant in the shop's zone, by Intl (not the app's code). */
const localDate = (date: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const localTime = (date: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(date);

/** The window's last instant must be the last millisecond of local day `day`: the next millisecond is the next day's 00:00:00. */
function expectEndOfLocalDay(returnBy: string | null, day: string) {
  expect(returnBy).not.toBeNull();
  const last = new Date(returnBy!);
  const next = new Date(last.getTime() + 1);
  expect(localDate(last)).toBe(day);
  expect(localDate(next)).toBe(addDays(day, 1));
  expect(localTime(next)).toBe("00:00:00");
  expect(last.getUTCMilliseconds()).toBe(999);
}

beforeAll(async () => {
  await installShop(SHOP);
  await installShop(OTHER);
  await prisma.shop.create({ data: { shop: SHOP, name: "CR Alpha", currency: "USD", timezone: ZONE } });

  await deliver(productsCreate, "products/create", restProduct({ id: 901, title: "Silk Scarf", tags: "Accessories, final sale" }));
  await deliver(productsCreate, "products/create", restProduct({ id: 902, title: "Linen Shirt", tags: "Tops" }));
  await deliver(productsCreate, "products/create", restProduct({ id: 903, title: "Canvas Tote", tags: "Bags" }));

  const saved1 = await saveReturnPolicy(SHOP, V1, "Camille Martin", at(60));
  const saved2 = await saveReturnPolicy(SHOP, V2, "Jonas Weber", at(20));
  expect([saved1, saved2]).toMatchObject([{ ok: true, version: 1 }, { ok: true, version: 2 }]);

  // O1: placed before the first version, delivered long ago → judged by version 1, window closed.
  await deliver(ordersCreate, "orders/create", order(5001, 90, [{ id: 50011, product_id: 902, title: "Linen Shirt", quantity: 1, price: "68.00" }], { fulfillments: delivered(88, 85) }));
  // O2: placed under version 1, delivered 10 days ago; one shirt of two already refunded; the scarf is final sale.
  await deliver(
    ordersCreate,
    "orders/create",
    order(
      5002,
      40,
      [
        { id: 50021, product_id: 902, title: "Linen Shirt", quantity: 2, price: "68.00" },
        { id: 50022, product_id: 901, title: "Silk Scarf", quantity: 1, price: "45.00" },
      ],
      { total_price: "181.00", fulfillments: delivered(12, 10) },
    ),
  );
  await deliver(
    refundsCreate,
    "refunds/create",
    restRefund({
      id: 6002,
      order_id: 5002,
      created_at: iso(8),
      transactions: [{ id: 60020, kind: "refund", status: "success", amount: "68.00", currency: "USD" }],
      refund_line_items: [{ line_item_id: 50021, quantity: 1, subtotal: "68.00", line_item: { product_id: 902, title: "Linen Shirt" } }],
    }),
  );
  // O3: placed under version 1, shipped, not delivered yet → the window has not started.
  await deliver(ordersCreate, "orders/create", order(5003, 30, [{ id: 50031, product_id: 903, title: "Canvas Tote", quantity: 1, price: "24.00" }], { fulfillments: delivered(28, null) }));
  // O4: placed under version 2: 14 days from the order, a flat return fee, store credit with a 10 % bonus.
  await deliver(ordersCreate, "orders/create", order(5004, 5, [{ id: 50041, product_id: 903, title: "Canvas Tote", quantity: 3, price: "24.00" }], { total_price: "72.00" }));
  // O5: cancelled.
  await deliver(ordersCreate, "orders/create", order(5005, 3, [{ id: 50051, product_id: 902, title: "Linen Shirt", quantity: 1, price: "68.00" }], { cancelled_at: iso(2) }));
  // The other shop: the same customer and order ids, no return policy.
  await deliver(ordersCreate, "orders/create", order(5002, 40, [{ id: 1, product_id: 902, title: "Other shop's shirt", quantity: 1, price: "1.00" }]), OTHER);
});

async function profile(store: string) {
  return customerLoader({ request: await adminRequest(store, `/app/customers/${CUSTOMER.id}`), params: { id: String(CUSTOMER.id) }, context: {} });
}

describe("return eligibility on the customer page", () => {
  it("judges each order by the version in force when it was placed, each item in the shop's time zone", async () => {
    const page = await profile(STORE);
    expect(page.returnPolicySaved).toBe(true);
    const byName = Object.fromEntries(page.orders.map((o) => [o.name, o.returns]));
    expect(Object.keys(byName).sort()).toEqual(["#5001", "#5002", "#5003", "#5004", "#5005"]);
    const v1SavedAt = at(60).toISOString();

    // O1: before the first version → the first version judges it; the window closed 30 local days after delivery.
    expect(byName["#5001"]).toMatchObject({ version: 1, versionSavedAt: v1SavedAt, beforeFirstVersion: true, windowStart: "delivery", windowDays: 30 });
    const [o1] = byName["#5001"]!.items;
    expect(o1).toMatchObject({ title: "Linen Shirt", returnable: false, reason: "window_closed", returnableQuantity: 0, restockingFeeMinor: 0 });
    expectEndOfLocalDay(o1!.returnBy, addDays(localDate(at(85)), 30));

    // O2: version 1, delivered 10 days ago: the shirt left is returnable until delivery day + 30 (NY), with a 10 %
    // restocking fee on the one unit left; the scarf is final sale (tag compared without case).
    expect(byName["#5002"]).toMatchObject({ version: 1, beforeFirstVersion: false });
    const [shirt, scarf] = byName["#5002"]!.items;
    expect(shirt).toMatchObject({
      title: "Linen Shirt",
      quantity: 2,
      refundedQuantity: 1,
      returnable: true,
      reason: null,
      returnableQuantity: 1,
      restockingFeeMinor: 680,
      returnShippingFeeMinor: 0,
      storeCreditBonusMinor: 0,
    });
    expectEndOfLocalDay(shirt!.returnBy, addDays(localDate(at(10)), 30));
    expect(scarf).toMatchObject({ title: "Silk Scarf", returnable: false, reason: "final_sale_item", returnBy: null });

    // O3: shipped, not delivered: returnable, the window not started.
    expect(byName["#5003"]).toMatchObject({ version: 1 });
    expect(byName["#5003"]!.items).toEqual([
      expect.objectContaining({ title: "Canvas Tote", returnable: true, reason: "not_delivered", returnBy: null, returnableQuantity: 1, restockingFeeMinor: 240 }),
    ]);

    // O4: version 2: 14 local days from the order, the flat fee once per return, a 10 % credit bonus on 3 × 24.00.
    expect(byName["#5004"]).toMatchObject({ version: 2, versionSavedAt: at(20).toISOString(), windowStart: "order", windowDays: 14 });
    const [totes] = byName["#5004"]!.items;
    expect(totes).toMatchObject({ returnable: true, reason: null, returnableQuantity: 3, restockingFeeMinor: 0, returnShippingFeeMinor: 500, storeCreditBonusMinor: 720 });
    expectEndOfLocalDay(totes!.returnBy, addDays(localDate(at(5)), 14));

    // O5: cancelled.
    expect(byName["#5005"]).toMatchObject({ version: 2 });
    expect(byName["#5005"]!.items).toEqual([expect.objectContaining({ returnable: false, reason: "cancelled", returnBy: null })]);
  });

  it("a newer version does not change how older orders are judged", async () => {
    const before = await profile(STORE);
    await saveReturnPolicy(SHOP, { ...V2, windowDays: 0 }, "Jonas Weber", new Date());
    const after = await profile(STORE);
    expect(after.orders.map((o) => [o.name, o.returns?.version])).toEqual(before.orders.map((o) => [o.name, o.returns?.version]));
    expect(after.orders).toEqual(before.orders);
  });

  it("another shop without a policy shows no eligibility, and none of this shop's orders", async () => {
    const page = await profile(OTHER_STORE);
    expect(page.returnPolicySaved).toBe(false);
    expect(page.orders.map((o) => [o.name, o.returns])).toEqual([["#5002", null]]);
  });
});
