import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { restOrder, restRefund } from "../../support/orders";
import { callAction, signedWebhook } from "../../support/webhooks";

/**
 * Invariant: partial refunds reverse an order's points in proportion to the money given back, exactly: refunds that
 * add up to the order take back exactly its points, and no refund's rounding drifts the total. applyOrderLoyalty
 * (app/services/loyalty-ledger.server.ts) passes the amount already refunded (`alreadyRefundedMinor`) to
 * refundReversal, which rounds the CUMULATIVE share (half up) and takes the difference from what was reversed.
 * Rounding each refund on its own drifts: 3 × round(33.33) = 99 of 100 points; 3 × round(0.5) = 3 of 10 points for
 * 15 % of the money.
 */

let shopCounter = 0;
const newShop = () => `reversal-${++shopCounter}.myshopify.com`;
const customer = { id: 901, first_name: "Rhea", last_name: "Fund", email: "rhea@example.com" };
const day = (d: number) => `2026-10-${String(d).padStart(2, "0")}T10:00:00.000Z`;

async function deliver(action: typeof ordersCreate, topic: string, shop: string, body: unknown) {
  expect((await callAction(action, signedWebhook({ topic, shop, body }))).status, topic).toBe(200);
}

describe("invariant: uneven partial refunds reverse exactly the proportional points, in total and per refund", () => {
  it.each([
    {
      what: "100.00 order (100 points), refunds 33.33 + 33.33 + 33.34: reversals 33, 34, 33, all 100 points back",
      total: "100.00",
      refunds: ["33.33", "33.33", "33.34"],
      // cumulative 33.33 % → 33; 66.66 % → 67 (34 more); 100 % → 100 (33 more)
      ledger: [["order", 100, "order:9100", day(1)], ["refund", -33, "refund:9101", day(5)], ["refund", -34, "refund:9102", day(6)], ["refund", -33, "refund:9103", day(7)]],
      balance: 0,
    },
    {
      what: "10.00 order (10 points), three refunds of 0.50: reversals 1, none, 1 (2 points for 15 %), not 1 + 1 + 1",
      total: "10.00",
      refunds: ["0.50", "0.50", "0.50"],
      // cumulative 5 % → round(0.5) = 1; 10 % → 1 (nothing more, no row); 15 % → round(1.5) = 2 (1 more)
      ledger: [["order", 10, "order:9100", day(1)], ["refund", -1, "refund:9101", day(5)], ["refund", -1, "refund:9103", day(7)]],
      balance: 8,
    },
  ])("$what", async ({ total, refunds, ledger, balance }) => {
    // GIVEN an order of customer 901 at 1 point per unit
    const shop = newShop();
    await deliver(ordersCreate, "orders/create", shop, restOrder({ id: 9100, total_price: total, customer, created_at: day(1), processed_at: day(1), updated_at: day(1) }));

    // WHEN its refunds arrive one by one, a day apart
    for (const [i, amount] of refunds.entries()) {
      const id = 9101 + i;
      await deliver(refundsCreate, "refunds/create", shop, restRefund({ id, order_id: 9100, created_at: day(5 + i), transactions: [{ id: id * 10, kind: "refund", status: "success", amount, currency: "USD" }] }));
    }

    // THEN every ledger row is exactly the proportional share, dated when its order or refund happened
    const rows = await prisma.pointsLedger.findMany({ where: { shop, customerId: "901" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.kind, Number(r.points), r.sourceKey, r.createdAt.toISOString()])).toEqual(ledger);
    expect(Number((await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "901" } } })).pointsBalance)).toBe(balance);
  });
});
