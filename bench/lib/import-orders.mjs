// The historical import's export file, generated as a stream: order `n` (1-based) is a pure function of `n`, so the
// file is the same on every request (a resumed import reads the same lines) and its expected totals can be counted
// without keeping anything. Shaped as Shopify writes a bulk query's JSONL: each order on one line (refunds and
// fulfilments inline), then its line items on their own lines pointing back with `__parentId`. Ids are 64-bit sized,
// as real shops' are.
const ORDER_BASE = 6_100_000_000_000n;
const CUSTOMER_BASE = 7_300_000_000_000n;
const LINE_ITEM_BASE = 14_000_000_000_000n;
const REFUND_BASE = 950_000_000_000n;
const FIRST_ORDER_AT = Date.parse("2024-12-01T00:00:00Z");
const SPAN_MS = 730 * 86_400_000;
const TITLES = ["Wool Scarf", "Linen Shirt", "Canvas Tote", "Leather Belt", "Rain Jacket"];

/** A small, fast, seeded generator (mulberry32) for one order's numbers. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const amount = (minor) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
const usd = (minor) => ({ amount: amount(minor), currencyCode: "USD" });

/** Customers in a file of `orders` orders: about 2.5 orders each. */
export const importCustomers = (orders) => Math.max(1, Math.round(orders / 2.5));

/**
 * Order `n` of a file of `orders`: its JSONL lines and what it adds to the expected totals. One order in ten is a
 * guest's, one in twenty partly refunded (30 %), one in five delivered; 1–3 line items; 5.00–400.00 USD.
 */
export function importOrder(n, orders) {
  const rand = random(n * 2654435761);
  const customers = importCustomers(orders);
  const guest = rand() < 0.1;
  const customer = guest ? null : CUSTOMER_BASE + BigInt((n * 7919) % customers);
  const totalMinor = 500 + Math.floor(rand() * 39_500);
  const refundMinor = rand() < 0.05 ? Math.floor(totalMinor * 0.3) : 0;
  const delivered = rand() < 0.2;
  const itemCount = 1 + Math.floor(rand() * 3);
  const at = new Date(FIRST_ORDER_AT + Math.floor((n / orders) * SPAN_MS));
  const iso = at.toISOString();
  const later = (hours) => new Date(at.getTime() + hours * 3_600_000).toISOString();
  const id = `gid://shopify/Order/${ORDER_BASE + BigInt(n)}`;
  const order = {
    id,
    name: `#${1000 + n}`,
    createdAt: iso,
    updatedAt: later(1),
    processedAt: iso,
    cancelledAt: null,
    test: false,
    displayFinancialStatus: refundMinor ? "PARTIALLY_REFUNDED" : "PAID",
    currencyCode: "USD",
    presentmentCurrencyCode: "USD",
    totalPriceSet: { shopMoney: usd(totalMinor), presentmentMoney: usd(totalMinor) },
    customer: customer === null ? null : { id: `gid://shopify/Customer/${customer}`, firstName: "Imported", lastName: `Shopper ${customer % 1000n}`, email: null },
    refunds: refundMinor ? [{ id: `gid://shopify/Refund/${REFUND_BASE + BigInt(n)}`, createdAt: later(72), totalRefundedSet: { shopMoney: usd(refundMinor) } }] : [],
    fulfillments: delivered ? [{ createdAt: later(24), updatedAt: later(48), status: "SUCCESS", displayStatus: "DELIVERED", deliveredAt: later(48) }] : [],
  };
  const lines = [JSON.stringify(order)];
  let left = totalMinor;
  for (let i = 0; i < itemCount; i++) {
    const price = i === itemCount - 1 ? left : Math.floor(totalMinor / itemCount);
    left -= price;
    lines.push(
      JSON.stringify({
        id: `gid://shopify/LineItem/${LINE_ITEM_BASE + BigInt(n) * 4n + BigInt(i)}`,
        __parentId: id,
        title: TITLES[(n + i) % TITLES.length],
        quantity: 1,
        product: { id: `gid://shopify/Product/${8_800_000_000_000 + ((n + i) % 500)}` },
        originalUnitPriceSet: { shopMoney: usd(price) },
      }),
    );
  }
  return { lines, customer, netMinor: totalMinor - refundMinor, refunds: refundMinor ? 1 : 0 };
}

/** The file's lines, `batch` orders to a chunk (a stream's chunks: nothing of the file is kept). */
export function* importFileChunks(orders, batch = 200) {
  for (let start = 1; start <= orders; start += batch) {
    let chunk = "";
    for (let n = start; n < Math.min(start + batch, orders + 1); n++) chunk += importOrder(n, orders).lines.join("\n") + "\n";
    yield chunk;
  }
}

/** What applying the whole file must leave: orders, refunds, customers, their order count and net spend. */
export function expectedImport(orders) {
  const customers = new Set();
  let customerOrders = 0;
  let refunds = 0;
  let netMinor = 0n;
  for (let n = 1; n <= orders; n++) {
    const o = importOrder(n, orders);
    refunds += o.refunds;
    if (o.customer === null) continue;
    customers.add(o.customer);
    customerOrders += 1;
    netMinor += BigInt(o.netMinor);
  }
  return { orders, refunds, customers: customers.size, customerOrders, netMinor: netMinor.toString() };
}
