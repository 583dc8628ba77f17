import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createGroupCommit } from "~/models/transaction.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { restOrder } from "../support/orders";
import { callAction, signedWebhook } from "../support/webhooks";

const SHOP = "group-commit.myshopify.com";
const claim = (id: string) =>
  prisma.$executeRaw`INSERT INTO "WebhookDelivery" ("shop", "webhookId", "topic", "receivedAt") VALUES (${SHOP}, ${id}, 'test', ${new Date()})`;

describe("group commit", () => {
  it("commits the pieces of a group together, rolls back a failing piece alone, and settles each caller after the commit", async () => {
    const inGroup = createGroupCommit();
    const committedWhenSettled: number[] = [];
    const piece = (id: string, fail = false) =>
      inGroup(async (tx) => {
        await tx.$executeRaw`INSERT INTO "WebhookDelivery" ("shop", "webhookId", "topic", "receivedAt") VALUES (${SHOP}, ${id}, 'test', ${new Date()})`;
        if (fail) throw new Error(`piece ${id} failed after writing`);
        return id;
      }).then(async (value) => {
        // Seen from outside the transaction: the caller hears back only once its row is committed.
        committedWhenSettled.push(await prisma.webhookDelivery.count({ where: { shop: SHOP, webhookId: value } }));
        return value;
      });

    const results = await Promise.allSettled([piece("a"), piece("b", true), piece("c"), piece("a")]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/piece b failed/);
    // The second "a" hit the primary key: its own savepoint rolled back, the first "a" kept.
    expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/UNIQUE|Unique/i);
    const rows = await prisma.webhookDelivery.findMany({ where: { shop: SHOP }, orderBy: { webhookId: "asc" }, select: { webhookId: true } });
    expect(rows.map((r) => r.webhookId)).toEqual(["a", "c"]);
    expect(committedWhenSettled).toEqual([1, 1]);
  });

  it("keeps working after a group, and other transactions still run between groups", async () => {
    const inGroup = createGroupCommit(2);
    await claim("outside-1");
    const values = await Promise.all(["x1", "x2", "x3", "x4", "x5"].map((id) => inGroup(async (tx) => (await tx.$executeRaw`INSERT INTO "WebhookDelivery" ("shop", "webhookId", "topic", "receivedAt") VALUES (${SHOP}, ${id}, 'test', ${new Date()})`, id))));
    expect(values).toEqual(["x1", "x2", "x3", "x4", "x5"]);
    await claim("outside-2");
    expect(await prisma.webhookDelivery.count({ where: { shop: SHOP, webhookId: { startsWith: "x" } } })).toBe(5);
  });

  it("50 deliveries at once, with repeats of the same webhook id, each have exactly one effect", async () => {
    const orders = Array.from({ length: 25 }, (_, i) => restOrder({ id: 77_000 + i, total_price: "10.00" }));
    const deliveries = orders.flatMap((body, i) => [
      signedWebhook({ topic: "orders/create", shop: SHOP, body, webhookId: `wh-${i}` }),
      signedWebhook({ topic: "orders/create", shop: SHOP, body, webhookId: `wh-${i}` }),
    ]);
    const statuses = await Promise.all(deliveries.map(async (request) => (await callAction(ordersCreate, request)).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await prisma.order.count({ where: { shop: SHOP, id: { startsWith: "77" } } })).toBe(25);
    expect(await prisma.webhookDelivery.count({ where: { shop: SHOP, webhookId: { startsWith: "wh-" } } })).toBe(25);
    // One customer (the fixture's) earned points once per order.
    expect(await prisma.pointsLedger.count({ where: { shop: SHOP, kind: "order" } })).toBe(25);
  });
});
