import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_MINOR } from "../money";
import { settledRefundAmount, type OrderAmounts, type StoredRefundAmount } from "./refund-settlement";

const order = (currency: string, totalMinor: number, presentmentCurrency = currency, presentmentTotalMinor = totalMinor): OrderAmounts => ({
  currency,
  presentmentCurrency,
  totalMinor,
  presentmentTotalMinor,
});
const paid = (amountMinor: number, currency: string | null, amountDecimal: string | null = null): StoredRefundAmount => ({ amountMinor, currency, amountDecimal });

describe("a refund's amount in its order's shop currency", () => {
  it.each<[string, StoredRefundAmount, OrderAmounts, { currency: string | null; amountMinor: number; shopAmountMinor: number }]>([
    ["shop currency: as is", paid(4194, "USD", "41.94"), order("USD", 10000), { currency: "USD", amountMinor: 4194, shopAmountMinor: 4194 }],
    ["currency null, JPY order: whole yen", paid(0, null, "4194"), order("JPY", 10000), { currency: "JPY", amountMinor: 4194, shopAmountMinor: 4194 }],
    ["currency null, KWD order: three decimals", paid(0, null, "12.345"), order("KWD", 50000), { currency: "KWD", amountMinor: 12345, shopAmountMinor: 12345 }],
    ["currency null, USD order", paid(0, null, "41.94"), order("USD", 10000), { currency: "USD", amountMinor: 4194, shopAmountMinor: 4194 }],
    ["currency null, JPY order, decimals sent anyway: rounded half up", paid(0, null, "41.5"), order("JPY", 10000), { currency: "JPY", amountMinor: 42, shopAmountMinor: 42 }],
    [
      "currency null, multi-currency order: the presentment currency, then converted",
      paid(0, null, "5000"),
      order("USD", 4000, "JPY", 6000),
      { currency: "JPY", amountMinor: 5000, shopAmountMinor: 3333 },
    ],
    ["presentment currency: by the order's totals, half up", paid(50, "EUR"), order("USD", 101, "EUR", 100), { currency: "EUR", amountMinor: 50, shopAmountMinor: 51 }],
    [
      "a US$250,000 order paid in IDR, fully refunded — the product passes 2^63",
      paid(400_000_000_000, "IDR"),
      order("USD", 25_000_000, "IDR", 400_000_000_000),
      { currency: "IDR", amountMinor: 400_000_000_000, shopAmountMinor: 25_000_000 },
    ],
    [
      "a refund many times its order that would pass 2^53 converted: counts as the whole order",
      paid(MAX_MINOR, "JPY"),
      order("KWD", 1_000_000, "JPY", 1),
      { currency: "JPY", amountMinor: MAX_MINOR, shopAmountMinor: 1_000_000 },
    ],
    ["zero presentment total: as is", paid(700, "EUR"), order("USD", 0, "EUR", 0), { currency: "EUR", amountMinor: 700, shopAmountMinor: 700 }],
    ["a stored legacy refund without currency or decimal text: as is", paid(300, null), order("USD", 1000), { currency: null, amountMinor: 300, shopAmountMinor: 300 }],
    [
      "a shop-currency refund that kept its decimal text on a multi-currency order: as is, never re-read as presentment",
      paid(4194, "USD", "41.94"),
      order("USD", 10000, "EUR", 9200),
      { currency: "USD", amountMinor: 4194, shopAmountMinor: 4194 },
    ],
    ["a refund in the shop currency is never scaled, even were the stored totals to disagree", paid(500, "USD"), order("USD", 1000, "USD", 2000), { currency: "USD", amountMinor: 500, shopAmountMinor: 500 }],
    ["a currency the order does not have: kept as it was", paid(700, "GBP"), order("USD", 1000, "EUR", 900), { currency: "GBP", amountMinor: 700, shopAmountMinor: 700 }],
    ["SQL bigint amounts read as numbers", { amountMinor: 50n, currency: "EUR", amountDecimal: "0.50" }, { currency: "USD", presentmentCurrency: "EUR", totalMinor: 101n, presentmentTotalMinor: 100n }, { currency: "EUR", amountMinor: 50, shopAmountMinor: 51 }],
    ["presentment currency, rounded half up at exactly one half", paid(1, "EUR"), order("USD", 1, "EUR", 2), { currency: "EUR", amountMinor: 1, shopAmountMinor: 1 }],
    ["presentment currency, just below one half: rounded down", paid(1, "EUR"), order("USD", 4, "EUR", 9), { currency: "EUR", amountMinor: 1, shopAmountMinor: 0 }],
    ["a zero refund in the presentment currency: zero", paid(0, "EUR"), order("USD", 1000, "EUR", 900), { currency: "EUR", amountMinor: 0, shopAmountMinor: 0 }],
    ["a zero order in the shop currency: as is", paid(0, "USD", "0"), order("USD", 0, "EUR", 0), { currency: "USD", amountMinor: 0, shopAmountMinor: 0 }],
    ["currency null, zero presentment total: read in the presentment currency, not converted", paid(0, null, "12.5"), order("USD", 0, "JPY", 0), { currency: "JPY", amountMinor: 13, shopAmountMinor: 13 }],
    ["converted to exactly 2^53 - 1: kept, not capped", paid(MAX_MINOR, "JPY"), order("USD", 2, "JPY", 2), { currency: "JPY", amountMinor: MAX_MINOR, shopAmountMinor: MAX_MINOR }],
    ["converted to exactly 2^53: the whole order", paid(2 ** 52, "JPY"), order("USD", 2, "JPY", 1), { currency: "JPY", amountMinor: 2 ** 52, shopAmountMinor: 2 }],
  ])("%s", (_label, refund, orderAmounts, expected) => {
    expect(settledRefundAmount(refund, orderAmounts)).toEqual(expected);
  });

  it("converts any presentment refund within its order exactly (BigInt oracle, amounts up to 2^53)", () => {
    const amount = fc.bigInt({ min: 1n, max: BigInt(MAX_MINOR) });
    fc.assert(
      fc.property(amount, amount, fc.bigInt({ min: 0n, max: BigInt(MAX_MINOR) }), (presentmentTotal, total, refundSeed) => {
        const refund = refundSeed % (presentmentTotal + 1n);
        const settled = settledRefundAmount(paid(Number(refund), "IDR"), order("USD", Number(total), "IDR", Number(presentmentTotal)));
        expect(BigInt(settled.shopAmountMinor)).toBe((2n * refund * total + presentmentTotal) / (2n * presentmentTotal));
        expect(settled.shopAmountMinor).toBeLessThanOrEqual(Number(total));
      }),
    );
  });
});
