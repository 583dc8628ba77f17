import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { latestImportJob } from "~/services/order-import.server";
import { createJob, latestJob } from "~/models/jobs.server";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";
import { unauthenticated } from "~/shopify.server";
import { numbers } from "../support/numbers";
import { bulkOrderLine } from "../support/orders";
import { runOrderImport } from "../support/order-import";

const SHOP = "import-shop.myshopify.com";
const OP = "gid://shopify/BulkOperation/1";

const orderLine = (n: number, extra: Record<string, unknown> = {}) => bulkOrderLine(n, "150.00", extra);
const lineItem = (order: number, n: number) => ({
  id: `gid://shopify/LineItem/${order * 10 + n}`,
  __parentId: `gid://shopify/Order/${order}`,
  title: "Wool Scarf",
  quantity: 1,
  product: { id: "gid://shopify/Product/5" },
  originalUnitPriceSet: { shopMoney: { amount: "150.00", currencyCode: "USD" } },
});

const JSONL = [
  orderLine(1, {
    fulfillments: [{ createdAt: "2026-03-02T09:00:00Z", updatedAt: "2026-03-08T09:00:00Z", status: "SUCCESS", displayStatus: "DELIVERED", deliveredAt: "2026-03-04T15:00:00Z" }],
  }),
  lineItem(1, 1),
  orderLine(2, {
    refunds: [{ id: "gid://shopify/Refund/77", createdAt: "2026-03-05T10:00:00Z", totalRefundedSet: { shopMoney: { amount: "50.00", currencyCode: "USD" } } }],
  }),
  lineItem(2, 1),
  lineItem(2, 2),
]
  .map((l) => JSON.stringify(l))
  .join("\n");

async function* lines(text: string) {
  for (const line of text.split("\n")) yield line;
}

async function importOnce() {
  stubAdminOperation("AfterglowBulkOrders", () => ({ bulkOperationRunQuery: { bulkOperation: { id: OP, status: "CREATED" }, userErrors: [] } }));
  let polls = 0;
  stubAdminOperation("AfterglowBulkOperationStatus", () => {
    polls += 1;
    return { node: { id: OP, status: polls < 2 ? "RUNNING" : "COMPLETED", errorCode: null, objectCount: "5", rootObjectCount: "2", url: "https://storage.example/result.jsonl" } };
  });
  // Products, two pages: the product of order 1's line (a final-sale one) and one nothing was ever ordered of.
  stubAdminOperation("AfterglowProducts", (call) =>
    call.variables?.after === null
      ? { products: { pageInfo: { hasNextPage: true, endCursor: "page-2" }, nodes: [{ id: "gid://shopify/Product/5", title: "Wool Scarf", tags: ["Final Sale", "winter"], updatedAt: "2026-02-01T08:00:00Z" }] } }
      : { products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [{ id: "gid://shopify/Product/6", title: "Gift Card", tags: [], updatedAt: "2026-02-02T08:00:00Z" }] } },
  );
  const { admin } = await unauthenticated.admin(SHOP);
  const job = await createJob(SHOP, "order-import", 0, new Date());
  const downloads: string[] = [];
  const counts = await runOrderImport(SHOP, job.id, {
    graphql: admin.graphql,
    download: (url) => {
      downloads.push(url);
      return lines(JSONL);
    },
    sleep: async () => undefined,
  }, null);
  return { counts, downloads };
}

describe("historical order import (bulk operation → ingest service)", () => {
  it("runs the bulk query, streams the JSONL through ingest, and records progress", async () => {
    await installShop(SHOP);
    const { counts, downloads } = await importOnce();

    expect(counts).toEqual({ orders: 2, refunds: 1, products: 2, skipped: 0 });
    // The products, page after page, with their tags as the return policy compares them.
    expect(adminCalls.filter((c) => c.operation === "AfterglowProducts").map((c) => c.variables)).toEqual([{ after: null }, { after: "page-2" }]);
    expect(await prisma.product.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" }, select: { id: true, title: true, tags: true, deletedAt: true } })).toEqual([
      { id: "5", title: "Wool Scarf", tags: JSON.stringify(["final sale", "winter"]), deletedAt: null },
      { id: "6", title: "Gift Card", tags: "[]", deletedAt: null },
    ]);
    expect(downloads).toEqual(["https://storage.example/result.jsonl"]);
    const mutation = adminCalls.find((c) => c.operation === "AfterglowBulkOrders");
    expect(mutation?.query).toContain("bulkOperationRunQuery");
    expect(String(mutation?.variables?.query)).toContain("lineItems");
    expect(String(mutation?.variables?.query)).toMatch(/fulfillments \{ createdAt updatedAt status displayStatus deliveredAt \}/);
    expect(adminCalls.filter((c) => c.operation === "AfterglowBulkOperationStatus").map((c) => c.variables)).toEqual([{ id: OP }, { id: OP }]);

    const orders = await prisma.order.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });
    expect(orders.map((o) => [o.id, Number(o.totalMinor), o.lineItemCount])).toEqual([["1", 15000, 1], ["2", 15000, 2]]);
    // Fulfilment and delivery dates come along; the lines with their product ids.
    expect(orders.map((o) => [o.fulfilledAt?.toISOString() ?? null, o.deliveredAt?.toISOString() ?? null])).toEqual([
      ["2026-03-02T09:00:00.000Z", "2026-03-04T15:00:00.000Z"],
      [null, null],
    ]);
    expect((await prisma.orderLineItem.findMany({ where: { shop: SHOP, orderId: "1" }, select: { id: true, productId: true, title: true, quantity: true, priceMinor: true } })).map(numbers)).toEqual([
      { id: "11", productId: "5", title: "Wool Scarf", quantity: 1, priceMinor: 15000 },
    ]);
    const customer = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "900" } } });
    expect(numbers(customer)).toMatchObject({ orderCount: 2, lifetimeNetMinor: 25000, pointsBalance: 250, tierSlug: "silver" });
    expect(await latestJob(SHOP, "order-import")).toMatchObject({ status: "done", done: 2, detail: "2 orders, 1 refunds, 2 products imported" });
    // The merchant's progress: the export's orders (its root objects, not its line items) as the total.
    expect(adminCalls.find((c) => c.operation === "AfterglowBulkOperationStatus")?.query).toMatch(/objectCount rootObjectCount url/);
    const shown = await latestImportJob(SHOP);
    expect(shown).toMatchObject({ status: "done", done: 2, progress: { done: 2, total: 2, percent: 100 } });
  });

  it("running it again changes nothing", async () => {
    await installShop(SHOP);
    await importOnce();
    const snapshot = async () => ({
      orders: await prisma.order.count({ where: { shop: SHOP } }),
      refunds: await prisma.refund.count({ where: { shop: SHOP } }),
      ledger: await prisma.pointsLedger.findMany({ where: { shop: SHOP }, select: { sourceKey: true, points: true } }),
      customer: await prisma.customer.findUnique({ where: { shop_id: { shop: SHOP, id: "900" } }, select: { pointsBalance: true, lifetimeNetMinor: true, tierSlug: true } }),
      products: await prisma.product.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } }),
    });
    const before = await snapshot();
    await importOnce();
    expect(await snapshot()).toEqual(before);
  });

  it("never overwrites a newer webhook version with an older imported one", async () => {
    await installShop(SHOP);
    const newer = {
      id: 3, name: "#3", created_at: "2026-03-01T10:00:00Z", updated_at: "2026-04-01T10:00:00Z", currency: "USD",
      total_price: "10.00", financial_status: "refunded", customer: null, line_items: [],
    };
    expect((await callAction(ordersUpdated, signedWebhook({ topic: "orders/updated", shop: SHOP, body: newer }))).status).toBe(200);
    const { applyBulkOrderLines } = await import("~/services/order-import.server");
    await applyBulkOrderLines(SHOP, lines(JSON.stringify(orderLine(3, { customer: null, displayFinancialStatus: "PAID" }))));
    const order = await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "3" } } });
    expect(order.financialStatus).toBe("refunded");
  });
});
