import { describe, expect, it } from "vitest";
import { validateOrderBody } from "./order-body";

describe("validateOrderBody: the order only, nothing else", () => {
  it.each([
    [{ orderId: "gid://shopify/OrderIdentity/42" }, { ok: true, orderNumericId: "42" }],
    [{ orderId: "gid://shopify/Order/18446744073709551615" }, { ok: true, orderNumericId: "18446744073709551615" }],
    [{}, { ok: false, errors: { orderId: "Expected an order GID such as gid://shopify/Order/123" } }],
    [{ orderId: 42 }, { ok: false, errors: { orderId: "Expected an order GID such as gid://shopify/Order/123" } }],
    [{ orderId: "gid://shopify/Customer/1" }, { ok: false, errors: { orderId: "Expected an order GID such as gid://shopify/Order/123" } }],
    [{ orderId: "gid://shopify/Order/1", email: "a@example.com" }, { ok: false, errors: { email: "Unknown field" } }],
    [null, { ok: false, errors: { body: "Expected a JSON object" } }],
    [["gid://shopify/Order/1"], { ok: false, errors: { body: "Expected a JSON object" } }],
    ["gid://shopify/Order/1", { ok: false, errors: { body: "Expected a JSON object" } }],
  ])("%j → %j", (input, expected) => {
    expect(validateOrderBody(input)).toEqual(expected);
  });
});
