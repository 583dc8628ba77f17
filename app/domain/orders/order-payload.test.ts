import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "../lossless-json";
import { fulfilmentDates, InvalidPayloadError, parseOrderPayload, parseRefundPayload, parseRefundShape, refundNeedsShopCurrency, RestOrderSchema } from "./order-payload";

const ORDER = {
  id: 1,
  name: "#1",
  created_at: "2026-10-01T10:00:00Z",
  updated_at: "2026-10-01T10:00:00Z",
  currency: "USD",
  total_price: "60.00",
  line_items: [{ id: 11, product_id: 77, title: "Tee", quantity: 2, price: "30.00" }],
};
const REFUND = { id: 9, order_id: 1, created_at: "2026-10-05T10:00:00Z", transactions: [{ kind: "refund", status: "success", amount: "30.00", currency: "USD" }] };

type Fulfilment = { status?: string | null; created_at: string; updated_at?: string | null; shipment_status?: string | null };
const at = (iso: string) => new Date(iso);
const dates = (fulfillments: Fulfilment[]) => fulfilmentDates(RestOrderSchema.parse({ ...ORDER, fulfillments }).fulfillments);

describe("fulfilment and delivery dates", () => {
  it.each<[string, Fulfilment[], { fulfilledAt: Date | null; deliveredAt: Date | null }]>([
    ["no fulfilment yet", [], { fulfilledAt: null, deliveredAt: null }],
    [
      "shipped, in transit",
      [{ status: "success", created_at: "2026-10-02T09:00:00Z", updated_at: "2026-10-03T09:00:00Z", shipment_status: "in_transit" }],
      { fulfilledAt: at("2026-10-02T09:00:00Z"), deliveredAt: null },
    ],
    [
      "shipped without tracking",
      [{ status: "success", created_at: "2026-10-02T09:00:00Z", updated_at: "2026-10-02T09:00:00Z", shipment_status: null }],
      { fulfilledAt: at("2026-10-02T09:00:00Z"), deliveredAt: null },
    ],
    [
      "delivered: its last update",
      [{ status: "success", created_at: "2026-10-02T09:00:00Z", updated_at: "2026-10-06T15:30:00Z", shipment_status: "delivered" }],
      { fulfilledAt: at("2026-10-02T09:00:00Z"), deliveredAt: at("2026-10-06T15:30:00Z") },
    ],
    [
      "delivered without updated_at: its creation",
      [{ status: "success", created_at: "2026-10-02T09:00:00Z", shipment_status: "delivered" }],
      { fulfilledAt: at("2026-10-02T09:00:00Z"), deliveredAt: at("2026-10-02T09:00:00Z") },
    ],
    [
      "two shipments, one still travelling: fulfilled by the first, not delivered",
      [
        { status: "success", created_at: "2026-10-04T09:00:00Z", updated_at: "2026-10-05T09:00:00Z", shipment_status: "in_transit" },
        { status: "success", created_at: "2026-10-02T09:00:00Z", updated_at: "2026-10-03T09:00:00Z", shipment_status: "delivered" },
      ],
      { fulfilledAt: at("2026-10-02T09:00:00Z"), deliveredAt: null },
    ],
    [
      "two shipments, both delivered: the later delivery",
      [
        { status: "success", created_at: "2026-10-02T09:00:00Z", updated_at: "2026-10-08T09:00:00Z", shipment_status: "delivered" },
        { status: "success", created_at: "2026-10-04T09:00:00Z", updated_at: "2026-10-06T09:00:00Z", shipment_status: "delivered" },
      ],
      { fulfilledAt: at("2026-10-02T09:00:00Z"), deliveredAt: at("2026-10-08T09:00:00Z") },
    ],
    [
      "a cancelled fulfilment is ignored, also for delivery",
      [
        { status: "cancelled", created_at: "2026-10-01T12:00:00Z", updated_at: "2026-10-01T13:00:00Z", shipment_status: null },
        { status: "success", created_at: "2026-10-03T09:00:00Z", updated_at: "2026-10-05T09:00:00Z", shipment_status: "delivered" },
      ],
      { fulfilledAt: at("2026-10-03T09:00:00Z"), deliveredAt: at("2026-10-05T09:00:00Z") },
    ],
    [
      "only failed, pending or open fulfilments: nothing shipped",
      [
        { status: "failure", created_at: "2026-10-02T09:00:00Z" },
        { status: "pending", created_at: "2026-10-02T10:00:00Z" },
        { status: "open", created_at: "2026-10-02T11:00:00Z" },
        { status: null, created_at: "2026-10-02T12:00:00Z", shipment_status: "delivered" },
      ],
      { fulfilledAt: null, deliveredAt: null },
    ],
    [
      "an offset timestamp is read as the instant it names",
      [{ status: "success", created_at: "2026-10-02T09:00:00-04:00", updated_at: "2026-10-04T01:00:00+02:00", shipment_status: "delivered" }],
      { fulfilledAt: at("2026-10-02T13:00:00Z"), deliveredAt: at("2026-10-03T23:00:00Z") },
    ],
  ])("%s", (_label, fulfillments, expected) => {
    expect(dates(fulfillments)).toEqual(expected);
  });
});

describe("REST order → order facts", () => {
  it("keeps the lines with product, quantity and unit price in minor units, and the fulfilment dates", () => {
    const facts = parseOrderPayload({
      ...ORDER,
      fulfillments: [{ id: 5, status: "success", created_at: "2026-10-02T09:00:00Z", updated_at: "2026-10-04T09:00:00Z", shipment_status: "delivered", tracking_number: "1Z" }],
    });
    expect(facts.lineItems).toEqual([{ id: "11", productId: "77", title: "Tee", quantity: 2, priceMinor: 3000 }]);
    expect(facts).toMatchObject({ fulfilledAt: at("2026-10-02T09:00:00Z"), deliveredAt: at("2026-10-04T09:00:00Z") });
  });

  it("treats a missing fulfillments field as none shipped", () => {
    expect(parseOrderPayload(ORDER)).toMatchObject({ fulfilledAt: null, deliveredAt: null });
  });

  it.each([
    ["a fulfilment without created_at", { fulfillments: [{ status: "success" }] }, "fulfillments.0.created_at"],
    ["a fulfilment date that is not a timestamp", { fulfillments: [{ status: "success", created_at: "yesterday" }] }, "fulfillments.0.created_at"],
    ["fulfillments that is not a list", { fulfillments: { status: "success" } }, "fulfillments"],
  ])("refuses %s, naming the field", (_label, change, path) => {
    expect(() => parseOrderPayload({ ...ORDER, ...change })).toThrow(InvalidPayloadError);
    expect(() => parseOrderPayload({ ...ORDER, ...change })).toThrow(path);
  });
});

describe("REST refund → refund facts with its lines", () => {
  const line = (overrides: Record<string, unknown> = {}) => ({
    id: 100,
    line_item_id: 11,
    quantity: 1,
    restock_type: "return",
    subtotal: "30.00",
    line_item: { id: 11, product_id: 77, title: "Tee", price: "30.00" },
    ...overrides,
  });

  it.each<[string, Record<string, unknown>[], unknown[]]>([
    ["no refund lines (an amount-only refund)", [], []],
    ["one line, subtotal as a decimal string", [line()], [{ lineItemId: "11", productId: "77", title: "Tee", quantity: 1, subtotalMinor: 3000 }]],
    ["subtotal as a JSON number, as Shopify's REST examples write it", [line({ subtotal: 195.66 })], [{ lineItemId: "11", productId: "77", title: "Tee", quantity: 1, subtotalMinor: 19566 }]],
    [
      "subtotal_set's shop money wins over subtotal (a presentment-currency refund)",
      [line({ subtotal: "27.60", subtotal_set: { shop_money: { amount: "30.00", currency_code: "USD" }, presentment_money: { amount: "27.60", currency_code: "EUR" } } })],
      [{ lineItemId: "11", productId: "77", title: "Tee", quantity: 1, subtotalMinor: 3000 }],
    ],
    [
      "a line split over two restock locations is one line",
      [line({ quantity: 1, subtotal: "30.00" }), line({ id: 101, quantity: 2, subtotal: "60.00" })],
      [{ lineItemId: "11", productId: "77", title: "Tee", quantity: 3, subtotalMinor: 9000 }],
    ],
    [
      "a custom line has no product",
      [line({ line_item_id: 12, line_item: { id: 12, product_id: null, title: "Gift wrap" }, subtotal: "5.00" })],
      [{ lineItemId: "12", productId: null, title: "Gift wrap", quantity: 1, subtotalMinor: 500 }],
    ],
    ["no subtotal at all: nothing known of the amount", [line({ subtotal: null })], [{ lineItemId: "11", productId: "77", title: "Tee", quantity: 1, subtotalMinor: 0 }]],
  ])("%s", (_label, lines, expected) => {
    expect(parseRefundPayload({ ...REFUND, refund_line_items: lines }).lineItems).toEqual(expected);
  });

  it("reads a zero-decimal currency's subtotal by its own exponent", () => {
    const refund = { ...REFUND, transactions: [{ kind: "refund", status: "success", amount: "1500", currency: "JPY" }] };
    expect(parseRefundPayload({ ...refund, refund_line_items: [line({ subtotal: "1500" })] }).lineItems[0]?.subtotalMinor).toBe(1500);
  });

  it.each([
    ["a quantity that is not a whole number", { quantity: 1.5 }, "refund_line_items.0.quantity"],
    ["a negative quantity", { quantity: -1 }, "refund_line_items.0.quantity"],
    ["a subtotal that is not a decimal", { subtotal: "thirty" }, "refund_line_items.0.subtotal"],
    ["a line without its line item", { line_item: undefined }, "refund_line_items.0.line_item"],
    ["a line item without a title", { line_item: { product_id: 77 } }, "refund_line_items.0.line_item.title"],
    ["a line without line_item_id", { line_item_id: undefined }, "refund_line_items.0.line_item_id"],
  ])("refuses %s, naming the field", (_label, change, path) => {
    const payload = { ...REFUND, refund_line_items: [line(change)] };
    expect(() => parseRefundPayload(payload)).toThrow(InvalidPayloadError);
    expect(() => parseRefundPayload(payload)).toThrow(path);
  });

  it("refuses a subtotal with more decimals than the currency has", () => {
    expect(() => parseRefundPayload({ ...REFUND, refund_line_items: [line({ subtotal: "30.001" })] })).toThrow(InvalidPayloadError);
  });
});

describe("refunds whose transactions name no currency (Shopify's refunds/create sample)", () => {
  const tx = (amount: string, currency: string | null, extra: Record<string, unknown> = {}) => ({ kind: "refund", status: "success", amount, currency, ...extra });
  const refund = (transactions: unknown[], refund_line_items: unknown[] = []) => ({ ...REFUND, transactions, refund_line_items });
  const setLine = (shop: [string, string], presentment: [string, string]) => ({
    line_item_id: 11,
    quantity: 1,
    subtotal: Number(presentment[0]),
    subtotal_set: { shop_money: { amount: shop[0], currency_code: shop[1] }, presentment_money: { amount: presentment[0], currency_code: presentment[1] } },
    line_item: { product_id: 77, title: "Tee" },
  });

  it.each<[string, unknown, { amountDecimal: string; currency: string | null; amountMinor: number | null }]>([
    ["currency null, nothing else: kept as decimal text for the order's currency", refund([tx("41.94", null)]), { amountDecimal: "41.94", currency: null, amountMinor: null }],
    ["currency null in JPY: whole yen, no invented decimals", refund([tx("4194", null)]), { amountDecimal: "4194", currency: null, amountMinor: null }],
    ["currency null, the lines' presentment money names JPY", refund([tx("4194", null)], [setLine(["4194", "JPY"], ["4194", "JPY"])]), { amountDecimal: "4194", currency: "JPY", amountMinor: 4194 }],
    ["currency null, the lines' presentment money names KWD", refund([tx("12.345", null)], [setLine(["12.345", "KWD"], ["12.345", "KWD"])]), { amountDecimal: "12.345", currency: "KWD", amountMinor: 12345 }],
    [
      "currency null, amount_set names the presentment currency",
      refund([tx("12.345", null, { amount_set: { shop_money: { amount: "40.00", currency_code: "USD" }, presentment_money: { amount: "12.345", currency_code: "KWD" } } })]),
      { amountDecimal: "12.345", currency: "KWD", amountMinor: 12345 },
    ],
    ["one transaction names the currency, another does not: both in it", refund([tx("1.500", "KWD"), tx("0.250", null)]), { amountDecimal: "1.750", currency: "KWD", amountMinor: 1750 }],
    ["several null-currency transactions: their exact decimal sum", refund([tx("0.1", null), tx("0.2", null)]), { amountDecimal: "0.3", currency: null, amountMinor: null }],
    ["failed and non-refund transactions do not count", refund([tx("10.00", null), tx("5.00", null, { status: "failure" }), tx("3.00", null, { kind: "sale" })]), { amountDecimal: "10.00", currency: null, amountMinor: null }],
  ])("%s", (_label, payload, expected) => {
    expect(parseRefundPayload(payload)).toMatchObject(expected);
  });

  const usd = (amount: string) => ({ shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } });
  const bareLine = { line_item_id: 11, quantity: 1, subtotal: "5.00", line_item: { product_id: 77, title: "Tee" } };
  it.each<[string, unknown, boolean]>([
    ["no lines", refund([tx("5.00", null)]), false],
    ["a line with subtotal_set", refund([tx("5.00", null)], [{ ...bareLine, subtotal_set: usd("5.00") }]), false],
    ["a line without any subtotal", refund([tx("5.00", null)], [{ ...bareLine, subtotal: null }]), false],
    ["a bare subtotal, nothing naming the shop currency", refund([tx("5.00", null)], [bareLine]), true],
    ["a bare subtotal, the transaction's currency is not the shop's", refund([tx("5.00", "EUR")], [bareLine]), true],
    ["a bare subtotal beside a line with subtotal_set", refund([tx("5.00", null)], [bareLine, { ...bareLine, line_item_id: 12, subtotal_set: usd("5.00") }]), false],
    ["a bare subtotal, a transaction's amount_set names the shop money", refund([tx("5.00", null, { amount_set: usd("5.00") })], [bareLine]), false],
    ["a bare subtotal, only a failed transaction names it", refund([tx("5.00", null, { status: "failure", amount_set: usd("5.00") })], [bareLine]), true],
  ])("needs the shop currency from elsewhere: %s → %s", (_label, payload, expected) => {
    expect(refundNeedsShopCurrency(parseRefundShape(payload))).toBe(expected);
  });

  it("reads a bare subtotal in the shop currency it is given, never USD's two decimals", () => {
    const bare = { line_item_id: 11, quantity: 1, subtotal: "1500", line_item: { product_id: 77, title: "Tee" } };
    expect(parseRefundPayload(refund([tx("1500", null)], [bare]), "JPY").lineItems[0]?.subtotalMinor).toBe(1500);
    expect(parseRefundPayload(refund([tx("1.500", null)], [{ ...bare, subtotal: "1.500" }]), "KWD").lineItems[0]?.subtotalMinor).toBe(1500);
    expect(() => parseRefundPayload(refund([tx("1500", null)], [bare]))).toThrow("refund_line_items.0.subtotal: no currency known for it");
  });

  it.each([
    ["transactions in two currencies", refund([tx("1.00", "USD"), tx("1.00", "EUR")]), "transactions.currency: refund transactions in more than one currency"],
    ["an amount above 2^53 minor units in its currency", refund([tx("90071992547409.92", "USD")]), "transactions.amount: above 2^53 minor units"],
    ["a null-currency amount that would pass 2^53 in a 3-decimal currency", refund([tx("9007199254741", null)]), "transactions.amount: above 2^53 minor units"],
    ["two amounts whose sum passes 2^53", refund([tx("50000000000000.00", "USD"), tx("50000000000000.00", "USD")]), "transactions.amount: above 2^53 minor units"],
    ["a JPY amount with decimals", refund([tx("41.94", "JPY")]), "transactions.amount: more decimals than the currency's 0"],
  ])("refuses %s, naming the field and never the value", (_label, payload, reason) => {
    expect(() => parseRefundPayload(payload)).toThrow(new InvalidPayloadError(reason));
  });
});

describe("order amounts above 2^53 minor units", () => {
  it.each([
    ["total_price", { total_price: "90071992547409.92" }, "total_price: above 2^53 minor units"],
    [
      "total_price_set's shop money",
      { total_price_set: { shop_money: { amount: "90071992547409.92", currency_code: "USD" } } },
      "total_price_set.shop_money.amount: above 2^53 minor units",
    ],
    [
      "the presentment money",
      { total_price_set: { shop_money: { amount: "60.00", currency_code: "USD" }, presentment_money: { amount: "9007199254740992", currency_code: "JPY" } } },
      "total_price_set.presentment_money.amount: above 2^53 minor units",
    ],
    ["a line price", { line_items: [{ id: 11, title: "Tee", quantity: 1, price: "90071992547409.92" }] }, "line_items.0.price: above 2^53 minor units"],
  ])("refuses %s with a reason naming the field", (_label, change, reason) => {
    expect(() => parseOrderPayload({ ...ORDER, ...change })).toThrow(new InvalidPayloadError(reason));
  });

  it("accepts 2^53 - 1 minor units exactly", () => {
    expect(parseOrderPayload({ ...ORDER, total_price: "90071992547409.91" }).totalMinor).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe("64-bit ids (issue 14: Shopify's samples carry ids above 2^53)", () => {
  it.each([
    ["the exact digit string the lossless parser gives", "820982911946154508", "820982911946154508"],
    ["2^64 - 1", "18446744073709551615", "18446744073709551615"],
    ["a safe JSON number", 820982911, "820982911"],
    ["2^53 - 1 as a number", Number.MAX_SAFE_INTEGER, "9007199254740991"],
  ])("accepts %s", (_label, value, stored) => {
    expect(parseOrderPayload({ ...ORDER, id: value }).id).toBe(stored);
    expect(parseRefundPayload({ ...REFUND, id: value, order_id: value })).toMatchObject({ id: stored, orderId: stored });
  });

  it.each([
    // eslint-disable-next-line no-loss-of-precision -- the very point: a number that already lost its digits
    ["a JSON number above 2^53 (already rounded)", 820982911946154508],
    ["2^64", "18446744073709551616"],
    ["21 digits", "123456789012345678901"],
    ["a leading zero", "0820982911946154508"],
    ["zero", "0"],
    ["a sign", "-820982911946154508"],
    ["a fraction", "8209829119.5"],
    ["an exponent", "8e17"],
    ["empty", ""],
  ])("refuses %s as an order id", (_label, value) => {
    expect(() => parseOrderPayload({ ...ORDER, id: value })).toThrow(InvalidPayloadError);
  });

  it("parses a body through the lossless parser with every id exact (order, customer, line, product)", () => {
    const body = `{"id":820982911946154508,"name":"#9999","created_at":"2021-12-31T19:00:00-05:00","updated_at":"2021-12-31T19:00:00-05:00","currency":"USD","total_price":"404.95","customer":{"id":115310627314723954},"line_items":[{"id":487817672276298554,"product_id":788032119674292922,"title":"Aviator sunglasses","quantity":1,"price":"89.99"}]}`;
    const facts = parseOrderPayload(parseJsonLossless(body));
    expect(facts).toMatchObject({ id: "820982911946154508", customer: { id: "115310627314723954" } });
    expect(facts.lineItems).toEqual([{ id: "487817672276298554", productId: "788032119674292922", title: "Aviator sunglasses", quantity: 1, priceMinor: 8999 }]);
    expect(() => parseOrderPayload(JSON.parse(body))).toThrow(InvalidPayloadError);
  });
});
