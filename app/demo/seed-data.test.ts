import { describe, expect, it } from "vitest";
import { toMinorUnits } from "~/domain/money";
import { parseOrderPayload, RestOrderSchema, RestRefundSchema } from "~/domain/orders/order-payload";
import { parseRefundPayload } from "../../tests/support/orders";
import { parseProductPayload, RestProductSchema } from "~/domain/products/product-payload";
import { generateDemoHistory, type SeedEvent, type SeedOptions } from "./seed-data";

const DAY = 24 * 60 * 60 * 1000;
const now = new Date("2026-05-01T12:34:56.789Z");

interface OrderLike {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
  currency: string;
  presentment_currency: string;
  total_price: string;
  total_price_set: {
    shop_money: { amount: string; currency_code: string };
    presentment_money: { amount: string; currency_code: string };
  };
  test: boolean;
  customer: { id: number; email: string } | null;
  line_items: { id: number; quantity: number; price: string }[];
}
interface RefundLike {
  id: number;
  order_id: number;
  created_at: string;
  transactions: { amount: string; currency: string }[];
}

const cents = (amount: string) => toMinorUnits(amount, "USD");
const creates = (events: SeedEvent[]) =>
  events.filter((e) => e.topic === "orders/create").map((e) => e.payload as unknown as OrderLike);
const refunds = (events: SeedEvent[]) =>
  events.filter((e) => e.topic === "refunds/create").map((e) => e.payload as unknown as RefundLike);

function ordersByCustomer(events: SeedEvent[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const order of creates(events)) {
    if (order.customer) counts.set(order.customer.id, (counts.get(order.customer.id) ?? 0) + 1);
  }
  return counts;
}

const small: SeedOptions = { now, seed: 7, orders: 200, customers: 60, days: 90 };
const defaults: SeedOptions = { now };
const runs: [string, SeedOptions, { orders: number; customers: number; days: number }][] = [
  ["small options", small, { orders: 200, customers: 60, days: 90 }],
  ["default options", defaults, { orders: 3000, customers: 350, days: 200 }],
];
const cache = new Map<SeedOptions, SeedEvent[]>();
const history = (options: SeedOptions) => {
  const cached = cache.get(options) ?? generateDemoHistory(options);
  cache.set(options, cached);
  return cached;
};

describe("generateDemoHistory determinism", () => {
  it("gives deep-equal output for the same options", () => {
    expect(generateDemoHistory({ ...small })).toEqual(generateDemoHistory({ ...small }));
  });

  it("gives a different history for a different seed", () => {
    const a = generateDemoHistory(small);
    const b = generateDemoHistory({ ...small, seed: 8 });
    expect(a.map((e) => e.webhookId)).not.toEqual(b.map((e) => e.webhookId));
  });
});

describe.each(runs)("generateDemoHistory with %s", (_label, options, expected) => {
  it("places exactly the requested orders, from at most the requested customers", () => {
    const events = history(options);
    expect(creates(events)).toHaveLength(expected.orders);
    expect(ordersByCustomer(events).size).toBeLessThanOrEqual(expected.customers);
    expect(ordersByCustomer(events).size).toBeGreaterThan(0);
  });

  it("emits payloads the REST schemas accept", () => {
    const rejected = history(options).flatMap((event) => {
      const schema = event.topic === "refunds/create" ? RestRefundSchema : event.topic.startsWith("products/") ? RestProductSchema : RestOrderSchema;
      const result = schema.safeParse(event.payload);
      return result.success ? [] : [{ topic: event.topic, issues: result.error.issues }];
    });
    expect(rejected).toEqual([]);
  });

  it("makes every total the exact sum of its lines, in shop and presentment money", () => {
    const wrong = creates(history(options)).filter((order) => {
      const sum = order.line_items.reduce((total, li) => total + cents(li.price) * li.quantity, 0);
      const { shop_money: shop, presentment_money: presentment } = order.total_price_set;
      return (
        cents(order.total_price) !== sum ||
        order.line_items.length < 1 ||
        order.line_items.length > 4 ||
        order.currency !== "USD" ||
        shop.amount !== order.total_price ||
        shop.currency_code !== "USD" ||
        presentment.currency_code !== order.presentment_currency ||
        !["USD", "EUR", "CAD"].includes(order.presentment_currency)
      );
    });
    expect(wrong).toEqual([]);
  });

  it("never refunds more than the order total, and only after the order", () => {
    const events = history(options);
    const orders = new Map(creates(events).map((o) => [o.id, o]));
    const refunded = new Map<number, number>();
    const wrong = refunds(events).filter((refund) => {
      const order = orders.get(refund.order_id);
      if (!order) return true;
      const amount = refund.transactions.reduce((total, t) => total + cents(t.amount), 0);
      refunded.set(order.id, (refunded.get(order.id) ?? 0) + amount);
      const gap = Date.parse(refund.created_at) - Date.parse(order.created_at);
      const over = (refunded.get(order.id) ?? 0) > cents(order.total_price);
      return amount <= 0 || over || gap < 2 * DAY || gap > 20 * DAY;
    });
    expect(wrong).toEqual([]);
    expect(refunded.size).toBeGreaterThan(0);
  });

  it("keeps every date within [now - days, now]", () => {
    const from = now.getTime() - expected.days * DAY;
    const inWindow = (ms: number) => ms >= from && ms <= now.getTime();
    const outside = history(options).flatMap((event) => {
      const stamps = ["created_at", "updated_at", "processed_at", "cancelled_at"]
        .map((key) => event.payload[key])
        .filter((value): value is string => typeof value === "string");
      return [event.at.toISOString(), ...stamps].filter((stamp) => !inWindow(Date.parse(stamp)));
    });
    expect(outside).toEqual([]);
  });

  it("has repeat buyers and guest orders", () => {
    const events = history(options);
    expect(Math.max(...ordersByCustomer(events).values())).toBeGreaterThanOrEqual(5);
    expect(creates(events).some((o) => o.customer === null)).toBe(true);
  });

  it("gives every event a unique UUID-shaped webhook id", () => {
    const ids = history(options).map((e) => e.webhookId);
    expect(new Set(ids).size).toBe(ids.length);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(ids.filter((id) => !uuid.test(id))).toEqual([]);
  });

  it("sorts events by time, with names and ids increasing with time", () => {
    const events = history(options);
    const times = events.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const orders = creates(events);
    expect(orders.map((o) => o.name)).toEqual(orders.map((_, i) => `#${1001 + i}`));
    const orderIds = orders.map((o) => o.id);
    expect(orderIds.every((id, i) => i === 0 || id > (orderIds[i - 1] ?? Infinity))).toBe(true);
    const lineIds = orders.flatMap((o) => o.line_items.map((li) => li.id));
    expect(new Set(lineIds).size).toBe(lineIds.length);
  });

  it("emits order updates after their order and before now", () => {
    const events = history(options);
    const placed = new Map(creates(events).map((o) => [o.id, Date.parse(o.created_at)]));
    const updates = events.filter((e) => e.topic === "orders/updated");
    const wrong = updates.filter((event) => {
      const order = event.payload as unknown as OrderLike;
      const at = event.at.getTime();
      return Date.parse(order.updated_at) !== at || !(at > (placed.get(order.id) ?? Infinity));
    });
    expect(updates.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });
});

describe("generateDemoHistory at the defaults looks like a real shop", () => {
  const events = () => history(defaults);

  it("mixes one-off, occasional and loyal buyers", () => {
    const counts = [...ordersByCustomer(events()).values()];
    const once = counts.filter((n) => n === 1).length;
    const occasional = counts.filter((n) => n >= 2 && n <= 5).length;
    const loyal = counts.filter((n) => n >= 10).length;
    expect(once / counts.length).toBeGreaterThan(0.25);
    expect(occasional / counts.length).toBeGreaterThan(0.15);
    expect(loyal).toBeGreaterThanOrEqual(3);
  });

  it("has roughly the advertised rates of guests, foreign currency, refunds, updates and test orders", () => {
    const orders = creates(events());
    const rate = (n: number) => n / orders.length;
    const byTopic = (topic: SeedEvent["topic"]) => events().filter((e) => e.topic === topic).length;
    expect(rate(orders.filter((o) => o.customer === null).length)).toBeCloseTo(0.06, 2);
    expect(rate(orders.filter((o) => o.presentment_currency !== "USD").length)).toBeGreaterThan(0.05);
    expect(rate(orders.filter((o) => o.presentment_currency !== "USD").length)).toBeLessThan(0.11);
    expect(rate(byTopic("refunds/create"))).toBeGreaterThan(0.05);
    expect(rate(byTopic("refunds/create"))).toBeLessThan(0.09);
    expect(rate(byTopic("orders/updated"))).toBeGreaterThan(0.03);
    expect(rate(byTopic("orders/updated"))).toBeLessThan(0.08);
    expect(orders.some((o) => o.test)).toBe(true);
    const cancelled = events().filter((e) => e.topic === "orders/updated" && e.payload.cancelled_at);
    expect(cancelled.length).toBeGreaterThan(0);
  });

  it("is busier in recent months than at the start", () => {
    const placed = creates(events()).map((o) => Date.parse(o.created_at));
    const mid = now.getTime() - 100 * DAY;
    expect(placed.filter((t) => t >= mid).length).toBeGreaterThan(placed.filter((t) => t < mid).length);
  });
});

describe("generateDemoHistory: what return eligibility and the return figures need", () => {
  const events = () => history(defaults);
  const end = now.getTime();
  const latest = (list: SeedEvent[]) => {
    const byId = new Map<number, ReturnType<typeof parseOrderPayload>>();
    for (const e of list.filter((e) => e.topic.startsWith("orders/"))) {
      const facts = parseOrderPayload(e.payload);
      const seen = byId.get(Number(facts.id));
      if (!seen || seen.updatedAt <= facts.updatedAt) byId.set(Number(facts.id), facts);
    }
    return [...byId.values()];
  };

  it("creates the catalogue before the first order, with tags, a few of them final sale, and a clearance later", () => {
    const products = events().filter((e) => e.topic === "products/create");
    const firstOrder = events().find((e) => e.topic === "orders/create")!;
    expect(products).toHaveLength(20);
    expect(products.every((p) => p.at <= firstOrder.at)).toBe(true);
    const parsed = products.map((p) => parseProductPayload(p.payload));
    expect(parsed.every((p) => p.tags.length > 0)).toBe(true);
    const finalSale = parsed.filter((p) => p.tags.includes("final sale") || p.tags.includes("final-sale"));
    expect(finalSale.length).toBeGreaterThanOrEqual(2);
    expect(finalSale.length).toBeLessThanOrEqual(5);
    const updates = events().filter((e) => e.topic === "products/update").map((e) => parseProductPayload(e.payload));
    expect(updates).toEqual([expect.objectContaining({ title: "Striped Breton Top", tags: ["clearance", "final sale", "tops"] })]);
    // Every ordered product is in the catalogue.
    const ids = new Set(parsed.map((p) => p.id));
    expect(creates(events()).flatMap((o) => o.line_items).every((li) => ids.has(String((li as { product_id?: number }).product_id)))).toBe(true);
  });

  it("ships and delivers most orders, in order and before now; recent ones are still on their way; cancelled ones never ship", () => {
    const orders = latest(events()).filter((o) => !o.test);
    const wrong = orders.filter(
      (o) =>
        (o.fulfilledAt && (o.fulfilledAt < o.placedAt || o.fulfilledAt.getTime() > end)) ||
        (o.deliveredAt && (!o.fulfilledAt || o.deliveredAt < o.fulfilledAt || o.deliveredAt.getTime() > end)) ||
        (o.cancelledAt && o.fulfilledAt),
    );
    expect(wrong).toEqual([]);
    const share = (n: number) => n / orders.length;
    expect(share(orders.filter((o) => o.deliveredAt).length)).toBeGreaterThan(0.85);
    const recent = orders.filter((o) => end - o.placedAt.getTime() < 3 * DAY);
    expect(recent.some((o) => o.fulfilledAt === null)).toBe(true);
    expect(recent.some((o) => o.fulfilledAt !== null && o.deliveredAt === null)).toBe(true);
    // A few older ones shipped without tracking, so never seen delivered.
    expect(orders.filter((o) => end - o.placedAt.getTime() > 30 * DAY && o.fulfilledAt && !o.deliveredAt).length).toBeGreaterThan(10);
  });

  it("every version of an order carries the same fulfilments", () => {
    const byId = new Map<number, string>();
    const differing = events()
      .filter((e) => e.topic.startsWith("orders/"))
      .filter((e) => {
        const key = JSON.stringify(e.payload.fulfillments);
        const seen = byId.get(e.payload.id as number);
        byId.set(e.payload.id as number, key);
        return seen !== undefined && seen !== key;
      });
    expect(differing).toEqual([]);
  });

  it("refunds give back lines of their order, at what they sold for, delivered first; final-sale goods only when cancelled", () => {
    const list = events();
    const orders = new Map(creates(list).map((o) => [o.id, o]));
    const finalSale = new Set(
      list
        .filter((e) => e.topic === "products/create")
        .map((e) => parseProductPayload(e.payload))
        .filter((p) => p.tags.some((t) => t === "final sale" || t === "final-sale"))
        .map((p) => p.id),
    );
    const placedAt = new Map(latest(list).map((o) => [o.id, o]));
    let withLines = 0;
    let goodwill = 0;
    const wrong = list
      .filter((e) => e.topic === "refunds/create")
      .filter((e) => {
        const refund = parseRefundPayload(e.payload);
        const order = orders.get(Number(refund.orderId))!;
        const facts = placedAt.get(refund.orderId)!;
        if (refund.lineItems.length === 0) {
          goodwill += 1;
          return false;
        }
        withLines += 1;
        const cancel = (e.payload.refund_line_items as { restock_type: string }[]).every((l) => l.restock_type === "cancel");
        const linesOk = refund.lineItems.every((rl) => {
          const line = order.line_items.find((li) => String(li.id) === rl.lineItemId) as ({ quantity: number; price: string; product_id: number } | undefined);
          return line && rl.quantity >= 1 && rl.quantity <= line.quantity && rl.subtotalMinor === cents(line.price) * rl.quantity && (cancel || !finalSale.has(String(line.product_id)));
        });
        const sum = refund.lineItems.reduce((total, rl) => total + rl.subtotalMinor, 0);
        const deliveredFirst = cancel || (facts.deliveredAt !== null && facts.deliveredAt < refund.createdAt);
        return !linesOk || sum !== refund.amountMinor || !deliveredFirst;
      });
    expect(wrong).toEqual([]);
    expect(withLines).toBeGreaterThan(150);
    expect(goodwill).toBeGreaterThan(0);
  });
});
