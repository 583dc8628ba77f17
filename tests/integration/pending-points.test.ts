import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { DEFAULT_RETURN_POLICY } from "~/domain/returns/policy";
import { loader as exportLoader } from "~/routes/app.privacy.$id.export[.]json";
import { action as rewardsAction, loader as rewardsLoader } from "~/routes/api.customer-account.rewards";
import { loader as customerPageLoader } from "~/routes/app.customers.$id/route";
import { formFromProgram } from "~/routes/app.loyalty/program-form";
import { loader as loyaltyLoader } from "~/routes/app.loyalty/route";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { saveLoyaltyProgram } from "~/services/loyalty.server";
import { releaseDuePendingPoints, sweepPendingPointsAllShops } from "~/services/pending-points-sweep.server";
import { saveReturnPolicy } from "~/services/return-policy.server";
import { callHandler } from "../support/handlers";
import { restOrder, restRefund } from "../support/orders";
import { listOutbox } from "../support/outbox";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { addReward, rewardsRequest } from "../support/rewards";
import { adminRequest, installNewShop } from "../support/sessions";
import { settleBackgroundJobs } from "../support/shop-seed";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * Points wait out the return window (issue 21, docs/decisions/043-pending-points.md): real signed webhooks, real
 * session tokens and handlers, real PostgreSQL; the return window is counted here with plain UTC day arithmetic
 * (the shops have no time zone stored, so the app counts in UTC), independently of the app's calendar code.
 */

const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
/** The first instant of the UTC day `days` after the UTC day of `iso`. */
const dayStartAfter = (iso: string, days: number) => {
  const d = new Date(iso);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days));
};
const storeOf = (shop: string) => shop.replace(".myshopify.com", "");
const CUSTOMER = { id: 501, first_name: "Rae", last_name: "Ward", email: "rae@example.com" };

/** 30 days from fulfilment, saved 100 days ago (in force for every order here). */
async function savePolicy(shop: string) {
  const saved = await saveReturnPolicy(shop, { ...DEFAULT_RETURN_POLICY, windowDays: 30, windowStart: "fulfillment" }, "Staff", new Date(NOW - 100 * DAY));
  expect(saved.ok).toBe(true);
}

async function turnPendingOn(shop: string, maxDays = 60) {
  const saved = await saveLoyaltyProgram(shop, { ...DEFAULT_PROGRAM, pending: { enabled: true, maxDays } });
  expect(saved.ok).toBe(true);
  await settleBackgroundJobs(shop);
}

async function turnPendingOff(shop: string) {
  const saved = await saveLoyaltyProgram(shop, { ...DEFAULT_PROGRAM, pending: { enabled: false, maxDays: 60 } });
  expect(saved.ok).toBe(true);
  await settleBackgroundJobs(shop);
}

async function deliver(action: typeof ordersCreate, topic: string, shop: string, body: unknown) {
  expect((await callAction(action, signedWebhook({ topic, shop, body }))).status).toBe(200);
}

/** An order of `dollars` (1 point a dollar) placed `placedDaysAgo`, optionally fulfilled `fulfilledDaysAgo`. */
function order(id: number, dollars: number, placedDaysAgo: number, fulfilledDaysAgo: number | null = null, customer = CUSTOMER) {
  const placed = ago(placedDaysAgo);
  const updated = fulfilledDaysAgo === null ? placed : ago(fulfilledDaysAgo);
  return restOrder({
    id,
    customer,
    created_at: placed,
    processed_at: placed,
    updated_at: updated,
    total_price: `${dollars}.00`,
    line_items: [{ id: id * 10, product_id: 77, title: "Tee", quantity: 1, price: `${dollars}.00` }],
    ...(fulfilledDaysAgo === null ? {} : { fulfillments: [{ status: "success", created_at: ago(fulfilledDaysAgo), updated_at: ago(fulfilledDaysAgo) }] }),
  });
}

async function standing(shop: string, customerId = "501") {
  const c = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: customerId } } });
  return { available: Number(c.pointsBalance), pending: Number(c.pointsPending), next: c.pointsPendingNextAt?.toISOString() ?? null };
}

async function holds(shop: string) {
  const rows = await prisma.pendingPoints.findMany({ where: { shop }, orderBy: { orderId: "asc" } });
  return rows.map((r) => ({ orderId: r.orderId, availableAt: r.availableAt.toISOString(), released: r.releasedAt !== null }));
}

/** The `$app:loyalty.status` value queued for the customer (the newest pending metafieldsSet), parsed. */
async function queuedStatus(shop: string, customerId = "501") {
  const messages = (await listOutbox(shop)).filter((m) => m.operation === "metafieldsSet" && m.coalesceKey === `loyalty-status:${customerId}` && m.status === "pending");
  expect(messages).toHaveLength(1);
  const variables = messages[0]!.variables as { metafields: { ownerId: string; namespace: string; key: string; type: string; value: string }[] };
  expect(variables.metafields).toHaveLength(1);
  expect(variables.metafields[0]).toMatchObject({ ownerId: `gid://shopify/Customer/${customerId}`, namespace: "$app:loyalty", key: "status", type: "json" });
  return JSON.parse(variables.metafields[0]!.value) as Record<string, unknown>;
}

async function shopperView(shop: string, customerId = "501") {
  const response = await callHandler(rewardsLoader, await rewardsRequest(storeOf(shop), customerId, { method: "GET" }));
  expect(response.status).toBe(200);
  return JSON.parse(response.text) as { balance: number; pending: number; pendingAvailableAt: string | null; history: { kind: string; points: number; availableAt: string | null }[] };
}

describe("points earned while the setting is on wait out the order's return window", () => {
  it("holds an order's points as pending until the longest wait, then until 30 days after its fulfilment, with the exact metafield", async () => {
    // GIVEN a shop whose policy gives 30 days from fulfilment, pending on with a 60-day longest wait
    const shop = await installNewShop("pending");
    await savePolicy(shop);
    await turnPendingOn(shop);

    // WHEN a $120 order placed two days ago arrives, not shipped yet
    const placed = order(7001, 120, 2);
    await deliver(ordersCreate, "orders/create", shop, placed);

    // THEN its 120 points are pending until the longest wait: the start of the 61st UTC day after the order's day
    const cap = dayStartAfter(placed.created_at, 61).toISOString();
    expect(await holds(shop)).toEqual([{ orderId: "7001", availableAt: cap, released: false }]);
    expect(await standing(shop)).toEqual({ available: 0, pending: 120, next: cap });
    expect(await queuedStatus(shop)).toEqual({ tier: "Bronze", tierSlug: "bronze", points: 0, pending: 120, pendingAvailableAt: cap });

    // WHEN it ships (yesterday): the window closes at the end of the 30th day after the fulfilment's day
    const shipped = order(7001, 120, 2, 1);
    await deliver(ordersUpdated, "orders/updated", shop, shipped);
    const closes = dayStartAfter(ago(1), 31).toISOString();
    expect(await holds(shop)).toEqual([{ orderId: "7001", availableAt: closes, released: false }]);
    expect(await standing(shop)).toEqual({ available: 0, pending: 120, next: closes });
    expect(await queuedStatus(shop)).toEqual({ tier: "Bronze", tierSlug: "bronze", points: 0, pending: 120, pendingAvailableAt: closes });

    // AND the shopper sees it: available 0, 120 pending with the date, the order's row "available on" that date
    const view = await shopperView(shop);
    expect(view).toMatchObject({ balance: 0, pending: 120, pendingAvailableAt: closes });
    expect(view.history).toEqual([expect.objectContaining({ kind: "order", points: 120, availableAt: closes })]);

    // AND the customer page: 0 to spend, 120 pending with the date; the ledger row says when
    const page = (await callHandler(customerPageLoader, await adminRequest(storeOf(shop), "/app/customers/501"), { id: "501" })).value as {
      customer: { points: number; pendingPoints: number; pendingAvailableAt: string | null };
      ledger: { kind: string; points: number; availableAt: string | null }[];
    };
    expect(page.customer).toMatchObject({ points: 0, pendingPoints: 120, pendingAvailableAt: closes });
    expect(page.ledger).toEqual([expect.objectContaining({ kind: "order", points: 120, availableAt: closes })]);
    // AND the Loyalty page's figures: 120 earned, all of them pending, none outstanding
    const loyalty = (await callHandler(loyaltyLoader, await adminRequest(storeOf(shop), "/app/loyalty"))).value as { rewardFigures: Record<string, unknown> };
    expect(loyalty.rewardFigures).toMatchObject({ earned: 120, redeemed: 0, pending: 120, outstanding: 0 });
  });

  it("is on for a new shop: its programme, never saved, holds an order's points for at most 60 days, and the Loyalty page shows the setting on", async () => {
    // GIVEN a shop that never saved a loyalty programme
    const shop = await installNewShop("pending");
    await savePolicy(shop);
    const page = (await callHandler(loyaltyLoader, await adminRequest(storeOf(shop), "/app/loyalty"))).value as {
      isDefault: boolean;
      program: { pending?: unknown };
    };
    expect(page.isDefault).toBe(true);
    expect(page.program.pending).toEqual({ enabled: true, maxDays: 60 });
    expect(formFromProgram(page.program as typeof DEFAULT_PROGRAM, "USD")).toMatchObject({ pendingEnabled: true, pendingMaxDays: "60" });

    // WHEN a $120 order placed two days ago arrives, not shipped yet
    await deliver(ordersCreate, "orders/create", shop, order(7003, 120, 2));

    // THEN its points wait until the longest wait, none are available
    const cap = dayStartAfter(ago(2), 61).toISOString();
    expect(await holds(shop)).toEqual([{ orderId: "7003", availableAt: cap, released: false }]);
    expect(await standing(shop)).toEqual({ available: 0, pending: 120, next: cap });
  });

  it("an order whose window has already closed when it is booked (an old order) earns available points at once", async () => {
    const shop = await installNewShop("pending");
    await savePolicy(shop);
    await turnPendingOn(shop);
    await deliver(ordersCreate, "orders/create", shop, order(7002, 80, 50, 45));
    expect(await holds(shop)).toEqual([]);
    expect(await standing(shop)).toEqual({ available: 80, pending: 0, next: null });
    expect(await queuedStatus(shop)).toEqual({ tier: "Bronze", tierSlug: "bronze", points: 80 });
  });
});

describe("the sweep makes pending points available", () => {
  it("releases due orders once: two sweeps at the same moment make one change; the metafield loses its pending keys", async () => {
    // GIVEN two customers with pending points, shipped yesterday
    const shop = await installNewShop("pending");
    await savePolicy(shop);
    await turnPendingOn(shop);
    await deliver(ordersCreate, "orders/create", shop, order(7101, 120, 2, 1));
    await deliver(ordersCreate, "orders/create", shop, order(7102, 70, 2, 1, { ...CUSTOMER, id: 502, email: "c502@example.com" }));
    const due = dayStartAfter(ago(1), 31);
    const ledgerBefore = await prisma.pointsLedger.count({ where: { shop } });

    // WHEN a sweep runs a millisecond before the date: nothing is due
    expect(await releaseDuePendingPoints(shop, new Date(due.getTime() - 1))).toBe(0);
    expect(await standing(shop)).toEqual({ available: 0, pending: 120, next: due.toISOString() });

    // WHEN two sweeps run at the date, at once
    const released = await Promise.all([releaseDuePendingPoints(shop, due), releaseDuePendingPoints(shop, due)]);

    // THEN each order was released by exactly one of them, and the ledger did not change
    expect(released[0]! + released[1]!).toBe(2);
    expect(await holds(shop)).toEqual([
      { orderId: "7101", availableAt: due.toISOString(), released: true },
      { orderId: "7102", availableAt: due.toISOString(), released: true },
    ]);
    expect(await prisma.pointsLedger.count({ where: { shop } })).toBe(ledgerBefore);
    expect(await standing(shop)).toEqual({ available: 120, pending: 0, next: null });
    expect(await standing(shop, "502")).toEqual({ available: 70, pending: 0, next: null });
    expect(await queuedStatus(shop)).toEqual({ tier: "Bronze", tierSlug: "bronze", points: 120 });
    expect(await queuedStatus(shop, "502")).toEqual({ tier: "Bronze", tierSlug: "bronze", points: 70 });

    // AND a later sweep finds nothing to do
    expect(await releaseDuePendingPoints(shop, new Date(due.getTime() + DAY))).toBe(0);
  });

  it("is claimed once per hour across instances", async () => {
    // An hour long past: nothing is due in it, only the claim is at stake.
    const hour = new Date("2020-02-03T04:05:06.000Z");
    const claims = await Promise.all([sweepPendingPointsAllShops(hour, "instance-a"), sweepPendingPointsAllShops(hour, "instance-b")]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await sweepPendingPointsAllShops(new Date(hour.getTime() + 60_000), "instance-c")).toBe(false);
  });
});

describe("refunds, redemption and the setting", () => {
  it("applies to orders booked from then on; a refund within the window takes pending points first; redemption refuses pending points (409)", async () => {
    // GIVEN 40 points earned while the setting was off (the merchant turned it off: points available at once)
    const shop = await installNewShop("pending");
    await savePolicy(shop);
    await turnPendingOff(shop);
    await deliver(ordersCreate, "orders/create", shop, order(7201, 40, 5));
    expect(await standing(shop)).toEqual({ available: 40, pending: 0, next: null });

    // WHEN pending is turned on and a $120 order arrives
    await turnPendingOn(shop);
    await deliver(ordersCreate, "orders/create", shop, order(7202, 120, 2));
    const cap = dayStartAfter(ago(2), 61).toISOString();
    // THEN the earlier order's points stay available; the new order's wait
    expect(await holds(shop)).toEqual([{ orderId: "7202", availableAt: cap, released: false }]);
    expect(await standing(shop)).toEqual({ available: 40, pending: 120, next: cap });

    // WHEN half of the new order is refunded within its window
    await deliver(refundsCreate, "refunds/create", shop, restRefund({ id: 72021, order_id: 7202, created_at: ago(1), transactions: [{ id: 720210, kind: "refund", status: "success", amount: "60.00", currency: "USD" }] }));
    // THEN the 60 points come out of the pending ones; the available 40 are untouched
    expect(await standing(shop)).toEqual({ available: 40, pending: 60, next: cap });
    expect(await queuedStatus(shop)).toEqual({ tier: "Bronze", tierSlug: "bronze", points: 40, pending: 60, pendingAvailableAt: cap });

    // WHEN the shopper tries a 50-point reward: 40 available, 60 pending
    resetSurveyRateLimits();
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "50", amount: "5" });
    const refused = await callHandler(rewardsAction, await rewardsRequest(storeOf(shop), "501", { body: { rewardId, idempotencyKey: "pending-0001" } }));
    // THEN 409, saying the pending points wait until their date; nothing was taken
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.text)).toEqual({
      errors: { points: `This reward costs 50 points; you have 40. 60 more are pending until ${cap.slice(0, 10)} (UTC), when their orders' return window closes.` },
      balance: 40,
      pending: 60,
      pendingAvailableAt: cap,
    });
    expect(await prisma.rewardRedemption.count({ where: { shop } })).toBe(0);
    expect(await standing(shop)).toEqual({ available: 40, pending: 60, next: cap });
  });

  it("with the setting off, an order's points are available at once and nothing is held", async () => {
    const shop = await installNewShop("pending");
    await savePolicy(shop);
    const saved = await saveLoyaltyProgram(shop, { ...DEFAULT_PROGRAM, pending: { enabled: false, maxDays: 60 } });
    expect(saved.ok).toBe(true);
    await settleBackgroundJobs(shop);
    await deliver(ordersCreate, "orders/create", shop, order(7301, 120, 2));
    expect(await holds(shop)).toEqual([]);
    expect(await standing(shop)).toEqual({ available: 120, pending: 0, next: null });
    expect(await queuedStatus(shop)).toEqual({ tier: "Bronze", tierSlug: "bronze", points: 120 });
  });
});

describe("tenant isolation and privacy", () => {
  it("keeps one shop's pending points out of another's balances, sweeps and shopper view", async () => {
    // GIVEN the same order and customer ids in two shops, pending on in the first only
    const a = await installNewShop("pending-a");
    const b = await installNewShop("pending-b");
    await savePolicy(a);
    await savePolicy(b);
    await turnPendingOn(a);
    await turnPendingOff(b);
    await deliver(ordersCreate, "orders/create", a, order(7401, 120, 2));
    await deliver(ordersCreate, "orders/create", b, order(7401, 120, 2));
    const cap = dayStartAfter(ago(2), 61).toISOString();

    expect(await standing(a)).toEqual({ available: 0, pending: 120, next: cap });
    expect(await standing(b)).toEqual({ available: 120, pending: 0, next: null });
    expect(await shopperView(b)).toMatchObject({ balance: 120, pending: 0, pendingAvailableAt: null });

    // WHEN the second shop is swept far in the future: nothing of the first shop moves
    expect(await releaseDuePendingPoints(b, new Date(NOW + 400 * DAY))).toBe(0);
    expect(await holds(a)).toEqual([{ orderId: "7401", availableAt: cap, released: false }]);
    expect(await standing(a)).toEqual({ available: 0, pending: 120, next: cap });
  });

  it("customers/redact keeps the points (no personal data in them), the data request export carries them, shop/redact deletes them", async () => {
    const shop = await installNewShop("pending-privacy");
    const other = await installNewShop("pending-privacy");
    await savePolicy(shop);
    await turnPendingOn(shop);
    await turnPendingOn(other);
    await deliver(ordersCreate, "orders/create", shop, order(7501, 120, 2));
    await deliver(ordersCreate, "orders/create", other, order(7501, 120, 2));
    const cap = dayStartAfter(ago(2), 61).toISOString();

    // customers/redact: the name and email go; the pending points (an order id and dates) stay, so balances add up
    const redact = { shop_id: 1, shop_domain: shop, customer: { id: 501, email: CUSTOMER.email }, orders_to_redact: [7501] };
    expect((await callAction(customersRedact, signedWebhook({ topic: "customers/redact", shop, body: redact }))).status).toBe(200);
    expect(await holds(shop)).toEqual([{ orderId: "7501", availableAt: cap, released: false }]);
    expect(await standing(shop)).toEqual({ available: 0, pending: 120, next: cap });
    const row = await prisma.pendingPoints.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId: "7501" } } });
    expect(JSON.stringify(row)).not.toContain(CUSTOMER.email);

    // the data request export: the customer's pending points and their date
    const request = { shop_id: 1, shop_domain: shop, orders_requested: [7501], customer: { id: 501 }, data_request: { id: 75010 } };
    expect((await callAction(dataRequest, signedWebhook({ topic: "customers/data_request", shop, body: request }))).status).toBe(200);
    const recorded = await prisma.privacyRequest.findFirstOrThrow({ where: { shop, kind: "data-request" } });
    const file = await callHandler(exportLoader, await adminRequest(storeOf(shop), `/app/privacy/${recorded.id}/export.json`), { id: String(recorded.id) });
    expect(file.status).toBe(200);
    const data = JSON.parse(file.text) as { customer: Record<string, unknown> };
    expect(data.customer).toMatchObject({ pointsBalance: 0, pointsPending: 120, pointsPendingNextAt: cap });

    // shop/redact: no pending row of the shop is left; the other shop's stays
    expect((await callAction(shopRedact, signedWebhook({ topic: "shop/redact", shop, body: { shop_id: 1, shop_domain: shop } }))).status).toBe(200);
    expect(await prisma.pendingPoints.count({ where: { shop } })).toBe(0);
    expect(await holds(other)).toEqual([{ orderId: "7501", availableAt: cap, released: false }]);
  });
});
