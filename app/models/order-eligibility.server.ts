import { readSql } from "~/db.server";

/**
 * The facts return eligibility judges an order by (app/domain/returns): its dates, and per line what was bought,
 * how much of it was refunded already, and its product's tags (final-sale exceptions). Two queries for any number
 * of orders: the orders, then all their lines with the refunded quantities and tags joined in. Read on the read
 * connection (committed data only), as the admin pages read.
 */
interface EligibilityLine {
  id: string;
  productId: string | null;
  title: string;
  quantity: number;
  /** Unit price before discounts, shop-currency minor units. */
  priceMinor: number;
  /** Units of this line given back in refunds so far. */
  refundedQuantity: number;
  /** The product's tags, lowercase (also of a deleted product); empty when the product is unknown. */
  productTags: string[];
}

interface OrderForEligibility {
  id: string;
  placedAt: Date;
  fulfilledAt: Date | null;
  deliveredAt: Date | null;
  cancelled: boolean;
  /** Shop currency of the amounts. */
  currency: string;
  lineItems: EligibilityLine[];
}

/** Orders per round trip: each chunk is one array parameter (`= ANY($2::text[])`), kept modest. */
const CHUNK = 500;

/** An order as the first query reads it (cancelled as its instant). */
type OrderRow = Omit<OrderForEligibility, "cancelled" | "lineItems"> & { cancelledAt: Date | null };

/** A line as the second query reads it (its order, and the product's tags as stored JSON). */
type LineRow = Omit<EligibilityLine, "productTags"> & { orderId: string; tags: string | null };

function parseTags(json: string | null): string[] {
  if (!json) return [];
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : [];
}

async function loadChunk(shop: string, orderIds: string[]): Promise<OrderForEligibility[]> {
  const orders = await readSql().$queryRaw<OrderRow[]>`
    SELECT "id", "placedAt", "fulfilledAt", "deliveredAt", "cancelledAt", "currency"
    FROM "Order" WHERE "shop" = ${shop} AND "id" = ANY(${orderIds}::text[])`;
  if (orders.length === 0) return [];
  // Lines in the order of their Shopify ids (digits: shorter first, then by text, i.e. numerically), which is the
  // order Shopify numbers them in; the table keeps no insertion order.
  const lines = await readSql().$queryRaw<LineRow[]>`
    SELECT l."orderId", l."id", l."productId", l."title", l."quantity", l."priceMinor",
      COALESCE((SELECT SUM(r."quantity") FROM "RefundLineItem" r
        WHERE r."shop" = l."shop" AND r."orderId" = l."orderId" AND r."lineItemId" = l."id"), 0) AS "refundedQuantity",
      p."tags"
    FROM "OrderLineItem" l
    LEFT JOIN "Product" p ON p."shop" = l."shop" AND p."id" = l."productId"
    WHERE l."shop" = ${shop} AND l."orderId" = ANY(${orderIds}::text[])
    ORDER BY l."orderId", length(l."id"), l."id"`;
  const byOrder = new Map<string, EligibilityLine[]>();
  for (const line of lines) {
    const list = byOrder.get(line.orderId) ?? [];
    list.push({
      id: line.id,
      productId: line.productId,
      title: line.title,
      quantity: Number(line.quantity),
      priceMinor: Number(line.priceMinor),
      refundedQuantity: Number(line.refundedQuantity),
      productTags: parseTags(line.tags),
    });
    byOrder.set(line.orderId, list);
  }
  return orders.map((o) => ({
    id: o.id,
    placedAt: o.placedAt,
    fulfilledAt: o.fulfilledAt,
    deliveredAt: o.deliveredAt,
    cancelled: o.cancelledAt !== null,
    currency: o.currency,
    lineItems: byOrder.get(o.id) ?? [],
  }));
}

/** The eligibility facts of several orders of `shop` (e.g. a customer's), in the order of `orderIds`; unknown ids are left out. */
export async function ordersForEligibility(shop: string, orderIds: string[]): Promise<OrderForEligibility[]> {
  const unique = [...new Set(orderIds)];
  const found = new Map<string, OrderForEligibility>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    for (const order of await loadChunk(shop, unique.slice(i, i + CHUNK))) found.set(order.id, order);
  }
  return unique.flatMap((id) => found.get(id) ?? []);
}
