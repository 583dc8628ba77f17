import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { restOrder, restRefund } from "../../support/orders";
import { callAction, signedWebhook } from "../../support/webhooks";
import { numbers } from "../../support/numbers";

// Shopify delivers webhooks in any order, and again. Whatever the arrival order (and repeats), the customer's facts,
// points and tier must end up the same. Each property run uses its own shop, through the real webhook routes.
vi.setConfig({ testTimeout: 120_000 });

type Event = { topic: string; body: unknown; webhookId: string };
const ACTIONS: Record<string, typeof ordersCreate> = {
  "orders/create": ordersCreate,
  "orders/updated": ordersUpdated,
  "orders/cancelled": ordersCancelled,
  "refunds/create": refundsCreate,
};

const customer = { id: 4242, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" };
const at = (minute: number) => new Date(Date.UTC(2026, 9, 1, 10, minute)).toISOString();

/** One customer's history: two orders, the first refunded in three parts, the second updated and then cancelled. */
function history(): Event[] {
  const first = { id: 1, customer, total_price: "300.00", created_at: at(0), processed_at: at(0) };
  const second = { id: 2, customer, total_price: "900.00", created_at: at(5), processed_at: at(5) };
  const refund = (id: number, amount: string, minute: number) =>
    restRefund({ id, order_id: 1, created_at: at(minute), transactions: [{ id: id * 10, kind: "refund", status: "success", amount, currency: "USD" }] });
  return [
    { topic: "orders/create", body: restOrder({ ...first, updated_at: at(0) }), webhookId: "create-1" },
    { topic: "orders/updated", body: restOrder({ ...first, updated_at: at(30), financial_status: "partially_refunded" }), webhookId: "update-1" },
    { topic: "refunds/create", body: refund(11, "100.00", 10), webhookId: "refund-11" },
    { topic: "refunds/create", body: refund(12, "50.00", 20), webhookId: "refund-12" },
    { topic: "refunds/create", body: refund(13, "75.00", 25), webhookId: "refund-13" },
    { topic: "orders/create", body: restOrder({ ...second, updated_at: at(5) }), webhookId: "create-2" },
    { topic: "orders/updated", body: restOrder({ ...second, updated_at: at(6), financial_status: "paid" }), webhookId: "update-2" },
    {
      topic: "orders/cancelled",
      body: restOrder({ ...second, updated_at: at(40), cancelled_at: at(40), financial_status: "voided" }),
      webhookId: "cancel-2",
    },
  ];
}

let runs = 0;
async function replay(events: Event[]) {
  runs += 1;
  const shop = `arrival-${runs}.myshopify.com`;
  for (const event of events) {
    const response = await callAction(ACTIONS[event.topic]!, signedWebhook({ topic: event.topic, shop, body: event.body, webhookId: event.webhookId }));
    expect(response.status).toBe(200);
  }
  const state = await prisma.customer.findUniqueOrThrow({
    where: { shop_id: { shop, id: String(customer.id) } },
    select: { lifetimeNetMinor: true, lifetimeGrossMinor: true, orderCount: true, tierSlug: true, pointsBalance: true },
  });
  const byOrder = await prisma.pointsLedger.groupBy({ by: ["orderId"], where: { shop }, _sum: { points: true }, orderBy: { orderId: "asc" } });
  // An order earned and then cancelled nets 0, the same as a cancellation that arrived before the order earned anything.
  return { ...numbers(state), pointsByOrder: byOrder.filter((r) => Number(r._sum.points) !== 0).map((r) => [r.orderId, Number(r._sum.points)]) };
}

describe("arrival order of order and refund webhooks", () => {
  it("ends in the same facts, points and tier whatever the order and repeats of delivery", async () => {
    // GIVEN the history delivered in Shopify's own order
    const reference = await replay(history());
    // (independent arithmetic: order 1 nets 300 − 225 = 75 dollars and keeps 75 of its 300 points; order 2 is cancelled)
    expect(reference).toMatchObject({ lifetimeNetMinor: 7500, orderCount: 1, pointsBalance: 75, pointsByOrder: [["1", 75]] });

    // WHEN the same deliveries arrive shuffled, some of them twice, THEN the outcome is the same
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(history(), { minLength: 8, maxLength: 8 }),
        fc.array(fc.nat(7), { maxLength: 3 }),
        async (shuffled, repeats) => {
          const events = [...shuffled];
          for (const index of repeats) events.splice(index + 1, 0, shuffled[index]!);
          expect(await replay(events)).toEqual(reference);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("takes back the points of partial refunds that arrive latest-first (regression: they were under-reversed)", async () => {
    // GIVEN order 1 ($300, 300 points), WHEN its refunds of $75 (10:25), $50 (10:20) and $100 (10:10) arrive in that order
    const [create, , refund11, refund12, refund13] = history();
    const state = await replay([create!, refund13!, refund12!, refund11!]);
    // THEN $225 of $300 is refunded and 225 points are taken back, as when they arrive oldest-first
    expect(state).toMatchObject({ lifetimeNetMinor: 7500, pointsBalance: 75, pointsByOrder: [["1", 75]] });
  });
});

describe("arrival order of an order moved to another customer", () => {
  const [first, second] = [
    { id: 5151, first_name: "Ada", last_name: "First", email: "first@example.com" },
    { id: 5252, first_name: "Bea", last_name: "Second", email: "second@example.com" },
  ];
  const order = (owner: typeof first, minute: number) =>
    restOrder({ id: 7, customer: owner, total_price: "300.00", created_at: at(0), processed_at: at(0), updated_at: at(minute) });
  const refund = (id: number, amount: string, minute: number) =>
    restRefund({ id, order_id: 7, created_at: at(minute), transactions: [{ kind: "refund", status: "success", amount, currency: "USD" }] });
  /** Customer 5151's $300 order, refunded $100, then moved to 5252 (an older version naming 5151 comes too), refunded $50 more. */
  const moves = (): Event[] => [
    { topic: "orders/create", body: order(first, 0), webhookId: "create-7" },
    { topic: "refunds/create", body: refund(71, "100.00", 10), webhookId: "refund-71" },
    { topic: "orders/updated", body: order(first, 15), webhookId: "update-7-old" },
    { topic: "orders/updated", body: order(second, 20), webhookId: "update-7-moved" },
    { topic: "refunds/create", body: refund(72, "50.00", 25), webhookId: "refund-72" },
  ];

  let moveRuns = 0;
  async function replayMoves(events: Event[]) {
    moveRuns += 1;
    const shop = `arrival-move-${moveRuns}.myshopify.com`;
    for (const event of events) {
      const response = await callAction(ACTIONS[event.topic]!, signedWebhook({ topic: event.topic, shop, body: event.body, webhookId: event.webhookId }));
      expect(response.status).toBe(200);
    }
    const facts = async (id: number) => {
      const row = await prisma.customer.findUnique({
        where: { shop_id: { shop, id: String(id) } },
        select: { lifetimeNetMinor: true, orderCount: true, pointsBalance: true },
      });
      // A customer the stored order never named (its version came after the move) has no row: nothing, all the same.
      return row ? numbers(row) : { lifetimeNetMinor: 0, orderCount: 0, pointsBalance: 0 };
    };
    const points = await prisma.pointsLedger.groupBy({ by: ["customerId"], where: { shop }, _sum: { points: true }, orderBy: { customerId: "asc" } });
    return { first: await facts(first.id), second: await facts(second.id), points: points.filter((p) => Number(p._sum.points) !== 0).map((p) => [p.customerId, Number(p._sum.points)]) };
  }

  it("ends with the order, its points and its refunds with the customer it names last, whatever the arrival order", async () => {
    const reference = await replayMoves(moves());
    // (independent arithmetic: $300 − $150 refunded = $150 net and 150 of 300 points, all 5252's; 5151 holds nothing)
    expect(reference).toEqual({
      first: { lifetimeNetMinor: 0, orderCount: 0, pointsBalance: 0 },
      second: { lifetimeNetMinor: 15000, orderCount: 1, pointsBalance: 150 },
      points: [["5252", 150]],
    });
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(moves(), { minLength: 5, maxLength: 5 }), fc.array(fc.nat(4), { maxLength: 2 }), async (shuffled, repeats) => {
        const events = [...shuffled];
        for (const index of repeats) events.splice(index + 1, 0, shuffled[index]!);
        expect(await replayMoves(events)).toEqual(reference);
      }),
      { numRuns: 25 },
    );
  });
});
