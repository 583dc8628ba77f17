import { beforeAll, describe, expect, it } from "vitest";
import { validateSubmission } from "~/domain/survey/answer";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { loadCxDashboard } from "~/services/cx-dashboard.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { restOrder, restRefund } from "../support/orders";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

// The dashboard's "has a refund / no refund" segment: the answering customer has a refund on any order (not test,
// not cancelled), a guest's answer goes by the answered order. Scores per segment, counted by hand.

const SHOP = "cx-refunds.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY).toISOString();

const deliver = (action: typeof ordersCreate, topic: string, body: unknown) => callAction(action, signedWebhook({ topic, shop: SHOP, body }));

async function order(id: number, daysAgo: number, customer: number | null, extra: Record<string, unknown> = {}) {
  const person = customer === null ? null : { id: customer, first_name: "R", last_name: String(customer), email: `r${customer}@example.com` };
  const res = await deliver(ordersCreate, "orders/create", restOrder({ id, created_at: iso(daysAgo), processed_at: iso(daysAgo), updated_at: iso(daysAgo), customer: person, ...extra }));
  expect(res.status).toBe(200);
}

async function answer(orderId: number, daysAgo: number, nps: number) {
  const checked = validateSubmission({ orderId: `gid://shopify/Order/${orderId}`, locale: "en", answers: { nps } });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  await recordSurveyAnswer(SHOP, checked.value, { surface: "thank-you", now: new Date(NOW.getTime() - daysAgo * DAY) });
}

const refund = async (id: number, orderId: number, daysAgo: number) =>
  expect((await deliver(refundsCreate, "refunds/create", restRefund({ id, order_id: orderId, created_at: iso(daysAgo) }))).status).toBe(200);

beforeAll(async () => {
  await installShop(SHOP);
  // Customer 1: answered order 1 (promoter), later refunded on another order (2): every answer of theirs counts as "refund".
  await order(1, 20, 1);
  await answer(1, 19, 10);
  await order(2, 10, 1);
  await refund(1, 2, 5);
  // Customer 2: answered, never refunded.
  await order(3, 15, 2);
  await answer(3, 14, 9);
  // Customer 3: refunded only on an order since cancelled (not a return): "none".
  await order(4, 12, 3);
  await answer(4, 11, 3);
  await refund(2, 4, 10);
  await deliver(ordersCancelled, "orders/cancelled", restOrder({ id: 4, created_at: iso(12), processed_at: iso(12), updated_at: iso(9), cancelled_at: iso(9), customer: { id: 3, first_name: "R", last_name: "3", email: "r3@example.com" } }));
  // Guests: one whose answered order was refunded (the refund before the order arrived), one not.
  await refund(3, 5, 6);
  await answer(5, 7, 2);
  await order(5, 8, null);
  await order(6, 8, null);
  await answer(6, 7, 7);
});

describe("dashboard segment: has a refund / no refund", () => {
  it("splits the answers by the customer's refunds (the answered order's for a guest), with their scores", async () => {
    const cx = await loadCxDashboard(SHOP, new URLSearchParams({ range: "30d" }), NOW);
    const rows = Object.fromEntries(cx.segments.refund.map((s) => [s.key, { label: s.label, answers: s.answers, nps: s.nps.value }]));
    // refund: customer 1 (10) and the refunded guest (2) → 1 promoter, 1 detractor → 0.
    // none: customer 2 (9), customer 3 (3), the other guest (7) → 1 promoter, 1 detractor, 1 passive → 0.
    expect(rows).toEqual({
      refund: { label: "Has a refund", answers: 2, nps: 0 },
      none: { label: "No refund", answers: 3, nps: 0 },
    });
  });

  it("moves an answer when its customer gets a refund later", async () => {
    await refund(4, 3, 1);
    const cx = await loadCxDashboard(SHOP, new URLSearchParams({ range: "30d" }), NOW);
    expect(cx.segments.refund.map((s) => [s.key, s.answers, s.nps.value])).toEqual([
      ["refund", 3, 33],
      ["none", 2, -50],
    ]);
  });
});
