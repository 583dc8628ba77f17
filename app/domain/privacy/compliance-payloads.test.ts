import { describe, expect, it } from "vitest";
import { MAX_ORDER_IDS, parseCustomerRedactPayload, parseDataRequestPayload } from "./compliance-payloads";

const shopFields = { shop_id: 954889, shop_domain: "a.myshopify.com" };

describe("parseDataRequestPayload", () => {
  it.each([
    [
      "Shopify's example payload: ids as text, email and phone dropped",
      { ...shopFields, orders_requested: [299938, 280263, 220458], customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" }, data_request: { id: 9999 } },
      { customerId: "191167", dataRequestId: "9999", orderIds: ["299938", "280263", "220458"] },
    ],
    ["ids as digit strings, duplicates once", { customer: { id: "42" }, data_request: { id: "7" }, orders_requested: ["1", 1, "2"] }, { customerId: "42", dataRequestId: "7", orderIds: ["1", "2"] }],
    ["no orders_requested", { customer: { id: 42 }, data_request: { id: 7 } }, { customerId: "42", dataRequestId: "7", orderIds: [] }],
    ["orders_requested null", { customer: { id: 42 }, data_request: { id: 7 }, orders_requested: null }, { customerId: "42", dataRequestId: "7", orderIds: [] }],
    [
      "ids beyond 2^53 as the lossless parser gives them — exact digit strings",
      { customer: { id: "820982911946154508" }, data_request: { id: "18446744073709551615" }, orders_requested: ["9007199254740993"] },
      { customerId: "820982911946154508", dataRequestId: "18446744073709551615", orderIds: ["9007199254740993"] },
    ],
  ])("%s", (_label, payload, expected) => {
    expect(parseDataRequestPayload(payload)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["no customer", { data_request: { id: 7 } }, "customer: invalid_type"],
    ["no data request id", { customer: { id: 42 }, data_request: {} }, "data_request.id: invalid_union"],
    ["a customer id beyond 2^53 — digits already lost", { customer: { id: 2 ** 53 + 2 }, data_request: { id: 7 } }, "customer.id: too_big"],
    ["a negative id", { customer: { id: -1 }, data_request: { id: 7 } }, "customer.id: too_small"],
    ["a customer id above 2^64 - 1", { customer: { id: "18446744073709551616" }, data_request: { id: 7 } }, "customer.id: custom"],
    ["a customer id with a leading zero", { customer: { id: "0191167" }, data_request: { id: 7 } }, "customer.id: invalid_string"],
    ["an order id that is not an id", { customer: { id: 1 }, data_request: { id: 7 }, orders_requested: ["12a"] }, "orders_requested.0: invalid_string"],
    ["too many order ids", { customer: { id: 1 }, data_request: { id: 7 }, orders_requested: Array.from({ length: MAX_ORDER_IDS + 1 }, (_, i) => i) }, "orders_requested: too_big"],
    ["not an object", "customer", "(root): invalid_type"],
    ["two fields wrong: both named, in order", { customer: {}, data_request: { id: -1 } }, "customer.id: invalid_union; data_request.id: too_small"],
    [
      "seven order ids wrong: the first five named",
      { customer: { id: 1 }, data_request: { id: 7 }, orders_requested: ["a", "b", "c", "d", "e", "f", "g"] },
      "orders_requested.0: invalid_string; orders_requested.1: invalid_string; orders_requested.2: invalid_string; orders_requested.3: invalid_string; orders_requested.4: invalid_string",
    ],
  ])("refuses %s, naming the field and never its value", (_label, payload, reason) => {
    const parsed = parseDataRequestPayload(payload);
    expect(parsed).toEqual({ ok: false, reason });
  });

  it("never puts the email or phone into a refusal", () => {
    const parsed = parseDataRequestPayload({ customer: { id: "x@example.com", phone: "555-625-1199" }, data_request: { id: "555-625-1199" } });
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toMatch(/example\.com|555/);
  });
});

describe("parseCustomerRedactPayload", () => {
  it.each([
    [
      "Shopify's example payload",
      { ...shopFields, customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" }, orders_to_redact: [299938, 280263] },
      { customerId: "191167", orderIds: ["299938", "280263"] },
    ],
    ["no orders_to_redact", { customer: { id: 5 } }, { customerId: "5", orderIds: [] }],
  ])("%s", (_label, payload, expected) => {
    expect(parseCustomerRedactPayload(payload)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["no customer id", { customer: { email: "john@example.com" } }, "customer.id: invalid_union"],
    ["null", null, "(root): invalid_type"],
  ])("refuses %s", (_label, payload, reason) => {
    expect(parseCustomerRedactPayload(payload)).toEqual({ ok: false, reason });
  });
});
