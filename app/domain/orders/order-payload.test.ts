import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "../lossless-json";
import { parseRefundPayload } from "../../../tests/support/orders";
import { fulfilmentDates, parseOrderPayload, parseRefundShape, refundNeedsShopCurrency, restId, RestOrderSchema } from "./order-payload";
import { InvalidPayloadError } from "../payload-error";

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
    ["a JSON number above 2^53 — already rounded", 820982911946154508],
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

describe("REST order → order facts: every field (issue 15)", () => {
  it("GIVEN a full order WHEN parsed THEN each fact comes from its own field", () => {
    const facts = parseOrderPayload({
      ...ORDER,
      name: "#1001",
      created_at: "2026-10-01T10:00:00Z",
      processed_at: "2026-09-30T08:00:00Z",
      updated_at: "2026-10-02T10:00:00Z",
      cancelled_at: "2026-10-03T10:00:00Z",
      financial_status: "refunded",
      test: true,
      customer: { id: 5, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" },
    });
    expect(facts).toStrictEqual({
      id: "1",
      name: "#1001",
      customer: { id: "5", firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
      currency: "USD",
      presentmentCurrency: "USD",
      totalMinor: 6000,
      presentmentTotalMinor: 6000,
      financialStatus: "refunded",
      test: true,
      cancelledAt: at("2026-10-03T10:00:00Z"),
      placedAt: at("2026-09-30T08:00:00Z"),
      updatedAt: at("2026-10-02T10:00:00Z"),
      fulfilledAt: null,
      deliveredAt: null,
      lineItems: [{ id: "11", productId: "77", title: "Tee", quantity: 2, priceMinor: 3000 }],
      discountCodes: [],
    });
  });

  it("GIVEN an order with only its required fields THEN the optional facts are null, test is false, placed when created", () => {
    const facts = parseOrderPayload({ id: 2, name: "#2", created_at: "2026-10-01T10:00:00Z", updated_at: "2026-10-01T11:00:00Z", currency: "EUR", total_price: "0.00" });
    expect(facts).toStrictEqual({
      id: "2",
      name: "#2",
      customer: null,
      currency: "EUR",
      presentmentCurrency: "EUR",
      totalMinor: 0,
      presentmentTotalMinor: 0,
      financialStatus: null,
      test: false,
      cancelledAt: null,
      placedAt: at("2026-10-01T10:00:00Z"),
      updatedAt: at("2026-10-01T11:00:00Z"),
      fulfilledAt: null,
      deliveredAt: null,
      lineItems: [],
      discountCodes: [],
    });
  });

  it.each<[string, Record<string, unknown>, Date]>([
    ["processed_at absent: created_at", {}, at("2026-10-01T10:00:00Z")],
    ["processed_at null: created_at", { processed_at: null }, at("2026-10-01T10:00:00Z")],
    ["processed_at earlier (an imported or POS order): processed_at", { processed_at: "2026-09-01T10:00:00Z" }, at("2026-09-01T10:00:00Z")],
    ["processed_at later: still processed_at", { processed_at: "2026-10-01T10:00:01Z" }, at("2026-10-01T10:00:01Z")],
  ])("placed at: %s", (_label, change, placedAt) => {
    expect(parseOrderPayload({ ...ORDER, ...change }).placedAt).toEqual(placedAt);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ["test absent: a real order", {}, false],
    ["test false", { test: false }, false],
    ["test true (Shopify's own samples)", { test: true }, true],
  ])("test flag: %s", (_label, change, expected) => {
    expect(parseOrderPayload({ ...ORDER, ...change }).test).toBe(expected);
  });

  it.each<[string, Record<string, unknown>, string]>([
    // Shopify's REST order always sends a boolean: a null is not an order Shopify sends, refused like any wrong type.
    ["test null", { test: null }, "test: Invalid input: expected boolean, received null"],
    ["a lower-case currency", { currency: "usd" }, "currency: ISO 4217 code"],
    ["a total with a comma", { total_price: "60,00" }, "total_price: decimal amount string"],
    ["a total with a plus sign", { total_price: "+60.00" }, "total_price: decimal amount string"],
    ["a total ending in a dot", { total_price: "60." }, "total_price: decimal amount string"],
    ["a timestamp without offset", { created_at: "2026-10-01T10:00:00" }, "created_at: Invalid ISO datetime"],
    ["a line quantity above 2^53", { line_items: [{ id: 11, title: "Tee", quantity: 2 ** 53, price: "1.00" }] }, "line_items.0.quantity: Too big: expected int to be <9007199254740991; line_items.0.quantity: Too big: expected number to be <=9007199254740991"],
  ])("refuses %s with a reason naming the field", (_label, change, reason) => {
    expect(() => parseOrderPayload({ ...ORDER, ...change })).toThrow(new InvalidPayloadError(reason));
  });

  it("accepts a negative total (an adjusted order) as negative minor units", () => {
    expect(parseOrderPayload({ ...ORDER, total_price: "-1.50" }).totalMinor).toBe(-150);
  });

  it.each<[string, Record<string, unknown>, Partial<ReturnType<typeof parseOrderPayload>>]>([
    [
      "total_price_set's shop money wins over total_price and currency",
      { currency: "USD", total_price: "60.00", total_price_set: { shop_money: { amount: "6000", currency_code: "JPY" } } },
      { currency: "JPY", presentmentCurrency: "JPY", totalMinor: 6000, presentmentTotalMinor: 6000 },
    ],
    [
      "presentment money in another currency: its own amount and decimals",
      {
        presentment_currency: "KWD",
        total_price_set: { shop_money: { amount: "60.00", currency_code: "USD" }, presentment_money: { amount: "18.123", currency_code: "KWD" } },
      },
      { currency: "USD", presentmentCurrency: "KWD", totalMinor: 6000, presentmentTotalMinor: 18123 },
    ],
    ["presentment_currency without total_price_set: the total is the shop total", { presentment_currency: "EUR" }, { currency: "USD", presentmentCurrency: "EUR", totalMinor: 6000, presentmentTotalMinor: 6000 }],
    [
      "a JPY shop: line prices read with the shop money's decimals",
      { currency: "USD", total_price_set: { shop_money: { amount: "6000", currency_code: "JPY" } }, line_items: [{ id: 11, title: "Tee", quantity: 2, price: "3000" }] },
      { lineItems: [{ id: "11", productId: null, title: "Tee", quantity: 2, priceMinor: 3000 }] },
    ],
  ])("currencies and totals: %s", (_label, change, expected) => {
    expect(parseOrderPayload({ ...ORDER, ...change })).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["total_price", { total_price: "60.001" }, "total_price: more decimals than the currency's 2"],
    ["total_price_set's shop money", { total_price_set: { shop_money: { amount: "60.5", currency_code: "JPY" } } }, "total_price_set.shop_money.amount: more decimals than the currency's 0"],
    [
      "the presentment money",
      { total_price_set: { shop_money: { amount: "60.00", currency_code: "USD" }, presentment_money: { amount: "1.0001", currency_code: "KWD" } } },
      "total_price_set.presentment_money.amount: more decimals than the currency's 3",
    ],
    [
      "the second line's price",
      { line_items: [{ id: 11, title: "Tee", quantity: 1, price: "1.00" }, { id: 12, title: "Cap", quantity: 1, price: "1.005" }] },
      "line_items.1.price: more decimals than the currency's 2",
    ],
  ])("refuses more decimals than the currency has in %s, naming the field", (_label, change, reason) => {
    expect(() => parseOrderPayload({ ...ORDER, ...change })).toThrow(new InvalidPayloadError(reason));
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    ["no customer (a guest order)", { customer: null }, null],
    ["a customer with only an id", { customer: { id: 5 } }, { id: "5", firstName: null, lastName: null, email: null }],
    ["a customer with null names and email", { customer: { id: 5, first_name: null, last_name: null, email: null } }, { id: "5", firstName: null, lastName: null, email: null }],
    ["a lone surrogate in a name becomes U+FFFD", { customer: { id: 5, first_name: "A\ud800" } }, { id: "5", firstName: "A\ufffd", lastName: null, email: null }],
    ["NUL in a name becomes U+FFFD (PostgreSQL text cannot hold it)", { customer: { id: 5, last_name: "B\u0000C" } }, { id: "5", firstName: null, lastName: "B\ufffdC", email: null }],
  ])("customer: %s", (_label, change, expected) => {
    expect(parseOrderPayload({ ...ORDER, ...change }).customer).toStrictEqual(expected);
  });
});

describe("describeIssues: the reason of a refused payload", () => {
  it("names at most five issues, path and message, separated by '; '", () => {
    const reason = (() => {
      try {
        parseOrderPayload({ id: 1, total_price: 60, currency: "usd", line_items: [{ id: 11, title: "Tee", quantity: 1, price: "x" }] });
      } catch (error) {
        return (error as InvalidPayloadError).reason;
      }
      return "accepted";
    })();
    expect(reason).toBe(
      "name: Invalid input: expected string, received undefined; created_at: Invalid input: expected string, received undefined; " +
        "updated_at: Invalid input: expected string, received undefined; currency: ISO 4217 code; total_price: Invalid input: expected string, received number",
    );
  });

  it.each<[string, unknown, string]>([
    ["a payload that is not an object", "an order", "(root): Invalid input: expected object, received string"],
    ["null", null, "(root): Invalid input: expected object, received null"],
    ["a nested field: its dotted path", { ...ORDER, line_items: [{ id: 11, title: "Tee", quantity: 1, price: "thirty" }] }, "line_items.0.price: decimal amount string"],
  ])("%s", (_label, payload, reason) => {
    expect(() => parseOrderPayload(payload)).toThrow(new InvalidPayloadError(reason));
  });

  it("never repeats the offending value", () => {
    const secret = "ada@example.com-not-a-price";
    expect(() => parseOrderPayload({ ...ORDER, total_price: secret, name: 42 })).toThrow(InvalidPayloadError);
    try {
      parseOrderPayload({ ...ORDER, total_price: secret, name: 42 });
    } catch (error) {
      expect((error as InvalidPayloadError).reason).not.toContain(secret);
      expect((error as InvalidPayloadError).reason).not.toContain("42");
      expect(error).toMatchObject({ name: "InvalidPayloadError", message: (error as InvalidPayloadError).reason });
    }
  });
});

describe("refund facts: what counts as money back (issue 15)", () => {
  const base = { kind: "refund", status: "success", amount: "10.00", currency: "USD" };
  // Every transaction below is beside `base`; one that does not count leaves the amount at 10.00 and, being in EUR,
  // would otherwise also make the refund "in more than one currency".
  it.each<[string, Record<string, unknown>, { amountDecimal: string; currency: string; amountMinor: number }]>([
    ["a failed refund", { kind: "refund", status: "failure", amount: "5.00", currency: "EUR" }, { amountDecimal: "10.00", currency: "USD", amountMinor: 1000 }],
    ["a pending refund", { kind: "refund", status: "pending", amount: "5.00", currency: "EUR" }, { amountDecimal: "10.00", currency: "USD", amountMinor: 1000 }],
    ["a refund in error", { kind: "refund", status: "error", amount: "5.00", currency: "EUR" }, { amountDecimal: "10.00", currency: "USD", amountMinor: 1000 }],
    ["a successful sale", { kind: "sale", status: "success", amount: "5.00", currency: "EUR" }, { amountDecimal: "10.00", currency: "USD", amountMinor: 1000 }],
    ["a successful capture", { kind: "capture", status: "success", amount: "5.00", currency: "EUR" }, { amountDecimal: "10.00", currency: "USD", amountMinor: 1000 }],
    ["a successful void", { kind: "void", status: "success", amount: "5.00", currency: "EUR" }, { amountDecimal: "10.00", currency: "USD", amountMinor: 1000 }],
    ["a successful authorization", { kind: "authorization", status: "success", amount: "5.00", currency: "EUR" }, { amountDecimal: "10.00", currency: "USD", amountMinor: 1000 }],
    ["a sale without status", { kind: "sale", amount: "5.00", currency: "EUR" }, { amountDecimal: "10.00", currency: "USD", amountMinor: 1000 }],
    ["a successful refund: counted", { kind: "refund", status: "success", amount: "5.00", currency: "USD" }, { amountDecimal: "15.00", currency: "USD", amountMinor: 1500 }],
    ["a refund without status: counted as successful", { kind: "refund", amount: "5.00", currency: "USD" }, { amountDecimal: "15.00", currency: "USD", amountMinor: 1500 }],
    ["a refund with status null: counted as successful", { kind: "refund", status: null, amount: "5.00", currency: "USD" }, { amountDecimal: "15.00", currency: "USD", amountMinor: 1500 }],
  ])("%s", (_label, transaction, expected) => {
    expect(parseRefundPayload({ ...REFUND, transactions: [base, transaction] })).toMatchObject(expected);
  });

  it.each<[string, unknown[], { amountDecimal: string; currency: string | null; amountMinor: number | null }]>([
    ["no transactions at all: nothing paid back", [], { amountDecimal: "0", currency: null, amountMinor: null }],
    ["only a failed refund: nothing paid back, its currency unused", [{ ...base, status: "failure" }], { amountDecimal: "0", currency: null, amountMinor: null }],
    [
      "only a failed refund whose amount_set names EUR: still no currency",
      [{ ...base, status: "failure", currency: null, amount_set: { shop_money: { amount: "10.00", currency_code: "USD" }, presentment_money: { amount: "9.00", currency_code: "EUR" } } }],
      { amountDecimal: "0", currency: null, amountMinor: null },
    ],
  ])("%s", (_label, transactions, expected) => {
    expect(parseRefundPayload({ ...REFUND, transactions })).toStrictEqual({ id: "9", orderId: "1", createdAt: at("2026-10-05T10:00:00Z"), ...expected, lineItems: [] });
  });
});

describe("refund facts: which currency wins (issue 15)", () => {
  const tx = (currency: string | null, extra: Record<string, unknown> = {}) => ({ kind: "refund", status: "success", amount: "1.500", currency, ...extra });
  const money = (shop: [string, string], presentment?: [string, string]) => ({
    shop_money: { amount: shop[0], currency_code: shop[1] },
    ...(presentment ? { presentment_money: { amount: presentment[0], currency_code: presentment[1] } } : {}),
  });
  const bare = (subtotal: string, line_item_id = 11) => ({ line_item_id, quantity: 1, subtotal, line_item: { product_id: 77, title: "Tee" } });
  const withSet = (set: unknown, line_item_id = 12) => ({ line_item_id, quantity: 1, subtotal_set: set, line_item: { product_id: 77, title: "Cap" } });
  const subtotals = (payload: unknown, shopCurrency: string | null = null) => parseRefundPayload(payload, shopCurrency).lineItems.map((l) => l.subtotalMinor);

  it.each<[string, unknown[], unknown[], string | null, number[]]>([
    ["a line's subtotal_set shop money beats the shop currency given", [tx("KWD")], [bare("1500"), withSet(money(["1", "JPY"]))], "USD", [1500, 1]],
    ["the first line naming its shop money wins", [tx("KWD")], [bare("1500"), withSet(money(["1", "JPY"])), withSet(money(["1.00", "USD"]), 13)], null, [1500, 1, 100]],
    ["a line's shop money beats a transaction's", [tx(null, { amount_set: money(["1.500", "USD"], ["1.500", "KWD"]) })], [bare("1500"), withSet(money(["1", "JPY"]))], null, [1500, 1]],
    ["a successful transaction's amount_set shop money beats the shop currency given", [tx(null, { amount_set: money(["1.500", "KWD"]) })], [bare("1.500")], "USD", [1500]],
    ["a failed transaction's amount_set names nothing: the shop currency given", [tx(null), tx(null, { status: "failure", amount_set: money(["1.500", "KWD"]) })], [bare("1.50")], "USD", [150]],
    ["nothing named, no shop currency given: the refund's own currency", [tx("KWD")], [bare("1.500")], null, [1500]],
    ["nothing named, the shop currency given beats the refund's own", [tx("KWD")], [bare("1.50")], "USD", [150]],
  ])("bare subtotals: %s", (_label, transactions, lines, shopCurrency, expected) => {
    expect(subtotals({ ...REFUND, transactions, refund_line_items: lines }, shopCurrency)).toEqual(expected);
  });

  it.each<[string, unknown[], unknown[], string | null]>([
    ["the transaction's currency beats the lines' presentment money", [tx("KWD")], [withSet(money(["1.00", "USD"], ["1.00", "EUR"]))], "KWD"],
    ["amount_set's presentment money when currency is null", [tx(null, { amount_set: money(["1.00", "USD"], ["1.500", "KWD"]) })], [], "KWD"],
    ["amount_set without presentment money names no paid currency", [tx(null, { amount_set: money(["1.500", "KWD"]) })], [], null],
    ["amount_set null names nothing", [tx(null, { amount_set: null })], [], null],
    ["the first line with presentment money, after lines without", [tx(null)], [bare("1.500"), withSet(money(["1.500", "KWD"])), withSet(money(["1.500", "KWD"], ["1.500", "BHD"]), 13), withSet(money(["1.00", "USD"], ["1.00", "EUR"]), 14)], "BHD"],
    ["two transactions in the same currency", [tx("KWD"), tx("KWD")], [], "KWD"],
  ])("paid currency: %s", (_label, transactions, lines, expected) => {
    expect(parseRefundPayload({ ...REFUND, transactions, refund_line_items: lines }).currency).toBe(expected);
  });

  it("converts the amount to minor units only once the currency is known", () => {
    expect(parseRefundPayload({ ...REFUND, transactions: [tx("KWD"), tx(null)] })).toMatchObject({ amountDecimal: "3.000", currency: "KWD", amountMinor: 3000 });
    expect(parseRefundPayload({ ...REFUND, transactions: [tx(null), tx(null)] })).toMatchObject({ amountDecimal: "3.000", currency: null, amountMinor: null });
  });
});

describe("refund facts: lines, dates and limits (issue 15)", () => {
  const line = (line_item_id: number, quantity: number, subtotal: unknown, extra: Record<string, unknown> = {}) => ({
    line_item_id,
    quantity,
    subtotal,
    line_item: { product_id: 77, title: "Tee" },
    ...extra,
  });
  const usdSet = (amount: string) => ({ shop_money: { amount, currency_code: "USD" } });

  it("sums a split line's quantities and subtotals (bare and subtotal_set alike) and keeps the first part's product and title", () => {
    const payload = {
      ...REFUND,
      refund_line_items: [
        line(11, 1, "30.00"),
        line(12, 1, "5.00", { line_item: { product_id: null, title: "Gift wrap" } }),
        line(11, 2, null, { subtotal_set: usdSet("60.00"), line_item: { product_id: 78, title: "Tee (renamed)" } }),
        line(11, 4, 0.01),
      ],
    };
    expect(parseRefundPayload(payload).lineItems).toStrictEqual([
      { lineItemId: "11", productId: "77", title: "Tee", quantity: 7, subtotalMinor: 9001 },
      { lineItemId: "12", productId: null, title: "Gift wrap", quantity: 1, subtotalMinor: 500 },
    ]);
  });

  const usdRefund = REFUND.transactions;
  it.each<[string, unknown[], unknown[], string]>([
    ["a split line's quantities passing 2^53", usdRefund, [line(11, Number.MAX_SAFE_INTEGER, "1.00"), line(11, 1, "1.00")], "refund_line_items.1.quantity: above 2^53 minor units"],
    ["a split line's subtotals passing 2^53", usdRefund, [line(11, 1, "1.00"), line(11, 1, "90071992547409.91")], "refund_line_items.1.subtotal: above 2^53 minor units"],
    ["a subtotal_set with more decimals than its currency", usdRefund, [line(11, 1, null, { subtotal_set: { shop_money: { amount: "1.5", currency_code: "JPY" } } })], "refund_line_items.0.subtotal_set: more decimals than the currency's 0"],
    ["the second line's bare subtotal with too many decimals", usdRefund, [line(11, 1, "1.00"), line(12, 1, "1.005")], "refund_line_items.1.subtotal: more decimals than the currency's 2"],
    ["a bare subtotal above 2^53", usdRefund, [line(11, 1, "90071992547409.92")], "refund_line_items.0.subtotal: above 2^53 minor units"],
    ["a bare subtotal and no currency anywhere — second line", [], [line(11, 1, null), line(12, 1, "1.00")], "refund_line_items.1.subtotal: no currency known for it"],
  ])("refuses %s, naming the field", (_label, transactions, lines, reason) => {
    expect(() => parseRefundPayload({ ...REFUND, transactions, refund_line_items: lines })).toThrow(new InvalidPayloadError(reason));
  });

  it.each<[string, string, { ok: true } | { refused: string }]>([
    ["2^53 - 1 thousandths — the cap read with 3 decimals", "9007199254740.991", { ok: true }],
    ["a fourth decimal rounded down to the cap", "9007199254740.9914", { ok: true }],
    ["a fourth decimal rounded half up past the cap", "9007199254740.9915", { refused: "transactions.amount: above 2^53 minor units" }],
    ["2^53 thousandths", "9007199254740.992", { refused: "transactions.amount: above 2^53 minor units" }],
  ])("null-currency amount at the 2^53 cap: %s", (_label, amount, outcome) => {
    const payload = { ...REFUND, transactions: [{ kind: "refund", status: "success", amount, currency: null }] };
    if ("ok" in outcome) expect(parseRefundPayload(payload)).toMatchObject({ amountDecimal: amount, currency: null, amountMinor: null });
    else expect(() => parseRefundPayload(payload)).toThrow(new InvalidPayloadError(outcome.refused));
  });

  it("accepts a null-currency amount with more decimals than any currency has (rounded when its currency is known)", () => {
    const payload = { ...REFUND, transactions: [{ kind: "refund", status: "success", amount: "1.00049", currency: null }] };
    expect(parseRefundPayload(payload)).toMatchObject({ amountDecimal: "1.00049", currency: null, amountMinor: null });
  });

  it.each<[string, Record<string, unknown>, Date]>([
    ["processed_at absent: created_at", {}, at("2026-10-05T10:00:00Z")],
    ["processed_at null: created_at", { processed_at: null }, at("2026-10-05T10:00:00Z")],
    ["processed_at given: processed_at", { processed_at: "2026-10-04T09:00:00-05:00" }, at("2026-10-04T14:00:00Z")],
  ])("refund date: %s", (_label, change, createdAt) => {
    expect(parseRefundPayload({ ...REFUND, ...change }).createdAt).toEqual(createdAt);
  });

  it("reads Shopify's own refunds/create sample exactly (lossless ids, null-currency transactions, JSON-number subtotals)", () => {
    const body = readFileSync(new URL("../../../tests/fixtures/shopify-webhooks/refunds__create.json", import.meta.url), "utf8");
    const facts = parseRefundPayload(parseJsonLossless(body));
    expect(facts).toMatchObject({ orderId: "820982911946154508", amountDecimal: "85.00", currency: "USD", amountMinor: 8500, createdAt: at("2022-01-01T00:00:00Z") });
    expect(facts.lineItems[0]).toStrictEqual({ lineItemId: "487817672276298554", productId: "788032119674292922", title: "Aviator sunglasses", quantity: 1, subtotalMinor: 8999 });
  });

  it("refuses a refund that is not an object, naming the root", () => {
    expect(() => parseRefundShape([])).toThrow(new InvalidPayloadError("(root): Invalid input: expected object, received array"));
  });
});

describe("the reasons of the id, amount and currency checks (issue 15)", () => {
  // A union reports "Invalid input" in describeIssues; the string branch's own reason is kept in the issue it nests.
  const idReasons = (value: unknown) => {
    const result = restId.safeParse(value);
    return result.success ? [] : result.error.issues.flatMap((issue) => ("errors" in issue ? issue.errors.flat().map((e) => e.message) : [issue.message]));
  };

  it.each<[string, unknown, string]>([
    ["a leading zero", "0820982911946154508", "id: digits without sign or leading zero"],
    ["a sign", "-1", "id: digits without sign or leading zero"],
    ["2^64", "18446744073709551616", "id above 2^64 - 1"],
  ])("an id with %s is refused for that reason", (_label, value, reason) => {
    expect(idReasons(value)).toContain(reason);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a four-letter currency", { currency: "USDX" }, "currency: ISO 4217 code"],
    ["a currency with a prefix", { currency: "xUSD" }, "currency: ISO 4217 code"],
    ["an amount with a prefix", { total_price: "$60.00" }, "total_price: decimal amount string"],
    ["an amount with a suffix", { total_price: "60.00 USD" }, "total_price: decimal amount string"],
  ])("refuses %s", (_label, change, reason) => {
    expect(() => parseOrderPayload({ ...ORDER, ...change })).toThrow(new InvalidPayloadError(reason));
  });

  it("reads a refund without transactions or refund_line_items fields as nothing paid back, no lines", () => {
    expect(parseRefundPayload({ id: 9, order_id: 1, created_at: "2026-10-05T10:00:00Z" })).toStrictEqual({
      id: "9",
      orderId: "1",
      createdAt: at("2026-10-05T10:00:00Z"),
      amountDecimal: "0",
      currency: null,
      amountMinor: null,
      lineItems: [],
    });
  });
});

describe("absent lists parse as empty lists (issue 15)", () => {
  it("an order without line_items or fulfillments", () => {
    expect(RestOrderSchema.parse(ORDER)).toMatchObject({ line_items: [expect.objectContaining({ id: "11" })], fulfillments: [] });
    expect(RestOrderSchema.parse({ ...ORDER, line_items: undefined })).toMatchObject({ line_items: [], fulfillments: [] });
  });

  it("a refund without transactions or refund_line_items", () => {
    expect(parseRefundShape({ id: 9, order_id: 1, created_at: "2026-10-05T10:00:00Z" })).toMatchObject({ transactions: [], refund_line_items: [] });
  });
});
