import { delivery, random, type Delivery } from "./webhooks";

/**
 * A deterministic stream of order webhooks for several shops, as Shopify would send it: orders created, paid,
 * refunded in parts (with the order updated afterwards), cancelled; guest and test orders; some deliveries
 * slightly out of order and some delivered twice with the same webhook id. The same customer and order ids are
 * used in every shop. Alongside: what the stream means (the oracle), computed here independently of the app.
 */
export interface ScenarioOptions {
  shops: string[];
  customersPerShop: number;
  ordersPerCustomer: [min: number, max: number];
  seed: number;
  now?: number;
}

export interface ExpectedCustomer {
  /** Non-test, non-cancelled orders. */
  orderCount: number;
  /** Their totals, minor units. */
  grossMinor: number;
  /** Gross minus their refunds. */
  netMinor: number;
}

export interface Scenario {
  deliveries: Delivery[];
  /** Distinct orders per shop. */
  orders: Record<string, number>;
  /** Distinct refunds per shop. */
  refunds: Record<string, number>;
  /** Per shop, per customer id. */
  customers: Record<string, Record<string, ExpectedCustomer>>;
  /** Distinct webhook ids per shop. */
  webhookIds: Record<string, number>;
}

const DAY = 86_400_000;
const money = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
const iso = (ms: number) => new Date(ms).toISOString();

interface Timed {
  at: number;
  d: Delivery;
}

export function orderScenario(options: ScenarioOptions): Scenario {
  const rng = random(options.seed);
  const now = options.now ?? Date.now();
  const scenario: Scenario = { deliveries: [], orders: {}, refunds: {}, customers: {}, webhookIds: {} };

  for (const [shopIndex, shop] of options.shops.entries()) {
    const events: Timed[] = [];
    const customers: Record<string, ExpectedCustomer> = {};
    let orders = 0;
    let refunds = 0;
    for (let c = 1; c <= options.customersPerShop; c++) {
      const customerId = 9000 + c;
      const person = { id: customerId, first_name: `First${c}`, last_name: `Last${c}`, email: `customer${c}@example.com` };
      const count = rng.int(...options.ordersPerCustomer);
      for (let k = 1; k <= count; k++) {
        const id = 50_000 + c * 100 + k;
        const guest = rng.chance(0.08);
        const test = rng.chance(0.04);
        const cancelled = rng.chance(0.08);
        const totalMinor = rng.int(1500, 45_000);
        const placed = now - rng.int(10, 300) * DAY - rng.int(0, DAY - 1) - shopIndex * 1000;
        const order = (updatedAt: number, extra: Record<string, unknown>) => ({
          id,
          name: `#${id}`,
          created_at: iso(placed),
          processed_at: iso(placed),
          updated_at: iso(updatedAt),
          currency: "USD",
          total_price: money(totalMinor),
          financial_status: "paid",
          test,
          customer: guest ? null : person,
          line_items: [{ id: id * 10, product_id: 77, title: "Tee", quantity: 1, price: money(totalMinor) }],
          ...extra,
        });
        orders += 1;
        const paidLater = rng.chance(0.5);
        events.push({ at: placed, d: delivery(shop, "orders/create", order(placed, { financial_status: paidLater ? "pending" : "paid" })) });
        if (paidLater) events.push({ at: placed + 60_000, d: delivery(shop, "orders/paid", order(placed + 60_000, {})) });

        let refundedMinor = 0;
        if (cancelled) {
          const at = placed + DAY;
          events.push({ at, d: delivery(shop, "orders/cancelled", order(at, { cancelled_at: iso(at), financial_status: "voided" })) });
        } else {
          const parts = rng.chance(0.35) ? (rng.chance(0.4) ? 2 : 1) : 0;
          let last = placed;
          for (let r = 1; r <= parts; r++) {
            const amount = Math.floor((totalMinor * rng.int(10, 40)) / 100);
            refundedMinor += amount;
            last = placed + (r * 2 + 1) * DAY;
            const refund = {
              id: id * 10 + r,
              order_id: id,
              created_at: iso(last),
              transactions: [{ id: id * 100 + r, kind: "refund", status: "success", amount: money(amount), currency: "USD" }],
            };
            refunds += 1;
            events.push({ at: last, d: delivery(shop, "refunds/create", refund) });
          }
          if (parts) {
            const at = last + 60_000;
            events.push({ at, d: delivery(shop, "orders/updated", order(at, { financial_status: "partially_refunded" })) });
          }
        }
        if (!guest) {
          const facts = (customers[String(customerId)] ??= { orderCount: 0, grossMinor: 0, netMinor: 0 });
          if (!test && !cancelled) {
            facts.orderCount += 1;
            facts.grossMinor += totalMinor;
            facts.netMinor += totalMinor - refundedMinor;
          }
        }
      }
    }
    // Shopify's order, give or take: by event time, with some neighbours swapped and some deliveries repeated.
    events.sort((a, b) => a.at - b.at);
    const stream = events.map((e) => e.d);
    for (let i = 0; i + 1 < stream.length; i++) {
      if (rng.chance(0.15)) [stream[i], stream[i + 1]] = [stream[i + 1]!, stream[i]!];
    }
    for (let i = stream.length - 1; i >= 0; i--) {
      if (rng.chance(0.04)) stream.splice(rng.int(i + 1, stream.length), 0, stream[i]!);
    }
    scenario.deliveries.push(...stream);
    scenario.orders[shop] = orders;
    scenario.refunds[shop] = refunds;
    scenario.customers[shop] = customers;
    scenario.webhookIds[shop] = events.length;
  }
  // Interleave the shops, keeping each shop's own order.
  const byShop = options.shops.map((shop) => scenario.deliveries.filter((d) => d.shop === shop));
  const merged: Delivery[] = [];
  while (byShop.some((q) => q.length)) {
    const open = byShop.filter((q) => q.length);
    merged.push(open[rng.int(0, open.length - 1)]!.shift()!);
  }
  scenario.deliveries = merged;
  return scenario;
}
