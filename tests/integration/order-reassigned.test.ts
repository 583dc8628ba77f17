import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { validateSubmission } from "~/domain/survey/answer";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { restOrder, restRefund } from "../support/orders";
import { callAction, signedWebhook } from "../support/webhooks";
import { numbers } from "../support/numbers";

// An orders/updated may name another customer than the stored order (merchants reassign orders; a guest checkout
// gets linked to an account). Points, facts, tier, Shopify mirror and the CX rollups follow the order.

let shopCounter = 0;
const newShop = () => `order-reassigned-${(shopCounter += 1)}.myshopify.com`;

const ACTIONS = { "orders/create": ordersCreate, "orders/updated": ordersUpdated, "refunds/create": refundsCreate } as const;
type Topic = keyof typeof ACTIONS;
async function deliver(shop: string, topic: Topic, body: unknown, webhookId?: string) {
  const response = await callAction(ACTIONS[topic], signedWebhook({ topic, shop, body, webhookId }));
  expect(response.status).toBe(200);
}

const person = (id: number) => ({ id, first_name: "Ada", last_name: `No${id}`, email: `c${id}@example.com` });
const version = (id: number, customer: number | null, updatedAt: string, extra: Record<string, unknown> = {}) =>
  restOrder({ id, total_price: "400.00", updated_at: updatedAt, customer: customer === null ? null : person(customer), ...extra });
const refund = (id: number, orderId: number, amount: string, createdAt: string) =>
  restRefund({ id, order_id: orderId, created_at: createdAt, transactions: [{ kind: "refund", status: "success", amount, currency: "USD" }] });

async function customerState(shop: string, id: string) {
  const facts = await prisma.customer.findUniqueOrThrow({
    where: { shop_id: { shop, id } },
    select: { orderCount: true, lifetimeNetMinor: true, lifetimeGrossMinor: true, pointsBalance: true, tierSlug: true },
  });
  const ledger = await prisma.pointsLedger.findMany({ where: { shop, customerId: id }, orderBy: { id: "asc" }, select: { kind: true, points: true, sourceKey: true, orderId: true } });
  const tiers = await prisma.tierChange.findMany({ where: { shop, customerId: id }, orderBy: { id: "asc" }, select: { fromSlug: true, toSlug: true } });
  return { facts: numbers(facts), ledger: ledger.map((l) => [l.kind, Number(l.points), l.sourceKey, l.orderId]), tiers: tiers.map((t) => [t.fromSlug, t.toSlug]) };
}

/** The outbox as [operation, customer, tag or loyalty value], in queue order. */
async function outbox(shop: string) {
  const rows = await prisma.outboxMessage.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { operation: true, variables: true } });
  return rows.map((row) => {
    const variables = JSON.parse(row.variables) as { id?: string; tags?: string[]; metafields?: { ownerId: string; value: string }[] };
    if (row.operation === "metafieldsSet") {
      const [metafield] = variables.metafields ?? [];
      const value = JSON.parse(metafield?.value ?? "{}") as { tierSlug: string | null; points: number };
      return [row.operation, metafield?.ownerId, `${value.tierSlug}:${value.points}`];
    }
    return [row.operation, variables.id, variables.tags?.join(",")];
  });
}

describe("an order moved to another customer", () => {
  it("takes its points, facts and tier to the new customer; later refunds reverse from them; repeats and stale versions change nothing", async () => {
    const shop = newShop();
    // GIVEN customer 81's $400 order (400 points, Silver) with a $100 refund (300 points left, net $300, still Silver)
    await deliver(shop, "orders/create", version(8001, 81, "2026-10-01T10:00:00Z"));
    await deliver(shop, "refunds/create", refund(9001, 8001, "100.00", "2026-10-02T10:00:00Z"));
    // WHEN an orders/updated names customer 82 — delivered twice with one webhook id, once more under another id
    const moved = version(8001, 82, "2026-10-03T10:00:00Z");
    await deliver(shop, "orders/updated", moved, "move-8001");
    await deliver(shop, "orders/updated", moved, "move-8001");
    await deliver(shop, "orders/updated", moved, "move-8001-again");
    // AND an older version naming 81 arrives late
    await deliver(shop, "orders/updated", version(8001, 81, "2026-10-02T12:00:00Z"));
    // AND a later $100 refund
    await deliver(shop, "refunds/create", refund(9002, 8001, "100.00", "2026-10-04T10:00:00Z"));

    // THEN 81 gave back exactly what the order still held, and has no order left
    expect(await customerState(shop, "81")).toEqual({
      facts: { orderCount: 0, lifetimeNetMinor: 0, lifetimeGrossMinor: 0, pointsBalance: 0, tierSlug: "bronze" },
      ledger: [
        ["order", 400, "order:8001", "8001"],
        ["refund", -100, "refund:9001", "8001"],
        ["transfer", -300, "transfer:8001:0", "8001"],
      ],
      tiers: [
        [null, "silver"],
        ["silver", "bronze"],
      ],
    });
    // AND 82 got it, and the later refund reversed from 82 (net $200: Bronze)
    expect(await customerState(shop, "82")).toEqual({
      facts: { orderCount: 1, lifetimeNetMinor: 20000, lifetimeGrossMinor: 40000, pointsBalance: 200, tierSlug: "bronze" },
      ledger: [
        ["transfer", 300, "transfer:8001:1", "8001"],
        ["refund", -100, "refund:9002", "8001"],
      ],
      tiers: [
        [null, "silver"],
        ["silver", "bronze"],
      ],
    });
    // AND both customers' tags and loyalty metafields are queued for Shopify (undelivered metafield writes coalesce)
    const c81 = "gid://shopify/Customer/81";
    const c82 = "gid://shopify/Customer/82";
    expect(await outbox(shop)).toEqual([
      ["tagsAdd", c81, "afterglow-tier-silver"],
      ["metafieldsSet", c81, "bronze:0"],
      ["tagsRemove", c81, "afterglow-tier-silver"],
      ["tagsAdd", c81, "afterglow-tier-bronze"],
      ["tagsAdd", c82, "afterglow-tier-silver"],
      ["metafieldsSet", c82, "bronze:200"],
      ["tagsRemove", c82, "afterglow-tier-silver"],
      ["tagsAdd", c82, "afterglow-tier-bronze"],
    ]);
  });

  it("to a guest and on to another customer: the first gives the points back, the last gets what is left", async () => {
    const shop = newShop();
    // GIVEN customer 83's $100 order (100 points)
    await deliver(shop, "orders/create", version(8002, 83, "2026-10-01T10:00:00Z", { total_price: "100.00" }));
    // WHEN it becomes a guest order, is half refunded while a guest's, then is linked to customer 84
    await deliver(shop, "orders/updated", version(8002, null, "2026-10-02T10:00:00Z", { total_price: "100.00" }));
    await deliver(shop, "refunds/create", refund(9003, 8002, "50.00", "2026-10-03T10:00:00Z"));
    await deliver(shop, "orders/updated", version(8002, 84, "2026-10-04T10:00:00Z", { total_price: "100.00" }));

    // THEN 83 holds nothing of it, and 84 holds the order's 100 points less the refund's 50
    expect(await customerState(shop, "83")).toEqual({
      facts: { orderCount: 0, lifetimeNetMinor: 0, lifetimeGrossMinor: 0, pointsBalance: 0, tierSlug: "bronze" },
      ledger: [
        ["order", 100, "order:8002", "8002"],
        ["transfer", -100, "transfer:8002:0", "8002"],
      ],
      tiers: [[null, "bronze"]],
    });
    expect(await customerState(shop, "84")).toEqual({
      facts: { orderCount: 1, lifetimeNetMinor: 5000, lifetimeGrossMinor: 10000, pointsBalance: 50, tierSlug: "bronze" },
      ledger: [
        ["transfer", 100, "transfer:8002:1", "8002"],
        ["refund", -50, "refund:9003", "8002"],
      ],
      tiers: [[null, "bronze"]],
    });
  });

  it("a guest order linked to a customer earns them its points once, like their own order", async () => {
    const shop = newShop();
    await deliver(shop, "orders/create", version(8003, null, "2026-10-01T10:00:00Z"));
    await deliver(shop, "orders/updated", version(8003, 85, "2026-10-02T10:00:00Z"), "link-8003");
    await deliver(shop, "orders/updated", version(8003, 85, "2026-10-02T10:00:00Z"), "link-8003-again");
    expect(await customerState(shop, "85")).toEqual({
      facts: { orderCount: 1, lifetimeNetMinor: 40000, lifetimeGrossMinor: 40000, pointsBalance: 400, tierSlug: "silver" },
      ledger: [["order", 400, "order:8003", "8003"]],
      tiers: [[null, "silver"]],
    });
    expect(await prisma.pointsLedger.count({ where: { shop } })).toBe(1);
  });

  it("moved back and forth, each move books new rows and the balances end where the order is", async () => {
    const shop = newShop();
    await deliver(shop, "orders/create", version(8004, 86, "2026-10-01T10:00:00Z", { total_price: "10.00" }));
    await deliver(shop, "orders/updated", version(8004, 87, "2026-10-02T10:00:00Z", { total_price: "10.00" }));
    await deliver(shop, "orders/updated", version(8004, 86, "2026-10-03T10:00:00Z", { total_price: "10.00" }));
    const ledger = await prisma.pointsLedger.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { customerId: true, kind: true, points: true, sourceKey: true } });
    expect(ledger.map((l) => [l.customerId, l.kind, Number(l.points), l.sourceKey])).toEqual([
      ["86", "order", 10, "order:8004"],
      ["86", "transfer", -10, "transfer:8004:0"],
      ["87", "transfer", 10, "transfer:8004:1"],
      ["87", "transfer", -10, "transfer:8004:2"],
      ["86", "transfer", 10, "transfer:8004:3"],
    ]);
    expect((await customerState(shop, "86")).facts).toMatchObject({ orderCount: 1, pointsBalance: 10 });
    expect((await customerState(shop, "87")).facts).toMatchObject({ orderCount: 0, pointsBalance: 0 });
  });

  it("takes the order's survey answer along: the CX rollups count it for the new customer", async () => {
    const shop = newShop();
    // GIVEN customer 88's order with a promoter answer, and customer 89 ordering again 10 days after that answer
    await deliver(shop, "orders/create", version(8005, 88, "2026-10-01T10:00:00Z", { created_at: "2026-10-01T10:00:00Z", processed_at: "2026-10-01T10:00:00Z" }));
    const checked = validateSubmission({ orderId: "gid://shopify/Order/8005", locale: "en", answers: { nps: 10 } });
    if (!checked.ok) throw new Error("invalid submission");
    await recordSurveyAnswer(shop, checked.value, { surface: "thank-you", now: new Date("2026-10-01T12:00:00Z") });
    const later = "2026-10-11T10:00:00Z";
    await deliver(shop, "orders/create", restOrder({ id: 8006, total_price: "70.00", created_at: later, processed_at: later, updated_at: later, customer: person(89) }));
    const worth = async () =>
      (await prisma.cxWorthDaily.findMany({ where: { shop }, select: { category: true, answers: true, answeredMinor: true, repeaters: true, followNetMinor: true } })).map(numbers);
    expect(await worth()).toEqual([{ category: "promoter", answers: 1, answeredMinor: 40000, repeaters: 0, followNetMinor: 0 }]);

    // WHEN the answered order moves to customer 89
    await deliver(shop, "orders/updated", version(8005, 89, "2026-10-12T10:00:00Z", { created_at: "2026-10-01T10:00:00Z", processed_at: "2026-10-01T10:00:00Z" }));

    // THEN the answer is 89's, and 89's order after it counts as a repeat purchase worth $70
    expect((await prisma.surveyResponse.findFirstOrThrow({ where: { shop, orderId: "8005" } })).customerId).toBe("89");
    expect(await worth()).toEqual([{ category: "promoter", answers: 1, answeredMinor: 40000, repeaters: 1, followNetMinor: 7000 }]);
    const tierSegments = await prisma.cxDaily.findMany({ where: { shop, dimension: "tier", answers: { not: 0 } }, select: { segment: true, answers: true } });
    expect(tierSegments.map(numbers)).toEqual([{ segment: "silver", answers: 1 }]);
  });
});
