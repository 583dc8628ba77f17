import type { SeedEvent } from "./seed-data";

/**
 * The demo shop's privacy request: one customers/data_request, as Shopify would send it, for a repeat customer of
 * the seeded history (the one with the most orders, lowest id on a tie), naming up to five of their orders. Pure and
 * deterministic: the same history gives the same request. prepare.server.ts records it through the compliance service.
 */
interface SeedDataRequest {
  webhookId: string;
  payload: {
    shop_id: number;
    shop_domain: string;
    orders_requested: number[];
    customer: { id: number; email: string | null; phone: null };
    data_request: { id: number };
  };
}

interface OrderPayload {
  id: number;
  customer?: { id: number; email?: string | null } | null;
}

export function planDemoDataRequest(events: readonly SeedEvent[], shop: string): SeedDataRequest | null {
  const orders = new Map<number, { email: string | null; orderIds: number[] }>();
  for (const event of events) {
    if (event.topic !== "orders/create") continue;
    const order = event.payload as unknown as OrderPayload;
    if (!order.customer) continue;
    const entry = orders.get(order.customer.id) ?? { email: order.customer.email ?? null, orderIds: [] };
    entry.orderIds.push(order.id);
    orders.set(order.customer.id, entry);
  }
  let chosen: [number, { email: string | null; orderIds: number[] }] | null = null;
  for (const candidate of orders) {
    if (!chosen || candidate[1].orderIds.length > chosen[1].orderIds.length || (candidate[1].orderIds.length === chosen[1].orderIds.length && candidate[0] < chosen[0])) {
      chosen = candidate;
    }
  }
  if (!chosen) return null;
  const [customerId, { email, orderIds }] = chosen;
  return {
    webhookId: `demo-data-request-${customerId}`,
    payload: {
      shop_id: 1,
      shop_domain: shop,
      orders_requested: orderIds.slice(0, 5),
      customer: { id: customerId, email, phone: null },
      data_request: { id: 880_000 + (customerId % 10_000) },
    },
  };
}
