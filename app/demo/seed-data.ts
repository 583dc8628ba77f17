/**
 * A realistic, deterministic demo shop history, as the Shopify REST webhook payloads Afterglow ingests:
 * products/create and products/update (the catalogue and its tags, a few "final-sale"), orders/create,
 * orders/updated and refunds/create (with the refunded lines). Pure: no I/O, no clock, no Math.random. The same
 * options always give the same events. Amounts are computed in integer cents and only then written as decimal
 * strings.
 *
 * Fulfilments ride on each order's payloads as they stand at `now` (shipped a day or two after the order,
 * delivered days later; recent orders still unshipped or in transit; a few shipped without tracking, so never
 * seen delivered). A real shop sends them in later orders/updated deliveries; folding them in keeps one event per
 * order, so the seed's size and run time stay as they were, and the stored facts are the same.
 *
 * The history tells the story of seed-story.ts: promoters order more often, detractors' orders bunch up early (they
 * churn), customers sent by a friend buy the pricier pieces, and refunds cluster on two products that run small.
 */
import { minorToDecimal } from "~/domain/money";
import type { RestFulfillment, RestOrder, RestRefund } from "~/domain/orders/order-payload";
import type { RestProduct } from "~/domain/products/product-payload";
import { mulberry32, type Rng } from "./random";
import { appetite, customerProfile, HIGH_VALUE_CHANNEL, OFTEN_REFUNDED, type Disposition } from "./seed-story";

type SeedTopic = "products/create" | "products/update" | "orders/create" | "orders/updated" | "refunds/create";

export interface SeedEvent {
  topic: SeedTopic;
  webhookId: string;
  payload: Record<string, unknown>;
  /** When it happened. */
  at: Date;
}

export interface SeedOptions {
  now: Date;
  seed?: number;
  /** Customers to draw buyers from (default 350); small order counts may use fewer. */
  customers?: number;
  /** Orders to place (default 3000), exactly. */
  orders?: number;
  /** How far back the history reaches (default 200 days). */
  days?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const FIRST_NAMES = [
  "Emma", "Liam", "Sofia", "Mateo", "Aiko", "Hiroshi", "Priya", "Arjun", "Chidi", "Amara", "Olga", "Dmitri",
  "Fatima", "Omar", "Wei", "Mei", "Lars", "Ingrid", "Siobhan", "Declan", "Kofi", "Ama", "Santiago", "Lucía",
  "Noah", "Chloé", "Leila", "Yusuf", "Minh", "Linh", "Rafael", "Ana", "Tomasz", "Zofia", "Kwame", "Isabella",
  "Ethan", "Maya", "Jonas", "Freya",
] as const;

const LAST_NAMES = [
  "Smith", "García", "Nakamura", "Patel", "Okafor", "Ivanova", "Haddad", "Chen", "Johansson", "O'Brien",
  "Mensah", "Rodríguez", "Müller", "Nguyen", "Silva", "Kowalski", "Kim", "Rossi", "Dubois", "Schmidt",
  "Yamamoto", "Sharma", "Adeyemi", "Petrov", "Khan", "Wang", "Larsen", "Murphy", "Asante", "Fernández",
  "Brown", "Cohen", "Tanaka", "Novak", "Moreau", "Williams",
] as const;

/**
 * Best sellers first: picks lean towards the start of the list. Tags as the merchant typed them (Shopify keeps
 * their case); socks, tank tops and card wallets are final sale.
 */
const CATALOGUE = [
  ["Organic Cotton Tee", 2800, "Tops, Organic"], ["Everyday Crew Socks", 1800, "Accessories, Final Sale"],
  ["Linen Button-Down Shirt", 6800, "Tops, Summer"], ["Merino Beanie", 3200, "Accessories, Winter"],
  ["Relaxed Fit Chinos", 7800, "Bottoms"], ["Recycled Canvas Tote", 2400, "Accessories, Recycled"],
  ["Heavyweight Hoodie", 8400, "Tops, Winter"], ["Waffle Knit Henley", 5400, "Tops"],
  ["Ribbed Tank Top", 2200, "Tops, Summer, final-sale"], ["Selvedge Denim Jeans", 12800, "Bottoms, Denim"],
  ["Wool Blend Overshirt", 11800, "Outerwear, Winter"], ["Cashmere Scarf", 9600, "Accessories, Winter"],
  ["Quilted Vest", 10400, "Outerwear"], ["Trail Runner Sneakers", 14000, "Footwear"],
  ["Leather Card Wallet", 4800, "Accessories, Final Sale, Gift"], ["Bamboo Lounge Pants", 5800, "Bottoms, Loungewear"],
  ["Striped Breton Top", 4600, "Tops"], ["Packable Rain Jacket", 13200, "Outerwear"],
  ["Corduroy Bucket Hat", 3400, "Accessories"], ["Alpaca Crewneck Sweater", 12400, "Tops, Winter"],
].map(([title, cents, tags], i) => ({
  id: 8_100_000_000_000 + i * 7_919,
  title: String(title),
  cents: Number(cents),
  tags: String(tags),
  finalSale: /final[ -]sale/i.test(String(tags)),
}));

/** The products most refunds are for (seed-story.ts). */
const OFTEN_REFUNDED_IDS = new Set(CATALOGUE.filter((p) => (OFTEN_REFUNDED as readonly string[]).includes(p.title)).map((p) => p.id));
/** The pieces a high-value customer leans towards: the catalogue's from $96 up, but for the two that run small. */
const PREMIUM = CATALOGUE.filter((p) => p.cents >= 9600 && !OFTEN_REFUNDED_IDS.has(p.id));

/** Halfway through the history the Breton top goes on clearance: final sale from then on. */
const CLEARANCE = { title: "Striped Breton Top", tags: "Tops, Clearance, Final Sale" } as const;

/** Presentment currencies other than the shop's, with a fixed rate per 100 USD cents. */
const PRESENTMENT = [
  { code: "EUR", per100: 92 },
  { code: "CAD", per100: 137 },
] as const;

const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));

function pick<T>(rng: Rng, items: readonly T[], skew = 1): T {
  const item = items[Math.floor(rng() ** skew * items.length)];
  if (item === undefined) throw new Error("cannot pick from an empty list");
  return item;
}

const money = (cents: number) => minorToDecimal(cents, "USD");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const slug = (s: string) => s.normalize("NFD").toLowerCase().replace(/[^a-z]/g, "");

function uuid(rng: Rng, seen: Set<string>): string {
  for (;;) {
    const hex = Array.from({ length: 4 }, () => Math.floor(rng() * 2 ** 32).toString(16).padStart(8, "0")).join("");
    const variant = "89ab".charAt(int(rng, 0, 3));
    const id =
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
    if (!seen.has(id)) {
      seen.add(id);
      return id;
    }
  }
}

/**
 * Orders per customer: many buy once, a good share 2–5 times, a few loyal ones 10+ times; promoters come back most,
 * detractors least (seed-story.ts). Customers are taken in turn until `target` orders are spoken for; if all are
 * taken and orders remain, the extra orders go to repeat buyers in proportion to their appetite, so one-off buyers
 * stay one-off.
 */
function ordersPerCustomer(rng: Rng, dispositions: readonly Disposition[], target: number): number[] {
  const counts: number[] = [];
  let total = 0;
  for (let i = 0; i < dispositions.length && total < target; i++) {
    const wants = appetite(dispositions[i]!, rng(), (min, max) => int(rng, min, max));
    const n = Math.min(wants, target - total);
    counts.push(n);
    total += n;
  }
  if (counts.length === 0) return counts;
  const weights = counts.map((n) => (n > 1 ? n : 0));
  if (!weights.some((w) => w > 0)) weights.fill(1);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  for (; total < target; total++) {
    let r = rng() * weightSum;
    let i = 0;
    while (i < weights.length - 1 && r >= (weights[i] ?? 0)) r -= weights[i++] ?? 0;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

type Line = { id: number; product_id: number; title: string; quantity: number; price: string };
type CatalogueItem = (typeof CATALOGUE)[number];

/**
 * The order's fulfilments as they stand at `endMs`: shipped 4–40 hours after the order and delivered 1–6 days later
 * (a returned order: delivered before its refund); nothing yet for an order too recent, in transit when the
 * delivery is still ahead, and 3 % of the others shipped without tracking (never seen delivered). Cancelled orders
 * never ship.
 */
function fulfilmentsOf(extra: Rng, placed: number, endMs: number, refundAt: number | null, cancelled: boolean, ids: { next: number }): RestFulfillment[] {
  if (cancelled) return [];
  const shipped = placed + Math.floor((4 + extra() * 36) * HOUR / SECOND) * SECOND;
  if (shipped > endMs || (refundAt !== null && shipped >= refundAt)) return [];
  // Returned parcels were tracked (the refund followed their delivery).
  const untracked = extra() < 0.03 && refundAt === null;
  const deliveredAt =
    refundAt !== null
      ? shipped + Math.floor(((refundAt - shipped) * (0.3 + extra() * 0.5)) / SECOND) * SECOND
      : shipped + Math.floor(((1 + extra() * 5) * DAY) / SECOND) * SECOND;
  ids.next += int(extra, 1, 97);
  const base = { id: ids.next, status: "success", created_at: iso(shipped), tracking_company: untracked ? null : "UPS" };
  if (untracked) return [{ ...base, updated_at: iso(shipped), shipment_status: null }];
  if (deliveredAt > endMs) {
    const lastScan = Math.min(endMs, shipped + Math.floor((12 * HOUR) / SECOND) * SECOND);
    return [{ ...base, updated_at: iso(lastScan), shipment_status: "in_transit" }];
  }
  return [{ ...base, updated_at: iso(deliveredAt), shipment_status: "delivered" }];
}

/**
 * What a refund gives back: a cancellation returns everything; a return gives back units of the lines that are not
 * final sale (all of them for a full refund; otherwise, in a shuffled order with the `returnedFirst` pieces ahead,
 * units up to about `share` % of the order's value, at least one). When every line is final sale, nothing is
 * returned: the refund is a goodwill amount.
 */
function refundedLines(
  extra: Rng,
  lines: Line[],
  unitCents: (line: Line) => number,
  finalSale: (line: Line) => boolean,
  share: number,
  totalCents: number,
  cancelled: boolean,
  returnedFirst: (line: Line) => boolean,
) {
  if (cancelled) return lines.map((line) => ({ line, quantity: line.quantity, cents: unitCents(line) * line.quantity }));
  const returnable = lines.filter((line) => !finalSale(line));
  if (share >= 100) return returnable.map((line) => ({ line, quantity: line.quantity, cents: unitCents(line) * line.quantity }));
  const units = returnable.flatMap((line) => Array.from({ length: line.quantity }, () => line));
  for (let i = units.length - 1; i > 0; i--) {
    const j = int(extra, 0, i);
    [units[i], units[j]] = [units[j]!, units[i]!];
  }
  units.sort((a, b) => Number(returnedFirst(b)) - Number(returnedFirst(a)));
  const target = Math.floor((totalCents * share) / 100);
  const chosen = new Map<Line, number>();
  let sum = 0;
  for (const unit of units) {
    if (chosen.size > 0 && sum + unitCents(unit) > target) continue;
    chosen.set(unit, (chosen.get(unit) ?? 0) + 1);
    sum += unitCents(unit);
  }
  return [...chosen].map(([line, quantity]) => ({ line, quantity, cents: unitCents(line) * quantity }));
}

export function generateDemoHistory(options: SeedOptions): SeedEvent[] {
  const { now, seed = 20_240_601, customers = 350, orders = 3000, days = 200 } = options;
  const rng = mulberry32(seed);
  // A second stream for the facts added later (catalogue, fulfilments, refunded lines), so the orders, customers
  // and refunds drawn from `rng` stay what they were.
  const extra = mulberry32(seed ^ 0x5eed_f00d);
  const seen = new Set<string>();
  const events: SeedEvent[] = [];
  const emit = (topic: SeedTopic, payload: Record<string, unknown>, ms: number, stream: Rng = rng) =>
    events.push({ topic, webhookId: uuid(stream, seen), payload, at: new Date(ms) });

  // Whole seconds inside [now - days, now].
  const endMs = Math.floor(now.getTime() / SECOND) * SECOND;
  const startMs = Math.min(endMs, Math.ceil((now.getTime() - days * DAY) / SECOND) * SECOND);
  const spanSeconds = (endMs - startMs) / SECOND;

  // The catalogue exists before the first order; halfway through, one product goes on clearance (final sale).
  const catalogue = new Map(CATALOGUE.map((p) => [p.id, p]));
  const productPayload = (p: CatalogueItem, tags: string, updated: number) =>
    ({
      id: p.id,
      title: p.title,
      tags,
      vendor: "Afterglow Demo Outfitters",
      product_type: tags.split(",")[0]!.trim(),
      status: "active",
      created_at: iso(startMs),
      updated_at: iso(updated),
      variants: [{ id: p.id + 1, price: money(p.cents) }],
    }) satisfies RestProduct & Record<string, unknown>;
  for (const p of CATALOGUE) emit("products/create", productPayload(p, p.tags, startMs), startMs, extra);
  const clearanceAt = startMs + Math.floor(spanSeconds / 2) * SECOND;
  const clearance = CATALOGUE.find((p) => p.title === CLEARANCE.title)!;
  emit("products/update", productPayload(clearance, CLEARANCE.tags, clearanceAt), clearanceAt, extra);
  const finalSaleAt = (productId: number, at: number) => Boolean(catalogue.get(productId)?.finalSale) || (productId === clearance.id && at >= clearanceAt);

  const people = Array.from({ length: customers }, (_, i) => {
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    const email = `${slug(first)}.${slug(last)}${i + 1}@example.com`;
    return { id: 7_000_000_000 + i, first_name: first, last_name: last, email };
  });
  const profiles = people.map((p) => customerProfile(p.id));

  // Who placed each order (-1: a guest), shuffled over the timeline.
  const guests = customers > 0 ? Math.round(orders * 0.06) : orders;
  const owners: number[] = Array.from({ length: guests }, () => -1);
  ordersPerCustomer(
    rng,
    profiles.map((p) => p.disposition),
    orders - guests,
  ).forEach((n, i) => {
    for (let k = 0; k < n; k++) owners.push(i);
  });
  for (let i = owners.length - 1; i > 0; i--) {
    const j = int(rng, 0, i);
    [owners[i], owners[j]] = [owners[j] ?? -1, owners[i] ?? -1];
  }
  // Detractors churn: most of their orders move into the older half of the history (slots are in time order), so
  // after an unhappy answer they rarely come back.
  const detractor = (owner: number | undefined) => owner !== undefined && owner >= 0 && profiles[owner]?.disposition === "detractor";
  for (let k = owners.length - 1; k > 0; k--) {
    if (!detractor(owners[k]) || rng() >= 0.8) continue;
    const j = int(rng, 0, Math.floor(k / 2));
    if (detractor(owners[j])) continue;
    [owners[k], owners[j]] = [owners[j] ?? -1, owners[k] ?? -1];
  }

  // Order times: a uniform base plus a share that leans towards the present, so recent months are busier.
  const times = Array.from({ length: orders }, () => {
    const x = rng() < 0.6 ? rng() : Math.sqrt(rng());
    return startMs + Math.floor(x * spanSeconds) * SECOND;
  }).sort((a, b) => a - b);

  let lineItemId = 13_500_000_000_000;
  let refundId = 960_000_000_000;
  let transactionId = 7_200_000_000_000;
  const fulfilmentIds = { next: 4_100_000_000_000 };
  let refundLineId = 2_900_000_000_000;

  times.forEach((placed, k) => {
    const customer = people[owners[k] ?? -1] ?? null;
    // A customer a friend sent picks most pieces from the pricier end of the catalogue.
    const premium = customer !== null && profiles[owners[k] ?? -1]?.channel === HIGH_VALUE_CHANNEL;
    const lines = rng() < 0.45 ? 1 : rng() < 0.55 ? 2 : rng() < 0.7 ? 3 : 4;
    const products = new Set<(typeof CATALOGUE)[number]>();
    while (products.size < lines) products.add(premium && rng() < 0.85 ? pick(rng, PREMIUM) : pick(rng, CATALOGUE, 1.6));
    let totalCents = 0;
    const lineItems = [...products].map((product) => {
      const r = rng();
      const quantity = r < 0.8 ? 1 : r < 0.95 ? 2 : 3;
      totalCents += product.cents * quantity;
      lineItemId += int(rng, 1, 97);
      return { id: lineItemId, product_id: product.id, title: product.title, quantity, price: money(product.cents) };
    });

    const foreign = rng() < 0.08 ? pick(rng, PRESENTMENT) : null;
    const presentmentCents = foreign ? Math.round((totalCents * foreign.per100) / 100) : totalCents;
    const orderId = 5_600_000_000_000 + k * 1000 + int(rng, 0, 999);
    const stamp = iso(placed);
    const test = rng() < 0.005;
    const createId = uuid(rng, seen);
    // Drawn ahead of the order's payload, which carries the fulfilments as they stand at the end (in the same
    // sequence as when the refund was drawn after it was emitted).
    const room = endMs - placed;
    const roll = rng();
    // Orders with one of the two pieces that run small come back far more often (seed-story.ts); a cancellation
    // (under 1 % of orders) is always refunded in full.
    const oftenRefunded = lineItems.some((li) => OFTEN_REFUNDED_IDS.has(li.product_id));
    const refunds = room > 2 * DAY + MINUTE && (roll < 0.008 || rng() < (oftenRefunded ? 0.3 : 0.02));
    const cancelled = refunds && roll < 0.008;
    const full = refunds && (cancelled || rng() < (oftenRefunded ? 0.25 : 0.6));
    const refundAt = refunds ? placed + 2 * DAY + Math.floor((rng() * (Math.min(20 * DAY, room - MINUTE) - 2 * DAY)) / SECOND) * SECOND : null;
    const fulfillments = fulfilmentsOf(extra, placed, endMs, cancelled ? null : refundAt, cancelled, fulfilmentIds);
    const order = {
      id: orderId,
      name: `#${1001 + k}`,
      created_at: stamp,
      updated_at: stamp,
      processed_at: stamp,
      cancelled_at: null,
      currency: "USD",
      presentment_currency: foreign?.code ?? "USD",
      total_price: money(totalCents),
      total_price_set: {
        shop_money: { amount: money(totalCents), currency_code: "USD" },
        presentment_money: { amount: money(presentmentCents), currency_code: foreign?.code ?? "USD" },
      },
      financial_status: "paid",
      fulfillment_status: fulfillments.length ? "fulfilled" : null,
      test,
      customer,
      line_items: lineItems,
      fulfillments,
    } satisfies RestOrder & Record<string, unknown>;
    events.push({ topic: "orders/create", webhookId: createId, payload: order, at: new Date(placed) });

    if (refundAt !== null) {
      // Refunded 2–20 days later; 1 in 8 of these is a cancellation, which is always a full refund.
      const at = refundAt;
      const share = full ? 100 : int(rng, 15, 85);
      const unitCents = (line: Line) => catalogue.get(line.product_id)!.cents;
      // Final sale as it was when the order was placed (the clearance applies to what was bought on clearance).
      const finalSale = (line: Line) => finalSaleAt(line.product_id, placed);
      const returned = refundedLines(extra, lineItems, unitCents, finalSale, share, totalCents, cancelled, (line) => OFTEN_REFUNDED_IDS.has(line.product_id));
      const returnedCents = returned.reduce((sum, r) => sum + r.cents, 0);
      // Goods given back are refunded at what they were sold for; a refund of final-sale goods only is a goodwill amount.
      const amountCents = returned.length ? returnedCents : Math.floor((totalCents * share) / 100);
      refundId += int(rng, 1, 500);
      transactionId += int(rng, 1, 500);
      const refundStamp = iso(at);
      const refund = {
        id: refundId,
        order_id: orderId,
        created_at: refundStamp,
        processed_at: refundStamp,
        transactions: [
          { id: transactionId, kind: "refund", status: "success", amount: money(amountCents), currency: "USD" },
        ],
        refund_line_items: returned.map((r) => {
          refundLineId += int(extra, 1, 97);
          const subtotal = money(r.cents);
          return {
            id: refundLineId,
            line_item_id: r.line.id,
            quantity: r.quantity,
            restock_type: cancelled ? "cancel" : "return",
            subtotal,
            subtotal_set: { shop_money: { amount: subtotal, currency_code: "USD" }, presentment_money: { amount: subtotal, currency_code: "USD" } },
            line_item: r.line,
          };
        }),
      } satisfies RestRefund;
      emit("refunds/create", refund, at);
      if (cancelled || rng() < 0.5) {
        const updatedAt = at + 5 * SECOND;
        const status = amountCents >= totalCents ? "refunded" : "partially_refunded";
        const cancelledAt = cancelled ? refundStamp : null;
        const updated = { ...order, updated_at: iso(updatedAt), financial_status: status, cancelled_at: cancelledAt };
        emit("orders/updated", updated satisfies RestOrder, updatedAt);
      }
    } else if (roll > 0.99 && room > 3 * HOUR) {
      // An edit that changes nothing Afterglow keeps (a note, a tag, an address): only updated_at moves.
      const at = placed + 2 * HOUR + Math.floor((rng() * Math.min(5 * DAY, room - 3 * HOUR)) / SECOND) * SECOND;
      emit("orders/updated", { ...order, updated_at: iso(at) } satisfies RestOrder, at);
    }
  });

  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}
