import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "../lossless-json";
import { InvalidPayloadError } from "../payload-error";
import { orderDiscountCodes, parseOrderPayload } from "./order-payload";

/** The order's `discount_codes` (a reward code used on an order is marked used: services/rewards-codes-used.server.ts). */

const ORDER = {
  id: 1,
  name: "#1",
  created_at: "2026-10-01T10:00:00Z",
  updated_at: "2026-10-01T10:00:00Z",
  currency: "USD",
  total_price: "60.00",
  line_items: [{ id: 11, product_id: 77, title: "Tee", quantity: 2, price: "30.00" }],
};

describe("order discount codes", () => {
  it("reads Shopify's sample orders/create payload, whose discount_codes is empty", () => {
    const sample = parseJsonLossless(fs.readFileSync(path.join(__dirname, "../../../tests/fixtures/shopify-webhooks/orders__create.json"), "utf8"));
    expect(parseOrderPayload(sample).discountCodes).toEqual([]);
  });

  it("keeps each code once, trimmed and in capitals, in the order given; absent or null lists are none", () => {
    const facts = parseOrderPayload({
      ...ORDER,
      discount_codes: [
        { code: " ag-7k3m-q9tx ", amount: "5.00", type: "fixed_amount" },
        { code: "SPRING", amount: "10.0", type: "percentage" },
        { code: "AG-7K3M-Q9TX", amount: "5.00", type: "fixed_amount" },
        { code: "", amount: "0.00", type: "fixed_amount" },
        { code: null },
        { amount: "1.00" },
        { code: "X".repeat(256) },
      ],
    });
    expect(facts.discountCodes).toEqual(["AG-7K3M-Q9TX", "SPRING"]);
    expect(parseOrderPayload(ORDER).discountCodes).toEqual([]);
    expect(parseOrderPayload({ ...ORDER, discount_codes: null }).discountCodes).toEqual([]);
  });

  it("keeps at most 50 codes, and a code of exactly 255 characters", () => {
    expect(orderDiscountCodes(Array.from({ length: 60 }, (_, i) => ({ code: `c${i}` })))).toEqual(Array.from({ length: 50 }, (_, i) => `C${i}`));
    expect(orderDiscountCodes([{ code: "y".repeat(255) }])).toEqual(["Y".repeat(255)]);
    expect(orderDiscountCodes(undefined)).toEqual([]);
  });

  it("refuses discount_codes that is not a list, or a code that is not text", () => {
    expect(() => parseOrderPayload({ ...ORDER, discount_codes: "AG-1" })).toThrow(InvalidPayloadError);
    expect(() => parseOrderPayload({ ...ORDER, discount_codes: [{ code: 5 }] })).toThrow("discount_codes.0.code");
  });
});
