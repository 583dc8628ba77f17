import { beforeAll, describe, expect, it } from "vitest";
import { presetRange, trendBuckets, trendGranularity, type RangePreset } from "~/domain/cx/date-range";
import { mostRefundedItems, returnFiguresByBucket, returnTotals } from "~/models/returns-figures.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as productsCreate } from "~/routes/webhooks.products.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { loadReturnFigures } from "~/services/return-figures.server";
import { restOrder, restRefund } from "../support/orders";
import { restProduct } from "../support/products";
import { callAction, signedWebhook } from "../support/webhooks";
import { mulberry32 as rng } from "~/demo/random";

// Return figures from real signed webhooks, compared with the same figures computed here, in plain TypeScript, from
// what was sent: orders by their placed day (not test, not cancelled), refunded amounts by the refund's day (orders
// not test and not cancelled), items by product or title. Another shop gets the same kind of history and never counts.

const SHOP = "returns-figures.myshopify.com";
const OTHER = "returns-figures-other.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;

const CATALOGUE = [
  { id: 701, title: "Linen Shirt", cents: 6800 },
  { id: 702, title: "Wool Socks", cents: 1800 },
  { id: 703, title: "Rain Jacket", cents: 13200 },
  { id: 704, title: "Canvas Tote", cents: 2400 },
  { id: null, title: "Gift wrap", cents: 450 },
] as const;

interface SentLine { id: number; productId: number | null; title: string; quantity: number; cents: number }
interface SentRefund { id: number; at: number; shopCents: number; lines: { lineId: number; productId: number | null; title: string; quantity: number; cents: number }[] }
interface SentOrder { shop: string; id: number; placedAt: number; totalCents: number; test: boolean; cancelled: boolean; lines: SentLine[]; refunds: SentRefund[] }

const sent: SentOrder[] = [];
const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
const iso = (ms: number) => new Date(ms).toISOString();
const deliver = (shop: string, action: typeof ordersCreate, topic: string, body: unknown) => callAction(action, signedWebhook({ topic, shop, body }));

beforeAll(async () => {
  for (const p of CATALOGUE) if (p.id) await deliver(SHOP, productsCreate, "products/create", restProduct({ id: p.id, title: p.title, tags: p.id === 702 ? "Final Sale" : "" }));
  const random = rng(11);
  let lineId = 50_000;
  let refundId = 80_000;
  // 140 orders over 420 days in SHOP, 30 in OTHER; every 12th a test order, every 15th cancelled (with a full refund);
  // a quarter refunded in part or whole 1–30 days later (some refunds after today, so outside every range); a few
  // refunds delivered before their order; a multi-currency order refunded in its presentment currency.
  for (let i = 0; i < 170; i++) {
    const shop = i < 140 ? SHOP : OTHER;
    const id = 10_000 + i;
    const placedAt = NOW.getTime() - Math.floor(random() * 420 * DAY);
    const lines: SentLine[] = [];
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const p = CATALOGUE[Math.floor(random() * CATALOGUE.length)]!;
      lines.push({ id: ++lineId, productId: p.id, title: p.title, quantity: 1 + Math.floor(random() * 3), cents: p.cents });
    }
    const totalCents = lines.reduce((sum, l) => sum + l.cents * l.quantity, 0);
    const order: SentOrder = { shop, id, placedAt, totalCents, test: i % 12 === 5, cancelled: i % 15 === 7, lines, refunds: [] };
    const refunded = order.cancelled || random() < 0.25;
    if (refunded) {
      const at = placedAt + (1 + Math.floor(random() * 30)) * DAY + 3_600_000;
      const returned = order.cancelled ? lines : lines.filter(() => random() < 0.6).slice(0, 2);
      const refundLines = (returned.length ? returned : [lines[0]!]).map((l) => ({ lineId: l.id, productId: l.productId, title: l.title, quantity: order.cancelled ? l.quantity : 1, cents: l.cents * (order.cancelled ? l.quantity : 1) }));
      order.refunds.push({ id: ++refundId, at, shopCents: refundLines.reduce((s, l) => s + l.cents, 0), lines: refundLines });
      if (!order.cancelled && random() < 0.3) {
        // A second, amount-only refund (e.g. shipping) of the same order.
        order.refunds.push({ id: ++refundId, at: at + 2 * DAY, shopCents: 500, lines: [] });
      }
    }
    sent.push(order);
  }

  const multiCurrency = sent.find((o) => o.shop === SHOP && !o.test && !o.cancelled && o.refunds.length === 0 && o.placedAt > NOW.getTime() - 20 * DAY)!;
  for (const order of sent) {
    const body = (at: number) =>
      restOrder({
        id: order.id,
        created_at: iso(order.placedAt),
        processed_at: iso(order.placedAt),
        updated_at: iso(at),
        test: order.test,
        cancelled_at: order.cancelled ? iso(order.refunds[0]!.at) : null,
        total_price: money(order.totalCents),
        line_items: order.lines.map((l) => ({ id: l.id, product_id: l.productId, title: l.title, quantity: l.quantity, price: money(l.cents) })),
        ...(order === multiCurrency
          ? { presentment_currency: "EUR", total_price_set: { shop_money: { amount: money(order.totalCents), currency_code: "USD" }, presentment_money: { amount: money(Math.round(order.totalCents * 0.9)), currency_code: "EUR" } } }
          : {}),
      });
    const refundBodies = order.refunds.map((r) =>
      restRefund({
        id: r.id,
        order_id: order.id,
        created_at: iso(r.at),
        transactions: [{ id: r.id * 10, kind: "refund", status: "success", amount: money(r.shopCents), currency: "USD" }],
        refund_line_items: r.lines.map((l) => ({ line_item_id: l.lineId, quantity: l.quantity, subtotal: money(l.cents), line_item: { id: l.lineId, product_id: l.productId, title: l.title } })),
      }),
    );
    const refundFirst = order.id % 9 === 0;
    if (!refundFirst) expect((await deliver(order.shop, ordersCreate, "orders/create", body(order.placedAt))).status).toBe(200);
    for (const refund of refundBodies) expect((await deliver(order.shop, refundsCreate, "refunds/create", refund)).status).toBe(200);
    if (refundFirst) expect((await deliver(order.shop, ordersCreate, "orders/create", body(order.placedAt))).status).toBe(200);
    if (order.cancelled) expect((await deliver(order.shop, ordersUpdated, "orders/updated", body(order.refunds[0]!.at + 1000))).status).toBe(200);
  }
  // The multi-currency order: refunded 20.00 EUR of a 90 %-priced EUR total, i.e. in shop money 20.00 * total / presentment total.
  const presentmentCents = Math.round(multiCurrency.totalCents * 0.9);
  const at = multiCurrency.placedAt + 2 * DAY;
  const shopCents = Math.floor((2000 * multiCurrency.totalCents * 2 + presentmentCents) / (presentmentCents * 2));
  multiCurrency.refunds.push({ id: 99_999, at, shopCents, lines: [] });
  const eurRefund = restRefund({ id: 99_999, order_id: multiCurrency.id, created_at: iso(at), transactions: [{ id: 1, kind: "refund", status: "success", amount: "20.00", currency: "EUR" }] });
  expect((await deliver(SHOP, refundsCreate, "refunds/create", eurRefund)).status).toBe(200);
}, 120_000);

// ---- the same figures, computed from what was sent ------------------------------------------------------------

const inShop = () => sent.filter((o) => o.shop === SHOP);
const live = (o: SentOrder) => !o.test && !o.cancelled;

function expectedTotals(from: number, to: number) {
  const placed = inShop().filter((o) => live(o) && o.placedAt >= from && o.placedAt < to);
  const refunds = inShop().filter(live).flatMap((o) => o.refunds).filter((r) => r.at >= from && r.at < to);
  return {
    orders: placed.length,
    refundedOrders: placed.filter((o) => o.refunds.length > 0).length,
    grossMinor: placed.reduce((s, o) => s + o.totalCents, 0),
    refundedMinor: refunds.reduce((s, r) => s + r.shopCents, 0),
  };
}

function expectedTopItems(from: number, to: number) {
  const items = new Map<string, { productId: string | null; title: string; quantity: number; refundedMinor: number; orders: Set<number> }>();
  for (const order of inShop().filter(live)) {
    for (const refund of order.refunds.filter((r) => r.at >= from && r.at < to)) {
      for (const line of refund.lines) {
        const key = line.productId === null ? `title:${line.title}` : `product:${line.productId}`;
        const item = items.get(key) ?? { productId: line.productId === null ? null : String(line.productId), title: line.title, quantity: 0, refundedMinor: 0, orders: new Set<number>() };
        item.quantity += line.quantity;
        item.refundedMinor += line.cents;
        item.orders.add(order.id);
        items.set(key, item);
      }
    }
  }
  return [...items.values()]
    .map(({ orders, ...item }) => ({ ...item, orders: orders.size }))
    .sort((a, b) => b.quantity - a.quantity || b.refundedMinor - a.refundedMinor || a.title.localeCompare(b.title))
    .slice(0, 10);
}

describe("return figures", () => {
  it.each<RangePreset>(["7d", "30d", "90d", "12m"])("%s: per bucket, totals and the previous period equal the figures computed from what was sent", async (preset) => {
    const range = presetRange(preset, NOW);
    const granularity = trendGranularity(range);
    const buckets = trendBuckets(range, granularity);
    const bounds = buckets.map((b, i) => [b.start.getTime(), Math.min(buckets[i + 1]?.start.getTime() ?? range.to.getTime(), range.to.getTime())] as const);
    // A month bucket may start before the range: only the range's days count.
    const clipped = bounds.map(([from, to]) => [Math.max(from, range.from.getTime()), to] as const);

    const got = await returnFiguresByBucket(SHOP, range.from, range.to, granularity);
    const expected = buckets
      .map((b, i) => ({ bucket: b.key, ...expectedTotals(clipped[i]![0], clipped[i]![1]) }))
      .filter((b) => b.orders || b.refundedOrders || b.grossMinor || b.refundedMinor);
    expect(got).toEqual(expected);

    const figures = await loadReturnFigures(SHOP, new URLSearchParams({ range: preset }), NOW);
    expect(figures.totals).toEqual(expectedTotals(range.from.getTime(), range.to.getTime()));
    expect(figures.previous).toEqual(expectedTotals(range.previousFrom.getTime(), range.previousTo.getTime()));
    expect(figures.buckets.map((b) => b.label)).toEqual(buckets.map((b) => b.label));
    expect(figures.buckets.reduce((s, b) => s + b.orders, 0)).toBe(figures.totals.orders);
    expect(figures.buckets.reduce((s, b) => s + b.refundedMinor, 0)).toBe(figures.totals.refundedMinor);
    expect(figures.topItems).toEqual(expectedTopItems(range.from.getTime(), range.to.getTime()));
    expect(figures).toMatchObject({ granularity, currency: "USD", range: { preset, error: null } });
  });

  it("are not empty: the comparison runs on real data", async () => {
    const year = presetRange("12m", NOW);
    const totals = await returnTotals(SHOP, year.from, year.to);
    expect(totals.orders).toBeGreaterThan(50);
    expect(totals.refundedOrders).toBeGreaterThan(5);
    expect(totals.refundedMinor).toBeGreaterThan(0);
    expect((await mostRefundedItems(SHOP, year.from, year.to)).length).toBeGreaterThanOrEqual(4);
  });

  it("a custom range and the top items' limit", async () => {
    const from = new Date("2026-01-01T00:00:00Z");
    const to = new Date("2026-07-01T00:00:00Z");
    expect(await returnTotals(SHOP, from, to)).toEqual(expectedTotals(from.getTime(), to.getTime()));
    expect(await mostRefundedItems(SHOP, from, to, 2)).toEqual(expectedTopItems(from.getTime(), to.getTime()).slice(0, 2));
    const figures = await loadReturnFigures(SHOP, new URLSearchParams({ from: "2026-01-01", to: "2026-06-30" }), NOW);
    expect(figures.totals).toEqual(expectedTotals(from.getTime(), to.getTime()));
    expect(figures.range).toMatchObject({ preset: "custom", from: "2026-01-01", to: "2026-06-30", previousFrom: "2025-07-04", previousTo: "2025-12-31" });
  });

  it("count another shop's rows only for that shop", async () => {
    const all = { from: new Date(NOW.getTime() - 500 * DAY), to: new Date(NOW.getTime() + 60 * DAY) };
    const other = sent.filter((o) => o.shop === OTHER && live(o));
    expect(await returnTotals(OTHER, all.from, all.to)).toEqual({
      orders: other.length,
      refundedOrders: other.filter((o) => o.refunds.length).length,
      grossMinor: other.reduce((s, o) => s + o.totalCents, 0),
      refundedMinor: other.flatMap((o) => o.refunds).reduce((s, r) => s + r.shopCents, 0),
    });
    expect(await returnTotals(SHOP, all.from, all.to)).toEqual(expectedTotals(all.from.getTime(), all.to.getTime()));
    expect(await returnTotals("returns-figures-nobody.myshopify.com", all.from, all.to)).toEqual({ orders: 0, refundedOrders: 0, grossMinor: 0, refundedMinor: 0 });
  });
});
