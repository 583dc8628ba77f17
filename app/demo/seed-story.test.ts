import { describe, expect, it } from "vitest";
import { toMinorUnits } from "~/domain/money";
import { generateDemoAnswers } from "./seed-answers";
import { generateDemoHistory, type SeedEvent } from "./seed-data";
import { customerProfile, HIGH_VALUE_CHANNEL, OFTEN_REFUNDED, type Disposition } from "./seed-story";

/**
 * The demo shop tells the product's story (issue 20), measured on the seeded data as the dashboard would: the same
 * history and answers `npm run demo` seeds (default options), read through the customers' answers, not through the
 * profiles that drew them.
 */
const DAY = 86_400_000;
const now = new Date("2026-05-01T12:34:56.789Z");
const events = generateDemoHistory({ now });
const answers = generateDemoAnswers(events, { now });

interface Order {
  id: number;
  customerId: number | null;
  placedMs: number;
  totalMinor: number;
  test: boolean;
}
const cents = (amount: string) => toMinorUnits(amount, "USD");
const orders: Order[] = events
  .filter((e) => e.topic === "orders/create")
  .map((e) => {
    const p = e.payload as { id: number; customer: { id: number } | null; created_at: string; total_price: string; test: boolean };
    return { id: p.id, customerId: p.customer?.id ?? null, placedMs: Date.parse(p.created_at), totalMinor: cents(p.total_price), test: p.test };
  })
  .filter((o) => !o.test);
const orderById = new Map(orders.map((o) => [o.id, o]));
const refunds = events.filter((e): e is SeedEvent => e.topic === "refunds/create");
const refundedByOrder = new Map<number, number>();
for (const e of refunds) {
  const p = e.payload as { order_id: number; transactions: { amount: string }[] };
  refundedByOrder.set(p.order_id, (refundedByOrder.get(p.order_id) ?? 0) + p.transactions.reduce((sum, t) => sum + cents(t.amount), 0));
}
const netOf = (o: Order) => o.totalMinor - (refundedByOrder.get(o.id) ?? 0);
const categoryOf = (nps: number): Disposition => (nps >= 9 ? "promoter" : nps >= 7 ? "passive" : "detractor");
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Each answering customer's category by their latest NPS answer, as the Customers page's NPS filter groups them. */
const latestCategory = new Map<number, Disposition>();
for (const a of answers) {
  const order = orderById.get(Number(a.submission.orderNumericId));
  if (order?.customerId != null && a.submission.answers.nps !== undefined) latestCategory.set(order.customerId, categoryOf(a.submission.answers.nps));
}
const ordersOf = new Map<number, Order[]>();
for (const o of orders) if (o.customerId !== null) ordersOf.set(o.customerId, [...(ordersOf.get(o.customerId) ?? []), o]);
const customersIn = (category: Disposition) => [...latestCategory].filter(([, c]) => c === category).map(([id]) => id);

describe("the demo shop's story", () => {
  it("promoters are worth more than detractors: net revenue per customer over 1.5 times", () => {
    const revenue = (category: Disposition) => mean(customersIn(category).map((id) => (ordersOf.get(id) ?? []).reduce((sum, o) => sum + netOf(o), 0)));
    expect(customersIn("promoter").length).toBeGreaterThan(40);
    expect(customersIn("detractor").length).toBeGreaterThan(20);
    expect(revenue("promoter")).toBeGreaterThan(1.5 * revenue("detractor"));
    expect(revenue("passive")).toBeGreaterThan(revenue("detractor"));
  });

  it("promoters reorder more, and detractors churn: after answering, they rarely order again", () => {
    const repeatShare = (category: Disposition) => customersIn(category).filter((id) => (ordersOf.get(id)?.length ?? 0) >= 2).length / customersIn(category).length;
    expect(repeatShare("promoter")).toBeGreaterThan(repeatShare("detractor") + 0.2);

    // The dashboard's worth card: answers of the window that ended 90 days ago, and what their customer did in the
    // 90 days after answering.
    const windowEnd = now.getTime() - 90 * DAY;
    const follow = new Map<Disposition, { answers: number; repeaters: number; netMinor: number }>();
    for (const a of answers) {
      const order = orderById.get(Number(a.submission.orderNumericId));
      const nps = a.submission.answers.nps;
      if (!order || order.customerId === null || nps === undefined || a.at.getTime() >= windowEnd) continue;
      const after = (ordersOf.get(order.customerId) ?? []).filter((o) => o.placedMs > a.at.getTime() && o.placedMs <= a.at.getTime() + 90 * DAY);
      const row = follow.get(categoryOf(nps)) ?? { answers: 0, repeaters: 0, netMinor: 0 };
      row.answers += 1;
      row.repeaters += after.length > 0 ? 1 : 0;
      row.netMinor += after.reduce((sum, o) => sum + netOf(o), 0);
      follow.set(categoryOf(nps), row);
    }
    const promoters = follow.get("promoter")!;
    const detractors = follow.get("detractor")!;
    expect(detractors.answers).toBeGreaterThan(30);
    expect(promoters.repeaters / promoters.answers).toBeGreaterThan(1.5 * (detractors.repeaters / detractors.answers));
    expect(promoters.netMinor / promoters.answers).toBeGreaterThan(2 * (detractors.netMinor / detractors.answers));
  });

  it("most detractors have lapsed (no order in the last 60 days); few promoters have", () => {
    const lapsedShare = (category: Disposition) => {
      const ids = customersIn(category);
      const lapsed = ids.filter((id) => Math.max(...(ordersOf.get(id) ?? []).map((o) => o.placedMs)) < now.getTime() - 60 * DAY);
      return lapsed.length / ids.length;
    };
    expect(lapsedShare("detractor")).toBeGreaterThan(0.5);
    expect(lapsedShare("detractor")).toBeGreaterThan(lapsedShare("promoter") + 0.3);
  });

  it("refunds cluster on two products: they hold over half of the refunded money", () => {
    const byProduct = new Map<string, number>();
    for (const e of refunds) {
      for (const line of e.payload.refund_line_items as { subtotal: string; line_item: { title: string } }[]) {
        byProduct.set(line.line_item.title, (byProduct.get(line.line_item.title) ?? 0) + cents(line.subtotal));
      }
    }
    const ranked = [...byProduct].sort((a, b) => b[1] - a[1]);
    const total = ranked.reduce((sum, [, minor]) => sum + minor, 0);
    expect(ranked.slice(0, 2).map(([title]) => title).sort()).toEqual([...OFTEN_REFUNDED].sort());
    expect((ranked[0]![1] + ranked[1]![1]) / total).toBeGreaterThan(0.5);
  });

  it("one channel brings high-value customers: its answered orders have the highest average, by a margin", () => {
    const values = new Map<string, number[]>();
    for (const a of answers) {
      const option = a.submission.answers.attribution?.optionId;
      const order = orderById.get(Number(a.submission.orderNumericId));
      if (!option || option === "other" || !order) continue;
      values.set(option, [...(values.get(option) ?? []), order.totalMinor]);
    }
    const ranked = [...values].map(([option, xs]) => [option, mean(xs)] as const).sort((a, b) => b[1] - a[1]);
    expect(ranked.map(([option]) => option).sort()).toEqual(["ad", "friend", "search", "social"]);
    expect(ranked[0]![0]).toBe(HIGH_VALUE_CHANNEL);
    expect(ranked[0]![1]).toBeGreaterThan(1.3 * ranked[1]![1]);
  });

  it("the same channel scores the highest NPS (the dashboard's 'Heard about us' segment)", () => {
    const scores = new Map<string, number[]>();
    for (const a of answers) {
      const option = a.submission.answers.attribution?.optionId;
      if (!option || option === "other" || a.submission.answers.nps === undefined) continue;
      scores.set(option, [...(scores.get(option) ?? []), a.submission.answers.nps]);
    }
    const nps = (xs: number[]) => Math.round((100 * (xs.filter((s) => s >= 9).length - xs.filter((s) => s <= 6).length)) / xs.length);
    const ranked = [...scores].map(([option, xs]) => [option, nps(xs)] as const).sort((a, b) => b[1] - a[1]);
    expect(ranked[0]![0]).toBe(HIGH_VALUE_CHANNEL);
    expect(ranked[0]![1]).toBeGreaterThanOrEqual(ranked[1]![1] + 5);
  });

  it("a customer's profile depends on their id alone, with every disposition and channel represented", () => {
    expect(customerProfile(7_000_000_042)).toEqual(customerProfile(7_000_000_042));
    const profiles = Array.from({ length: 2000 }, (_, i) => customerProfile(7_000_000_000 + i));
    const share = (test: (p: (typeof profiles)[number]) => boolean) => profiles.filter(test).length / profiles.length;
    expect(share((p) => p.disposition === "promoter")).toBeGreaterThan(0.4);
    expect(share((p) => p.disposition === "detractor")).toBeGreaterThan(0.15);
    expect(share((p) => p.channel === "friend")).toBeGreaterThan(0.15);
    expect(share((p) => p.channel === "friend")).toBeLessThan(0.25);
    expect(new Set(profiles.map((p) => p.channel))).toEqual(new Set(["search", "social", "friend", "ad"]));
  });
});
