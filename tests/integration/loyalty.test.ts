import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { deliverDueOutbox } from "~/services/outbox.server";
import { latestRecomputeJob, saveLoyaltyProgram, sweepRollingWindow, adjustPoints } from "~/services/loyalty.server";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { restOrder, restRefund } from "../support/orders";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";
import { numbers } from "../support/numbers";

let shopCounter = 0;
/** Each test gets its own shop, so counts are exact. */
function newShop() {
  shopCounter += 1;
  return `loyalty-${shopCounter}.myshopify.com`;
}

const deliver = (shop: string, action: typeof ordersCreate, topic: string, body: unknown, webhookId?: string) =>
  callAction(action, signedWebhook({ topic, shop, body, webhookId })).then((r) => {
    expect(r.status).toBe(200);
    return r;
  });

const customer = (id: number) => ({ id, first_name: "Grace", last_name: "Hopper", email: `g${id}@example.com` });

async function state(shop: string, customerId: string) {
  // BigInt columns (amounts, points) read as numbers: exact below 2^53.
  const c = numbers(await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: customerId } } }));
  const ledger = (await prisma.pointsLedger.findMany({ where: { shop, customerId }, orderBy: { id: "asc" } })).map(numbers);
  const outbox = await prisma.outboxMessage.findMany({ where: { shop }, orderBy: { id: "asc" } });
  return { customer: c, ledger, outbox };
}

describe("orders in, loyalty out", () => {
  it("a $300 first order makes a new customer Silver once; a full refund drops them back and reverses the points", async () => {
    const shop = newShop();
    // WHEN a signed orders/create of $300 arrives, twice (same webhook id)
    const order = restOrder({ id: 5001, total_price: "300.00", customer: customer(42) });
    await deliver(shop, ordersCreate, "orders/create", order, "create-5001");
    await deliver(shop, ordersCreate, "orders/create", order, "create-5001");

    // THEN Silver, 300 points in one ledger row, exactly one tagsAdd and one metafieldsSet queued
    let s = await state(shop, "42");
    expect(s.customer).toMatchObject({ tierSlug: "silver", pointsBalance: 300, orderCount: 1, lifetimeNetMinor: 30000 });
    expect(s.ledger.map((l) => [l.kind, l.points, l.sourceKey])).toEqual([["order", 300, "order:5001"]]);
    expect(s.outbox.map((m) => m.operation)).toEqual(["tagsAdd", "metafieldsSet"]);
    expect(JSON.parse(s.outbox[0]!.variables)).toEqual({ id: "gid://shopify/Customer/42", tags: ["afterglow-tier-silver"] });

    // WHEN a full refund arrives
    await deliver(shop, refundsCreate, "refunds/create", restRefund({ id: 7001, order_id: 5001, transactions: [{ kind: "refund", status: "success", amount: "300.00", currency: "USD" }] }));

    // THEN back to Bronze, points reversed, the tag swap queued and the metafield update coalesced into one message
    s = await state(shop, "42");
    expect(s.customer).toMatchObject({ tierSlug: "bronze", pointsBalance: 0, lifetimeNetMinor: 0 });
    expect(s.ledger.map((l) => [l.kind, l.points])).toEqual([["order", 300], ["refund", -300]]);
    expect(s.outbox.map((m) => m.operation).sort()).toEqual(["metafieldsSet", "tagsAdd", "tagsAdd", "tagsRemove"]);
    const metafield = JSON.parse(s.outbox.find((m) => m.operation === "metafieldsSet")!.variables);
    expect(JSON.parse(metafield.metafields[0].value)).toMatchObject({ tierSlug: "bronze", points: 0 });
    const tierHistory = await prisma.tierChange.findMany({ where: { shop, customerId: "42" }, orderBy: { id: "asc" } });
    expect(tierHistory.map((t: { fromSlug: string | null; toSlug: string | null; cause: string }) => [t.fromSlug, t.toSlug, t.cause])).toEqual([[null, "silver", "order"], ["silver", "bronze", "order"]]);
  });

  it("partial refunds reverse points proportionally, never more than earned", async () => {
    const shop = newShop();
    await deliver(shop, ordersCreate, "orders/create", restOrder({ id: 5002, total_price: "90.00", customer: customer(7) }));
    for (const [id, amount] of [[1, "30.00"], [2, "30.00"], [3, "30.00"], [4, "5.00"]] as const) {
      await deliver(shop, refundsCreate, "refunds/create", restRefund({ id: 7100 + id, order_id: 5002, transactions: [{ kind: "refund", status: "success", amount, currency: "USD" }] }));
    }
    const s = await state(shop, "7");
    expect(s.ledger.map((l) => l.points)).toEqual([90, -30, -30, -30]);
    expect(s.customer.pointsBalance).toBe(0);
  });

  it("a refund that arrives before its order is applied when the order arrives", async () => {
    const shop = newShop();
    await deliver(shop, refundsCreate, "refunds/create", restRefund({ id: 7200, order_id: 5003, transactions: [{ kind: "refund", status: "success", amount: "40.00", currency: "USD" }] }));
    await deliver(shop, ordersCreate, "orders/create", restOrder({ id: 5003, total_price: "100.00", customer: customer(8) }));
    const s = await state(shop, "8");
    expect(s.ledger.map((l) => [l.kind, l.points])).toEqual([["order", 100], ["refund", -40]]);
    expect(s.customer).toMatchObject({ lifetimeNetMinor: 6000, pointsBalance: 60 });
  });

  it("cancellation takes back what is left of the order's points and removes the order from spend", async () => {
    const shop = newShop();
    const order = restOrder({ id: 5004, total_price: "260.00", customer: customer(9) });
    await deliver(shop, ordersCreate, "orders/create", order);
    await deliver(shop, refundsCreate, "refunds/create", restRefund({ id: 7300, order_id: 5004, transactions: [{ kind: "refund", status: "success", amount: "60.00", currency: "USD" }] }));
    await deliver(shop, ordersCancelled, "orders/cancelled", { ...order, cancelled_at: "2026-10-02T00:00:00Z", updated_at: "2026-10-02T00:00:00Z" });
    const s = await state(shop, "9");
    expect(s.ledger.map((l) => [l.kind, l.points])).toEqual([["order", 260], ["refund", -60], ["cancellation", -200]]);
    expect(s.customer).toMatchObject({ pointsBalance: 0, orderCount: 0, lifetimeNetMinor: 0, tierSlug: "bronze" });
  });

  it("guest and test orders earn nothing and create no customer", async () => {
    const shop = newShop();
    await deliver(shop, ordersCreate, "orders/create", restOrder({ id: 5005, customer: null }));
    await deliver(shop, ordersCreate, "orders/create", restOrder({ id: 5006, test: true, customer: customer(10) }));
    expect(await prisma.pointsLedger.count({ where: { shop } })).toBe(0);
    expect(await prisma.outboxMessage.count({ where: { shop } })).toBe(0);
  });

  it("multi-currency: totals in shop currency, a refund paid in the presentment currency is converted at the order's rate", async () => {
    const shop = newShop();
    await deliver(shop, ordersCreate, "orders/create", restOrder({
      id: 5007, currency: "USD", presentment_currency: "EUR", total_price: "300.00", customer: customer(11),
      total_price_set: { shop_money: { amount: "300.00", currency_code: "USD" }, presentment_money: { amount: "250.00", currency_code: "EUR" } },
    }));
    await deliver(shop, refundsCreate, "refunds/create", restRefund({ id: 7400, order_id: 5007, transactions: [{ kind: "refund", status: "success", amount: "125.00", currency: "EUR" }] }));
    const s = await state(shop, "11");
    expect(s.customer.lifetimeNetMinor).toBe(15000);
    expect(s.ledger.map((l) => l.points)).toEqual([300, -150]);
  });

  it("rolling 12 months: the daily sweep downgrades a customer whose spend ages out", async () => {
    const shop = newShop();
    const program = { ...DEFAULT_PROGRAM, window: "rolling12" as const };
    const saved = await saveLoyaltyProgram(shop, program);
    expect(saved.ok).toBe(true);
    const placed = new Date(Date.now() - 360 * 86400_000).toISOString();
    await deliver(shop, ordersCreate, "orders/create", restOrder({ id: 5008, total_price: "300.00", customer: customer(12), created_at: placed, processed_at: placed, updated_at: placed }));
    expect((await state(shop, "12")).customer.tierSlug).toBe("silver");

    await sweepRollingWindow(shop, new Date(Date.now() + 10 * 86400_000));

    const s = await state(shop, "12");
    expect(s.customer).toMatchObject({ tierSlug: "bronze", rolling12NetMinor: 0, lifetimeNetMinor: 30000 });
    const last = await prisma.tierChange.findFirst({ where: { shop, customerId: "12" }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ fromSlug: "silver", toSlug: "bronze", cause: "sweep" });
  });

  it("changing the rules recomputes every customer in the background, with progress", async () => {
    const shop = newShop();
    for (const [i, amount] of [[1, "120.00"], [2, "200.00"], [3, "30.00"]] as const) {
      await deliver(shop, ordersCreate, "orders/create", restOrder({ id: 5100 + i, total_price: amount, customer: customer(100 + i) }));
    }
    const tiers = DEFAULT_PROGRAM.tiers.map((t) => (t.name === "Silver" ? { ...t, threshold: 10000 } : t));
    const saved = await saveLoyaltyProgram(shop, { ...DEFAULT_PROGRAM, tiers });
    expect(saved.ok).toBe(true);
    let job = await latestRecomputeJob(shop);
    for (let i = 0; i < 100 && job?.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = await latestRecomputeJob(shop);
    }
    expect(job).toMatchObject({ status: "done", total: 3, done: 3 });
    const tiersNow = await prisma.customer.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { id: true, tierSlug: true } });
    expect(tiersNow).toEqual([
      { id: "101", tierSlug: "silver" },
      { id: "102", tierSlug: "silver" },
      { id: "103", tierSlug: "bronze" },
    ]);
  });

  it("rejects an invalid program with field errors and saves nothing", async () => {
    const shop = newShop();
    const tiers = DEFAULT_PROGRAM.tiers.map((t) => (t.name === "Gold" ? { ...t, threshold: 100 } : t));
    const result = await saveLoyaltyProgram(shop, { ...DEFAULT_PROGRAM, tiers });
    expect(result.ok).toBe(false);
    expect(Object.keys(result.ok ? {} : result.errors)).toContain("tiers.2.threshold");
    expect(await prisma.loyaltyProgram.count({ where: { shop } })).toBe(0);
  });

  it("staff adjustments need a reason and cannot take the balance below zero", async () => {
    const shop = newShop();
    await deliver(shop, ordersCreate, "orders/create", restOrder({ id: 5200, total_price: "50.00", customer: customer(13) }));
    expect(await adjustPoints(shop, "13", { points: 10, reason: "" }, "staff@example.com")).toMatchObject({ ok: false });
    expect(await adjustPoints(shop, "13", { points: -80, reason: "Goodwill correction" }, null)).toMatchObject({ ok: false });
    expect(await adjustPoints(shop, "13", { points: 25, reason: "Late delivery apology" }, "staff@example.com")).toEqual({ ok: true, balance: 75 });
    expect(await adjustPoints("another-shop.myshopify.com", "13", { points: 5, reason: "Cross-shop attempt" }, null)).toMatchObject({ ok: false });
    const ledger = (await state(shop, "13")).ledger;
    expect(ledger.at(-1)).toMatchObject({ kind: "adjustment", points: 25, note: "Late delivery apology" });
  });

  it("a crash between commit and delivery loses nothing: the outbox delivers the tier change afterwards", async () => {
    const shop = newShop();
    await installShop(shop);
    stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
    stubAdminOperation("AfterglowMetafieldsSet", () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1" }], userErrors: [] } }));
    // GIVEN the event committed but the process died before any Admin API call
    await deliver(shop, ordersCreate, "orders/create", restOrder({ id: 5300, total_price: "1200.00", customer: customer(14) }));
    expect(adminCalls).toHaveLength(0);
    // WHEN a (new) worker runs
    const report = await deliverDueOutbox();
    // THEN the tag and the metafield reach Shopify exactly once
    expect(report.delivered).toBe(2);
    expect(adminCalls.map((c) => [c.shop, c.operation, c.variables])).toEqual([
      [shop, "AfterglowTagsAdd", { id: "gid://shopify/Customer/14", tags: ["afterglow-tier-gold"] }],
      [shop, "AfterglowMetafieldsSet", expect.objectContaining({ metafields: [expect.objectContaining({ ownerId: "gid://shopify/Customer/14", namespace: "$app:loyalty" })] })],
    ]);
    await deliverDueOutbox();
    expect(adminCalls).toHaveLength(2);
  });
});
