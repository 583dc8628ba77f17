import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { ROOT } from "../support/paths";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";
import { numbers } from "../support/numbers";

/**
 * Shopify's own published sample payload of every subscribed topic (tests/fixtures/shopify-webhooks, byte for byte as
 * in the webhook reference), sent as the exact body of a signed request to the real route action, then the stored
 * rows checked: exact 64-bit ids as text, minor units and currency. The fixtures' ids are above 2^53 (orders,
 * customers, line items, products, refunds): a JSON number path would round them.
 */
type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;

const FIXTURES = path.join(ROOT, "tests", "fixtures", "shopify-webhooks");
const fixture = (topic: string) => fs.readFileSync(path.join(FIXTURES, `${topic.replace("/", "__")}.json`), "utf8");

async function routeAction(topic: string): Promise<Action> {
  const module = (await import(/* @vite-ignore */ path.join(ROOT, "app", "routes", `webhooks.${topic.replace("/", ".")}.tsx`))) as { action: Action };
  return module.action;
}

/**
 * Sends `topic`'s sample to its route for `shop`. The compliance samples name their shop as "{shop}.myshopify.com":
 * that placeholder (and only it) is filled with the shop the request comes from, as a real delivery names a real shop.
 */
async function deliverSample(topic: string, shop: string) {
  const store = shop.replace(/\.myshopify\.com$/, "");
  const rawBody = fixture(topic).replaceAll("{shop}", store);
  return callAction(await routeAction(topic), signedWebhook({ topic, shop, body: null, rawBody }));
}

const ORDER_ID = "820982911946154508";
const CUSTOMER_ID = "115310627314723954";

/** The order every order sample describes (the same order in all four), as stored. */
const SAMPLE_ORDER = {
  id: ORDER_ID,
  name: "#9999",
  customerId: CUSTOMER_ID,
  currency: "USD",
  presentmentCurrency: "USD",
  totalMinor: 40495,
  presentmentTotalMinor: 40495,
  financialStatus: "voided",
  test: true,
  cancelledAt: new Date("2022-01-01T00:00:00.000Z"),
  placedAt: new Date("2022-01-01T00:00:00.000Z"),
  shopifyUpdatedAt: new Date("2022-01-01T00:00:00.000Z"),
  lineItemCount: 5,
};

const SAMPLE_LINES = [
  { id: "315789986012684393", productId: "788032119674292922", title: "Coffee table", quantity: 1, priceMinor: 11999 },
  { id: "487817672276298554", productId: "788032119674292922", title: "Aviator sunglasses", quantity: 1, priceMinor: 8999 },
  { id: "789012345678901234", productId: null, title: "Lens Protection Plan (2 Year)", quantity: 1, priceMinor: 1999 },
  { id: "890123456789012345", productId: null, title: "Premium Leather Case", quantity: 1, priceMinor: 2499 },
  { id: "976318377106520349", productId: "788032119674292922", title: "Mid-century lounger", quantity: 1, priceMinor: 15999 },
];

async function expectSampleOrder(shop: string) {
  const order = await prisma.order.findUniqueOrThrow({
    where: { shop_id: { shop, id: ORDER_ID } },
    select: { id: true, name: true, customerId: true, currency: true, presentmentCurrency: true, totalMinor: true, presentmentTotalMinor: true, financialStatus: true, test: true, cancelledAt: true, placedAt: true, shopifyUpdatedAt: true, lineItemCount: true },
  });
  expect(numbers(order)).toEqual(SAMPLE_ORDER);
  const lines = await prisma.orderLineItem.findMany({
    where: { shop, orderId: ORDER_ID },
    select: { id: true, productId: true, title: true, quantity: true, priceMinor: true },
    orderBy: { id: "asc" },
  });
  expect(lines.map(numbers)).toEqual(SAMPLE_LINES);
  const customer = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: CUSTOMER_ID } }, select: { id: true, firstName: true, lastName: true, email: true } });
  expect(customer).toEqual({ id: CUSTOMER_ID, firstName: "John", lastName: "Smith", email: "john@example.com" });
}

const PRODUCT = { id: "788032119674292922", title: "Example T-Shirt", tags: JSON.stringify(["example", "mens", "t-shirt"]), shopifyUpdatedAt: new Date("2022-01-01T00:00:00.000Z") };

interface Case {
  topic: string;
  /** What the shop holds before the sample arrives. */
  given?: (shop: string) => Promise<unknown>;
  then: (shop: string) => Promise<void>;
}

const CASES: Case[] = [
  { topic: "orders/create", then: expectSampleOrder },
  { topic: "orders/updated", then: expectSampleOrder },
  { topic: "orders/paid", then: expectSampleOrder },
  { topic: "orders/cancelled", then: expectSampleOrder },
  {
    // Shopify's sample has transactions with "currency": null: the refund is in the order's currency.
    topic: "refunds/create",
    given: (shop) => deliverSample("orders/create", shop),
    then: async (shop) => {
      const refund = await prisma.refund.findUniqueOrThrow({
        where: { shop_id: { shop, id: "890088186047892319" } },
        select: { id: true, orderId: true, amountMinor: true, currency: true, shopAmountMinor: true, createdAt: true },
      });
      expect(numbers(refund)).toEqual({ id: "890088186047892319", orderId: ORDER_ID, amountMinor: 8500, currency: "USD", shopAmountMinor: 8500, createdAt: new Date("2022-01-01T00:00:00.000Z") });
      const lines = await prisma.refundLineItem.findMany({
        where: { shop, refundId: "890088186047892319" },
        select: { lineItemId: true, productId: true, quantity: true, subtotalMinor: true },
        orderBy: { lineItemId: "asc" },
      });
      expect(lines.map(numbers)).toEqual([
        { lineItemId: "315789986012684393", productId: "788032119674292922", quantity: 1, subtotalMinor: 11999 },
        { lineItemId: "487817672276298554", productId: "788032119674292922", quantity: 1, subtotalMinor: 8999 },
        { lineItemId: "789012345678901234", productId: null, quantity: 1, subtotalMinor: 1999 },
        { lineItemId: "890123456789012345", productId: null, quantity: 1, subtotalMinor: 2499 },
        { lineItemId: "976318377106520349", productId: "788032119674292922", quantity: 1, subtotalMinor: 15999 },
      ]);
    },
  },
  {
    topic: "products/create",
    then: async (shop) => {
      const product = await prisma.product.findUniqueOrThrow({ where: { shop_id: { shop, id: PRODUCT.id } }, select: { id: true, title: true, tags: true, shopifyUpdatedAt: true, deletedAt: true } });
      expect(product).toEqual({ ...PRODUCT, deletedAt: null });
    },
  },
  {
    topic: "products/update",
    then: async (shop) => {
      const product = await prisma.product.findUniqueOrThrow({ where: { shop_id: { shop, id: PRODUCT.id } }, select: { id: true, title: true, tags: true, shopifyUpdatedAt: true, deletedAt: true } });
      expect(product).toEqual({ ...PRODUCT, deletedAt: null });
    },
  },
  {
    topic: "products/delete",
    given: (shop) => deliverSample("products/create", shop),
    then: async (shop) => {
      const product = await prisma.product.findUniqueOrThrow({ where: { shop_id: { shop, id: PRODUCT.id } }, select: { id: true, title: true, tags: true, deletedAt: true } });
      expect(product).toMatchObject({ id: PRODUCT.id, title: PRODUCT.title, tags: PRODUCT.tags });
      expect(product.deletedAt).toBeInstanceOf(Date);
    },
  },
  {
    // The sample names the shop by domain and by id (954889): stored, the id is compared too.
    topic: "customers/data_request",
    given: (shop) => prisma.shop.create({ data: { shop, shopifyId: "954889" } }),
    then: async (shop) => {
      const rows = await prisma.privacyRequest.findMany({ where: { shop }, select: { kind: true, customerId: true, dataRequestId: true, orderIds: true } });
      expect(rows).toEqual([{ kind: "data-request", customerId: "191167", dataRequestId: "9999", orderIds: JSON.stringify(["299938", "280263", "220458"]) }]);
    },
  },
  {
    topic: "customers/redact",
    given: (shop) => prisma.shop.create({ data: { shop, shopifyId: "954889" } }),
    then: async (shop) => {
      const rows = await prisma.privacyRequest.findMany({ where: { shop }, select: { kind: true, customerId: true, dataRequestId: true, orderIds: true } });
      expect(rows).toEqual([{ kind: "customer-redact", customerId: "191167", dataRequestId: null, orderIds: JSON.stringify(["299938", "280263", "220458"]) }]);
    },
  },
  {
    topic: "shop/redact",
    given: async (shop) => {
      await prisma.shop.create({ data: { shop, shopifyId: "954889" } });
      await installShop(shop);
      expect((await deliverSample("orders/create", shop)).status).toBe(200);
    },
    then: async (shop) => {
      expect(await prisma.order.count({ where: { shop } })).toBe(0);
      expect(await prisma.customer.count({ where: { shop } })).toBe(0);
      expect(await prisma.orderLineItem.count({ where: { shop } })).toBe(0);
      expect(await prisma.session.count({ where: { shop } })).toBe(0);
    },
  },
  {
    // The sample's myshopify_domain is null (nothing to compare); its id is the shop's id.
    topic: "app/uninstalled",
    given: async (shop) => {
      await prisma.shop.create({ data: { shop, shopifyId: "548380009" } });
      await installShop(shop);
    },
    then: async (shop) => {
      expect(await prisma.session.count({ where: { shop } })).toBe(0);
      const row = await prisma.shop.findUniqueOrThrow({ where: { shop }, select: { shopifyId: true, uninstalledAt: true } });
      expect(row.shopifyId).toBe("548380009");
      expect(row.uninstalledAt).toBeInstanceOf(Date);
    },
  },
  {
    // The sample names the shop by GID: "gid://shopify/Shop/548380009".
    topic: "app/scopes_update",
    given: async (shop) => {
      await prisma.shop.create({ data: { shop, shopifyId: "548380009" } });
      await installShop(shop);
    },
    then: async (shop) => {
      const session = await prisma.session.findFirstOrThrow({ where: { shop, isOnline: false }, select: { scope: true } });
      expect(session.scope).toBe("read_products,write_products");
    },
  },
  {
    // Sample: "iana_timezone": null and "updated_at": null; the stored time zone is kept.
    topic: "shop/update",
    given: (shop) => prisma.shop.create({ data: { shop, name: "Old name", currency: "EUR", timezone: "Europe/Paris" } }),
    then: async (shop) => {
      const row = await prisma.shop.findUniqueOrThrow({ where: { shop }, select: { name: true, currency: true, timezone: true, shopifyId: true, profileUpdatedAt: true, primaryLocale: true } });
      expect(row).toEqual({ name: "Super Toys", currency: "USD", timezone: "Europe/Paris", shopifyId: "548380009", profileUpdatedAt: null, primaryLocale: "en" });
    },
  },
];

describe("Shopify's published sample of every subscribed topic, through the real route", () => {
  it("covers every topic shopify.app.toml subscribes to, each with its fixture", () => {
    const toml = fs.readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");
    const topics = [...toml.matchAll(/(?:topics|compliance_topics)\s*=\s*\[([^\]]*)\]/g)].flatMap((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((t) => t[1]!));
    expect(CASES.map((c) => c.topic).sort()).toEqual([...new Set(topics)].sort());
    for (const topic of topics) expect(fs.existsSync(path.join(FIXTURES, `${topic.replace("/", "__")}.json`)), topic).toBe(true);
  });

  it.each(CASES.map((c, i) => [c.topic, c, `sample-${i}.myshopify.com`] as const))("%s", async (topic, { given, then }, shop) => {
    // GIVEN the shop's state before the delivery
    await given?.(shop);

    // WHEN Shopify's sample arrives, signed, byte for byte
    const response = await deliverSample(topic, shop);

    // THEN it is accepted and stored with its exact ids
    expect(response.status, await response.clone().text()).toBe(200);
    await then(shop);
  });
});
