import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { restOrder, restRefund } from "../support/orders";
import { callAction, signedWebhook } from "../support/webhooks";
import { numbers } from "../support/numbers";

let shopCounter = 0;
/** Each test its own shop, so rows are exact. */
const newShop = () => `money-extremes-${(shopCounter += 1)}.myshopify.com`;

const send = (shop: string, topic: "orders/create" | "refunds/create", body: unknown) =>
  callAction(topic === "orders/create" ? ordersCreate : refundsCreate, signedWebhook({ topic, shop, body }));
const deliver = async (shop: string, topic: "orders/create" | "refunds/create", body: unknown) => {
  const response = await send(shop, topic, body);
  expect(response.status).toBe(200);
};

const customer = (id: number) => ({ id, first_name: "Grace", last_name: "Hopper", email: `g${id}@example.com` });
/** A refund transaction as in Shopify's own refunds/create sample: the currency is null. */
const nullCurrency = (amount: string) => ({ kind: "refund", status: "success", amount, currency: null, gateway: "bogus", parent_id: 1 });

/** The stored refund, customer facts and ledger, read as SQL (exact integers, whatever their size). */
async function stored(shop: string, customerId: string) {
  const refunds = await prisma.$queryRaw<{ id: string; amountMinor: bigint | number; currency: string | null; amountDecimal: string | null; shopAmountMinor: bigint | number | null }[]>`
    SELECT "id", "amountMinor", "currency", "amountDecimal", "shopAmountMinor" FROM "Refund" WHERE "shop" = ${shop} ORDER BY "id"`;
  const [facts] = await prisma.$queryRaw<{ lifetimeNetMinor: bigint | number; lifetimeGrossMinor: bigint | number; pointsBalance: bigint | number; tierSlug: string | null }[]>`
    SELECT "lifetimeNetMinor", "lifetimeGrossMinor", "pointsBalance", "tierSlug" FROM "Customer" WHERE "shop" = ${shop} AND "id" = ${customerId}`;
  const ledger = await prisma.$queryRaw<{ kind: string; points: bigint | number; sourceKey: string }[]>`
    SELECT "kind", "points", "sourceKey" FROM "PointsLedger" WHERE "shop" = ${shop} AND "customerId" = ${customerId} ORDER BY "id"`;
  const n = (v: bigint | number | null) => (v === null ? null : Number(v));
  return {
    refunds: refunds.map((r) => ({ ...r, amountMinor: n(r.amountMinor), shopAmountMinor: n(r.shopAmountMinor) })),
    facts: facts && { lifetimeNetMinor: n(facts.lifetimeNetMinor), lifetimeGrossMinor: n(facts.lifetimeGrossMinor), pointsBalance: n(facts.pointsBalance), tierSlug: facts.tierSlug },
    ledger: ledger.map((l) => [l.kind, Number(l.points), l.sourceKey]),
  };
}

describe("refunds whose transactions say currency null, in 0- and 3-decimal currencies", () => {
  // GIVEN a JPY order of ¥30,000 (30,000 points, Silver at 25,000 minor units) and a refund of ¥4,194 with currency null
  const jpyOrder = restOrder({ id: 6001, currency: "JPY", total_price: "30000", customer: customer(61), line_items: [{ id: 60011, product_id: 77, title: "Tea set", quantity: 1, price: "30000" }] });
  const jpyRefund = restRefund({
    id: 7001,
    order_id: 6001,
    transactions: [nullCurrency("4194")],
    refund_line_items: [{ line_item_id: 60011, quantity: 1, subtotal: "4194", line_item: { product_id: 77, title: "Tea set" } }],
  });
  const jpyExpected = {
    refunds: [{ id: "7001", amountMinor: 4194, currency: "JPY", amountDecimal: "4194", shopAmountMinor: 4194 }],
    facts: { lifetimeNetMinor: 25806, lifetimeGrossMinor: 30000, pointsBalance: 25806, tierSlug: "silver" },
    ledger: [
      ["order", 30000, "order:6001"],
      ["refund", -4194, "refund:7001"],
    ],
  };

  it("JPY, refund after its order: whole yen, counted in net spend, points reversed", async () => {
    const shop = newShop();
    await deliver(shop, "orders/create", jpyOrder);
    await deliver(shop, "refunds/create", jpyRefund);
    expect(await stored(shop, "61")).toEqual(jpyExpected);
    expect((await prisma.refundLineItem.findMany({ where: { shop }, select: { lineItemId: true, subtotalMinor: true } })).map(numbers)).toEqual([{ lineItemId: "60011", subtotalMinor: 4194 }]);
  });

  it("JPY, refund before its order: kept as decimal text, converted with the order's currency when it arrives", async () => {
    const shop = newShop();
    const refund = { ...jpyRefund, refund_line_items: [] };
    await deliver(shop, "refunds/create", refund);
    // THEN nothing guessed yet: no currency, no minor units, nothing counted
    expect((await stored(shop, "61")).refunds).toEqual([{ id: "7001", amountMinor: 0, currency: null, amountDecimal: "4194", shopAmountMinor: null }]);
    await deliver(shop, "orders/create", jpyOrder);
    expect(await stored(shop, "61")).toEqual(jpyExpected);
  });

  it("a refund line's bare subtotal before its order: read in the shop profile's currency, or refused when none is known", async () => {
    const shop = newShop();
    const bareLine = { line_item_id: 60011, quantity: 1, subtotal: "4194", line_item: { product_id: 77, title: "Tea set" } };
    // WHEN neither the order nor the shop's currency is known: 400 naming the field, nothing stored
    const refused = await send(shop, "refunds/create", { ...jpyRefund, refund_line_items: [bareLine] });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ errors: ["refund_line_items.0.subtotal: no currency known for it"] });
    expect(await prisma.refund.count({ where: { shop } })).toBe(0);
    // WHEN the shop profile says JPY: ¥4,194, not 4,194 cents
    await prisma.shop.create({ data: { shop, currency: "JPY", timezone: "Asia/Tokyo" } });
    await deliver(shop, "refunds/create", { ...jpyRefund, refund_line_items: [bareLine] });
    expect((await prisma.refundLineItem.findMany({ where: { shop }, select: { lineItemId: true, subtotalMinor: true } })).map(numbers)).toEqual([{ lineItemId: "60011", subtotalMinor: 4194 }]);
    await deliver(shop, "orders/create", jpyOrder);
    expect(await stored(shop, "61")).toEqual(jpyExpected);
  });

  // GIVEN a KWD order of 120.500 KWD (120 points) and a refund of 12.345 KWD with currency null
  const kwdOrder = restOrder({ id: 6002, currency: "KWD", total_price: "120.500", customer: customer(62), line_items: [{ id: 60021, product_id: 78, title: "Lamp", quantity: 1, price: "120.500" }] });
  const kwdRefund = restRefund({ id: 7002, order_id: 6002, transactions: [nullCurrency("12.345")] });
  const kwdExpected = {
    refunds: [{ id: "7002", amountMinor: 12345, currency: "KWD", amountDecimal: "12.345", shopAmountMinor: 12345 }],
    // 120 points × 12,345 / 120,500 = 12.29 → 12 taken back; net 120,500 - 12,345 = 108,155 fils (Gold from 100,000)
    facts: { lifetimeNetMinor: 108155, lifetimeGrossMinor: 120500, pointsBalance: 108, tierSlug: "gold" },
    ledger: [
      ["order", 120, "order:6002"],
      ["refund", -12, "refund:7002"],
    ],
  };

  it.each([
    ["after", ["orders/create", "refunds/create"]],
    ["before", ["refunds/create", "orders/create"]],
  ] as const)("KWD, refund %s its order: three decimals, never USD's two", async (_label, sequence) => {
    const shop = newShop();
    for (const topic of sequence) await deliver(shop, topic, topic === "orders/create" ? kwdOrder : kwdRefund);
    expect(await stored(shop, "62")).toEqual(kwdExpected);
  });
});

describe("amounts at and beyond 2^53 minor units", () => {
  it("a US$250,000 order paid in IDR and fully refunded in IDR: the refund is stored and every point reversed", async () => {
    const shop = newShop();
    const order = restOrder({
      id: 6101,
      currency: "USD",
      presentment_currency: "IDR",
      total_price: "250000.00",
      total_price_set: { shop_money: { amount: "250000.00", currency_code: "USD" }, presentment_money: { amount: "3999999999.99", currency_code: "IDR" } },
      customer: customer(63),
      line_items: [{ id: 61011, product_id: 79, title: "Car", quantity: 1, price: "250000.00" }],
    });
    await deliver(shop, "orders/create", order);
    // WHEN the full refund in IDR arrives (IDR minor × USD minor × 2 passes 2^63)
    const refund = restRefund({ id: 7101, order_id: 6101, transactions: [{ kind: "refund", status: "success", amount: "3999999999.99", currency: "IDR" }] });
    await deliver(shop, "refunds/create", refund);
    expect(await stored(shop, "63")).toEqual({
      refunds: [{ id: "7101", amountMinor: 399999999999, currency: "IDR", amountDecimal: "3999999999.99", shopAmountMinor: 25000000 }],
      facts: { lifetimeNetMinor: 0, lifetimeGrossMinor: 25000000, pointsBalance: 0, tierSlug: "bronze" },
      ledger: [
        ["order", 250000, "order:6101"],
        ["refund", -250000, "refund:7101"],
      ],
    });
  });

  it("an IDR partial refund converts exactly (half up by the order's own totals), where floats would not", async () => {
    const shop = newShop();
    const order = restOrder({
      id: 6102,
      currency: "USD",
      presentment_currency: "IDR",
      total_price: "250000.01",
      total_price_set: { shop_money: { amount: "250000.01", currency_code: "USD" }, presentment_money: { amount: "4000000123.45", currency_code: "IDR" } },
      customer: customer(64),
    });
    await deliver(shop, "orders/create", order);
    await deliver(shop, "refunds/create", restRefund({ id: 7102, order_id: 6102, transactions: [{ kind: "refund", status: "success", amount: "1234567890.12", currency: "IDR" }] }));
    // 123,456,789,012 × 25,000,001 / 400,000,012,345, rounded half up
    const exact = (2n * 123456789012n * 25000001n + 400000012345n) / (2n * 400000012345n);
    expect((await stored(shop, "64")).refunds).toEqual([
      { id: "7102", amountMinor: 123456789012, currency: "IDR", amountDecimal: "1234567890.12", shopAmountMinor: Number(exact) },
    ]);
  });

  it("accepts an order of 2^53 - 1 minor units exactly", async () => {
    const shop = newShop();
    await deliver(shop, "orders/create", restOrder({ id: 6103, total_price: "90071992547409.91", customer: customer(65), line_items: [] }));
    const [row] = await prisma.$queryRaw<{ totalMinor: bigint | number }[]>`SELECT "totalMinor" FROM "Order" WHERE "shop" = ${shop} AND "id" = '6103'`;
    expect(Number(row?.totalMinor)).toBe(Number.MAX_SAFE_INTEGER);
    expect((await stored(shop, "65")).facts).toEqual({ lifetimeNetMinor: Number.MAX_SAFE_INTEGER, lifetimeGrossMinor: Number.MAX_SAFE_INTEGER, pointsBalance: 90071992547409, tierSlug: "gold" });
  });

  it.each([
    ["an order total", "orders/create", restOrder({ id: 6104, total_price: "90071992547409.92" }), "total_price: above 2^53 minor units"],
    [
      "a refund amount",
      "refunds/create",
      restRefund({ id: 7104, order_id: 6104, transactions: [{ kind: "refund", status: "success", amount: "90071992547409.92", currency: "USD" }] }),
      "transactions.amount: above 2^53 minor units",
    ],
  ] as const)("refuses %s above 2^53 minor units with a 400 naming the field, storing nothing", async (_label, topic, body, reason) => {
    const shop = newShop();
    const response = await send(shop, topic, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [reason] });
    expect(await prisma.order.count({ where: { shop } })).toBe(0);
    expect(await prisma.refund.count({ where: { shop } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });
});
