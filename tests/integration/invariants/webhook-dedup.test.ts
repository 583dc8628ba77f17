import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { shopRows } from "../../support/db-rows";
import { restOrder, restRefund } from "../../support/orders";
import { callAction, signedWebhook } from "../../support/webhooks";

/**
 * Invariant: the same X-Shopify-Webhook-Id applied twice changes nothing (claimWebhookDelivery in
 * app/models/orders.server.ts, checked first by app/services/ingest-webhook.server.ts). Natural keys (order id,
 * refund id, updated_at) keep the results right when the SAME body is resent, so these resend the same id with a
 * CHANGED body: only the delivery check can refuse it.
 */

const customer = { id: 601, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" };

let shopCounter = 0;
const newShop = () => `dedup-${++shopCounter}.myshopify.com`;

async function deliver(action: typeof ordersCreate, topic: string, shop: string, body: unknown, webhookId: string) {
  const response = await callAction(action, signedWebhook({ topic, shop, body, webhookId }));
  expect(response.status, `${topic} ${webhookId}`).toBe(200);
}

/** The outcome the ingest service reported for this delivery, from the run's log capture (tests/support/setup.ts). */
function loggedOutcomes(webhookId: string): string[] {
  const file = path.join(inject("logDir"), `${process.pid}.jsonl`);
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { msg: string; webhookId?: string; outcome?: string })
    .filter((line) => line.msg === "webhook applied" && line.webhookId === webhookId)
    .map((line) => line.outcome ?? "");
}

describe("invariant: a webhook id is applied once, whatever body comes with it again", () => {
  it.each([
    {
      what: "orders/updated resent with a newer updated_at, another total and status",
      action: ordersUpdated,
      topic: "orders/updated",
      changed: restOrder({ id: 1101, total_price: "250.00", financial_status: "partially_refunded", updated_at: "2026-10-02T10:00:00Z", customer }),
    },
    {
      what: "orders/create resent naming another customer",
      action: ordersCreate,
      topic: "orders/create",
      changed: restOrder({ id: 1101, updated_at: "2026-10-02T10:00:00Z", customer: { ...customer, id: 602 } }),
    },
  ])("$what: 200, outcome duplicate, no row of any table changes", async ({ action, topic, changed }) => {
    // GIVEN an order of customer 601 applied under webhook id W (60.00: 60 points, facts, outbox rows)
    const shop = newShop();
    // (unique per run: the log capture of a worker process outlives one run of this file, e.g. under StrykerJS)
    const webhookId = `${topic}-${randomUUID()}`;
    await deliver(action, topic, shop, restOrder({ id: 1101, customer }), webhookId);
    const before = await shopRows(shop);
    expect(before.Order).toMatchObject([{ id: "1101", totalMinor: 6000, customerId: "601" }]);
    expect(before.PointsLedger).toMatchObject([{ customerId: "601", points: 60 }]);
    expect(before.OutboxMessage?.length).toBeGreaterThan(0);

    // WHEN Shopify's delivery W arrives again, signed, but with a changed body
    await deliver(action, topic, shop, changed, webhookId);

    // THEN it is recognised as a duplicate and nothing changed: orders, customers, ledger, outbox, deliveries
    expect(await shopRows(shop)).toEqual(before);
    expect(loggedOutcomes(webhookId)).toEqual(["applied", "duplicate"]);
  });

  it("refunds/create resent with another refund id and amount: 200, outcome duplicate, no row changes", async () => {
    // GIVEN an order of 100.00 and a refund of 10.00 applied under webhook id R
    const shop = newShop();
    await deliver(ordersCreate, "orders/create", shop, restOrder({ id: 1201, total_price: "100.00", customer }), `order-${shop}`);
    const webhookId = `refund-${randomUUID()}`;
    const refund = (id: number, amount: string) =>
      restRefund({ id, order_id: 1201, transactions: [{ id: id * 10, kind: "refund", status: "success", amount, currency: "USD" }] });
    await deliver(refundsCreate, "refunds/create", shop, refund(7201, "10.00"), webhookId);
    const before = await shopRows(shop);
    expect(before.Refund).toMatchObject([{ id: "7201", amountMinor: 1000 }]);
    expect(before.PointsLedger).toMatchObject([{ points: 100 }, { points: -10, sourceKey: "refund:7201" }]);

    // WHEN delivery R arrives again carrying another refund (id 7202, 40.00)
    await deliver(refundsCreate, "refunds/create", shop, refund(7202, "40.00"), webhookId);

    // THEN nothing changed: no refund 7202, no reversal for it, no new outbox message
    expect(await shopRows(shop)).toEqual(before);
    expect(loggedOutcomes(webhookId)).toEqual(["applied", "duplicate"]);
  });
});
